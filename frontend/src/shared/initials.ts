/**
 * Up to two initials for an avatar: the first letters of the first and last words of a name, or
 * of an email's local part when there is no name ("ada.lovelace@x" → "AL"). Letters are taken as
 * whole grapheme clusters, so accented and non-Latin names keep their first character whole.
 */
export function initials(name: string | null | undefined, email = ''): string {
  const source = (name ?? '').trim() || email.split('@')[0] || '';
  const words = source.split(/[\s._-]+/u).filter(Boolean);
  if (!words.length) return '?';
  const first = (word: string) => [...new Intl.Segmenter().segment(word)][0]?.segment ?? '';
  const letters = words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0]);
  return letters.toLocaleUpperCase();
}
