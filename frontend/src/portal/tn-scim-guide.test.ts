import { describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, mount, queryTestId } from '../testing/fixture.js';
import { directory } from '../testing/scim-data.js';
import type { CopyRequest } from './tn-scim-guide.js';
import './tn-scim-guide.js';

const text = (host: Element, id: string) => byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

describe('<tn-scim-guide>', () => {
  it('pastes the base URL and the token under the labels of Entra ID’s own fields', async () => {
    const element = await mount('tn-scim-guide', {
      directory: directory({ provider: 'ENTRA_ID' }),
      token: 'scim_token_T0k3',
    });
    const values = [...element.shadowRoot!.querySelectorAll('.values dt')].map((dt) => dt.textContent.trim());
    expect(values).toEqual(['Tenant URL', 'Secret Token']);
    expect(text(element, 'scim-guide-value-baseUrl')).toBe('https://auth.example.com/scim/v2/dir_okta');
    expect(text(element, 'scim-guide-value-token')).toBe('scim_token_T0k3');
    expect(element.shadowRoot!.querySelectorAll('[data-testid="scim-guide-step"]')).toHaveLength(5);
    expect(text(element, 'scim-guide-first-push')).toContain('"Provision on demand"');
    expect(queryTestId(element, 'scim-guide-caveat')).toBeNull();
    await expectAccessible(element);
  });

  it('lists the attributes to map with the provider’s values', async () => {
    const element = await mount('tn-scim-guide', { directory: directory() });
    const rows = [...byTestId(element, 'scim-guide-attributes').querySelectorAll('tbody tr')];
    expect(rows.map((row) => row.querySelector('th')!.textContent.trim())).toEqual([
      'userName',
      'emails[type eq "work"].value',
      'name.givenName',
      'name.familyName',
      'active',
      'externalId',
    ]);
    expect(rows[2].textContent).toContain('user.firstName');
    expect(text(element, 'scim-guide-token-hidden')).toContain('Lost it? Rotate the token above.');
  });

  it('says first, for Google Workspace, that only supported apps can be provisioned', async () => {
    const element = await mount('tn-scim-guide', { directory: directory({ provider: 'GOOGLE_WORKSPACE' }) });
    const first = element.shadowRoot!.querySelector('[data-testid="scim-guide"]')!.firstElementChild!;
    expect(first.getAttribute('data-testid')).toBe('scim-guide-caveat');
    expect(first.textContent).toContain('"Other (SCIM 2.0)"');
  });

  it('asks its host to copy a value', async () => {
    const element = await mount('tn-scim-guide', { directory: directory(), token: 'scim_token_T0k3' });
    const asked = vi.fn<(request: CopyRequest) => void>();
    element.addEventListener('tn-scim-copy', (event) => asked(event.detail));
    byTestId(element, 'scim-guide-copy-token').click();
    expect(asked).toHaveBeenCalledWith({ text: 'scim_token_T0k3', what: 'the token' });
  });
});
