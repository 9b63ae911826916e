import { css } from 'lit';

/**
 * The SCIM page's tables (attributes to map, role mapping, provisioning log, users, groups): a
 * table on a wide screen, a card per row on a narrow one, where each cell shows its column's name
 * (`.cell-label`, hidden from screen readers, which have the header). Themed by the portal's
 * `--_muted`, `--_surface`, `--_radius`.
 */
export const scimListStyles = css`
  .table-wrap {
    overflow-x: auto;
  }

  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9375rem;
  }

  caption {
    text-align: start;
  }

  th,
  td {
    padding: 0.5rem 0.75rem 0.5rem 0;
    text-align: start;
    vertical-align: top;
    border-block-end: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
  }

  thead th {
    font-size: 0.8125rem;
    color: var(--_muted);
  }

  td code,
  th code {
    overflow-wrap: anywhere;
  }

  .cell-label {
    display: none;
  }

  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: end;
    margin-block-end: 1rem;
  }

  .filters .field {
    flex: 1 1 14rem;
    margin: 0;
  }

  .more {
    margin-block-start: 1rem;
  }

  @media (max-width: 40rem) {
    table,
    tbody,
    tr,
    th,
    td {
      display: block;
      width: 100%;
    }

    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }

    tr {
      padding: 0.5rem 0;
      border-block-end: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
    }

    th,
    td {
      padding: 0.125rem 0;
      border: 0;
    }

    .cell-label {
      display: inline;
      margin-inline-end: 0.375rem;
      font-size: 0.8125rem;
      font-weight: 600;
      color: var(--_muted);
    }
  }
`;
