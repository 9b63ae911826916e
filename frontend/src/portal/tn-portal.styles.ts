import { css } from 'lit';

/**
 * The portal's frame: a header bar that wraps onto several lines on a phone, and navigation
 * beside the page on wide screens and above it on narrow ones. Nothing is wider than the
 * viewport, so the page never scrolls sideways.
 */
export const portalShellStyles = css`
  :host {
    min-height: 100vh;
    background: var(--tn-bg, #f3f4f6);
  }

  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
    align-items: center;
    padding: 0.75rem 1.5rem;
    background: var(--_surface);
    border-bottom: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
  }

  .brand img {
    display: block;
    max-width: 10rem;
    max-height: 2.5rem;
  }

  .app-name {
    font-size: 1.125rem;
    font-weight: 700;
  }

  .org {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .org .label,
  .org label {
    color: var(--_muted);
    font-weight: 600;
    font-size: 0.875rem;
  }

  .org select {
    width: auto;
    min-width: 12rem;
    max-width: 100%;
  }

  .account {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    margin-inline-start: auto;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .account form {
    display: block;
  }

  .layout {
    display: grid;
    grid-template-columns: 12rem minmax(0, 1fr);
    gap: 2rem;
    max-width: 76rem;
    margin: 0 auto;
    padding: 2rem 1.5rem;
  }

  nav ul {
    display: grid;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  nav a {
    display: block;
    padding: 0.5rem 0.75rem;
    color: var(--_fg);
    text-decoration: none;
    border-inline-start: 4px solid transparent;
    border-radius: var(--_radius);
  }

  nav a:hover {
    text-decoration: underline;
  }

  nav a[aria-current='page'] {
    font-weight: 700;
    background: var(--_surface);
    border-inline-start-color: var(--_primary);
  }

  main {
    min-width: 0;
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

  @media (max-width: 48rem) {
    .bar {
      padding: 0.75rem 1rem;
    }

    .org,
    .org select {
      width: 100%;
    }

    .account {
      margin-inline-start: 0;
      width: 100%;
      justify-content: space-between;
    }

    .layout {
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
      padding: 1rem;
    }

    nav ul {
      display: flex;
      flex-wrap: wrap;
    }

    nav a {
      border-inline-start: 0;
      border-bottom: 4px solid transparent;
    }

    nav a[aria-current='page'] {
      border-bottom-color: var(--_primary);
    }
  }
`;
