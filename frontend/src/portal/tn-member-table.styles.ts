import { css } from 'lit';

/**
 * The members table: rows on a wide container, one card per member on a narrow one (such as a
 * 360 px phone), so the page never scrolls sideways. The cells keep explicit table roles, since
 * some browsers drop a table's semantics once its display changes.
 */
export const membersTableStyles = css`
  .table-wrap {
    container-type: inline-size;
  }

  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--_surface);
  }

  th,
  td {
    padding: 0.5rem 0.75rem;
    text-align: start;
    vertical-align: middle;
    overflow-wrap: anywhere;
    border-bottom: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
  }

  thead th {
    font-size: 0.875rem;
    color: var(--_muted);
  }

  tbody th {
    font-weight: 600;
  }

  td select {
    min-width: 8rem;
  }

  .you {
    font-weight: 400;
    color: var(--_muted);
  }

  .cell-label {
    display: none;
  }

  .confirm p {
    margin: 0 0 0.5rem;
  }

  @container (max-width: 46rem) {
    table,
    tbody,
    tr,
    th,
    td {
      display: block;
    }

    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    table {
      background: transparent;
    }

    tr {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem;
      margin-block-end: 0.75rem;
      background: var(--_surface);
      border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
      border-radius: var(--_radius);
    }

    th,
    td {
      padding: 0;
      border: 0;
    }

    .cell-label {
      display: block;
      font-size: 0.8125rem;
      font-weight: 600;
      color: var(--_muted);
    }

    td select {
      width: 100%;
    }
  }

  .managed {
    display: block;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
`;
