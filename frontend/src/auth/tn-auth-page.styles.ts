import { css } from 'lit';

/** What `<tn-auth-page>` adds to the base styles. */
export const authPageStyles = css`
  :host {
    min-height: 100vh;
    padding: 2rem 1rem;
    background: var(--tn-bg, #f3f4f6);
  }

  .card {
    max-width: 28rem;
    margin: 0 auto;
    padding: 2rem 1.5rem;
    background: var(--_surface);
    border-radius: calc(var(--_radius) * 2);
    box-shadow:
      0 1px 3px rgb(0 0 0 / 0.08),
      0 8px 24px rgb(0 0 0 / 0.06);
  }

  .brand {
    margin-block-end: 1.5rem;
  }

  .brand img {
    display: block;
    max-width: 10rem;
    max-height: 3rem;
  }

  .app-name {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 700;
  }

  h1 {
    margin: 0 0 1rem;
    font-size: 1.5rem;
    line-height: 1.25;
  }

  .switch {
    margin: 1.5rem 0 0;
    text-align: center;
    color: var(--_muted);
  }

  @media (max-width: 30rem) {
    :host {
      padding: 0;
    }

    .card {
      min-height: 100vh;
      padding: 1.5rem 1.25rem;
      border-radius: 0;
      box-shadow: none;
    }
  }
`;
