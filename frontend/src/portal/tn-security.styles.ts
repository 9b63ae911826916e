import { css } from 'lit';

/** What `<tn-security>` adds to the base, portal and card-list styles. */
export const securityStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  .session {
    display: grid;
    gap: 0.125rem;
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

  .notice {
    margin-block-end: 1rem;
  }

  .buttons {
    margin-block-start: 1rem;
  }
`;
