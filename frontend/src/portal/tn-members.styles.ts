import { css } from 'lit';

/** What `<tn-members>` adds to the base and portal styles. */
export const membersStyles = css`
  :host {
    display: block;
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: flex-end;
    justify-content: space-between;
    margin-block-end: 1rem;
  }

  .filters {
    display: flex;
    flex: 1 1 28rem;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    min-width: 0;
  }

  .filters .field {
    flex: 0 1 10rem;
    min-width: 8rem;
    margin: 0;
  }

  .filters .search {
    flex: 1 1 14rem;
  }

  .invite {
    display: inline-flex;
    gap: 0.5rem;
    align-items: center;
  }

  .list {
    padding-block: 0.25rem;
  }

  .summary {
    margin: 0.5rem 0 0.25rem;
    font-size: 0.875rem;
  }

  .summary:empty {
    display: none;
  }

  .more {
    margin-block: 0.75rem;
  }

  tn-invitation-list {
    margin-block-start: 1.5rem;
  }

  .empty {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    padding: 2rem 1rem;
    text-align: center;
  }

  .empty sl-icon {
    font-size: 2rem;
    color: var(--_muted);
  }

  .empty p {
    margin: 0;
    max-width: 32rem;
  }

  .skeleton {
    display: grid;
    gap: 1rem;
    padding: 1rem;
  }

  .skeleton-row {
    display: flex;
    gap: 0.75rem;
    align-items: center;
  }

  .skeleton-lines {
    display: grid;
    flex: 1;
    gap: 0.375rem;
  }

  sl-skeleton {
    height: 0.75rem;
    max-width: 20rem;
  }

  sl-skeleton.short {
    max-width: 12rem;
  }

  sl-skeleton.circle {
    flex: none;
    width: 2.25rem;
    height: 2.25rem;
    --border-radius: 50%;
  }

  @media (max-width: 40rem) {
    .toolbar {
      flex-direction: column-reverse;
      align-items: stretch;
    }

    .invite {
      align-self: flex-end;
    }

    .filters {
      flex: none;
    }

    .filters .field,
    .filters .search {
      flex: 1 1 100%;
    }

    .filters .field:not(.search) {
      flex: 1 1 40%;
    }

    .list.panel {
      padding-inline: 0.75rem;
    }

    tn-invitation-list {
      margin-block-start: 1rem;
    }
  }
`;
