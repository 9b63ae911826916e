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
import { graphqlError, sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { connection, problem, ssoConnection } from '../testing/portal-data.js';
import type { SsoConnection } from './sso-api.js';
import { REQUIREMENT_HINTS, type TnSsoRequirement } from './tn-sso-requirement.js';
import './tn-sso-requirement.js';

const MANAGE = ['sk_org_sso_read', 'sk_org_sso_manage', 'sk_org_users_read'];
const READ = ['sk_org_sso_read', 'sk_org_users_read'];

const active = ssoConnection({ status: 'ACTIVE' });
const draft = ssoConnection({ status: 'DRAFT' });

const admin = (slug: string, name: string) => ({
  user: { id: `usr_${slug}`, email: `${slug}@example.com`, name },
});
const admins = [
  admin('ada', 'Ada Lovelace'),
  admin('grace', 'Grace Hopper'),
  admin('alan', 'Alan Turing'),
  admin('edsger', 'Edsger Dijkstra'),
];

function requirement(required: boolean, breakGlassUserIds: string[] = [], members = admins) {
  return {
    organization: {
      id: 'org_1',
      ssoRequirement: { required, breakGlassUserIds },
      members: connection(members),
    },
  };
}

const stored = (required: boolean, breakGlassUserIds: string[]) => ({
  updateSsoRequirement: {
    __typename: 'SsoRequirement',
    required,
    breakGlassUserIds,
  },
});

let server: FetchMock;

beforeEach(() => setCsrfMeta());

async function mountRequirement(
  answers: Record<string, Answer | Answer[]>,
  {
    permissions = MANAGE,
    connections = [active],
  }: { permissions?: string[]; connections?: SsoConnection[] } = {},
): Promise<TnSsoRequirement> {
  server = stubGraphQL(answers);
  const element = await mount('tn-sso-requirement', {
    organizationId: 'org_1',
    permissions,
    connections,
    email: 'ada@example.com',
  });
  await settle(element);
  return element;
}

const text = (host: Element, id: string) =>
  byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

const toggle = byTestId<HTMLInputElement>;

/** The `<tn-sso-break-glass>` inside, whose shadow root holds the admin list. */
const glass = (element: TnSsoRequirement) =>
  element.shadowRoot!.querySelector('tn-sso-break-glass')!;

async function switchOn(element: TnSsoRequirement): Promise<void> {
  const input = toggle(element, 'sso-required');
  input.checked = true;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(element);
}

async function addAdmin(element: TnSsoRequirement, id: string): Promise<void> {
  const select = byTestId<HTMLSelectElement>(glass(element), 'sso-break-glass-add');
  select.value = id;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(glass(element));
  byTestId(glass(element), 'sso-break-glass-add-button').click();
  await settle(element);
}

describe('<tn-sso-requirement>', () => {
  describe('rendering', () => {
    it('explains the requirement and lists the break-glass admins by name and email', async () => {
      const element = await mountRequirement({
        SsoRequirement: requirement(true, ['usr_grace']),
      });
      expect(element.shadowRoot!.textContent.replace(/\s+/g, ' ')).toContain(
        'can sign in only through your identity provider: no email codes and no passkeys.',
      );
      expect(toggle(element, 'sso-required').checked).toBe(true);
      expect(text(element, 'sso-requirement-state')).toBe('Required');
      expect(toggle(element, 'sso-required').getAttribute('role')).toBe('switch');
      expect(text(glass(element), 'sso-break-glass-usr_grace')).toContain(
        'Grace Hopper grace@example.com',
      );
      expect(sentNamed(server, 'SsoRequirement')[0].variables).toMatchObject({
        organizationId: 'org_1',
        withAdmins: true,
      });
      await expectAccessible(element);
    });

    it('does not ask for members without sk_org_users_read', async () => {
      const element = await mountRequirement(
        {
          SsoRequirement: {
            organization: {
              id: 'org_1',
              ssoRequirement: {
                required: false,
                breakGlassUserIds: ['usr_ada'],
              },
            },
          },
        },
        { permissions: ['sk_org_sso_read', 'sk_org_sso_manage'] },
      );
      expect(sentNamed(server, 'SsoRequirement')[0].variables.withAdmins).toBe(false);
      expect(text(glass(element), 'sso-break-glass-usr_ada')).toContain('A member not listed here');
    });
  });

  describe('disabled states', () => {
    it('cannot be turned on without an active connection, and says why', async () => {
      const element = await mountRequirement(
        { SsoRequirement: requirement(false) },
        { connections: [draft] },
      );
      const input = toggle(element, 'sso-required');
      expect(input.disabled).toBe(true);
      expect(text(element, 'sso-required-blocked')).toBe(REQUIREMENT_HINTS.noActiveConnection);
      expect(input.getAttribute('aria-describedby')).toContain('sso-required-blocked');
      await expectAccessible(element);
    });

    it('can still be turned off once no connection is active', async () => {
      const element = await mountRequirement(
        { SsoRequirement: requirement(true) },
        { connections: [draft] },
      );
      expect(toggle(element, 'sso-required').disabled).toBe(false);
      expect(queryTestId(element, 'sso-required-blocked')).toBeNull();
    });

    it('is read-only without sk_org_sso_manage', async () => {
      const element = await mountRequirement(
        { SsoRequirement: requirement(true, ['usr_ada']) },
        { permissions: READ },
      );
      expect(toggle(element, 'sso-required').disabled).toBe(true);
      expect(text(element, 'sso-required-blocked')).toBe(REQUIREMENT_HINTS.readOnly);
      expect(queryTestId(element, 'sso-requirement-save')).toBeNull();
      expect(queryTestId(glass(element), 'sso-break-glass-add')).toBeNull();
      expect(queryTestId(glass(element), 'sso-break-glass-remove-usr_ada')).toBeNull();
      await expectAccessible(element);
    });
  });

  describe('confirmation', () => {
    it('asks before turning the requirement on, naming the consequence, and Cancel sends nothing', async () => {
      const element = await mountRequirement({
        SsoRequirement: requirement(false),
      });
      await switchOn(element);
      await addAdmin(element, 'usr_ada');
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      const question = element.shadowRoot!.querySelector('#sso-requirement-confirm-question')!;
      expect(question.textContent).toContain(
        'no longer be able to sign in with an email code or a passkey, only through your identity provider, except 1 break-glass admin.',
      );
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-requirement-confirm'));
      await expectAccessible(element);
      byTestId(element, 'sso-requirement-cancel').click();
      await settle(element);
      expect(sentNamed(server, 'UpdateSsoRequirement')).toHaveLength(0);
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-requirement-save'));
    });

    it('turns it off without asking', async () => {
      const element = await mountRequirement({
        SsoRequirement: requirement(true, ['usr_ada']),
        UpdateSsoRequirement: stored(false, ['usr_ada']),
      });
      const input = toggle(element, 'sso-required');
      input.checked = false;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await settle(element);
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      expect(sentNamed(server, 'UpdateSsoRequirement')[0].variables).toEqual({
        organizationId: 'org_1',
        required: false,
        breakGlassUserIds: ['usr_ada'],
      });
      expect(text(element, 'sso-requirement-saved')).toContain('Single sign-on is not required');
    });
  });

  describe('save', () => {
    it('saves once confirmed and says so', async () => {
      const element = await mountRequirement({
        SsoRequirement: requirement(false),
        UpdateSsoRequirement: stored(true, ['usr_ada']),
      });
      await switchOn(element);
      await addAdmin(element, 'usr_ada');
      expect(text(element, 'sso-requirement-state')).toBe('Not required'); // until it is saved
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      byTestId(element, 'sso-requirement-confirm').click();
      await settle(element);
      expect(sentNamed(server, 'UpdateSsoRequirement')[0].variables).toEqual({
        organizationId: 'org_1',
        required: true,
        breakGlassUserIds: ['usr_ada'],
      });
      expect(text(element, 'sso-requirement-saved')).toBe(
        'Saved. Single sign-on is required for your verified domains.',
      );
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-requirement-saved'));
      expect(text(element, 'sso-requirement-state')).toBe('Required');
      expect(queryTestId(element, 'sso-requirement-confirm')).toBeNull();
    });
  });

  describe('refusals', () => {
    it('shows a refused break-glass admin at the list, not in the alert', async () => {
      const message = 'A break-glass account must be an active member who manages SSO.';
      const element = await mountRequirement({
        SsoRequirement: requirement(false),
        UpdateSsoRequirement: {
          updateSsoRequirement: problem('InvalidInput', message, {
            field: 'breakGlassUserIds',
          }),
        },
      });
      await addAdmin(element, 'usr_grace');
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      expect(text(glass(element), 'sso-break-glass-error')).toBe(message);
      expect(queryTestId(element, 'error-message')).toBeNull();
      const fieldset = byTestId(glass(element), 'sso-break-glass');
      expect(fieldset.getAttribute('aria-describedby')).toContain('sso-break-glass-error');
      expect(focusedIn(glass(element))?.getAttribute('data-testid')).toBe(
        'sso-break-glass-remove-usr_grace',
      );
      await expectAccessible(element);
    });

    it('shows a refused requirement at the switch', async () => {
      const message =
        'Enable a connection first: with SSO required and no active connection, nobody at your verified domains could sign in.';
      const element = await mountRequirement({
        SsoRequirement: requirement(false),
        UpdateSsoRequirement: {
          updateSsoRequirement: problem('InvalidInput', message, {
            field: 'required',
          }),
        },
      });
      await switchOn(element);
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      byTestId(element, 'sso-requirement-confirm').click();
      await settle(element);
      expect(text(element, 'sso-required-error')).toBe(message);
      const input = toggle(element, 'sso-required');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toContain('sso-required-error');
      expect(focusedIn(element)).toBe(input);
    });

    it('shows a refusal the server sends as a GraphQL error in the alert, keeping the draft', async () => {
      const message = "Confirm it's you: sign in again to make this change.";
      const element = await mountRequirement({
        SsoRequirement: requirement(true, ['usr_ada']),
        UpdateSsoRequirement: graphqlError('BAD_REQUEST', message),
      });
      byTestId(glass(element), 'sso-break-glass-remove-usr_ada').click();
      await settle(element);
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      expect(text(element, 'error-message')).toBe(message);
      expect(focusedIn(element)).toBe(byTestId(element, 'error-message'));
      expect(text(glass(element), 'sso-break-glass-none')).toBe('No break-glass admins.');
      expect(queryTestId(element, 'sso-requirement-saved')).toBeNull();
    });

    it('asks to confirm it’s you when answered ReauthenticationRequired, then saves', async () => {
      const element = await mountRequirement({
        SsoRequirement: requirement(true, ['usr_ada']),
        UpdateSsoRequirement: [
          {
            updateSsoRequirement: problem('ReauthenticationRequired', 'Sign in again.', {
              maxAgeSeconds: 300,
            }),
          },
          stored(true, []),
        ],
      });
      byTestId(glass(element), 'sso-break-glass-remove-usr_ada').click();
      await settle(element);
      byTestId(element, 'sso-requirement-save').click();
      await settle(element);
      const confirm = byTestId(element, 'reauthenticate');
      expect(confirm.getAttribute('return-to')).toBe('/ui/sso');
      expect(queryTestId(element, 'error-message')).toBeNull();
      confirm.dispatchEvent(new Event('tn-reauthenticated', { bubbles: true, composed: true }));
      await settle(element);
      expect(sentNamed(server, 'UpdateSsoRequirement')).toHaveLength(2);
      expect(text(glass(element), 'sso-break-glass-none')).toBe('No break-glass admins.');
      expect(queryTestId(element, 'sso-requirement-saved')).not.toBeNull();
    });
  });
});
