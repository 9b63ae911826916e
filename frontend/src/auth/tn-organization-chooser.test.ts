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
};

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
      expect(option(chooser, 'org_1').textContent?.trim()).toBe('Coffee Roasters');
      expect(option(chooser, 'org_2').textContent?.trim()).toBe('Tea House');
    });

    it('says so when the person belongs to no organization', async () => {
      stubFetch(jsonResponse(200, { organizations: [] }));
      const chooser = await mountLoaded();

      expect(byTestId(chooser, 'no-organizations').textContent).toContain('not a member');
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
});
