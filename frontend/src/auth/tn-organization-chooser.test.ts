import { beforeEach, describe, expect, it } from 'vitest';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  stubLocationAssign,
} from '../testing/fixture.js';
import { jsonResponse, sentRequest, stubFetch, stubPendingFetch } from '../testing/fetch-stub.js';
import type { TnOrganizationChooser } from './tn-organization-chooser.js';
import './tn-organization-chooser.js';

const organizations = {
  organizations: [
    { id: 'org_1', name: 'Coffee Roasters' },
    { id: 'org_2', name: 'Tea House' },
  ],
  joinable: [],
};

const joinable = [
  { id: 'org_3', name: 'Bakery Co-op' },
  { id: 'org_4', name: 'Juice Bar' },
];

/** Someone in no organization whose email's domain lets them join two. */
const onlyJoinable = { organizations: [], joinable };

beforeEach(() => setCsrfMeta());

async function mountLoaded(
  properties: Partial<TnOrganizationChooser> = {},
): Promise<TnOrganizationChooser> {
  const chooser = await mount('tn-organization-chooser', properties);
  await settle(chooser);
  return chooser;
}

function option(chooser: TnOrganizationChooser, id: string): HTMLButtonElement {
  return byTestId<HTMLButtonElement>(chooser, `org-option-${id}`);
}

function joinButton(chooser: TnOrganizationChooser, id: string): HTMLButtonElement {
  return byTestId<HTMLButtonElement>(chooser, `org-join-${id}`);
}

