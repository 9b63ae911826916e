import { describe, expect, it } from 'vitest';
import { initials } from './initials.js';

describe('initials', () => {
  it('takes the first and last names’ first letters', () => {
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('  grace  ')).toBe('G');
  });

  it('falls back to the email’s local part, split at dots, dashes and underscores', () => {
    expect(initials('', 'ada.lovelace@example.com')).toBe('AL');
    expect(initials(null, 'nora@example.com')).toBe('N');
  });

  it('keeps a first character whole when it is more than one code point', () => {
    expect(initials('Émile Zola')).toBe('ÉZ');
    expect(initials('👩🏽‍💻 Coder')).toBe('👩🏽‍💻C');
  });

  it('says something for nothing', () => {
    expect(initials('', '')).toBe('?');
  });
});
