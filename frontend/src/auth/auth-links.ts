import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import type { Problem } from '../shared/request-controller.js';
import type { Continuation } from './auth-api.js';
import type { Mode } from './config.js';

/**
 * The hosted page for `mode`, carrying the pending request (and the languages asked for) so that
 * switching loses nothing.
 */
export function authPageHref(
  mode: Mode,
  { req, returnTo, uiLocales }: Continuation & { uiLocales?: string | null },
): string {
  const query = new URLSearchParams();
  if (req) query.set('req', req);
  if (returnTo) query.set('return_to', returnTo);
  if (uiLocales && !req) query.set('ui_locales', uiLocales); // a request carries its own
  const search = query.toString();
  return `/a/auth/${mode}${search ? `?${search}` : ''}`;
}

/** The way out of a `login_required` error: the session ended, so start over. */
export function signInAgainLink(
  problem: Problem | null,
  continuation: Continuation,
): TemplateResult | typeof nothing {
  if (problem?.code !== 'login_required') return nothing;
  return html`<p><a href=${authPageHref('login', continuation)}>${msg('Sign in again', { id: 'auth.link.sign-in-again' })}</a></p>`;
}
