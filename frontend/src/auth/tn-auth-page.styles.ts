import { css } from 'lit';

/**
 * What `<tn-auth-page>` adds to the base styles: one calm card, centred on the screen when it is
 * tall enough, near the top with a margin when it is not (phones, short windows), so the first
 * field is always in the first screen.
 */
export const authPageStyles = css`
  :host {
    box-sizing: border-box;
    display: grid;
    place-items: center;
    min-height: 100vh;
    min-height: 100dvh;
    padding: 2rem 1rem;
    background: var(--tn-bg, #f4f4f5);
  }

  .card {
    width: 100%;
    max-width: 25rem;
    padding: 2.5rem 2rem;
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_fg) 10%, transparent);
    border-radius: calc(var(--_radius) * 1.5);
    box-shadow:
      0 1px 2px rgb(0 0 0 / 0.06),
      0 12px 32px -8px rgb(0 0 0 / 0.12);
  }

  .header {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 1rem;
    margin-block-end: 1.5rem;
    text-align: center;
  }

  .header img {
    display: block;
    max-width: 10rem;
    max-height: 3rem;
  }

  .mark {
    display: grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    color: var(--_on-primary);
    background: var(--_primary);
    border-radius: var(--_radius);
    font-size: 1.25rem;
    font-weight: 700;
  }

  h1 {
    margin: 0;
    font-size: 1.375rem;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }

  /* focused only to start a screen reader there (tabindex -1): not a control, so no ring */
  h1:focus {
    outline: none;
  }

  .switch {
    margin: 1.5rem 0 0;
    padding-block-start: 1.25rem;
    text-align: center;
    color: var(--_muted);
    border-block-start: 1px solid color-mix(in srgb, var(--_fg) 10%, transparent);
  }

  .switch a {
    white-space: nowrap;
  }

  @media (max-width: 30rem), (max-height: 40rem) {
    :host {
      place-items: start center;
      padding: 1rem 0.75rem;
    }

    .card {
      padding: 2rem 1.25rem;
    }
  }
`;
