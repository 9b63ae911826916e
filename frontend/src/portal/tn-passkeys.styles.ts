import { css } from 'lit';

/**
 * What `<tn-passkeys>` adds to the portal and card-list styles: the list of passkeys, each row's inline
 * rename form or delete confirmation, and the Add form below the list.
 */
export const passkeysStyles = css`
  .intro {
    margin: 0 0 1rem;
  }

  .passkey {
    display: grid;
    gap: 0.25rem;
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


  .skeletons .passkey {
    flex: 1;
    gap: 0.5rem;
  }

  sl-skeleton.line {
    width: min(14rem, 70%);
    height: 0.875rem;
  }

  sl-skeleton.wide {
    width: min(10rem, 50%);
    height: 1.125rem;
  }
`;
