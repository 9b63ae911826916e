import { css } from 'lit';

/** What `<tn-scim-directory>` adds to the base and portal styles: the credentials and the token shown once. */
export const scimDirectoryStyles = css`
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1rem;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
    margin-block-end: 0.25rem;
  }

  .head h2 {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .credentials {
    grid-template-columns: minmax(0, 1fr);
    margin-block: 1rem;
  }

  .credentials dd {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  code {
    min-width: 0;
    padding: 0.125rem 0.375rem;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.875rem;
    overflow-wrap: anywhere;
    background: color-mix(in srgb, var(--_muted) 10%, var(--_surface));
    border-radius: calc(var(--_radius) / 2);
  }

  .copy {
    min-height: 2.25rem;
    padding: 0.25rem 0.75rem;
  }

  .token-once {
    display: grid;
    gap: 0.5rem;
    padding: 1rem;
    margin-block: 1rem;
    background: color-mix(in srgb, var(--_primary) 6%, var(--_surface));
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
  }

  .token-once p {
    margin: 0;
  }

  .token-once .warning {
    font-weight: 700;
  }

  .token-once code {
    font-size: 0.9375rem;
  }

  .token-once .buttons {
    justify-content: space-between;
  }

  .danger-zone {
    border-color: var(--_danger);
  }

  .field.overlap {
    max-width: 16rem;
    margin-block-start: 0.75rem;
  }
`;
