/**
 * Timestamps from the API, shown in the person's locale and time zone. The API's `DateTime` is
 * ISO 8601; one without an offset is taken as UTC, the server's clock.
 */

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function parseDateTime(value: string): Date | null {
  const zoned = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The moment as people read it, or the raw text when it does not parse. */
export function formatDateTime(value: string): string {
  const date = parseDateTime(value);
  return date ? FORMAT.format(date) : value;
}

/** Whether `value` is earlier than `now`. */
export function isPast(value: string, now: Date = new Date()): boolean {
  const date = parseDateTime(value);
  return date !== null && date.getTime() < now.getTime();
}
