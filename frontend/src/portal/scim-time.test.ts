import { describe, expect, it } from 'vitest';
import { relativeTime } from './scim-time.js';

const NOW = new Date('2026-12-04T12:00:00Z');

describe('relativeTime', () => {
  it('says "just now" under a minute, then the largest unit that fits', () => {
    expect(relativeTime('2026-12-04T11:59:30Z', NOW)).toBe('just now');
    expect(relativeTime('2026-12-04T11:55:00Z', NOW)).toBe('5 minutes ago');
    expect(relativeTime('2026-12-04T09:00:00Z', NOW)).toBe('3 hours ago');
    expect(relativeTime('2026-12-03T12:00:00Z', NOW)).toBe('yesterday');
    expect(relativeTime('2026-10-01T12:00:00Z', NOW)).toBe('2 months ago');
    expect(relativeTime('2026-12-04T13:00:00Z', NOW)).toBe('in 1 hour');
  });

  it('reads a time without an offset as UTC and keeps text it cannot read', () => {
    expect(relativeTime('2026-12-04T11:00:00', NOW)).toBe('1 hour ago');
    expect(relativeTime('not a date', NOW)).toBe('not a date');
  });
});
