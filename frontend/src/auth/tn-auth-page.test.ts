import { beforeEach, describe, expect, it } from 'vitest';
import {
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
import type { TnAuthPage } from './tn-auth-page.js';
import './tn-auth-page.js';

const SHELL_TOKEN = 'RANDOM';

/** Writes the server's #tn-config and CSRF meta, as the HTML shell does. */
function renderShell(config: Record<string, unknown>): void {
  setCsrfMeta(SHELL_TOKEN);
  const script = document.createElement('script');
  script.type = 'application/json';
  script.id = 'tn-config';
  script.textContent = JSON.stringify({
    mode: 'login',
    step: 'email',
    req: null,
    returnTo: null,
    loginHint: null,
    appName: 'Coffee Desk',
    logoUrl: null,
    error: null,
    ...config,
  });
  document.body.append(script);
}

async function mountPage(config: Record<string, unknown> = {}): Promise<TnAuthPage> {
  renderShell(config);
  const page = await mount('tn-auth-page');
  await settle(page);
  return page;
}

/** The current step element, found by tag in the page's shadow root. */
function step<K extends keyof HTMLElementTagNameMap>(page: TnAuthPage, tag: K) {
  return page.shadowRoot!.querySelector(tag);
}

function heading(page: TnAuthPage): string {
  return byTestId(page, 'page-heading').textContent.trim();
}

describe('<tn-auth-page>', () => {
  beforeEach(() => stubLocationAssign());

  describe('branding', () => {
    it('names the app in the heading when signing in', async () => {
      const page = await mountPage({ mode: 'login' });

      expect(heading(page)).toBe('Sign in to Coffee Desk');
    });

    it("writes the app's name once above the form: the heading, beside its initial", async () => {
      const page = await mountPage({ mode: 'login' });
      const header = byTestId(page, 'page-heading').closest('header')!;

      expect(header.textContent.match(/Coffee Desk/g)).toHaveLength(1);
      const mark = page.shadowRoot!.querySelector('[part="mark"]')!;
      expect(mark.textContent.trim()).toBe('C');
      expect(mark.getAttribute('aria-hidden')).toBe('true');
    });

    it('names the app in the heading when signing up', async () => {
      const page = await mountPage({ mode: 'signup' });

      expect(heading(page)).toBe('Create your Coffee Desk account');
      expect(step(page, 'tn-email-step')?.mode).toBe('signup');
    });

    it("shows the app's logo as decoration, since the heading already names the app", async () => {
      const page = await mountPage({ logoUrl: '/a/branding/logo.png' });
      const logo = page.shadowRoot!.querySelector('img')!;

      expect(logo.getAttribute('src')).toBe('/a/branding/logo.png');
      expect(logo.getAttribute('alt')).toBe('');
      expect(page.shadowRoot!.querySelector('[part="mark"]')).toBeNull();
      expect(heading(page)).toBe('Sign in to Coffee Desk');
    });

    it('falls back to the sign-in page when the configuration is missing', async () => {
      setCsrfMeta(SHELL_TOKEN);
      const page = await mount('tn-auth-page');

      expect(heading(page)).toBe('Sign in to Tenantry');
      expect(step(page, 'tn-email-step')).toBeTruthy();
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountPage({ mode: 'signup' }));
    });
  });

  describe('switching between sign-in and sign-up', () => {
    it('links to sign-up, keeping the request and return address', async () => {
      const page = await mountPage({ mode: 'login', req: 'abc', returnTo: '/portal?x=1' });

      expect(byTestId(page, 'switch-to-signup').getAttribute('href')).toBe(
        '/a/auth/signup?req=abc&return_to=%2Fportal%3Fx%3D1',
      );
      expect(queryTestId(page, 'switch-to-login')).toBeNull();
    });

    it('links to sign-in from sign-up', async () => {
      const page = await mountPage({ mode: 'signup', req: 'abc' });

      expect(byTestId(page, 'switch-to-login').getAttribute('href')).toBe('/a/auth/login?req=abc');
    });

    it('links without a query when there is nothing to keep', async () => {
      const page = await mountPage({ mode: 'signup' });

      expect(byTestId(page, 'switch-to-login').getAttribute('href')).toBe('/a/auth/login');
    });
  });

  describe('the email and code steps', () => {
    it('prefills the login hint and focuses the email field', async () => {
      const page = await mountPage({ loginHint: 'ada@example.com' });
      const emailStep = step(page, 'tn-email-step')!;

      expect(byTestId<HTMLInputElement>(emailStep, 'email-input').value).toBe('ada@example.com');
      expect(focusedIn(emailStep)).toBe(byTestId(emailStep, 'email-input'));
    });

    it('sends the request with the CSRF token from the page, then asks for the code', async () => {
      const fetch = stubFetch(
        jsonResponse(200, { flow: 'flow-1', email: 'ada@example.com', expires_in: 600 }),
      );
      const page = await mountPage({ req: 'req-1', loginHint: 'ada@example.com' });
      byTestId<HTMLButtonElement>(step(page, 'tn-email-step')!, 'email-submit').click();
      await settle(page);
      const codeStep = step(page, 'tn-code-step')!;
      await settle(codeStep);

      expect(sentRequest(fetch).headers['x-csrf-token']).toBe(SHELL_TOKEN);
      expect(sentRequest(fetch).body).toEqual({
        email: 'ada@example.com',
        intent: 'login',
        req: 'req-1',
      });
      expect(byTestId(codeStep, 'code-sent-message').textContent).toContain('ada@example.com');
      expect(focusedIn(codeStep)).toBe(byTestId(codeStep, 'code-input'));
      expect(queryTestId(page, 'switch-to-signup')).toBeNull();
    });

    it('goes on with the code sent before when the server sent no new email, and says why', async () => {
      stubFetch(
        jsonResponse(200, {
          flow: 'flow-0',
          email: 'ada@example.com',
          expires_in: 240,
          notice: 'We did not send another email: too many were sent to ada@example.com.',
        }),
      );
      const page = await mountPage({ loginHint: 'ada@example.com' });
      byTestId<HTMLButtonElement>(step(page, 'tn-email-step')!, 'email-submit').click();
      await settle(page);
      const codeStep = step(page, 'tn-code-step')!;
      await settle(codeStep);

      expect(codeStep.flow).toBe('flow-0');
      expect(codeStep.sentNotice).toBe(
        'We did not send another email: too many were sent to ada@example.com.',
      );
      expect(focusedIn(codeStep)).toBe(byTestId(codeStep, 'code-input'));
    });

    it('goes back to the email step, keeping what was typed, to use a different email', async () => {
      stubFetch(jsonResponse(200, { flow: 'flow-1', email: 'ada@example.com', expires_in: 600 }));
      const page = await mountPage({ mode: 'signup' });
      const emailStep = step(page, 'tn-email-step')!;
      typeInto(byTestId(emailStep, 'first-name-input'), 'Ada');
      typeInto(byTestId(emailStep, 'last-name-input'), 'Lovelace');
      typeInto(byTestId(emailStep, 'email-input'), 'ada@example.com');
      byTestId<HTMLButtonElement>(emailStep, 'email-submit').click();
      await settle(page);

      byTestId<HTMLButtonElement>(step(page, 'tn-code-step')!, 'change-email').click();
      await settle(page);
      const again = step(page, 'tn-email-step')!;
      await settle(again);

      expect(step(page, 'tn-code-step')).toBeNull();
      expect(byTestId<HTMLInputElement>(again, 'first-name-input').value).toBe('Ada');
      expect(byTestId<HTMLInputElement>(again, 'email-input').value).toBe('ada@example.com');
      expect(focusedIn(again)).toBe(byTestId(again, 'first-name-input'));
    });

    it('verifies with the flow from the latest resend and leaves for the location', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(200, { flow: 'flow-1', email: 'ada@example.com', expires_in: 600 }),
        jsonResponse(200, { flow: 'flow-2', expires_in: 600 }),
        jsonResponse(200, { location: '/oauth/authorize?resume=1' }),
      );
      const page = await mountPage({ loginHint: 'ada@example.com' });
      byTestId<HTMLButtonElement>(step(page, 'tn-email-step')!, 'email-submit').click();
      await settle(page);
      const codeStep = step(page, 'tn-code-step')!;
      byTestId<HTMLButtonElement>(codeStep, 'resend-code').click();
      await settle(codeStep);
      typeInto(byTestId(codeStep, 'code-input'), '123456');
      byTestId<HTMLButtonElement>(codeStep, 'code-submit').click();
      await settle(codeStep);

      expect(sentRequest(fetch, 2).body).toEqual({ flow: 'flow-2', code: '123456' });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize?resume=1');
    });
  });

  describe('steps the server starts on', () => {
    it('asks for a name on the profile step', async () => {
      const page = await mountPage({ step: 'profile', req: 'req-2' });
      const profile = step(page, 'tn-profile-step')!;

      expect(profile.req).toBe('req-2');
      expect(focusedIn(profile)).toBe(byTestId(profile, 'first-name-input'));
      expect(queryTestId(page, 'switch-to-signup')).toBeNull();
    });

    it('lists organizations on the organization step', async () => {
      stubFetch(jsonResponse(200, { organizations: [{ id: 'o1', name: 'Coffee Roasters' }] }));
      const page = await mountPage({ step: 'organization' });
      const chooser = step(page, 'tn-organization-chooser')!;
      await settle(chooser);

      expect(byTestId(chooser, 'org-option-o1').querySelector('.name')?.textContent).toBe(
        'Coffee Roasters',
      );
      expect(focusedIn(chooser)).toBe(byTestId(chooser, 'org-option-o1'));
    });
  });

  describe('focus on arrival', () => {
    it('focuses the heading while the organizations load, then the first of them', async () => {
      const { resolve } = stubPendingFetch();
      const page = await mountPage({ step: 'organization' });

      expect(focusedIn(page)).toBe(byTestId(page, 'page-heading'));

      resolve(jsonResponse(200, { organizations: [{ id: 'o1', name: 'Coffee Roasters' }] }));
      const chooser = step(page, 'tn-organization-chooser')!;
      await settle(chooser);
      expect(focusedIn(chooser)).toBe(byTestId(chooser, 'org-option-o1'));
    });
  });

  describe('errors the page was rendered with', () => {
    it('shows the error in a focused alert on the first step', async () => {
      const page = await mountPage({
        error: { code: 'expired_link', message: 'That sign-in link has expired. Enter your email.' },
      });
      const emailStep = step(page, 'tn-email-step')!;
      await settle(emailStep);
      const alert = byTestId(emailStep, 'error-message');

      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent?.trim()).toBe('That sign-in link has expired. Enter your email.');
      expect(focusedIn(emailStep)).toBe(alert);
    });

    it('replaces the error with the next request’s outcome', async () => {
      stubFetch(jsonResponse(200, { flow: 'f', email: 'ada@example.com', expires_in: 600 }));
      const page = await mountPage({
        loginHint: 'ada@example.com',
        error: { code: 'expired_link', message: 'Expired.' },
      });
      const emailStep = step(page, 'tn-email-step')!;
      byTestId<HTMLButtonElement>(emailStep, 'email-submit').click();
      await settle(page);

      expect(queryTestId(step(page, 'tn-code-step')!, 'error-message')).toBeNull();
    });
  });
});
