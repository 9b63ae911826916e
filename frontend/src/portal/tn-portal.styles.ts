import { css } from 'lit';

/**
 * The portal's frame: a one-line header of fixed height (brand, organization, account menu), the
 * navigation beside the page on wide screens and in a drawer on phones, and a skip link. The
 * navigation's column is reserved while the viewer loads, so nothing shifts when it arrives.
 * Nothing is wider than the viewport, so the page never scrolls sideways.
 */
export const portalShellStyles = css`
  :host {
    min-height: 100vh;
    background: var(--tn-bg, #f3f4f6);
  }

  .skip-link {
    position: absolute;
    inset-inline-start: 0.5rem;
    inset-block-start: -3rem;
    z-index: 10;
    padding: 0.5rem 0.75rem;
    background: var(--_surface);
    color: var(--_fg);
    border-radius: var(--_radius);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }

  .skip-link:focus {
    inset-block-start: 0.5rem;
  }

  /* One line at every width, of a fixed height: nothing below it moves once the viewer loads. */
  .bar {
    display: flex;
    gap: 1rem;
    align-items: center;
    height: 3.5rem;
    padding: 0 1.5rem;
    background: var(--_surface);
    border-bottom: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
  }

  /* Every part of the bar may shrink (names end in "…"): it never pushes the page sideways. */
  .brand {
    flex: 0 1 auto;
    display: flex;
    align-items: center;
    min-width: 0;
  }

  .brand img {
    display: block;
    max-width: 10rem;
    max-height: 2.25rem;
  }

  .app-name {
    overflow: hidden;
    font-size: 1.0625rem;
    font-weight: 700;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .org {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    margin: 0;
    min-width: 0;
    color: var(--_fg);
  }

  .org strong {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .bar .org {
    padding-inline-start: 1rem;
    border-inline-start: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
  }

  sl-dropdown.org {
    display: block;
    flex: 0 1 auto;
    min-width: 0;
  }

  sl-dropdown.org::part(trigger) {
    max-width: 100%;
  }

  .menu-trigger {
    display: inline-flex;
    gap: 0.5rem;
    align-items: center;
    max-width: 100%;
    min-height: 2.5rem;
    padding: 0.25rem 0.625rem;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_fg);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  .menu-trigger:hover {
    background: color-mix(in srgb, var(--_muted) 10%, var(--_surface));
  }

  .trigger-text {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .caret {
    flex: none;
    width: 0.45rem;
    height: 0.45rem;
    margin-inline-start: 0.125rem;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: translateY(-0.15rem) rotate(45deg);
  }

  sl-avatar {
    --size: 2rem;
    flex: none;
  }

  sl-menu-label::part(base) {
    display: grid;
    gap: 0.125rem;
  }

  .who {
    color: var(--_fg);
    font-size: 0.875rem;
    font-weight: 600;
  }

  .who-email {
    font-weight: 400;
    overflow-wrap: anywhere;
  }

  .account {
    display: flex;
    flex: none;
    gap: 0.5rem;
    align-items: center;
    margin-inline-start: auto;
  }

  .account .user {
    max-width: 14rem;
    font-weight: 500;
  }

  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    margin-inline-start: -0.5rem;
    padding: 0;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_fg);
    font-size: 1.5rem;
    cursor: pointer;
  }

  .icon-button:hover {
    background: color-mix(in srgb, var(--_muted) 10%, var(--_surface));
  }

  .layout {
    display: grid;
    grid-template-columns: 13rem minmax(0, 1fr);
    gap: 2rem;
    max-width: 80rem;
    margin: 0 auto;
    padding: 2rem 1.5rem;
  }

  nav ul {
    display: grid;
    gap: 0.125rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  nav a {
    display: block;
    padding: 0.5rem 0.75rem;
    color: var(--_fg);
    text-decoration: none;
    border-radius: var(--_radius);
  }

  nav a:hover {
    background: color-mix(in srgb, var(--_muted) 10%, transparent);
  }

  nav a[aria-current='page'] {
    font-weight: 600;
    color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 10%, var(--_surface));
  }

  main {
    min-width: 0;
  }

  main:focus {
    outline: none;
  }

  /* The Security page stacks two elements, like two sections of one. */
  main > tn-passkeys + tn-security {
    margin-block-start: 2rem;
  }

  h1 {
    margin: 0 0 1.25rem;
    font-size: 1.5rem;
    line-height: 1.25;
  }

  sl-drawer {
    --size: min(20rem, 85vw);
  }

  sl-drawer::part(body) {
    display: grid;
    align-content: start;
    gap: 1rem;
    padding-block-start: 0;
  }

  .drawer-org .org {
    padding-block-end: 1rem;
    border-block-end: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
  }

  @media (max-width: 48rem) {
    .bar {
      gap: 0.5rem;
      padding: 0 1rem;
    }

    /* the name leaves the screen, not the button's accessible name */
    .account .user {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    .layout {
      grid-template-columns: minmax(0, 1fr);
      gap: 0;
      padding: 1.25rem 1rem;
    }

    .sidebar.placeholder {
      display: none;
    }

    h1 {
      font-size: 1.375rem;
    }
  }
`;
