import { css } from 'lit';

/** What `<tn-email-step>` adds to the base styles. */
export const emailStepStyles = css`
  .intro {
    margin-block-end: 1.25rem;
    color: var(--_muted);
    text-align: center;
  }
`;
