import { css } from 'lit';

/** What `<tn-domains>` adds to the base and portal styles. */
export const domainsStyles = css`
  .domain-list {
    display: grid;
    gap: 1rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .domain {
    padding: 1rem;
    border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
    border-radius: var(--_radius);
  }

  .domain-head {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
    margin-block-end: 0.5rem;
  }

  h3 {
    margin: 0;
    font-size: 1rem;
    overflow-wrap: anywhere;
  }

  .record {
    margin-block-end: 0.75rem;
  }

  .record dd {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  code {
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

  .domain .hint {
    margin-block-end: 0.5rem;
  }

  .confirm p {
    margin-block-end: 0.5rem;
    font-weight: 600;
  }

  .inline .primary {
    flex: 0 0 auto;
  }


  #domains-explanation,
  [data-testid='domains-allowed-note'] {
    margin: 0.25rem 0 0;
  }

  .notice:not(:empty),
  .panel > .alert {
    display: block;
    margin-block-start: 1rem;
  }

  .domain-list,
  .empty {
    margin-block-start: 1rem;
  }

  .empty {
    margin-block-end: 0;
  }

  .badge.pending {
    background: color-mix(in srgb, var(--_muted) 8%, var(--_surface));
    border-style: dashed;
  }

  .skeleton {
    display: grid;
    gap: 0.5rem;
    margin-block-start: 1rem;
  }

  sl-skeleton.line {
    width: min(16rem, 70%);
    height: 0.875rem;
  }

  sl-skeleton.wide {
    width: min(12rem, 60%);
    height: 1.125rem;
  }
`;
