import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
import { browserSupportsWebAuthn, resetWebAuthn } from '../testing/webauthn-stub.js';
import { EMAIL_MESSAGES, type TnEmailStep } from './tn-email-step.js';
import { NAME_MESSAGES } from './name-fields.js';
import './tn-email-step.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const sentAnswer = { flow: 'flow-1', email: 'ada@example.com', expires_in: 600 };

beforeEach(() => {
  setCsrfMeta();
  // A browser without passkeys, so that only the emailed code is offered; one test turns them on.
  resetWebAuthn();
  browserSupportsWebAuthn.mockReturnValue(false);
});

function submit(step: TnEmailStep): void {
  byTestId<HTMLButtonElement>(step, 'email-submit').click();
}

function labelText(step: TnEmailStep, inputId: string): string | undefined {
  return step.shadowRoot!.querySelector(`label[for="${inputId}"]`)?.textContent?.trim();
}

describe('<tn-email-step>', () => {
  describe('rendering', () => {
    it('asks only for an email address when signing in', async () => {
      const step = await mount('tn-email-step', { mode: 'login' });
      const email = byTestId<HTMLInputElement>(step, 'email-input');

      expect(email.type).toBe('email');
      expect(email.getAttribute('autocomplete')).toBe('username webauthn');
      expect(labelText(step, email.id)).toBe('Email address');
      expect(queryTestId(step, 'first-name-input')).toBeNull();
      expect(queryTestId(step, 'last-name-input')).toBeNull();
      expect(byTestId(step, 'email-submit').textContent?.trim()).toBe('Continue');
    });

    it('also asks for first and last name when signing up', async () => {
      const step = await mount('tn-email-step', { mode: 'signup' });

      expect(labelText(step, byTestId(step, 'first-name-input').id)).toBe('First name');
      expect(labelText(step, byTestId(step, 'last-name-input').id)).toBe('Last name');
      expect(byTestId<HTMLInputElement>(step, 'first-name-input').required).toBe(true);
      expect(byTestId<HTMLInputElement>(step, 'last-name-input').required).toBe(true);
    });

    it('offers passkeys (autofill and button) when signing in, and none when signing up', async () => {
      browserSupportsWebAuthn.mockReturnValue(true);
      stubFetch(jsonResponse(200, { flow: 'f1', options: { challenge: 'c' } }));
      const login = await mount('tn-email-step', { mode: 'login', req: 'req-1', returnTo: '/ui/' });
      const signup = await mount('tn-email-step', { mode: 'signup' });
      const passkey = (step: TnEmailStep) => step.shadowRoot!.querySelector('tn-passkey-sign-in');

      expect(passkey(login)!.autofill).toBe(true);
      expect(passkey(login)!.req).toBe('req-1');
      expect(passkey(login)!.returnTo).toBe('/ui/');
      expect(byTestId(login, 'email-input').getAttribute('autocomplete')).toBe('username webauthn');
      // someone making an account has no passkey here yet
      expect(passkey(signup)).toBeNull();
      expect(byTestId(signup, 'email-input').getAttribute('autocomplete')).toBe('email');
      expect(signup.shadowRoot!.textContent).not.toMatch(/passkey/i);
    });

    it('starts with the email it was given, such as the login hint', async () => {
      const step = await mount('tn-email-step', { email: 'hint@example.com' });

      expect(byTestId<HTMLInputElement>(step, 'email-input').value).toBe('hint@example.com');
    });

    it('focuses the first field when asked to', async () => {
      const step = await mount('tn-email-step', { mode: 'signup' });
      step.focus();

      expect(focusedIn(step)).toBe(byTestId(step, 'first-name-input'));
    });

    it('passes the accessibility checks in both modes', async () => {
      await expectAccessible(await mount('tn-email-step', { mode: 'login' }));
      await expectAccessible(await mount('tn-email-step', { mode: 'signup' }));
    });
  });

  describe('validation', () => {
    it('explains an empty email without calling the server', async () => {
      const fetch = stubFetch();
      const step = await mount('tn-email-step');
      submit(step);
      await settle(step);

      expect(byTestId(step, 'email-error').textContent?.trim()).toBe(EMAIL_MESSAGES.missing);
      expect(byTestId(step, 'email-input').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId(step, 'email-input').getAttribute('aria-describedby')).toBe('email-error');
      expect(focusedIn(step)).toBe(byTestId(step, 'email-input'));
      expect(fetch).not.toHaveBeenCalled();
    });

    it('explains an address without an @', async () => {
      const step = await mount('tn-email-step');
      typeInto(byTestId(step, 'email-input'), 'ada.example.com');
      submit(step);
      await settle(step);

      expect(byTestId(step, 'email-error').textContent?.trim()).toBe(EMAIL_MESSAGES.malformed);
    });

    it('asks for both names when signing up and focuses the first missing one', async () => {
      const step = await mount('tn-email-step', { mode: 'signup' });
      typeInto(byTestId(step, 'first-name-input'), 'Ada');
      typeInto(byTestId(step, 'email-input'), 'ada@example.com');
      submit(step);
      await settle(step);

      expect(queryTestId(step, 'first-name-error')).toBeNull();
      expect(byTestId(step, 'last-name-error').textContent?.trim()).toBe(NAME_MESSAGES.lastName);
      expect(focusedIn(step)).toBe(byTestId(step, 'last-name-input'));
    });

    it('clears a field message once the field is edited', async () => {
      const step = await mount('tn-email-step');
      submit(step);
      await settle(step);
      typeInto(byTestId(step, 'email-input'), 'a');
      await step.updateComplete;

      expect(queryTestId(step, 'email-error')).toBeNull();
    });
  });

  describe('sending the code', () => {
    it('posts the email and intent with the CSRF header when signing in', async () => {
      const fetch = stubFetch(jsonResponse(200, sentAnswer));
      const step = await mount('tn-email-step', { req: 'req-1' });
      typeInto(byTestId(step, 'email-input'), '  ada@example.com ');
      submit(step);
      await settle(step);

      const request = sentRequest(fetch);
      expect(request.url).toBe('/a/auth/api/email');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.credentials).toBe('same-origin');
      expect(request.body).toEqual({ email: 'ada@example.com', intent: 'login', req: 'req-1' });
    });

    it('sends the names and return_to when signing up', async () => {
      const fetch = stubFetch(jsonResponse(200, sentAnswer));
      const step = await mount('tn-email-step', { mode: 'signup', returnTo: '/portal' });
      typeInto(byTestId(step, 'first-name-input'), ' Ada ');
      typeInto(byTestId(step, 'last-name-input'), 'Lovelace');
      typeInto(byTestId(step, 'email-input'), 'ada@example.com');
      submit(step);
      await settle(step);

      expect(sentRequest(fetch).body).toEqual({
        email: 'ada@example.com',
        intent: 'signup',
        first_name: 'Ada',
        last_name: 'Lovelace',
        return_to: '/portal',
      });
    });

    it('announces tn-code-sent with the flow, email and expiry', async () => {
      stubFetch(jsonResponse(200, sentAnswer));
      const step = await mount('tn-email-step', { email: 'ada@example.com' });
      const listener = vi.fn();
      step.addEventListener('tn-code-sent', listener);
      submit(step);
      await settle(step);

      expect(listener).toHaveBeenCalledOnce();
      expect((listener.mock.calls[0][0] as CustomEvent).detail).toEqual({
        flow: 'flow-1',
        email: 'ada@example.com',
        expiresIn: 600,
      });
    });

    it("goes to the organization's identity provider instead of announcing a code", async () => {
      const assign = stubLocationAssign();
      stubFetch(jsonResponse(200, { location: '/sso/start/con_1?login_hint=ada%40acme.com', sso: true }));
      const step = await mount('tn-email-step', { email: 'ada@acme.com' });
      const listener = vi.fn();
      step.addEventListener('tn-code-sent', listener);
      submit(step);
      await settle(step);

      expect(assign).toHaveBeenCalledWith('/sso/start/con_1?login_hint=ada%40acme.com');
      expect(listener).not.toHaveBeenCalled();
    });

    it('disables the button and marks the form busy while the request runs', async () => {
      const { resolve } = stubPendingFetch();
      const step = await mount('tn-email-step', { email: 'ada@example.com' });
      submit(step);
      await step.updateComplete;
      const button = byTestId<HTMLButtonElement>(step, 'email-submit');

      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-busy')).toBe('true');
      expect(step.shadowRoot!.querySelector('form')!.getAttribute('aria-busy')).toBe('true');

      resolve(jsonResponse(200, sentAnswer));
      await settle(step);
      expect(button.disabled).toBe(false);
      expect(button.getAttribute('aria-busy')).toBe('false');
    });
  });

  describe('server errors', () => {
    it("shows the server's message in a focused alert", async () => {
      stubFetch(
        jsonResponse(400, { error: 'invalid_email', message: 'That email address is not valid.' }),
      );
      const step = await mount('tn-email-step', { email: 'ada@example' });
      submit(step);
      await settle(step);
      const alert = byTestId(step, 'error-message');

      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent?.trim()).toBe('That email address is not valid.');
      expect(focusedIn(step)).toBe(alert);
    });

    it('shows the message the page was rendered with', async () => {
      const step = await mount('tn-email-step', {
        notice: { code: 'expired_link', message: 'That link has expired.' },
      });
      await settle(step);

      expect(byTestId(step, 'error-message').textContent?.trim()).toBe('That link has expired.');
    });

    it('says so when the server cannot be reached', async () => {
      vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
      const step = await mount('tn-email-step', { email: 'ada@example.com' });
      submit(step);
      await settle(step);

      expect(byTestId(step, 'error-message').textContent).toContain("couldn't reach the server");
    });
  });

  describe('rate limiting', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] }));
    afterEach(() => vi.useRealTimers());

    it('disables Continue for retry_after seconds after a 429, the wait said once', async () => {
      stubFetch(
        jsonResponse(
          429,
          {
            error: 'rate_limited',
            message: 'Too many sign-in attempts from your network. Try again in 3 seconds.',
            retry_after: 3,
          },
          { 'Retry-After': '3' },
        ),
      );
      const step = await mount('tn-email-step', { email: 'ada@example.com' });
      submit(step);
      await settle(step);
      const button = byTestId<HTMLButtonElement>(step, 'email-submit');

      expect(byTestId(step, 'error-message').textContent?.trim()).toBe(
        'Too many sign-in attempts from your network. Try again in 3 seconds.',
      );
      expect(button.disabled).toBe(true);
      // the server's message names the wait: no countdown repeats it under the button
      expect(queryTestId(step, 'retry-countdown')).toBeNull();
      expect(step.shadowRoot!.textContent.match(/again in/g)).toHaveLength(1);

      vi.advanceTimersByTime(2000);
      await step.updateComplete;
      expect(button.disabled).toBe(true);

      vi.advanceTimersByTime(1000);
      await step.updateComplete;
      expect(button.disabled).toBe(false);
    });

    it('falls back to the Retry-After header when the body has no retry_after', async () => {
      stubFetch(
        jsonResponse(429, { error: 'rate_limited', message: 'Slow down.' }, { 'Retry-After': '5' }),
      );
      const step = await mount('tn-email-step', { email: 'ada@example.com' });
      submit(step);
      await settle(step);
      const button = byTestId<HTMLButtonElement>(step, 'email-submit');

      expect(button.disabled).toBe(true);
      vi.advanceTimersByTime(4000);
      await step.updateComplete;
      expect(button.disabled).toBe(true);
      vi.advanceTimersByTime(1000);
      await step.updateComplete;
      expect(button.disabled).toBe(false);
    });
  });
});
