/**
 * The portal page's configuration, rendered by the server as JSON in
 * `<script type="application/json" id="tn-config">`. Missing or malformed fields fall back to
 * safe defaults, so a half-broken shell still shows the portal.
 */

export interface PortalConfig {
  appName: string;
  logoUrl: string | null;
  /** Where the Sign out form posts; only a same-origin path is accepted. */
  logoutUrl: string;
}

export const DEFAULT_APP_NAME = 'Tenantry';
export const DEFAULT_LOGOUT_URL = '/ui/logout';

/** Reads `#tn-config` from `doc`, with the defaults when it is absent or not JSON. */
export function readPortalConfig(doc: Document = document): PortalConfig {
  const json = doc.getElementById('tn-config')?.textContent ?? '';
  try {
    return parsePortalConfig(JSON.parse(json));
  } catch {
    return parsePortalConfig({});
  }
}

export function parsePortalConfig(raw: unknown): PortalConfig {
  const value: Record<string, unknown> =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  const logoutUrl = text(value.logoutUrl);
  return {
    appName: text(value.appName) ?? DEFAULT_APP_NAME,
    logoUrl: text(value.logoUrl),
    logoutUrl: logoutUrl && /^\/(?!\/)/.test(logoutUrl) ? logoutUrl : DEFAULT_LOGOUT_URL,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
