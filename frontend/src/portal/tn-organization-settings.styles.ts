import { css } from 'lit';

/** What `<tn-organization-settings>` adds to the base and portal styles. */
export const organizationSettingsStyles = css`
  fieldset {
    display: grid;
    gap: 0.75rem;
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }

  fieldset .hint {
    margin: 0;
  }

  legend {
    padding: 0;
    margin-block-end: 0.25rem;
    font-weight: 600;
    font-size: 0.9375rem;
  }

  .domains {
    display: grid;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .domains li {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    align-items: center;
    justify-content: space-between;
    padding: 0.25rem 0.75rem;
    overflow-wrap: anywhere;
    border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
    border-radius: var(--_radius);
  }

  .domains li[data-invalid] {
    border: 2px solid var(--_danger);
  }


  .domains li[data-staged] {
    border-style: dashed;
  }

  .domain {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
    min-width: 0;
  }

  .badge.pending {
    font-weight: 500;
    border-style: dashed;
  }

  .unsaved {
    margin: 0;
    font-size: 0.875rem;
  }

  .skeleton {
    display: grid;
    gap: 0.5rem;
  }

  sl-skeleton.label {
    width: min(10rem, 50%);
    height: 1rem;
  }

  sl-skeleton.input {
    width: 100%;
    height: 2.75rem;
    margin-block-end: 0.5rem;
  }
`;
