import { describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { roles, ssoConnection } from '../testing/portal-data.js';
import type { ConnectionSettings } from './sso-api.js';
import './tn-sso-mapping.js';

async function mountMapping() {
  const element = await mount('tn-sso-mapping', { connection: ssoConnection(), roles });
  const saved = vi.fn<(settings: ConnectionSettings) => void>();
  element.addEventListener('tn-sso-mapping-save', (event) => saved(event.detail));
  return { element, saved };
}

describe('<tn-sso-mapping>', () => {
  it('shows the current mapping and role, and sends only what changed', async () => {
    const { element, saved } = await mountMapping();
    expect(byTestId<HTMLInputElement>(element, 'sso-map-email').value).toBe('email');
    expect(byTestId<HTMLSelectElement>(element, 'sso-default-role').value).toBe('member');

    typeInto(byTestId(element, 'sso-map-groups'), ' memberOf ');
    const select = byTestId<HTMLSelectElement>(element, 'sso-default-role');
    select.value = 'admin';
    select.dispatchEvent(new Event('change'));
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(saved).toHaveBeenCalledWith({
      attributeMapping: { groups: 'memberOf' },
      defaultRole: 'admin',
    });
  });

  it('sends nothing to change when nothing changed', async () => {
    const { element, saved } = await mountMapping();
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(saved).toHaveBeenCalledWith({});
  });

  it('refuses an empty attribute name at its field', async () => {
    const { element, saved } = await mountMapping();
    typeInto(byTestId(element, 'sso-map-email'), '  ');
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(byTestId(element, 'sso-mapping-error').textContent).toContain(
      'Enter the email attribute.',
    );
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-map-email'));
    expect(byTestId(element, 'sso-map-email').getAttribute('aria-invalid')).toBe('true');
    expect(saved).not.toHaveBeenCalled();
    await expectAccessible(element);
  });
});
