import { css } from 'lit';

/** What `<tn-passkey-sign-in>` adds to the base styles. */
export const passkeySignInStyles = css`
  .or {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    margin: 1.25rem 0 1rem;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .or::before,
  .or::after {
    content: '';
    flex: 1;
    border-block-start: 1px solid color-mix(in srgb, var(--_muted) 40%, transparent);
  }

  .secondary {
    width: 100%;
  }
`;
