import { css } from 'lit';

/** What `<tn-members>` adds to the base and portal styles. */
export const membersStyles = css`
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: 0.75rem;
    margin-block-end: 1rem;
  }

  .more {
    margin-block-start: 1rem;
  }

  tn-invite-members,
  tn-invitation-list {
    display: block;
    margin-block-start: 1.5rem;
  }
`;
