import { css } from 'lit';

/** What `<tn-session-policy>` adds to the base and portal styles. */
export const sessionPolicyStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  form {
    gap: 1.25rem;
  }

  fieldset {
    display: grid;
    gap: 0.375rem;
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }

  fieldset .hint {
    margin: 0 0 0.25rem;
  }

  legend {
    padding: 0;
    margin-block-end: 0.375rem;
    font-weight: 600;
    font-size: 0.9375rem;
  }

  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    min-height: 2rem;
    font-weight: 400;
    cursor: pointer;
  }

  .choice input {
    width: 1.125rem;
    height: 1.125rem;
    min-height: 0;
    margin: 0;
    padding: 0;
    accent-color: var(--_primary);
    cursor: pointer;
  }

  .inline.timeout {
    gap: 0.5rem;
  }

  .inline.timeout > .field {
    flex: 0 0 auto;
  }

  .amount input {
    width: 6.5rem;
  }

  .unit select {
    width: auto;
    min-width: 8rem;
  }

  dl + .hint,
  .saved {
    margin-block-start: 1rem;
  }

  .skeleton {
    display: grid;
    gap: 0.5rem;
  }

  sl-skeleton {
    width: min(20rem, 80%);
    height: 1rem;
  }

  sl-skeleton.term {
    width: min(9rem, 40%);
    margin-block-start: 0.5rem;
  }
`;
