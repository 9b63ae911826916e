import { css } from 'lit';

/** What `<tn-organization-chooser>` adds to the base styles. */
export const organizationChooserStyles = css`
  ul {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .option {
    width: 100%;
    text-align: start;
    color: var(--_fg);
    background: var(--_surface);
    border: 1px solid var(--_muted);
    overflow-wrap: anywhere;
  }

  .option:hover:not(:disabled) {
    border-color: var(--_primary);
    box-shadow: inset 0 0 0 1px var(--_primary);
  }

  ul + .joinable,
  .invitations + ul {
    margin-block-start: 1.5rem;
  }

  .invitation {
    padding: 0.75rem;
    border: 1px solid var(--_muted);
    border-radius: var(--tn-radius, 0.5rem);
    background: var(--_surface);
    overflow-wrap: anywhere;
  }

  .invitation p {
    margin: 0 0 0.5rem;
  }

  .answers {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .answers > button {
    flex: 1 1 8rem;
    width: auto;
    margin: 0;
  }

  h3 {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }

  .skip {
    width: 100%;
    margin-block-start: 1rem;
  }
`;
