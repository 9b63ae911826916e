import { css } from 'lit';

/** What `<tn-session-policy>` adds to the base and portal styles. */
export const sessionPolicyStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  fieldset {
    display: grid;
    gap: 0.5rem;
    min-width: 0;
    margin: 0 0 1rem;
    padding: 0;
    border: 0;
  }

  legend {
    padding: 0;
    margin-block-end: 0.25rem;
    font-weight: 600;
    font-size: 0.9375rem;
  }

  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }

  .choice input {
    width: auto;
    margin: 0;
  }

  .inline > .unit {
    flex: 0 1 9rem;
  }

  dl + .hint,
  .saved {
    margin-block-start: 1rem;
  }
`;
