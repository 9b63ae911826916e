import { css } from 'lit';

/** What `<tn-email-step>` adds to the base styles. */
export const emailStepStyles = css`
  .intro {
    color: var(--_muted);
  }
`;
