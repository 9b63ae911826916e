import { css } from 'lit';

/** What `<tn-reauthenticate>` adds to the base and portal styles. */
export const reauthenticateStyles = css`
  .panel {
    border: 2px solid var(--_primary);
  }

  h2:focus {
    outline: none;
  }

  h2:focus-visible {
    outline: 3px solid var(--_primary);
    outline-offset: 2px;
  }

  .buttons {
    gap: 0.75rem 1rem;
  }
`;
