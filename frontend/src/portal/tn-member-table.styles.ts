import { css } from 'lit';

/**
 * The members table: fixed columns on a wide container, where no word breaks (long names and
 * emails end in an ellipsis, with the whole value in their title); on a narrow one (such as a
 * 360 px phone) a compact list, one person on one or two lines: avatar, name and email, role, ⋯.
 * The table keeps its semantics; only the header row hides when narrow.
 */
export const membersTableStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }

  table {
    width: 100%;
    table-layout: fixed;
    border-collapse: collapse;
  }

  th,
  td {
    padding: 0.625rem 0.75rem;
    text-align: start;
    vertical-align: middle;
    overflow-wrap: normal;
    word-break: normal;
    border-bottom: 1px solid color-mix(in srgb, var(--_muted) 22%, var(--_surface));
  }

  tbody tr:last-child > * {
    border-bottom: 0;
  }

  thead th {
    padding-block: 0.5rem;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--_muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }

  th.role {
    width: 8.5rem;
  }

  th.status {
    width: 6.5rem;
  }

  th.seen {
    width: 9rem;
  }

  th.menu-cell {
    width: 3.5rem;
  }

  td.menu-cell {
    text-align: end;
    padding-inline-end: 0.5rem;
  }

  tbody th {
    font-weight: 400;
  }

  tbody th:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: -2px;
  }

  .person {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    min-width: 0;
  }

  .avatar {
    flex: none;
    display: inline-flex;
  }

  sl-avatar {
    --size: 2.25rem;
  }

  sl-avatar::part(base) {
    color: var(--_fg);
    background: color-mix(in srgb, var(--_primary) 14%, var(--_surface));
  }

  sl-avatar::part(initials) {
    font-size: 0.8125rem;
    font-weight: 600;
  }

  .lines {
    display: grid;
    min-width: 0;
  }

  .name,
  .email,
  .managed,
  .role-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .name {
    font-weight: 600;
  }

  .you {
    font-weight: 400;
    color: var(--_muted);
  }

  .email,
  .managed {
    font-size: 0.875rem;
    color: var(--_muted);
  }

  td.role,
  td.status,
  td.seen {
    white-space: nowrap;
  }

  td.role {
    overflow: hidden;
    font-size: 0.9375rem;
  }

  .role-name,
  .managed {
    display: block;
  }

  .managed {
    font-size: 0.8125rem;
  }

  td.seen {
    font-size: 0.875rem;
    color: var(--_fg);
    overflow: hidden;
    text-overflow: ellipsis;
  }

  .inline-status,
  .inline-role {
    display: none;
  }

  .sub {
    display: flex;
    min-width: 0;
  }

  /* The change-role dialog's choice, slotted from here. */
  .role-choice {
    display: grid;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    border: 0;
  }

  .role-choice legend {
    margin-block-end: 0.5rem;
    padding: 0;
    font-weight: 600;
  }

  .choice {
    display: flex;
    gap: 0.625rem;
    align-items: center;
    margin: 0;
    padding: 0.625rem 0.75rem;
    font-weight: 400;
    border: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .choice:has(input:checked) {
    border-color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 6%, var(--_surface));
  }

  .choice input {
    flex: none;
    width: 1rem;
    height: 1rem;
    margin: 0;
    padding: 0;
    accent-color: var(--_primary);
  }

  .choice input:focus-visible {
    box-shadow: none;
    outline: none;
  }

  .choice:has(input:focus-visible) {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }

  .current {
    margin-inline-start: auto;
    font-size: 0.8125rem;
    color: var(--_muted);
  }

  tn-confirm-dialog p {
    margin: 0;
  }

  /* Mid widths (a tablet, a laptop with the navigation beside): Status moves under the name. */
  @container (max-width: 52rem) {
    th.status,
    td.status {
      display: none;
    }

    th.role {
      width: 7.5rem;
    }

    th.seen {
      width: 8rem;
    }

    .inline-status {
      display: inline-flex;
      flex: none;
    }
  }

  @container (max-width: 40rem) {
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    th,
    td {
      padding: 0.5rem 0.25rem;
    }

    /* Member takes what ⋯ leaves; max-width 0 lets its lines end in an ellipsis. */
    table {
      table-layout: auto;
    }

    tbody th.who {
      width: 100%;
      max-width: 0;
    }

    tbody th {
      padding-inline-start: 0;
    }

    td.status,
    td.seen {
      display: none;
    }

    td.role {
      display: none;
    }

    .inline-role {
      display: inline;
      flex: none;
      font-size: 0.875rem;
      color: var(--_fg);
    }

    .inline-role:has(+ .email)::after {
      content: '·';
      padding-inline: 0.375rem;
      color: var(--_muted);
    }

    td.menu-cell {
      width: 2.75rem;
      padding-inline-end: 0;
    }

    .managed {
      display: none;
    }

    sl-avatar {
      --size: 2rem;
    }

    .person {
      gap: 0.625rem;
    }

    .inline-status {
      display: inline-flex;
      flex: none;
    }
  }
`;
