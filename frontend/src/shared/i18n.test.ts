import { msg } from '@lit/localize';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentLocale,
  localeDirection,
  negotiateLocale,
  startLocalization,
  useLocale,
} from './i18n.js';
import { networkErrorMessage } from './api.js';

afterEach(async () => {
  await useLocale('en');
});

describe('negotiateLocale', () => {
  it('takes the first supported ui_locales entry, in the order the application gave', () => {
    expect(negotiateLocale('fr de ar', ['en-US'])).toBe('de');
    expect(negotiateLocale('ar de', ['de-DE'])).toBe('ar');
  });

  it('matches a region or script to its language', () => {
    expect(negotiateLocale('de-CH', [])).toBe('de');
    expect(negotiateLocale('AR-eg', [])).toBe('ar');
    expect(negotiateLocale('de_AT', [])).toBe('de');
  });

  it("falls back to the browser's languages when ui_locales names nothing we speak", () => {
    expect(negotiateLocale('fr ja', ['it-IT', 'de-DE', 'en'])).toBe('de');
    expect(negotiateLocale(null, ['de-DE'])).toBe('de');
    expect(negotiateLocale('', ['ar'])).toBe('ar');
  });

  it('prefers ui_locales over the browser, and English is the last resort', () => {
    expect(negotiateLocale('en', ['de-DE'])).toBe('en');
    expect(negotiateLocale('fr', ['ja-JP'])).toBe('en');
    expect(negotiateLocale(undefined, [])).toBe('en');
  });

  it('ignores extra whitespace between the entries', () => {
    expect(negotiateLocale('  fr   de ', [])).toBe('de');
  });
});

describe('localeDirection', () => {
  it('writes Arabic, Hebrew and Persian right to left, the rest left to right', () => {
    expect(localeDirection('ar')).toBe('rtl');
    expect(localeDirection('he-IL')).toBe('rtl');
    expect(localeDirection('fa')).toBe('rtl');
    expect(localeDirection('de')).toBe('ltr');
    expect(localeDirection('en')).toBe('ltr');
  });
});

describe('startLocalization', () => {
  it('loads the chosen locale and marks the document with its lang and dir', async () => {
    const root = document.createElement('html');

    expect(await startLocalization({ uiLocales: 'ar', languages: ['de'], root })).toBe('ar');
    expect(currentLocale()).toBe('ar');
    expect(root.lang).toBe('ar');
    expect(root.dir).toBe('rtl');
  });

  it("uses the browser's languages without ui_locales, and translates msg() at once", async () => {
    const root = document.createElement('html');

    expect(await startLocalization({ languages: ['de-DE', 'en'], root })).toBe('de');
    expect(root.lang).toBe('de');
    expect(root.dir).toBe('ltr');
    expect(networkErrorMessage()).toBe(
      'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    );
  });

  it('goes back to English, left to right', async () => {
    const root = document.createElement('html');
    await startLocalization({ uiLocales: 'ar', root });

    await useLocale('en', root);

    expect(root.lang).toBe('en');
    expect(root.dir).toBe('ltr');
    expect(msg('Continue', { id: 'auth.email.submit' })).toBe('Continue');
  });
});
