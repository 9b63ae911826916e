import { css } from 'lit';

/**
 * What `<tn-passkeys>` adds to the portal styles: the list of passkeys, each row's inline
 * rename form or delete confirmation, and the Add form below the list.
 */
export const passkeysStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  ul {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    justify-content: space-between;
    padding: 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
    border-radius: var(--_radius);
  }

  .passkey {
    display: grid;
    gap: 0.125rem;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .name {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  .details {
    font-size: 0.875rem;
  }

  .edit,
  .confirm {
    display: grid;
    gap: 0.75rem;
    flex: 1 1 100%;
  }

  .confirm p {
    margin: 0;
  }

  .notice,
  tn-reauthenticate {
    margin-block-end: 1rem;
  }

  .add {
    margin-block-start: 1rem;
  }
`;
