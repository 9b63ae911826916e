import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
} from '../testing/fixture.js';
import { graphqlError, sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import {
  ada,
  connection,
  membersData,
  passkey,
  problem,
  session,
  sessionPolicy,
  viewer,
  viewerData as wireViewer,
} from '../testing/portal-data.js';
import { PAGE_LOADERS } from './page-loaders.js';
import type { Viewer } from './portal-api.js';
import type SlMenuItem from '@shoelace-style/shoelace/dist/components/menu-item/menu-item.js';
import type { TnPortal } from './tn-portal.js';
import './tn-portal.js';

const SHELL_TOKEN = 'RANDOM';
const settings = { id: 'org_1', name: 'Coffee Roasters', allowedEmailDomains: [] };
const thisSession = session('ses_here', { current: true });
const twoOrganizations = [
  { id: 'org_1', name: 'Coffee Roasters' },
  { id: 'org_2', name: 'Tea House' },
];

/** Writes what the server renders at /ui/: the CSRF meta, #tn-config, and the address. */
function renderShell(path: string, config: Record<string, unknown> = {}): void {
  setCsrfMeta(SHELL_TOKEN);
  const script = document.createElement('script');
  script.type = 'application/json';
  script.id = 'tn-config';
  script.textContent = JSON.stringify({
    appName: 'Coffee Desk',
    logoUrl: null,
    logoutUrl: '/ui/logout',
    ...config,
  });
  document.body.append(script);
  window.history.replaceState(null, '', path);
}

async function mountPortal(
  path: string,
  viewerData: Viewer = viewer(),
  answers: Record<string, Answer | Answer[]> = {},
  config: Record<string, unknown> = {},
) {
  const fetch = stubGraphQL({
    Viewer: { viewer: wireViewer(viewerData) },
    OrganizationSettings: { organization: settings },
    Members: membersData(),
    Profile: { viewer: { user: ada } },
    Sessions: { viewer: { sessions: connection([thisSession]) } },
    Passkeys: {
      viewer: { user: { id: ada.id, email: ada.email }, passkeys: connection([passkey('pk_1')]) },
    },
    ...answers,
  });
  renderShell(path, config);
  const portal = await mount('tn-portal');
  await settle(portal);
  return { portal, fetch };
}

function navLinks(portal: TnPortal): string[] {
  return [...portal.shadowRoot!.querySelectorAll('nav a')].map((link) =>
    link.getAttribute('data-testid')!,
  );
}

/** A button's text as assistive technology reads it: its content, without what is aria-hidden. */
function accessibleText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim().replace(' .', '.');
}

/** What Shoelace's menu does when an item is clicked or chosen with Enter. */
function choose(item: HTMLElement): void {
  item.closest('sl-menu')!.dispatchEvent(
    new CustomEvent('sl-select', { detail: { item }, bubbles: true, composed: true }),
  );
}

function heading(portal: TnPortal): string {
  return byTestId(portal, 'page-heading').textContent.trim();
}

function page(portal: TnPortal): Element | null {
  return portal.shadowRoot!.querySelector(
    'main > :is(tn-organization-settings, tn-members, tn-profile, tn-security)',
  );
}

// Pages load lazily (page-loaders.test.ts covers that); loaded once here, each shows at once.
beforeAll(() => Promise.all(Object.values(PAGE_LOADERS).map((load) => load())));

beforeEach(() => {
  window.sessionStorage.clear();
  vi.spyOn(window.location, 'reload').mockImplementation(() => undefined);
});

