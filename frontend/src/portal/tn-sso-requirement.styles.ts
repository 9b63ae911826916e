import { css } from 'lit';

/** What `<tn-sso-requirement>` adds to the base and portal styles: the switch and the confirmation. */
export const ssoRequirementStyles = css`
  .title {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
    margin-block-end: 0.5rem;
  }

  .title h2 {
    margin: 0;
  }

  .intro {
    margin: 0 0 1rem;
  }

  .switch {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    margin: 0;
    font-weight: 600;
    cursor: pointer;
  }

  .switch input {
    appearance: none;
    position: relative;
    flex: 0 0 auto;
    width: 2.75rem;
    min-height: 0;
    height: 1.5rem;
    margin: 0;
    padding: 0;
    background: color-mix(in srgb, var(--_muted) 35%, var(--_surface));
    border: 1px solid var(--_muted);
    border-radius: 999px;
    cursor: inherit;
  }

  .switch input::before {
    content: '';
    position: absolute;
    inset-block-start: 0.125rem;
    inset-inline-start: 0.125rem;
    width: 1.125rem;
    height: 1.125rem;
    background: var(--_surface);
    border: 1px solid var(--_muted);
    border-radius: 50%;
    transition: transform 0.15s ease;
  }

  .switch input:checked {
    background: var(--_primary);
    border-color: var(--_primary);
  }

  .switch input:checked::before {
    transform: translateX(1.25rem);
    border-color: var(--_primary);
  }

  .switch input:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }

  .switch input:disabled {
    opacity: 0.55;
  }

  .switch:has(input:disabled) {
    cursor: not-allowed;
  }

  @media (prefers-reduced-motion: reduce) {
    .switch input::before {
      transition: none;
    }
  }

  .setting {
    display: grid;
    gap: 0.375rem;
    margin: 0 0 1.25rem;
  }

  .setting p {
    margin: 0;
  }

  .confirm {
    margin-block-start: 0.5rem;
  }

  .confirm p {
    margin: 0 0 0.5rem;
    font-weight: 600;
  }

  .saved {
    margin-block-start: 1rem;
  }
`;