/** An option's name as a screen reader reads it: its initial and chevron are aria-hidden. */
function spokenName(button: HTMLElement): string {
  return [...button.childNodes]
    .filter((node) => node.nodeType === Node.TEXT_NODE || node.nodeType === Node.ELEMENT_NODE)
    .filter((node) => !(node instanceof Element && node.getAttribute('aria-hidden') === 'true'))
    .map((node) => node.textContent ?? '')
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function skipButton(chooser: TnOrganizationChooser): HTMLButtonElement {
  return byTestId<HTMLButtonElement>(chooser, 'org-skip');
}

describe('<tn-organization-chooser>', () => {
  describe('loading', () => {
    it('says it is loading until the organizations arrive', async () => {
      const { mock, resolve } = stubPendingFetch();
      const chooser = await mount('tn-organization-chooser');

      expect(byTestId(chooser, 'organizations-loading').getAttribute('role')).toBe('status');
      expect(sentRequest(mock).url).toBe('/a/auth/api/organizations');
      expect(sentRequest(mock).method).toBe('GET');

      resolve(jsonResponse(200, organizations));
      await settle(chooser);
      expect(queryTestId(chooser, 'organizations-loading')).toBeNull();
    });

    it('lists each organization as a button named after it', async () => {
      stubFetch(jsonResponse(200, organizations));
      const chooser = await mountLoaded();

      expect(chooser.shadowRoot!.querySelector('h2')?.textContent).toBe('Choose an organization');
      expect(option(chooser, 'org_1').localName).toBe('button');
      expect(spokenName(option(chooser, 'org_1'))).toBe('Coffee Roasters');
      expect(spokenName(option(chooser, 'org_2'))).toBe('Tea House');
    });

    it('says so when the person belongs to no organization and can join none', async () => {
      stubFetch(jsonResponse(200, { organizations: [], joinable: [] }));
      const chooser = await mountLoaded();

      expect(byTestId(chooser, 'no-organizations').textContent).toContain('not a member');
      expect(chooser.shadowRoot!.querySelector('.option, .skip')).toBeNull();
      expect(byTestId(chooser, 'use-another-account')).toBeTruthy();
    });

    it('shows a failed load in a focused alert and can try again', async () => {
      stubFetch(
        jsonResponse(401, { error: 'login_required', message: 'Sign in first.' }),
        jsonResponse(200, organizations),
      );
      const chooser = await mountLoaded();
      const alert = byTestId(chooser, 'error-message');

      expect(alert.textContent?.trim()).toBe('Sign in first.');
      expect(focusedIn(chooser)).toBe(alert);

      chooser.shadowRoot!.querySelector<HTMLButtonElement>('.retry')!.click();
      await settle(chooser);
      expect(option(chooser, 'org_2')).toBeTruthy();
    });

    it('focuses the first organization once loaded when focus was asked for early', async () => {
      const { resolve } = stubPendingFetch();
      const chooser = await mount('tn-organization-chooser');
      chooser.focus();
      resolve(jsonResponse(200, organizations));
      await settle(chooser);

      expect(focusedIn(chooser)).toBe(option(chooser, 'org_1'));
    });

    it('passes the accessibility checks', async () => {
      stubFetch(jsonResponse(200, organizations));
      await expectAccessible(await mountLoaded());
    });
  });

  describe('choices and the account', () => {
    it("draws each organization as a choice: its initial beside its name, and a chevron", async () => {
      stubFetch(jsonResponse(200, organizations));
      const chooser = await mountLoaded();
      const avatar = option(chooser, 'org_2').querySelector('.avatar')!;

      expect(avatar.textContent).toBe('T');
      expect(avatar.getAttribute('aria-hidden')).toBe('true');
      expect(option(chooser, 'org_2').querySelector('.chevron')?.getAttribute('aria-hidden')).toBe(
        'true',
      );
      expect(option(chooser, 'org_2').getAttribute('part')).toBe('option');
    });

    it('says whose account is signed in', async () => {
      stubFetch(jsonResponse(200, { ...organizations, email: 'tess@example.com' }));
      const chooser = await mountLoaded();

      expect(byTestId(chooser, 'signed-in-as').textContent?.replace(/\s+/g, ' ').trim()).toBe(
        'Signed in as tess@example.com',
      );
    });

    it('uses another account: ends the session, keeping the request, and goes to its location', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, { ...organizations, email: 'tess@example.com' }),
        jsonResponse(200, { location: '/a/auth/login?req=req-3' }),
      );
      const chooser = await mountLoaded({ req: 'req-3', returnTo: null });
      const another = byTestId<HTMLButtonElement>(chooser, 'use-another-account');

      expect(another.textContent?.trim()).toBe('Use another account');
      another.click();
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/switch-account');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ req: 'req-3' });
      expect(assign).toHaveBeenCalledWith('/a/auth/login?req=req-3');
    });

    it('offers another account even when the organizations failed to load', async () => {
      stubFetch(jsonResponse(500, { error: 'server_error', message: 'Something went wrong.' }));
      const chooser = await mountLoaded();

      expect(byTestId(chooser, 'use-another-account').hasAttribute('disabled')).toBe(false);
    });

    it('passes the accessibility checks with the account line', async () => {
      stubFetch(jsonResponse(200, { ...organizations, email: 'tess@example.com' }));
      await expectAccessible(await mountLoaded());
    });
  });

  describe('organizations they can join', () => {
    it('lists them under their own organizations, each as a Join button', async () => {
      stubFetch(jsonResponse(200, { ...organizations, joinable }));
      const chooser = await mountLoaded();
      const section = chooser.shadowRoot!.querySelector('section')!;

      expect(chooser.shadowRoot!.querySelector('ul')?.getAttribute('aria-label')).toBe(
        'Your organizations',
      );
      expect(spokenName(option(chooser, 'org_1'))).toBe('Coffee Roasters');
      expect(section.querySelector('h3')?.textContent).toBe('Organizations you can join');
      expect(section.textContent).toContain('Your email address lets you join these as a member.');
      expect(joinButton(chooser, 'org_3').localName).toBe('button');
      expect(spokenName(joinButton(chooser, 'org_3'))).toBe('Join Bakery Co-op');
      expect(spokenName(joinButton(chooser, 'org_4'))).toBe('Join Juice Bar');
      expect(queryTestId(chooser, 'no-organizations')).toBeNull();
    });

    it('offers to continue without joining only to someone in no organization', async () => {
      stubFetch(jsonResponse(200, { ...organizations, joinable }));
      const member = await mountLoaded();
      expect(queryTestId(member, 'org-skip')).toBeNull();

      stubFetch(jsonResponse(200, onlyJoinable));
      const newcomer = await mountLoaded();
      expect(newcomer.shadowRoot!.querySelector('ul[aria-label="Your organizations"]')).toBeNull();
      expect(skipButton(newcomer).textContent?.trim()).toBe('Continue without joining');
      expect(queryTestId(newcomer, 'no-organizations')).toBeNull();
    });

    it('focuses the first Join button once loaded when the person belongs to none', async () => {
      const { resolve } = stubPendingFetch();
      const chooser = await mount('tn-organization-chooser');
      chooser.focus();
      resolve(jsonResponse(200, onlyJoinable));
      await settle(chooser);

      expect(focusedIn(chooser)).toBe(joinButton(chooser, 'org_3'));
    });

    it('passes the accessibility checks with both lists', async () => {
      stubFetch(jsonResponse(200, { ...organizations, joinable }));
      await expectAccessible(await mountLoaded());
    });

    it('passes the accessibility checks with the skip button', async () => {
      stubFetch(jsonResponse(200, onlyJoinable));
      await expectAccessible(await mountLoaded());
    });
  });

  describe('choosing', () => {
    it('posts the organization and the pending request, then goes to the location', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, organizations),
        jsonResponse(200, { location: '/oauth/authorize?resume=2' }),
      );
      const chooser = await mountLoaded({ req: 'req-3', returnTo: '/portal' });
      option(chooser, 'org_2').click();
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/organization');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ organization_id: 'org_2', req: 'req-3', return_to: '/portal' });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize?resume=2');
    });

    it('disables every option and marks the chosen one busy while the request runs', async () => {
      stubFetch(jsonResponse(200, organizations));
      const chooser = await mountLoaded();
      const { resolve } = stubPendingFetch();
      option(chooser, 'org_1').click();
      await chooser.updateComplete;

      expect(option(chooser, 'org_1').disabled).toBe(true);
      expect(option(chooser, 'org_2').disabled).toBe(true);
      expect(option(chooser, 'org_1').getAttribute('aria-busy')).toBe('true');
      expect(option(chooser, 'org_2').getAttribute('aria-busy')).toBe('false');

      resolve(jsonResponse(403, { error: 'invalid_request', message: 'Not a member.' }));
      await settle(chooser);
      expect(option(chooser, 'org_1').disabled).toBe(false);
      expect(option(chooser, 'org_1').getAttribute('aria-busy')).toBe('false');
      expect(byTestId(chooser, 'error-message').textContent).toContain('Not a member.');
      expect(focusedIn(chooser)).toBe(byTestId(chooser, 'error-message'));
    });

    it('offers to sign in again when the session ended', async () => {
      stubFetch(
        jsonResponse(200, organizations),
        jsonResponse(401, { error: 'login_required', message: 'Your session ended.' }),
      );
      const chooser = await mountLoaded({ req: 'req-3' });
      option(chooser, 'org_1').click();
      await settle(chooser);

      expect(byTestId(chooser, 'error-message').querySelector('a')?.getAttribute('href')).toBe(
        '/a/auth/login?req=req-3',
      );
    });
  });

  describe('joining', () => {
    it('posts the organization with join and the pending request, then goes on', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, onlyJoinable),
        jsonResponse(200, { location: '/oauth/authorize/resume?req=joined' }),
      );
      const chooser = await mountLoaded({ req: 'req-3', returnTo: '/portal' });
      joinButton(chooser, 'org_4').click();
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/organization');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({
        organization_id: 'org_4',
        join: true,
        req: 'req-3',
        return_to: '/portal',
      });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/resume?req=joined');
    });

    it('disables every button and marks the joined one busy while the request runs', async () => {
      stubFetch(jsonResponse(200, { ...organizations, joinable }));
      const chooser = await mountLoaded();
      stubPendingFetch();
      joinButton(chooser, 'org_3').click();
      await chooser.updateComplete;

      expect(joinButton(chooser, 'org_3').getAttribute('aria-busy')).toBe('true');
      expect(joinButton(chooser, 'org_4').getAttribute('aria-busy')).toBe('false');
      expect(option(chooser, 'org_1').getAttribute('aria-busy')).toBe('false');
      expect(joinButton(chooser, 'org_4').disabled).toBe(true);
      expect(option(chooser, 'org_1').disabled).toBe(true);
    });

    it('shows a refused join in the focused alert and lets them try again', async () => {
      stubFetch(
        jsonResponse(200, onlyJoinable),
        jsonResponse(403, {
          error: 'not_allowed',
          message: 'Your email address does not let you join that organization.',
        }),
      );
      const chooser = await mountLoaded();
      joinButton(chooser, 'org_3').click();
      await settle(chooser);

      const alert = byTestId(chooser, 'error-message');
      expect(alert.textContent?.trim()).toBe(
        'Your email address does not let you join that organization.',
      );
      expect(focusedIn(chooser)).toBe(alert);
      expect(joinButton(chooser, 'org_3').disabled).toBe(false);
      expect(joinButton(chooser, 'org_3').getAttribute('aria-busy')).toBe('false');
      expect(skipButton(chooser).disabled).toBe(false);
    });
  });

  describe('invitations', () => {
    const invitation = {
      id: 'inv_1',
      organization: { id: 'org_9', name: 'Harbour Bakery' },
      role: 'Member',
    };
    const invited = { organizations: [], joinable: [], invitations: [invitation] };

    function acceptButton(chooser: TnOrganizationChooser): HTMLButtonElement {
      return byTestId<HTMLButtonElement>(chooser, 'invitation-accept-inv_1');
    }

    function declineButton(chooser: TnOrganizationChooser): HTMLButtonElement {
      return byTestId<HTMLButtonElement>(chooser, 'invitation-decline-inv_1');
    }

    it('names the inviting organization and the role, with Accept and Decline buttons', async () => {
      stubFetch(jsonResponse(200, { ...organizations, invitations: [invitation] }));
      const chooser = await mountLoaded();
      const section = chooser.shadowRoot!.querySelector('section.invitations')!;

      expect(section.querySelector('h3')?.textContent).toBe('Invitations');
      expect(byTestId(chooser, 'invitation-inv_1').textContent).toMatch(
        /Harbour Bakery\s+invites you to join as\s+Member\./,
      );
      expect(acceptButton(chooser).textContent?.trim()).toBe('Accept');
      expect(acceptButton(chooser).getAttribute('aria-label')).toBe(
        'Accept the invitation to Harbour Bakery',
      );
      expect(declineButton(chooser).getAttribute('aria-label')).toBe(
        'Decline the invitation to Harbour Bakery',
      );
      expect(option(chooser, 'org_1')).toBeTruthy();
    });

    it('focuses the first invitation once loaded, so the keyboard meets it first', async () => {
      const { resolve } = stubPendingFetch();
      const chooser = await mount('tn-organization-chooser');
      chooser.focus();
      resolve(jsonResponse(200, { ...organizations, invitations: [invitation] }));
      await settle(chooser);

      expect(focusedIn(chooser)).toBe(acceptButton(chooser));
    });

    it('accepts: posts the invitation and the pending request, then goes on', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, invited),
        jsonResponse(200, { location: '/oauth/authorize/resume?req=accepted' }),
      );
      const chooser = await mountLoaded({ req: 'req-3', returnTo: '/portal' });
      acceptButton(chooser).click();
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/organization');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({
        accept_invitation: 'inv_1',
        req: 'req-3',
        return_to: '/portal',
      });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/resume?req=accepted');
    });

    it('declines: posts the invitation, announces it, reloads and offers to continue', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, invited),
        jsonResponse(200, { declined: 'inv_1' }),
        jsonResponse(200, { organizations: [], joinable: [], invitations: [] }),
      );
      const chooser = await mountLoaded({ req: 'req-3' });
      declineButton(chooser).click();
      await settle(chooser);
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/invitation/decline');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ invitation_id: 'inv_1' });
      expect(sentRequest(fetch, 2).url).toBe('/a/auth/api/organizations');
      expect(assign).not.toHaveBeenCalled();
      const status = byTestId(chooser, 'invitation-status');
      expect(status.getAttribute('role')).toBe('status');
      expect(status.textContent?.trim()).toBe('You declined the invitation to Harbour Bakery.');
      expect(queryTestId(chooser, 'invitation-inv_1')).toBeNull();
      expect(skipButton(chooser).textContent?.trim()).toBe('Continue');
      expect(focusedIn(chooser)).toBe(skipButton(chooser));
    });

    it('offers someone in no organization to go on without accepting', async () => {
      stubFetch(jsonResponse(200, invited));
      const chooser = await mountLoaded();

      expect(skipButton(chooser).textContent?.trim()).toBe('Continue without accepting');
    });

    it('shows a refused answer in the focused alert and keeps the buttons usable', async () => {
      stubFetch(
        jsonResponse(200, invited),
        jsonResponse(400, {
          error: 'invitation_not_found',
          message: 'This invitation is no longer open. It may have been withdrawn.',
        }),
      );
      const chooser = await mountLoaded();
      declineButton(chooser).click();
      await settle(chooser);

      const alert = byTestId(chooser, 'error-message');
      expect(alert.textContent?.trim()).toBe(
        'This invitation is no longer open. It may have been withdrawn.',
      );
      expect(focusedIn(chooser)).toBe(alert);
      expect(declineButton(chooser).disabled).toBe(false);
      expect(declineButton(chooser).getAttribute('aria-busy')).toBe('false');
    });

    it('passes the accessibility checks', async () => {
      stubFetch(jsonResponse(200, { ...organizations, joinable, invitations: [invitation] }));
      await expectAccessible(await mountLoaded());
    });
  });

  describe('continuing without joining', () => {
    it('posts skip and the pending request, without an organization, then goes on', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, onlyJoinable),
        jsonResponse(200, { location: '/oauth/authorize/resume?req=skipped' }),
      );
      const chooser = await mountLoaded({ req: 'req-3' });
      skipButton(chooser).click();
      await settle(chooser);

      const request = sentRequest(fetch, 1);
      expect(request.url).toBe('/a/auth/api/organization');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ skip: true, req: 'req-3' });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/resume?req=skipped');
    });

    it('marks the skip button busy and disables the Join buttons while it runs', async () => {
      stubFetch(jsonResponse(200, onlyJoinable));
      const chooser = await mountLoaded();
      stubPendingFetch();
      skipButton(chooser).click();
      await chooser.updateComplete;

      expect(skipButton(chooser).getAttribute('aria-busy')).toBe('true');
      expect(skipButton(chooser).disabled).toBe(true);
      expect(joinButton(chooser, 'org_3').getAttribute('aria-busy')).toBe('false');
      expect(joinButton(chooser, 'org_3').disabled).toBe(true);
    });
  });
});
