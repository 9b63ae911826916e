import { css } from 'lit';

/** What `<tn-profile>` adds to the base and portal styles. */
export const profileStyles = css`
  dl {
    margin-block-end: 1.25rem;
  }

  .email {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  .email .address {
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .skeleton {
    display: grid;
    gap: 0.75rem;
  }

  sl-skeleton {
    width: min(18rem, 80%);
    height: 1rem;
  }

  sl-skeleton.field {
    width: 100%;
    height: 2.75rem;
  }
`;
