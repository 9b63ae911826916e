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
  typeInto,
} from '../testing/fixture.js';
import { jsonResponse, sentRequest, stubFetch, stubPendingFetch } from '../testing/fetch-stub.js';
import { NAME_MESSAGES } from './name-fields.js';
import type { TnProfileStep } from './tn-profile-step.js';
import './tn-profile-step.js';

beforeEach(() => setCsrfMeta());

async function fillAndSubmit(step: TnProfileStep, first: string, last: string): Promise<void> {
  typeInto(byTestId(step, 'first-name-input'), first);
  typeInto(byTestId(step, 'last-name-input'), last);
  byTestId<HTMLButtonElement>(step, 'profile-submit').click();
  await settle(step);
}

describe('<tn-profile-step>', () => {
  describe('rendering', () => {
    it('asks for first and last name with visible labels', async () => {
      const step = await mount('tn-profile-step');
      const first = byTestId<HTMLInputElement>(step, 'first-name-input');
      const last = byTestId<HTMLInputElement>(step, 'last-name-input');

      expect(step.shadowRoot!.querySelector(`label[for="${first.id}"]`)?.textContent).toBe(
        'First name',
      );
      expect(step.shadowRoot!.querySelector(`label[for="${last.id}"]`)?.textContent).toBe(
        'Last name',
      );
      expect(first.autocomplete).toBe('given-name');
      expect(last.autocomplete).toBe('family-name');
    });

    it('focuses the first name when asked to', async () => {
      const step = await mount('tn-profile-step');
      step.focus();

      expect(focusedIn(step)).toBe(byTestId(step, 'first-name-input'));
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mount('tn-profile-step'));
    });
  });

  describe('validation', () => {
    it('asks for both names without calling the server', async () => {
      const fetch = stubFetch();
      const step = await mount('tn-profile-step');
      await fillAndSubmit(step, ' ', '');

      expect(byTestId(step, 'first-name-error').textContent?.trim()).toBe(NAME_MESSAGES.firstName);
      expect(byTestId(step, 'last-name-error').textContent?.trim()).toBe(NAME_MESSAGES.lastName);
      expect(focusedIn(step)).toBe(byTestId(step, 'first-name-input'));
      expect(fetch).not.toHaveBeenCalled();
    });
  });

  describe('saving', () => {
    it('posts the trimmed names and the pending request, then goes to the location', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(jsonResponse(200, { location: '/oauth/authorize?resume=1' }));
      const step = await mount('tn-profile-step', { req: 'req-9', returnTo: null });
      await fillAndSubmit(step, ' Ada ', 'Lovelace ');

      const request = sentRequest(fetch);
      expect(request.url).toBe('/a/auth/api/profile');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ first_name: 'Ada', last_name: 'Lovelace', req: 'req-9' });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize?resume=1');
    });

    it('disables the button and marks it busy while saving', async () => {
      const { resolve } = stubPendingFetch();
      const step = await mount('tn-profile-step');
      typeInto(byTestId(step, 'first-name-input'), 'Ada');
      typeInto(byTestId(step, 'last-name-input'), 'Lovelace');
      byTestId<HTMLButtonElement>(step, 'profile-submit').click();
      await step.updateComplete;

      expect(byTestId<HTMLButtonElement>(step, 'profile-submit').disabled).toBe(true);
      expect(byTestId(step, 'profile-submit').getAttribute('aria-busy')).toBe('true');
      resolve(jsonResponse(400, { error: 'invalid_request', message: 'No.' }));
      await settle(step);
      expect(byTestId<HTMLButtonElement>(step, 'profile-submit').disabled).toBe(false);
    });
  });

  describe('server errors', () => {
    it('shows the message in a focused alert', async () => {
      stubFetch(jsonResponse(400, { error: 'invalid_request', message: 'That name is too long.' }));
      const step = await mount('tn-profile-step');
      await fillAndSubmit(step, 'Ada', 'Lovelace');

      expect(byTestId(step, 'error-message').textContent?.trim()).toBe('That name is too long.');
      expect(focusedIn(step)).toBe(byTestId(step, 'error-message'));
    });

    it('offers to sign in again, keeping the request, when the session ended', async () => {
      stubFetch(jsonResponse(401, { error: 'login_required', message: 'Your session ended.' }));
      const step = await mount('tn-profile-step', { req: 'req 9', returnTo: '/portal' });
      await fillAndSubmit(step, 'Ada', 'Lovelace');
      const link = byTestId(step, 'error-message').querySelector('a');

      expect(link?.textContent).toBe('Sign in again');
      expect(link?.getAttribute('href')).toBe('/a/auth/login?req=req+9&return_to=%2Fportal');
    });

    it('has no sign-in link for other errors', async () => {
      stubFetch(jsonResponse(400, { error: 'invalid_request', message: 'No.' }));
      const step = await mount('tn-profile-step');
      await fillAndSubmit(step, 'Ada', 'Lovelace');

      expect(byTestId(step, 'error-message').querySelector('a')).toBeNull();
      expect(queryTestId(step, 'retry-countdown')).toBeNull();
    });
  });
});
