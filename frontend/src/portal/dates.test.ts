import { describe, expect, it } from 'vitest';
import { formatDateTime, isPast, parseDateTime } from './dates.js';

describe('API timestamps', () => {
  it('reads ISO 8601 with an offset', () => {
    expect(parseDateTime('2026-11-20T09:30:00+01:00')?.toISOString()).toBe(
      '2026-11-20T08:30:00.000Z',
    );
  });

  it('takes a timestamp without an offset as UTC, the server clock', () => {
    expect(parseDateTime('2026-11-20T09:30:00')?.toISOString()).toBe('2026-11-20T09:30:00.000Z');
  });

  it('formats for people, keeping unparseable text as it is', () => {
    expect(formatDateTime('2026-11-20T09:30:00Z')).toMatch(/2026/);
    expect(formatDateTime('soon')).toBe('soon');
  });

  it('tells whether a moment has passed', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    expect(isPast('2026-11-27T23:59:59Z', now)).toBe(true);
    expect(isPast('2026-11-28T00:00:01Z', now)).toBe(false);
  });
});
