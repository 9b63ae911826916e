import { css } from 'lit';

/** What `<tn-code-step>` adds to the base styles. */
export const codeStepStyles = css`
  .sent strong {
    overflow-wrap: anywhere;
  }

  #code {
    font-size: 1.5rem;
    letter-spacing: 0.3em;
    font-variant-numeric: tabular-nums;
  }
`;
