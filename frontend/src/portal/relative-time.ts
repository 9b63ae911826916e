/**
 * A moment as "2 minutes ago" or "yesterday", with the exact date and time on hover (`title`)
 * and in `<time datetime>` for assistive technology and copying.
 */
import { html } from 'lit';
import { formatDateTime } from './dates.js';
import { relativeTime } from './scim-time.js';

/** `<time>` reading relatively, exact in its title; `now` is for tests. */
export function timeAgo(value: string, now?: Date) {
  return html`<time datetime=${value} title=${formatDateTime(value)}>${relativeTime(value, now)}</time>`;
}