describe('<tn-portal>', () => {
  describe('the header', () => {
    it('names the app, the active organization and the signed-in person', async () => {
      const { portal } = await mountPortal('/ui/profile');

      expect(portal.shadowRoot!.querySelector('[part="app-name"]')?.textContent).toBe(
        'Coffee Desk',
      );
      expect(byTestId(portal, 'active-organization').textContent).toContain('Coffee Roasters');
      expect(byTestId(portal, 'user-name').textContent).toBe('Ada Lovelace');
      expect(queryTestId(portal, 'org-switcher')).toBeNull();
    });

    it("shows the app's logo, with its name as the text alternative", async () => {
      const { portal } = await mountPortal(
        '/ui/profile',
        viewer(),
        {},
        { logoUrl: '/a/branding/logo.png' },
      );
      const logo = portal.shadowRoot!.querySelector('img')!;

      expect(logo.getAttribute('src')).toBe('/a/branding/logo.png');
      expect(logo.alt).toBe('Coffee Desk');
    });

    it('signs out from the account menu by posting a form with the CSRF token to the logout URL', async () => {
      const { portal } = await mountPortal('/ui/profile');
      const item = byTestId(portal, 'sign-out');
      const submitted: HTMLFormElement[] = [];
      portal.shadowRoot!.addEventListener('submit', (event) => {
        event.preventDefault();
        submitted.push(event.target as HTMLFormElement);
      });
      choose(item);

      expect(item.textContent?.trim()).toBe('Sign out');
      expect(accessibleText(byTestId(portal, 'account-menu'))).toBe('Account: Ada Lovelace');
      expect(submitted).toHaveLength(1);
      const [form] = submitted;
      expect(form.method).toBe('post');
      expect(form.getAttribute('action')).toBe('/ui/logout');
      expect(
        form.querySelector<HTMLInputElement>('input[type="hidden"][name="csrf_token"]')?.value,
      ).toBe(SHELL_TOKEN);
    });

    it('offers Sign out as a plain button while the viewer cannot be loaded', async () => {
      const { portal } = await mountPortal('/ui/profile', viewer(), {
        Viewer: graphqlError('Service unavailable'),
      });
      const button = byTestId<HTMLButtonElement>(portal, 'sign-out');

      expect(button.type).toBe('submit');
      expect(button.form!.getAttribute('action')).toBe('/ui/logout');
    });

    it('opens Profile from the account menu', async () => {
      const { portal } = await mountPortal('/ui/organization');
      choose(byTestId(portal, 'account-profile'));
      await settle(portal);

      expect(window.location.pathname).toBe('/ui/profile');
      expect(heading(portal)).toBe('Profile');
    });

    it('starts with a skip link to the page heading', async () => {
      const { portal } = await mountPortal('/ui/profile');
      const skip = byTestId<HTMLAnchorElement>(portal, 'skip-link');

      expect(portal.shadowRoot!.querySelector('a, button')).toBe(skip);
      skip.click();
      expect(focusedIn(portal)).toBe(byTestId(portal, 'page-heading'));
    });

    it('passes the accessibility checks', async () => {
      const { portal } = await mountPortal(
        '/ui/organization',
        viewer({ organizations: twoOrganizations }),
      );
      await expectAccessible(portal);
    });
  });

  describe('navigation', () => {
    it('links to every page the viewer may use, and to nothing that does not exist yet', async () => {
      const { portal } = await mountPortal('/ui/profile');

      expect(navLinks(portal)).toEqual([
        'nav-organization',
        'nav-members',
        'nav-profile',
        'nav-security',
      ]);
      expect(byTestId(portal, 'nav-members').getAttribute('href')).toBe('/ui/members');
    });

    it.each([
      [['sk_org_users_read'], ['nav-members', 'nav-profile', 'nav-security']],
      [['sk_org_settings_read'], ['nav-organization', 'nav-profile', 'nav-security']],
      [[], ['nav-profile', 'nav-security']],
    ])('with %j shows %j', async (permissions, links) => {
      const { portal } = await mountPortal('/ui/profile', viewer({ permissions }));

      expect(navLinks(portal)).toEqual(links);
    });

    it('opens /ui/ on the first page the viewer may use, replacing the address', async () => {
      const { portal } = await mountPortal('/ui/', viewer({ permissions: ['sk_org_users_read'] }));

      expect(window.location.pathname).toBe('/ui/members');
      expect(heading(portal)).toBe('Members');
      expect(page(portal)?.localName).toBe('tn-members');
      expect(byTestId(portal, 'nav-members').getAttribute('aria-current')).toBe('page');
      expect(document.title).toBe('Members · Coffee Desk · Account');
    });

    it('leads away from a page the viewer may not use', async () => {
      const { portal } = await mountPortal('/ui/organization', viewer({ permissions: [] }));

      expect(window.location.pathname).toBe('/ui/profile');
      expect(page(portal)?.localName).toBe('tn-profile');
    });

    it('hands each page the organization, the permissions and the viewer', async () => {
      const { portal } = await mountPortal('/ui/members');
      const members = portal.shadowRoot!.querySelector('tn-members')!;

      expect(members.organizationId).toBe('org_1');
      expect(members.viewerId).toBe('usr_ada');
      expect(members.permissions).toContain('sk_org_users_delete');
    });

    it('moves between pages without reloading, and focuses the new heading', async () => {
      const { portal } = await mountPortal('/ui/organization');
      const link = byTestId(portal, 'nav-members');
      const click = new MouseEvent('click', {
        bubbles: true,
        cancelable: true,
        composed: true,
        button: 0,
      });
      link.dispatchEvent(click);
      await settle(portal);

      expect(click.defaultPrevented).toBe(true);
      expect(window.location.pathname).toBe('/ui/members');
      expect(page(portal)?.localName).toBe('tn-members');
      expect(focusedIn(portal)).toBe(byTestId(portal, 'page-heading'));
      expect(heading(portal)).toBe('Members');
    });

    it('leaves a modified click to the browser, such as opening a new tab', async () => {
      const { portal } = await mountPortal('/ui/organization');
      const click = new MouseEvent('click', {
        bubbles: true,
        cancelable: true,
        composed: true,
        ctrlKey: true,
      });
      byTestId(portal, 'nav-members').dispatchEvent(click);

      expect(click.defaultPrevented).toBe(false);
    });

    it('shows the Security page, after Profile, to every signed-in person', async () => {
      const { portal } = await mountPortal('/ui/security', viewer({ permissions: [] }));

      expect(window.location.pathname).toBe('/ui/security');
      expect(heading(portal)).toBe('Security');
      expect(page(portal)?.localName).toBe('tn-security');
      expect(portal.shadowRoot!.querySelector('main > tn-passkeys + tn-security')).not.toBeNull();
      expect(byTestId(portal, 'nav-security').getAttribute('href')).toBe('/ui/security');
      expect(byTestId(portal, 'nav-security').getAttribute('aria-current')).toBe('page');
      expect(document.title).toBe('Security · Coffee Desk · Account');
    });

    describe('Session policy', () => {
      const policyReader = viewer({
        permissions: ['sk_org_settings_read', 'sk_org_users_read', 'sk_org_session_policy_read'],
        features: ['SESSION_POLICY'],
      });
      const policyAnswer = {
        SessionPolicy: {
          viewer: { organization: { id: 'org_1', sessionPolicy: sessionPolicy() } },
        },
      };

      it('is offered after Members with its permission and the organization\'s feature', async () => {
        const { portal } = await mountPortal('/ui/session-policy', policyReader, policyAnswer);

        expect(navLinks(portal)).toEqual([
          'nav-organization',
          'nav-members',
          'nav-session-policy',
          'nav-profile',
          'nav-security',
        ]);
        expect(byTestId(portal, 'nav-session-policy').getAttribute('href')).toBe('/ui/session-policy');
        expect(heading(portal)).toBe('Session policy');
        const policy = portal.shadowRoot!.querySelector('tn-session-policy')!;
        expect(policy.organizationId).toBe('org_1');
        expect(policy.permissions).toEqual([...policyReader.permissions].sort());
      });

      it('is hidden when the organization lacks the feature', async () => {
        const { portal } = await mountPortal('/ui/session-policy', { ...policyReader, features: [] });

        expect(navLinks(portal)).not.toContain('nav-session-policy');
        expect(window.location.pathname).toBe('/ui/organization');
      });

      it('is offered with only sk_org_session_policy_read: no unrelated permission', async () => {
        const { portal, fetch } = await mountPortal(
          '/ui/session-policy',
          viewer({ permissions: ['sk_org_session_policy_read'], features: ['SESSION_POLICY'] }),
          policyAnswer,
        );

        expect(navLinks(portal)).toEqual(['nav-session-policy', 'nav-profile', 'nav-security']);
        expect(heading(portal)).toBe('Session policy');
        expect(sentNamed(fetch, 'SessionPolicy')).toHaveLength(1);
      });

      it('is offered, and editable, with only sk_org_session_policy_manage', async () => {
        const { portal } = await mountPortal(
          '/ui/session-policy',
          viewer({ permissions: ['sk_org_session_policy_manage'], features: ['SESSION_POLICY'] }),
          policyAnswer,
        );

        expect(navLinks(portal)).toEqual(['nav-session-policy', 'nav-profile', 'nav-security']);
        const policy = portal.shadowRoot!.querySelector('tn-session-policy')!;
        expect(policy.permissions).toEqual([
          'sk_org_session_policy_manage',
          'sk_org_session_policy_read',
        ]);
      });

      it('is hidden without its own permission, whatever else the viewer holds', async () => {
        const { portal } = await mountPortal(
          '/ui/session-policy',
          viewer({ permissions: ['sk_org_settings_manage'], features: ['SESSION_POLICY'] }),
        );

        expect(navLinks(portal)).not.toContain('nav-session-policy');
        expect(navLinks(portal)).toContain('nav-organization');
      });
    });

    describe('Domains', () => {
      const reader = viewer({
        permissions: ['sk_org_settings_read', 'sk_org_users_read'],
        features: ['DOMAIN_VERIFICATION'],
      });
      const domainsAnswer = { Domains: { organization: { id: 'org_1', domains: connection([]) } } };

      it('is offered after Organization with sk_org_settings_read and the feature', async () => {
        const { portal } = await mountPortal('/ui/domains', reader, domainsAnswer);

        expect(navLinks(portal)).toEqual([
          'nav-organization',
          'nav-domains',
          'nav-members',
          'nav-profile',
          'nav-security',
        ]);
        expect(byTestId(portal, 'nav-domains').getAttribute('href')).toBe('/ui/domains');
        expect(heading(portal)).toBe('Domains');
        const domains = portal.shadowRoot!.querySelector('tn-domains')!;
        expect(domains.organizationId).toBe('org_1');
        expect(domains.permissions).toEqual(reader.permissions);
      });

      it('is hidden when the organization lacks the feature', async () => {
        const { portal } = await mountPortal('/ui/domains', { ...reader, features: [] });

        expect(navLinks(portal)).not.toContain('nav-domains');
        expect(window.location.pathname).toBe('/ui/organization');
      });
    });

    describe('Single sign-on', () => {
      const reader = viewer({
        permissions: ['sk_org_settings_read', 'sk_org_sso_read'],
        features: ['SSO'],
      });
      const ssoAnswer = {
        Connections: { organization: { id: 'org_1', connections: connection([]) }, roles: [] },
      };

      it('is offered with sk_org_sso_read and the SSO feature, with the viewer’s email', async () => {
        const { portal } = await mountPortal('/ui/sso', reader, ssoAnswer);

        expect(navLinks(portal)).toEqual(['nav-organization', 'nav-sso', 'nav-profile', 'nav-security']);
        expect(byTestId(portal, 'nav-sso').getAttribute('href')).toBe('/ui/sso');
        expect(heading(portal)).toBe('Single sign-on');
        const sso = portal.shadowRoot!.querySelector('tn-sso-connections')!;
        expect(sso.organizationId).toBe('org_1');
        expect(sso.permissions).toEqual(reader.permissions);
        expect(sso.email).toBe('ada@example.com');
      });

      it('is hidden without sk_org_sso_read, or without the feature', async () => {
        const member = viewer({ permissions: ['sk_org_settings_read'], features: ['SSO'] });
        const { portal } = await mountPortal('/ui/sso', member);
        expect(navLinks(portal)).not.toContain('nav-sso');
        expect(window.location.pathname).toBe('/ui/organization');

        const unentitled = await mountPortal('/ui/sso', { ...reader, features: [] });
        expect(navLinks(unentitled.portal)).not.toContain('nav-sso');
      });
    });

    describe('Directory sync', () => {
      const reader = viewer({
        permissions: ['sk_org_settings_read', 'sk_org_scim_read'],
        features: ['SCIM'],
      });
      const scimAnswer = {
        Directories: { viewer: { organization: { id: 'org_1', directories: connection([]) } }, roles: [] },
      };

      it('is offered with sk_org_scim_read and the SCIM feature, with the viewer’s email', async () => {
        const { portal } = await mountPortal('/ui/scim', reader, scimAnswer);

        expect(navLinks(portal)).toEqual(['nav-organization', 'nav-scim', 'nav-profile', 'nav-security']);
        expect(byTestId(portal, 'nav-scim').getAttribute('href')).toBe('/ui/scim');
        expect(heading(portal)).toBe('Directory sync');
        const scim = portal.shadowRoot!.querySelector('tn-scim-directories')!;
        expect(scim.organizationId).toBe('org_1');
        expect(scim.permissions).toEqual([...reader.permissions].sort());
        expect(scim.email).toBe('ada@example.com');
      });

      it('tells someone without sk_org_scim_read they lack access, at its own address', async () => {
        const member = viewer({ permissions: ['sk_org_settings_read'], features: ['SCIM'] });
        const { portal, fetch } = await mountPortal('/ui/scim', member);

        expect(navLinks(portal)).not.toContain('nav-scim');
        expect(window.location.pathname).toBe('/ui/scim');
        expect(heading(portal)).toBe('Directory sync');
        expect(byTestId(portal, 'page-denied').textContent).toContain("You don't have access to Directory sync");
        expect(portal.shadowRoot!.querySelector('tn-scim-directories')).toBeNull();
        expect(sentNamed(fetch, 'Directories')).toHaveLength(0);

        const unentitled = await mountPortal('/ui/scim', { ...reader, features: [] });
        expect(navLinks(unentitled.portal)).not.toContain('nav-scim');
        expect(byTestId(unentitled.portal, 'page-denied').textContent).toContain('not available for this organization');
      });
    });

    it('follows Back and Forward', async () => {
      const { portal } = await mountPortal('/ui/organization');
      window.history.pushState(null, '', '/ui/profile');
      window.dispatchEvent(new PopStateEvent('popstate'));
      await settle(portal);

      expect(page(portal)?.localName).toBe('tn-profile');
    });
  });

  describe('on a phone', () => {
    const happyDOM = () => (window as unknown as { happyDOM: { setViewport(size: object): void } }).happyDOM;
    beforeEach(() => happyDOM().setViewport({ width: 360, height: 740 }));
    afterEach(() => happyDOM().setViewport({ width: 1024, height: 768 }));

    it('puts the navigation and the organizations in a drawer behind a Menu button', async () => {
      const { portal } = await mountPortal('/ui/profile', viewer({ organizations: twoOrganizations }));
      const menu = byTestId<HTMLButtonElement>(portal, 'nav-menu');
      const drawer = portal.shadowRoot!.querySelector('sl-drawer')!;

      expect(menu.getAttribute('aria-label')).toBe('Menu');
      expect(menu.getAttribute('aria-controls')).toBe(drawer.id);
      expect(menu.getAttribute('aria-expanded')).toBe('false');
      expect(drawer.querySelector('nav')).not.toBeNull();
      expect(drawer.querySelector('[data-testid="org-switcher"]')).not.toBeNull();
      expect(portal.shadowRoot!.querySelectorAll('nav')).toHaveLength(1);
      expect(portal.shadowRoot!.querySelector('.bar [data-testid="org-switcher"]')).toBeNull();
    });
  });

  describe('switching organization', () => {
    const teaHouse = viewer({
      organization: { id: 'org_2' },
      organizations: twoOrganizations,
      permissions: ['sk_org_settings_read', 'sk_org_users_read'],
    });

    it('offers a menu of organizations, never a select that a stray arrow key would switch', async () => {
      const { portal } = await mountPortal(
        '/ui/profile',
        viewer({ organizations: twoOrganizations }),
      );
      const switcher = byTestId<HTMLButtonElement>(portal, 'org-switcher');
      const items = [...portal.shadowRoot!.querySelectorAll<SlMenuItem>('sl-dropdown.org sl-menu-item')];

      expect(portal.shadowRoot!.querySelector('select')).toBeNull();
      // named by its own text (WCAG 2.5.3: the visible name is in the accessible one)
      expect(switcher.hasAttribute('aria-label')).toBe(false);
      expect(accessibleText(switcher)).toBe('Organization: Coffee Roasters. Switch organization');
      expect(items.map((item) => item.textContent.trim())).toEqual(['Coffee Roasters', 'Tea House']);
      expect(items.map((item) => item.checked)).toEqual([true, false]);
    });

    it('stays put when the active organization is chosen again', async () => {
      const { portal, fetch } = await mountPortal(
        '/ui/profile',
        viewer({ organizations: twoOrganizations }),
      );
      choose(byTestId(portal, 'org-option-org_1'));
      await settle(portal);

      expect(sentNamed(fetch, 'SwitchOrganization')).toEqual([]);
    });

    it('switches, then loads the page again for the new organization', async () => {
      const { portal, fetch } = await mountPortal(
        '/ui/organization',
        viewer({ organizations: twoOrganizations }),
        {
          SwitchOrganization: {
            switchOrganization: { __typename: 'Viewer', ...wireViewer(teaHouse) },
          },
          OrganizationSettings: (variables) => ({
            organization: { ...settings, id: variables.organizationId },
          }),
        },
      );
      choose(byTestId(portal, 'org-option-org_2'));
      await settle(portal);
      await settle(page(portal)!);

      expect(sentNamed(fetch, 'SwitchOrganization')[0].variables).toEqual({
        organizationId: 'org_2',
      });
      expect(
        sentNamed(fetch, 'OrganizationSettings').map((sent) => sent.variables.organizationId),
      ).toEqual(['org_1', 'org_2']);
      expect(portal.shadowRoot!.querySelector('tn-organization-settings')!.permissions).toEqual(
        teaHouse.permissions,
      );
      expect(byTestId(portal, 'portal-status').textContent).toBe('Switched to Tea House.');
      expect(focusedIn(portal)).toBe(byTestId(portal, 'org-switcher'));
    });

    it('leaves a page the new organization does not allow', async () => {
      const { portal } = await mountPortal(
        '/ui/members',
        viewer({ organizations: twoOrganizations }),
        {
          SwitchOrganization: {
            switchOrganization: {
              __typename: 'Viewer',
              ...wireViewer(teaHouse),
              permissions: ['sk_org_settings_read'],
            },
          },
        },
      );
      choose(byTestId(portal, 'org-option-org_2'));
      await settle(portal);

      expect(window.location.pathname).toBe('/ui/organization');
      expect(navLinks(portal)).toEqual(['nav-organization', 'nav-profile', 'nav-security']);
    });

    it('shows a problem in a focused alert and keeps the organization', async () => {
      const { portal } = await mountPortal(
        '/ui/profile',
        viewer({ organizations: twoOrganizations }),
        {
          SwitchOrganization: {
            switchOrganization: problem(
              'InvalidInput',
              'You are not a member of that organization.',
              {
                field: 'organizationId',
              },
            ),
          },
        },
      );
      choose(byTestId(portal, 'org-option-org_2'));
      await settle(portal);

      const alert = byTestId(portal, 'error-message');
      expect(alert.textContent).toContain('You are not a member of that organization.');
      expect(focusedIn(portal)).toBe(alert);
      expect(byTestId(portal, 'active-organization').textContent).toBe('Coffee Roasters');
    });
  });

  describe('keeping the header current', () => {
    it('shows the new name once the profile is saved', async () => {
      const { portal } = await mountPortal('/ui/profile');
      page(portal)!.dispatchEvent(
        new CustomEvent('tn-profile-updated', {
          detail: { ...ada, name: 'Augusta Lovelace' },
          bubbles: true,
          composed: true,
        }),
      );
      await settle(portal);

      expect(byTestId(portal, 'user-name').textContent).toBe('Augusta Lovelace');
    });

    it('shows the new organization name once the settings are saved', async () => {
      const { portal } = await mountPortal('/ui/organization');
      page(portal)!.dispatchEvent(
        new CustomEvent('tn-organization-updated', {
          detail: { ...settings, name: 'Coffee & Tea' },
          bubbles: true,
          composed: true,
        }),
      );
      await settle(portal);

      expect(byTestId(portal, 'active-organization').textContent).toContain('Coffee & Tea');
    });
  });

  describe('loading the viewer', () => {
    it('reloads the page when the session has ended, so the server asks to sign in', async () => {
      await mountPortal('/ui/', viewer(), {
        Viewer: graphqlError('UNAUTHENTICATED', 'Sign in to use this.'),
      });

      expect(window.location.reload).toHaveBeenCalled();
    });

    it('shows a failed load and can try again', async () => {
      const { portal } = await mountPortal('/ui/profile', viewer(), {
        Viewer: [graphqlError('BAD_REQUEST', 'Try later.'), { viewer: wireViewer(viewer()) }],
      });
      expect(byTestId(portal, 'error-message').textContent).toContain('Try later.');
      expect(navLinks(portal)).toEqual([]);

      portal.shadowRoot!.querySelector<HTMLButtonElement>('main button')!.click();
      await settle(portal);
      expect(page(portal)?.localName).toBe('tn-profile');
    });
  });
});
