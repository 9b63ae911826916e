import { beforeEach, describe, expect, it } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
} from '../testing/fixture.js';
import type { FetchMock } from '../testing/fetch-stub.js';
import { sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { problem, ssoConnection } from '../testing/portal-data.js';
import type { SsoConnection } from './sso-api.js';
import type { TnSsoProviderPicker } from './tn-sso-provider-picker.js';
import './tn-sso-provider-picker.js';

const draft = ssoConnection({ saml: null });
const created = { createConnection: { __typename: 'Connection', ...draft } };

beforeEach(() => setCsrfMeta());

let server: FetchMock;

async function mountPicker(
  answers: Record<string, Answer | Answer[]>,
): Promise<TnSsoProviderPicker> {
  server = stubGraphQL(answers);
  return mount('tn-sso-provider-picker', { organizationId: 'org_1', email: 'ada@example.com' });
}

function made(element: TnSsoProviderPicker): SsoConnection[] {
  const seen: SsoConnection[] = [];
  element.addEventListener('tn-sso-connection-created', (event) => seen.push(event.detail));
  return seen;
}

describe('<tn-sso-provider-picker>', () => {
  it('asks which identity provider, naming each with its protocol', async () => {
    const element = await mountPicker({});
    element.focus();
    expect(focusedIn(element)?.textContent).toBe('Which identity provider do you use?');
    const buttons = [...element.shadowRoot!.querySelectorAll('[data-testid^="sso-provider-"]')];
    expect(buttons.map((button) => button.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      'Okta SAML',
      'Microsoft Entra ID SAML',
      'Google Workspace SAML',
      'OneLogin SAML',
      'JumpCloud SAML',
      'Ping Identity SAML',
      'AD FS SAML',
      'Other SAML provider',
      'Other OpenID Connect provider',
    ]);
    await expectAccessible(element);
  });

  it('creates a draft connection for the provider picked', async () => {
    const element = await mountPicker({ CreateConnection: created });
    const seen = made(element);
    byTestId(element, 'sso-provider-OKTA').click();
    await settle(element);
    expect(sentNamed(server, 'CreateConnection')[0].variables).toEqual({
      organizationId: 'org_1',
      input: { provider: 'OKTA', protocol: null, name: null, defaultRole: 'member' },
    });
    expect(seen).toEqual([draft]);
  });

  it('asks to confirm it’s you when the sign-in is too old, and creates once confirmed', async () => {
    const element = await mountPicker({
      CreateConnection: [
        {
          createConnection: problem('ReauthenticationRequired', 'Sign in again.', {
            maxAgeSeconds: 300,
          }),
        },
        created,
      ],
    });
    const seen = made(element);
    byTestId(element, 'sso-provider-ENTRA_ID').click();
    await settle(element);
    const confirm = byTestId(element, 'reauthenticate');
    expect(confirm.getAttribute('return-to')).toBe('/ui/sso');
    expect((confirm as HTMLElement & { purpose: string }).purpose).toBe(
      'set up Microsoft Entra ID',
    );
    expect(queryTestId(element, 'error-message')).toBeNull();
    expect(byTestId<HTMLButtonElement>(element, 'sso-provider-OKTA').disabled).toBe(true);

    confirm.dispatchEvent(new Event('tn-reauthenticated', { bubbles: true, composed: true }));
    await settle(element);
    expect(sentNamed(server, 'CreateConnection')).toHaveLength(2);
    expect(seen).toEqual([draft]);
  });

  it('shows a refusal, such as too many connections, in the alert', async () => {
    const message = 'An organization can have up to 10 connections; delete one first.';
    const element = await mountPicker({
      CreateConnection: {
        createConnection: problem('InvalidInput', message, { field: 'provider' }),
      },
    });
    byTestId(element, 'sso-provider-OKTA').click();
    await settle(element);
    expect(byTestId(element, 'error-message').textContent).toContain(message);
    expect(focusedIn(element)).toBe(byTestId(element, 'error-message'));
  });
});
