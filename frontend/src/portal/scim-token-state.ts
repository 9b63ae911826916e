/**
 * What a directory's token state reads as, in the list and on the directory's page: a badge and a
 * sentence, from what the server says of the token (never the token itself).
 */
import { formatDateTime } from './dates.js';
import type { Directory } from './scim-api.js';
import { relativeTime } from './scim-time.js';

/** The longest overlap the server allows after a rotation: 7 days, in minutes. */
export const MAX_OVERLAP_MINUTES = 7 * 24 * 60;
export const DEFAULT_OVERLAP_MINUTES = 60;

export type TokenTone = 'good' | 'warn' | '';

export function tokenBadge(directory: Directory): { label: string; tone: TokenTone } {
  if (!directory.hasToken) return { label: 'No token', tone: 'warn' };
  if (directory.previousTokenExpiresAt) return { label: 'Rotating', tone: '' };
  return { label: directory.lastRequestAt ? 'Connected' : 'Waiting for the first request', tone: directory.lastRequestAt ? 'good' : '' };
}

/** "Token ending in …abcd, made 3 days ago." or why there is none. */
export function tokenSentence(directory: Directory, now: Date = new Date()): string {
  if (!directory.hasToken) {
    return 'No token: every request from the identity provider is refused. Make a token to connect it again.';
  }
  const ending = directory.tokenHint ? ` ending in …${directory.tokenHint}` : '';
  const made = directory.tokenCreatedAt ? `, made ${relativeTime(directory.tokenCreatedAt, now)}` : '';
  return `The token${ending} is in use${made}.`;
}

/** After a rotation: until when the previous token still works, or '' when none does. */
export function overlapSentence(directory: Directory): string {
  const until = directory.previousTokenExpiresAt;
  return until ? `The previous token keeps working until ${formatDateTime(until)}.` : '';
}

/** The last request, as people read it. */
export function lastRequestSentence(directory: Directory, now: Date = new Date()): string {
  return directory.lastRequestAt
    ? `Last request ${relativeTime(directory.lastRequestAt, now)}.`
    : 'No request from the identity provider yet.';
}

/** Why `value` is not an overlap the server takes, or null when it is one. */
export function overlapProblem(value: string): string | null {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number of minutes, such as 60.';
  const minutes = Number(trimmed);
  if (minutes > MAX_OVERLAP_MINUTES) return `The overlap can be at most ${MAX_OVERLAP_MINUTES} minutes (7 days).`;
  return null;
}
