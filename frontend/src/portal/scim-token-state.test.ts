import { describe, expect, it } from 'vitest';
import { directory } from '../testing/scim-data.js';
import { lastRequestSentence, overlapProblem, overlapSentence, tokenBadge, tokenSentence } from './scim-token-state.js';

const NOW = new Date('2026-12-04T10:00:00Z');

describe('the token state', () => {
  it('reads as a badge: no token, rotating, waiting for the first request, connected', () => {
    expect(tokenBadge(directory({ hasToken: false }))).toEqual({ label: 'No token', tone: 'warn' });
    expect(tokenBadge(directory({ previousTokenExpiresAt: '2026-12-04T11:00:00Z' })).label).toBe('Rotating');
    expect(tokenBadge(directory()).label).toBe('Waiting for the first request');
    expect(tokenBadge(directory({ lastRequestAt: '2026-12-04T09:00:00Z' }))).toEqual({ label: 'Connected', tone: 'good' });
  });

  it('names the token by its last characters only, and says until when the previous one works', () => {
    expect(tokenSentence(directory(), NOW)).toBe('The token ending in …x7Qa is in use, made 3 days ago.');
    expect(tokenSentence(directory({ hasToken: false }), NOW)).toContain('every request from the identity provider is refused');
    expect(overlapSentence(directory())).toBe('');
    expect(overlapSentence(directory({ previousTokenExpiresAt: '2026-12-04T11:00:00Z' }))).toMatch(
      /^The previous token keeps working until .*2026/,
    );
    expect(lastRequestSentence(directory({ lastRequestAt: '2026-12-04T09:58:00Z' }), NOW)).toBe('Last request 2 minutes ago.');
  });

  it('takes an overlap of 0 to 10080 whole minutes', () => {
    expect(overlapProblem('0')).toBeNull();
    expect(overlapProblem(' 10080 ')).toBeNull();
    expect(overlapProblem('10081')).toContain('at most 10080');
    expect(overlapProblem('-5')).toContain('whole number');
    expect(overlapProblem('1.5')).toContain('whole number');
    expect(overlapProblem('')).toContain('whole number');
  });
});
