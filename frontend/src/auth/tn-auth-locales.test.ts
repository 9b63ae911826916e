import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalization, useLocale } from '../shared/i18n.js';
import { byTestId, expectAccessible, mount, setCsrfMeta } from '../testing/fixture.js';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  resetWebAuthn,
} from '../testing/webauthn-stub.js';
import { authPageHref } from './auth-links.js';
import type { TnAuthPage } from './tn-auth-page.js';
import type { TnEmailStep } from './tn-email-step.js';
import './tn-auth-page.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const root = () => document.documentElement;

beforeEach(() => {
  setCsrfMeta();
  resetWebAuthn();
  // The passkey button shows; no autofill request waits in the background.
  browserSupportsWebAuthn.mockReturnValue(true);
  browserSupportsWebAuthnAutofill.mockResolvedValue(false);
});

afterEach(async () => {
  await useLocale('en');
});

function config(mode: 'login' | 'signup' = 'login') {
  return {
    mode,
    step: 'email' as const,
    req: null,
    returnTo: null,
    loginHint: null,
    uiLocales: null,
    appName: 'Coffee Desk',
    logoUrl: null,
    error: null,
  };
}

function text(host: Element, selector: string): string | undefined {
  return host.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
}

function emailStep(page: TnAuthPage): TnEmailStep {
  return page.shadowRoot!.querySelector('tn-email-step')!;
}

describe('the sign-in page in other languages', () => {
  it('speaks German: heading, intro, label, button, passkey and the way to sign up', async () => {
    await startLocalization({ uiLocales: 'de' });
    const page = await mount('tn-auth-page', { config: config() });
    const step = emailStep(page);
    await step.updateComplete;

    expect(byTestId(page, 'page-heading').textContent?.trim()).toBe('Bei Coffee Desk anmelden');
    expect(text(step, '.intro')).toBe(
      'Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Code zur Anmeldung.',
    );
    expect(text(step, 'label[for="email"]')).toBe('E-Mail-Adresse');
    expect(byTestId(step, 'email-submit').textContent?.trim()).toBe('Weiter');
    const passkey = step.shadowRoot!.querySelector('tn-passkey-sign-in')!;
    await passkey.updateComplete;
    expect(byTestId(passkey, 'passkey-sign-in').textContent?.trim()).toBe('Mit einem Passkey anmelden');
    expect(text(page, '.switch')).toBe('Neu bei Coffee Desk? Konto erstellen');
    expect(document.title).toBe('Anmelden · Coffee Desk');
    await expectAccessible(page);
  });

  it('shows the validation message in German', async () => {
    await startLocalization({ uiLocales: 'de-AT' });
    const page = await mount('tn-auth-page', { config: config() });
    const step = emailStep(page);
    await step.updateComplete;

    byTestId<HTMLButtonElement>(step, 'email-submit').click();
    await step.updateComplete;

    expect(byTestId(step, 'email-error').textContent?.trim()).toBe('Geben Sie Ihre E-Mail-Adresse ein.');
  });

  it('waits for the language before its first render, so English never flashes', async () => {
    const started = startLocalization({ uiLocales: 'de' });
    const page = await mount('tn-auth-page', { config: config('signup') });

    expect(byTestId(page, 'page-heading').textContent?.trim()).toBe('Ihr Konto bei Coffee Desk erstellen');
    await started;
  });

  it('renders again when the locale changes, and Arabic turns the page right to left', async () => {
    await startLocalization({ uiLocales: 'de' });
    const page = await mount('tn-auth-page', { config: config() });

    await startLocalization({ uiLocales: 'ar' });
    await page.updateComplete;
    const step = emailStep(page);
    await step.updateComplete;

    expect(root().dir).toBe('rtl');
    expect(root().lang).toBe('ar');
    expect(byTestId(page, 'page-heading').textContent?.trim()).toBe('تسجيل الدخول إلى Coffee Desk');
    expect(byTestId(step, 'email-submit').textContent?.trim()).toBe('متابعة');

    await useLocale('en');
    await page.updateComplete;
    expect(byTestId(page, 'page-heading').textContent?.trim()).toBe('Sign in to Coffee Desk');
    expect(document.title).toBe('Sign in · Coffee Desk');
    expect(root().dir).toBe('ltr');
  });
});

describe('switching between sign-in and sign-up', () => {
  it('keeps the languages asked for, unless the pending request carries them', () => {
    expect(authPageHref('signup', { req: null, returnTo: '/ui/', uiLocales: 'ar de' })).toBe(
      '/a/auth/signup?return_to=%2Fui%2F&ui_locales=ar+de',
    );
    expect(authPageHref('login', { req: 'handle', returnTo: null, uiLocales: 'ar' })).toBe(
      '/a/auth/login?req=handle',
    );
  });
});
