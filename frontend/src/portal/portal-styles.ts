import { css } from 'lit';

/**
 * What the portal's elements add to `baseStyles`: sections, badges, inline forms, the
 * destructive button and the success message. Colours come only from the branding custom
 * properties. Text is --tn-fg (or --tn-on-primary on --tn-primary) and the focus ring has an
 * inner --tn-fg edge, so contrast holds even when a brand's primary is light, such as yellow.
 */
export const portalStyles = css`
  .primary {
    width: auto;
  }

  .secondary,
  .link {
    color: var(--_fg);
  }

  .link {
    text-decoration-color: var(--_primary);
    text-decoration-thickness: 2px;
  }

  :focus-visible {
    box-shadow: 0 0 0 2px var(--_fg);
  }

  button {
    white-space: nowrap;
    overflow-wrap: normal;
  }

  form {
    max-width: 40rem;
  }

  section + section {
    margin-block-start: 2rem;
  }

  .panel {
    padding: 1.25rem;
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
    border-radius: var(--_radius);
  }

  @media (max-width: 30rem) {
    .panel {
      padding: 1rem 0.75rem;
    }
  }

  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    font-size: 0.8125rem;
    font-weight: 600;
    line-height: 1.6;
    color: var(--_fg);
    white-space: nowrap;
    background: color-mix(in srgb, var(--_muted) 12%, var(--_surface));
    border: 1px solid var(--_muted);
    border-radius: 999px;
  }

  .badge.good {
    background: color-mix(in srgb, var(--_primary) 10%, var(--_surface));
    border-color: var(--_primary);
  }

  .badge.warn {
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
    border-color: var(--_danger);
  }

  .danger {
    color: var(--_danger);
    background: var(--_surface);
    border: 1px solid var(--_danger);
  }

  .inline {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }

  .inline > .field {
    flex: 1 1 12rem;
  }

  .success {
    padding: 0.75rem 1rem;
    margin: 0;
    color: var(--_fg);
    background: color-mix(in srgb, var(--_primary) 8%, var(--_surface));
    border: 1px solid var(--_primary);
    border-radius: var(--_radius);
  }

  .success:focus {
    outline: 3px solid var(--_primary);
    outline-offset: 2px;
  }

  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }

  dl {
    display: grid;
    gap: 0.75rem;
    margin: 0;
  }

  dt {
    font-weight: 600;
  }

  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
`;
