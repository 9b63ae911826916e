import { css } from 'lit';

/** What `<tn-invitation-list>` adds to the base and portal styles: one quiet line per invitation. */
export const invitationListStyles = css`
  :host {
    display: block;
  }

  .panel {
    padding-block: 1rem 0.5rem;
  }

  h2 {
    display: flex;
    padding-inline-start: 0.75rem;
    gap: 0.5rem;
    align-items: center;
    margin-block-end: 0.25rem;
    font-size: 1rem;
  }

  h2:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }

  .count {
    padding: 0 0.5rem;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--_fg);
    background: color-mix(in srgb, var(--_muted) 14%, var(--_surface));
    border-radius: 999px;
  }

  .invitations {
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    padding: 0.5rem 0.5rem 0.5rem 0.75rem;
    border-bottom: 1px solid color-mix(in srgb, var(--_muted) 22%, var(--_surface));
  }

  li:last-child {
    border-bottom: 0;
  }

  .avatar {
    display: inline-flex;
    flex: none;
  }

  sl-avatar {
    --size: 2rem;
  }

  sl-avatar::part(base) {
    color: var(--_fg);
    background: color-mix(in srgb, var(--_muted) 14%, var(--_surface));
  }

  sl-avatar::part(initials) {
    font-size: 0.8125rem;
    font-weight: 600;
  }

  .lines {
    display: grid;
    flex: 1;
    min-width: 0;
  }

  .email,
  .details {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .email {
    font-weight: 600;
  }

  .details {
    font-size: 0.875rem;
    color: var(--_muted);
  }

  .menu-cell {
    flex: none;
    min-width: 2.25rem;
  }

  tn-confirm-dialog p {
    margin: 0;
  }
`;
