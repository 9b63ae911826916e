import { css } from 'lit';

/** What `<tn-security>` adds to the base, portal and card-list styles. */
export const securityStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  .session {
    display: grid;
    gap: 0.25rem;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .device {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  .details {
    font-size: 0.875rem;
  }

  li[data-current] {
    border-color: color-mix(in srgb, var(--_primary) 45%, var(--_surface));
  }

  .skeletons .session {
    flex: 1;
    gap: 0.5rem;
  }

  sl-skeleton.line {
    width: min(14rem, 70%);
    height: 0.875rem;
  }

  sl-skeleton.wide {
    width: min(20rem, 90%);
    height: 1.125rem;
  }

  .notice {
    margin-block-end: 1rem;
  }

  .buttons {
    margin-block-start: 1rem;
  }
`;
