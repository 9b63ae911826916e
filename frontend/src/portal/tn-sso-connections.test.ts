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
import { graphqlError, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { connection, passedTest, roles, ssoConnection } from '../testing/portal-data.js';
import type { SsoConnection } from './sso-api.js';
import { untestedSinceChange, type TnSsoConnections } from './tn-sso-connections.js';
import './tn-sso-connections.js';

const MANAGE = ['sk_org_sso_read', 'sk_org_sso_manage'];
const READ = ['sk_org_sso_read'];

const okta = ssoConnection({ lastTest: passedTest() });
const entra = ssoConnection({
  id: 'conn_entra',
  name: 'Entra ID',
  provider: 'ENTRA_ID',
  status: 'ACTIVE',
  testedWithCurrentSettings: true,
  lastTest: passedTest(),
});
const listed = (connections: SsoConnection[]) => ({
  organization: { id: 'org_1', connections: connection(connections) },
  roles,
});

const notRequired = {
  organization: {
    id: 'org_1',
    ssoRequirement: { required: false, breakGlassUserIds: [] },
    members: connection([]),
  },
};

beforeEach(() => setCsrfMeta());

async function mountList(
  answers: Record<string, Answer | Answer[]>,
  permissions: string[] = MANAGE,
): Promise<TnSsoConnections> {
  stubGraphQL({ SsoRequirement: notRequired, ...answers });
  const element = await mount('tn-sso-connections', {
    organizationId: 'org_1',
    permissions,
    email: 'ada@example.com',
  });
  await settle(element);
  return element;
}

const text = (host: Element, id: string) =>
  byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

describe('<tn-sso-connections>', () => {
  it('lists each connection with its provider, protocol, status, certificate expiry and test state', async () => {
    const element = await mountList({ Connections: listed([okta, entra]) });
    const row = byTestId(element, 'sso-connection-conn_okta');
    expect(row.textContent).toContain('Okta · SAML');
    expect(row.textContent).toMatch(/certificate expires on /);
    expect(row.querySelector('[data-testid="sso-connection-status"]')?.textContent).toBe('Draft');
    expect(row.querySelector('[data-testid="sso-connection-untested"]')?.textContent).toBe(
      'Not tested since last change',
    );
    const active = byTestId(element, 'sso-connection-conn_entra');
    expect(active.querySelector('.badge')?.classList).toContain('good');
    expect(active.textContent).toContain('Microsoft Entra ID · SAML');
    expect(active.querySelector('[data-testid="sso-connection-untested"]')).toBeNull();
    await expectAccessible(element);
  });

  it('shows under the list whether SSO is required, which needs an active connection', async () => {
    const inactive = await mountList({ Connections: listed([okta]) });
    const blocked = inactive.shadowRoot!.querySelector('tn-sso-requirement')!;
    await settle(blocked);
    expect(byTestId<HTMLInputElement>(blocked, 'sso-required').disabled).toBe(true);
    inactive.remove();

    const element = await mountList({ Connections: listed([okta, entra]) });
    const requirement = element.shadowRoot!.querySelector('tn-sso-requirement')!;
    await settle(requirement);
    expect(byTestId<HTMLInputElement>(requirement, 'sso-required').disabled).toBe(false);
    await expectAccessible(element);
  });

  it('flags only a connection changed after a test', () => {
    expect(untestedSinceChange(okta)).toBe(true);
    expect(untestedSinceChange(entra)).toBe(false);
    expect(untestedSinceChange(ssoConnection())).toBe(false);
  });

  it('says when a connection was never tested', async () => {
    const element = await mountList({ Connections: listed([ssoConnection()]) });
    const row = byTestId(element, 'sso-connection-conn_okta');
    expect(row.querySelector('[data-testid="sso-connection-never-tested"]')?.textContent).toBe(
      'Not tested yet',
    );
  });

  it('says when there are none, and offers Add connection only with sk_org_sso_manage', async () => {
    const manager = await mountList({ Connections: listed([]) });
    expect(text(manager, 'sso-empty')).toBe('No connections yet.');
    expect(queryTestId(manager, 'sso-add')).not.toBeNull();

    const reader = await mountList({ Connections: listed([okta]) }, READ);
    expect(queryTestId(reader, 'sso-add')).toBeNull();
    expect(queryTestId(reader, 'sso-list-read-only')).not.toBeNull();
    expect(text(reader, 'sso-open-conn_okta')).toBe('View Okta');
  });

  it('opens the provider picker from Add connection, and the new draft after picking', async () => {
    const draft = ssoConnection({ saml: null });
    const element = await mountList({
      Connections: listed([]),
      CreateConnection: { createConnection: { __typename: 'Connection', ...draft } },
    });
    byTestId(element, 'sso-add').click();
    await settle(element);
    const picker = element.shadowRoot!.querySelector('tn-sso-provider-picker')!;
    expect(focusedIn(picker)?.textContent).toBe('Which identity provider do you use?');

    byTestId(picker, 'sso-provider-OKTA').click();
    await settle(element);
    const setup = element.shadowRoot!.querySelector('tn-sso-setup')!;
    await settle(setup);
    expect(setup.connection).toEqual(draft);
    expect(text(setup, 'sso-status')).toBe('Okta was added as a draft. Follow the steps below.');
    expect(focusedIn(setup)?.id).toBe('sso-setup-heading');

    byTestId(element, 'sso-back').click();
    await settle(element);
    expect(queryTestId(element, 'sso-connection-conn_okta')).not.toBeNull();
  });

  it('opens a connection and comes back to its row', async () => {
    const element = await mountList({ Connections: listed([okta, entra]) });
    byTestId(element, 'sso-open-conn_entra').click();
    await settle(element);
    const setup = element.shadowRoot!.querySelector('tn-sso-setup')!;
    expect(setup.connection).toEqual(entra);
    expect(setup.roles).toEqual(roles);
    expect(setup.email).toBe('ada@example.com');
    await settle(setup);
    expect(focusedIn(setup)?.id).toBe('sso-setup-heading');

    byTestId(element, 'sso-back').click();
    await settle(element);
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-open-conn_entra'));
  });

  it('keeps what the set-up changed, and drops a deleted connection with a notice', async () => {
    const element = await mountList({ Connections: listed([okta, entra]) });
    byTestId(element, 'sso-open-conn_okta').click();
    await settle(element);
    const setup = element.shadowRoot!.querySelector('tn-sso-setup')!;
    const renamed = { ...okta, name: 'Okta (staff)' };
    setup.dispatchEvent(
      new CustomEvent('tn-sso-connection-changed', {
        detail: renamed,
        bubbles: true,
        composed: true,
      }),
    );
    setup.dispatchEvent(
      new CustomEvent('tn-sso-connection-deleted', {
        detail: { id: 'conn_okta', name: 'Okta (staff)' },
        bubbles: true,
        composed: true,
      }),
    );
    await settle(element);
    expect(queryTestId(element, 'sso-connection-conn_okta')).toBeNull();
    expect(text(element, 'sso-list-status')).toBe('Okta (staff) was deleted.');
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-list-status'));
  });

  it('shows a failed load and can try again', async () => {
    const element = await mountList({
      Connections: [graphqlError('BAD_REQUEST', 'Try later.'), listed([okta])],
    });
    expect(text(element, 'error-message')).toContain('Try later.');
    element.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
    await settle(element);
    expect(queryTestId(element, 'sso-connection-conn_okta')).not.toBeNull();
  });
});
