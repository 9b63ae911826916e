import { css } from 'lit';

/**
 * Shared by every element: fields, buttons, alerts and the focus ring, all drawn from the
 * branding custom properties (defined on :root by /a/branding.css, inherited into shadow
 * roots). The fallbacks are the default palette, which meets WCAG AA on white.
 */
export const baseStyles = css`
  :host {
    --_primary: var(--tn-primary, #4f46e5);
    --_on-primary: var(--tn-on-primary, #ffffff);
    --_surface: var(--tn-surface, #ffffff);
    --_fg: var(--tn-fg, #111827);
    --_muted: var(--tn-muted, #4b5563);
    --_danger: var(--tn-danger, #b91c1c);
    --_radius: var(--tn-radius, 0.5rem);

    display: block;
    color: var(--_fg);
    font-family: var(--tn-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    line-height: 1.5;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  h2 {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
    line-height: 1.3;
  }

  p {
    margin: 0 0 1rem;
  }

  form {
    display: grid;
    gap: 1rem;
  }

  .field {
    display: grid;
    gap: 0.375rem;
  }

  .field p {
    margin: 0;
  }

  label {
    font-weight: 600;
    font-size: 0.9375rem;
  }

  input,
  select,
  textarea {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: var(--_fg);
    background: var(--_surface);
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
  }

  textarea {
    min-height: 6rem;
    resize: vertical;
  }

  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border: 2px solid var(--_danger);
  }

  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .field-error {
    color: var(--_danger);
    font-size: 0.875rem;
    font-weight: 600;
  }

  button {
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .primary {
    width: 100%;
    color: var(--_on-primary);
    background: var(--_primary);
    border: 1px solid var(--_primary);
  }

  .secondary {
    color: var(--_primary);
    background: transparent;
    border: 1px solid var(--_primary);
  }

  .link {
    min-height: auto;
    padding: 0.25rem 0;
    color: var(--_primary);
    background: none;
    border: none;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }

  a {
    color: var(--_primary);
    text-underline-offset: 0.2em;
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  :focus-visible {
    outline: 3px solid var(--_primary);
    outline-offset: 2px;
  }

  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline-offset: 1px;
  }

  .alert {
    padding: 0.75rem 1rem;
    margin-block-end: 1rem;
    color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 6%, var(--_surface));
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }

  .alert p {
    margin: 0;
  }

  .alert:focus-visible,
  .alert:focus {
    outline: 3px solid var(--_danger);
    outline-offset: 2px;
  }

  .status {
    color: var(--_muted);
  }

  /* Read by screen readers, not drawn: labels that a visible column header already gives. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0.5rem 1rem;
  }

  /* Initials on a quiet tint of the text colour: readable (AA) whatever the brand colour is. */
  sl-avatar::part(base) {
    background: color-mix(in srgb, var(--_fg) 12%, var(--_surface));
    color: var(--_fg);
    font-weight: 600;
  }
`;
