import { css } from 'lit';

/** What `<tn-sso-setup>` adds to the base and portal styles: the steps and the values. */
export const ssoSetupStyles = css`
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1rem;
  }

  h4 {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
    margin-block-end: 0.25rem;
  }

  .head h2 {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .steps {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1.25rem;
    margin: 0;
    padding-inline-start: 1.75rem;
  }

  .step::marker {
    font-weight: 700;
  }

  .step p {
    margin-block-end: 0.75rem;
  }

  .values {
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
    margin-block-end: 0.75rem;
  }

  .values dd {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  code,
  pre {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.875rem;
    background: color-mix(in srgb, var(--_muted) 10%, var(--_surface));
    border-radius: calc(var(--_radius) / 2);
  }

  code {
    min-width: 0;
    padding: 0.125rem 0.375rem;
    overflow-wrap: anywhere;
  }

  pre {
    max-height: 12rem;
    padding: 0.5rem;
    margin: 0.5rem 0 0;
    overflow: auto;
    font-size: 0.75rem;
    white-space: pre-wrap;
    word-break: break-all;
  }

  .values dd.certificate {
    flex-direction: column;
    align-items: flex-start;
  }

  .certificate details {
    width: 100%;
  }

  .copy {
    min-height: 2.25rem;
    padding: 0.25rem 0.75rem;
  }

  a.button {
    display: inline-flex;
    align-items: center;
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    font-weight: 600;
    text-decoration: none;
    border-radius: var(--_radius);
  }

  .confirm p {
    margin-block-end: 0.5rem;
    font-weight: 600;
  }

  tn-sso-test-result {
    margin-block-start: 1rem;
  }
`;
