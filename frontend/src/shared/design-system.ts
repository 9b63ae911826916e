/**
 * The design system under every page: Shoelace's components (dialogs, menus, drawers, tooltips,
 * avatars, badges, relative times, toasts), themed by the branding custom properties.
 *
 * Each element imports only the Shoelace components it uses
 * (`import '@shoelace-style/shoelace/dist/components/dialog/dialog.js'`), so a page's chunk carries
 * what it shows. This module, loaded once by every entry, does what they share:
 *
 * - adopts Shoelace's design tokens on the document (light, and dark when the system asks for it),
 *   with the brand's colour, font and radius mapped onto them (`--tn-*` come from /a/branding.css);
 * - registers the icon library with the few icons we draw, inline: Shoelace's default library
 *   would fetch icons from a CDN, and a self-hosted identity service makes no third-party requests.
 *
 * Shoelace over Web Awesome (its successor): for the same twelve components Web Awesome 3.14
 * weighs 65 KB gzip and Shoelace 2.20 44 KB, and the portal's first load must stay under 60 KB.
 */
import { registerIconLibrary } from '@shoelace-style/shoelace/dist/utilities/icon-library.js';
import darkTokens from '@shoelace-style/shoelace/dist/themes/dark.css?inline';
import lightTokens from '@shoelace-style/shoelace/dist/themes/light.css?inline';
import arrowLeft from './icons/arrow-left.svg?raw';
import boxArrowRight from './icons/box-arrow-right.svg?raw';
import building from './icons/building.svg?raw';
import check2 from './icons/check2.svg?raw';
import envelope from './icons/envelope.svg?raw';
import exclamationTriangle from './icons/exclamation-triangle.svg?raw';
import infoCircle from './icons/info-circle.svg?raw';
import list from './icons/list.svg?raw';
import pencil from './icons/pencil.svg?raw';
import personPlus from './icons/person-plus.svg?raw';
import plusLg from './icons/plus-lg.svg?raw';
import threeDots from './icons/three-dots.svg?raw';
import trash from './icons/trash.svg?raw';
import check2Circle from './icons/check2-circle.svg?raw';
import xCircle from './icons/x-circle.svg?raw';
import personGear from './icons/person-gear.svg?raw';
import personDash from './icons/person-dash.svg?raw';
import arrowRepeat from './icons/arrow-repeat.svg?raw';
import people from './icons/people.svg?raw';
import exclamationOctagon from './icons/exclamation-octagon.svg?raw';

/** The icons `<sl-icon name="…">` can show: Bootstrap Icons, Shoelace's own set. */
export const ICONS: Readonly<Record<string, string>> = {
  'arrow-left': arrowLeft,
  'box-arrow-right': boxArrowRight,
  building,
  check2,
  envelope,
  'exclamation-triangle': exclamationTriangle,
  'info-circle': infoCircle,
  list,
  pencil,
  'person-plus': personPlus,
  'plus-lg': plusLg,
  'three-dots': threeDots,
  trash,
  'check2-circle': check2Circle,
  'x-circle': xCircle,
  'person-gear': personGear,
  'person-dash': personDash,
  'arrow-repeat': arrowRepeat,
  people,
  'exclamation-octagon': exclamationOctagon,
};

/** The icon's SVG as a data: URL (the CSP's connect-src allows data:, which sl-icon fetches), or
 * an empty string for a name we do not ship, which sl-icon shows as nothing. */
export function iconUrl(name: string): string {
  const svg = ICONS[name];
  return svg ? `data:image/svg+xml,${encodeURIComponent(svg)}` : '';
}

/**
 * Shoelace's tokens drawn from ours: the brand's primary colour in its three shades, surfaces,
 * text, the focus ring, font and radius. `color-mix` makes the lighter and darker shades, so a
 * brand colour set at run time themes every component.
 */
const bridge = `
:root {
  --sl-color-primary-50: color-mix(in srgb, var(--tn-primary) 8%, var(--tn-surface));
  --sl-color-primary-100: color-mix(in srgb, var(--tn-primary) 16%, var(--tn-surface));
  --sl-color-primary-200: color-mix(in srgb, var(--tn-primary) 30%, var(--tn-surface));
  --sl-color-primary-300: color-mix(in srgb, var(--tn-primary) 50%, var(--tn-surface));
  --sl-color-primary-400: color-mix(in srgb, var(--tn-primary) 75%, var(--tn-surface));
  --sl-color-primary-500: color-mix(in srgb, var(--tn-primary) 90%, var(--tn-surface));
  --sl-color-primary-600: var(--tn-primary);
  --sl-color-primary-700: color-mix(in srgb, var(--tn-primary) 88%, var(--tn-fg));
  --sl-color-primary-800: color-mix(in srgb, var(--tn-primary) 75%, var(--tn-fg));
  --sl-color-primary-950: color-mix(in srgb, var(--tn-primary) 50%, var(--tn-fg));
  --sl-color-neutral-0: var(--tn-surface);
  --sl-color-neutral-700: var(--tn-muted);
  --sl-color-neutral-900: var(--tn-fg);
  --sl-color-neutral-1000: var(--tn-fg);
  --sl-color-danger-600: var(--tn-danger);
  --sl-panel-background-color: var(--tn-surface);
  --sl-input-background-color: var(--tn-surface);
  --sl-input-color: var(--tn-fg);
  --sl-focus-ring-color: var(--tn-primary);
  --sl-font-sans: var(--tn-font);
  --sl-border-radius-medium: var(--tn-radius);
  --sl-border-radius-large: calc(var(--tn-radius) * 1.5);
  --sl-overlay-background-color: rgb(0 0 0 / 45%);
}
`;

function sheet(text: string): CSSStyleSheet {
  const made = new CSSStyleSheet();
  made.replaceSync(text);
  return made;
}

/** Shoelace's dark tokens apply to `.sl-theme-dark`; here they apply when the system is dark. */
function darkWhenAsked(tokens: string): string {
  return `@media (prefers-color-scheme: dark) {\n${tokens.replace(/:host,\s*\.sl-theme-dark\s*\{/, ':root {')}\n}`;
}

let adopted: CSSStyleSheet[] | null = null;

/** Adopts the tokens on `doc` and registers the icons; safe to call more than once. */
export function installDesignSystem(doc: Document = document): void {
  adopted ??= [sheet(lightTokens), sheet(darkWhenAsked(darkTokens)), sheet(bridge)];
  const missing = adopted.filter((one) => !doc.adoptedStyleSheets.includes(one));
  if (missing.length) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, ...missing];
  registerIconLibrary('default', { resolver: iconUrl });
}
