import { describe, expect, it } from 'vitest';
import {
  DEFAULT_APP_NAME,
  DEFAULT_LOGOUT_URL,
  parsePortalConfig,
  readPortalConfig,
} from './config.js';

describe('portal configuration', () => {
  it('reads every field the server renders', () => {
    expect(
      parsePortalConfig({ appName: 'Coffee Desk', logoUrl: '/logo.svg', logoutUrl: '/ui/logout' }),
    ).toEqual({ appName: 'Coffee Desk', logoUrl: '/logo.svg', logoutUrl: '/ui/logout' });
  });

  it('falls back to the defaults when fields are missing', () => {
    expect(parsePortalConfig(null)).toEqual({
      appName: DEFAULT_APP_NAME,
      logoUrl: null,
      logoutUrl: DEFAULT_LOGOUT_URL,
    });
  });

  it.each(['https://evil.example/logout', '//evil.example/logout', 'javascript:alert(1)'])(
    'signs out only to a same-origin path, not %s',
    (logoutUrl) => {
      expect(parsePortalConfig({ logoutUrl }).logoutUrl).toBe(DEFAULT_LOGOUT_URL);
    },
  );

  it('reads #tn-config from the document, and the defaults when it is not JSON', () => {
    const script = document.createElement('script');
    script.type = 'application/json';
    script.id = 'tn-config';
    script.textContent = '{"appName":"Coffee Desk"}';
    document.body.append(script);
    expect(readPortalConfig(document).appName).toBe('Coffee Desk');

    script.textContent = '{not json';
    expect(readPortalConfig(document).appName).toBe(DEFAULT_APP_NAME);
    script.remove();
  });
});
