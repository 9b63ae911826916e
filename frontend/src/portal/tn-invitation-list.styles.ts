import { css } from 'lit';

/** What `<tn-invitation-list>` adds to the base, portal and card-list styles. */
export const invitationListStyles = css`
  .who {
    display: grid;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .details {
    color: var(--_muted);
    font-size: 0.875rem;
  }
`;
