/**
 * "5 minutes ago" for the provisioning log and the last request, with the exact moment kept for
 * the element's `title` and `<time datetime>` (dates.ts formats that one).
 */
import { parseDateTime } from './dates.js';

const STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** How long ago (or from now) `value` is, in the largest unit that fits; the raw text if it does not parse. */
export function relativeTime(value: string, now: Date = new Date()): string {
  const date = parseDateTime(value);
  if (!date) return value;
  let amount = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(amount) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return RELATIVE.format(Math.round(amount), unit);
    amount /= size;
  }
  return value;
}
