/**
 * The page's configuration, which the server renders as JSON in
 * `<script type="application/json" id="tn-config">`. Anything missing or malformed falls back
 * to the plain sign-in page, so a half-broken shell still lets people sign in.
 */
import type { Problem } from '../shared/request-controller.js';

export type Mode = 'login' | 'signup';
export type InitialStep = 'email' | 'profile' | 'organization';

export interface AuthConfig {
  mode: Mode;
  step: InitialStep;
  req: string | null;
  returnTo: string | null;
  loginHint: string | null;
  /** The OIDC `ui_locales` the application asked for: space-separated, the preferred first. */
  uiLocales: string | null;
  appName: string;
  logoUrl: string | null;
  error: Problem | null;
}

export const DEFAULT_APP_NAME = 'Tenantry';

/** Reads `#tn-config` from `doc`, with the defaults when it is absent or not JSON. */
export function readAuthConfig(doc: Document = document): AuthConfig {
  const json = doc.getElementById('tn-config')?.textContent ?? '';
  try {
    return parseAuthConfig(JSON.parse(json));
  } catch {
    return parseAuthConfig({});
  }
}

export function parseAuthConfig(raw: unknown): AuthConfig {
  const value = isRecord(raw) ? raw : {};
  return {
    mode: value.mode === 'signup' ? 'signup' : 'login',
    step: value.step === 'profile' || value.step === 'organization' ? value.step : 'email',
    req: text(value.req),
    returnTo: text(value.returnTo),
    loginHint: text(value.loginHint),
    uiLocales: text(value.uiLocales),
    appName: text(value.appName) ?? DEFAULT_APP_NAME,
    logoUrl: text(value.logoUrl),
    error: problem(value.error),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function problem(value: unknown): Problem | null {
  if (!isRecord(value) || typeof value.message !== 'string' || !value.message) return null;
  return { code: typeof value.code === 'string' ? value.code : 'error', message: value.message };
}
