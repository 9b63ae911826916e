import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_NAME, parseAuthConfig, readAuthConfig } from './config.js';

describe('auth page configuration', () => {
  it('reads every field the server renders', () => {
    expect(
      parseAuthConfig({
        mode: 'signup',
        step: 'organization',
        req: 'r',
        returnTo: '/portal',
        loginHint: 'a@b.com',
        uiLocales: 'de-CH en',
        appName: 'Coffee Desk',
        logoUrl: '/logo.svg',
        error: { code: 'expired_link', message: 'Expired.' },
      }),
    ).toEqual({
      mode: 'signup',
      step: 'organization',
      req: 'r',
      returnTo: '/portal',
      loginHint: 'a@b.com',
      uiLocales: 'de-CH en',
      appName: 'Coffee Desk',
      logoUrl: '/logo.svg',
      error: { code: 'expired_link', message: 'Expired.' },
    });
  });

  it('falls back to signing in by email when fields are missing or unknown', () => {
    expect(parseAuthConfig({ mode: 'admin', step: 'code', error: { code: 'x' } })).toEqual({
      mode: 'login',
      step: 'email',
      req: null,
      returnTo: null,
      loginHint: null,
      uiLocales: null,
      appName: DEFAULT_APP_NAME,
      logoUrl: null,
      error: null,
    });
  });

  it('reads #tn-config from the document, and the defaults when it is not JSON', () => {
    const script = document.createElement('script');
    script.type = 'application/json';
    script.id = 'tn-config';
    script.textContent = '{"mode":"signup","appName":"Coffee Desk"}';
    document.body.append(script);
    expect(readAuthConfig(document)).toMatchObject({ mode: 'signup', appName: 'Coffee Desk' });

    script.textContent = '{not json';
    expect(readAuthConfig(document)).toMatchObject({ mode: 'login', appName: DEFAULT_APP_NAME });
    script.remove();
  });
});
