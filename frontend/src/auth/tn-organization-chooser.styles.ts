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
    display: flex;
    align-items: center;
    gap: 0.75rem;
    width: 100%;
    min-height: 3.5rem;
    padding: 0.625rem 0.875rem;
    text-align: start;
    color: var(--_fg);
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_fg) 16%, transparent);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.04);
    transition:
      border-color 120ms ease,
      background-color 120ms ease;
  }

  .option:hover:not(:disabled) {
    border-color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 6%, var(--_surface));
  }

  .option:hover:not(:disabled) .chevron {
    color: var(--_primary);
    transform: translateX(2px);
  }

  /* Right to left, the chevron points (and nudges) the way the reading goes: left. */
  .chevron:dir(rtl) {
    transform: scaleX(-1);
  }

  .option:hover:not(:disabled) .chevron:dir(rtl) {
    transform: translateX(-2px) scaleX(-1);
  }

  .option[aria-busy='true'] {
    border-color: var(--_primary);
  }

  .avatar {
    display: grid;
    flex: none;
    place-items: center;
    width: 2.25rem;
    height: 2.25rem;
    color: var(--_fg);
    background: color-mix(in srgb, var(--_primary) 16%, var(--_surface));
    border-radius: var(--_radius);
    font-weight: 700;
  }

  .name {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .chevron {
    flex: none;
    color: var(--_muted);
    transition: transform 120ms ease;
  }

  @media (prefers-reduced-motion: reduce) {
    .option,
    .chevron {
      transition: none;
    }
  }

  .signed-in {
    margin: 0 0 1rem;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }

  .signed-in strong {
    color: var(--_fg);
  }

  /* kept in the page (a live region must exist before it speaks), but takes no room empty */
  .status:empty {
    margin: 0;
  }

  .another {
    margin: 1.5rem 0 0;
    padding-block-start: 1.25rem;
    text-align: center;
    color: var(--_muted);
    border-block-start: 1px solid color-mix(in srgb, var(--_fg) 10%, transparent);
  }

  ul + .joinable,
  .invitations + ul {
    margin-block-start: 1.5rem;
  }

  .invitation {
    padding: 0.875rem;
    border: 1px solid color-mix(in srgb, var(--_fg) 16%, transparent);
    border-radius: var(--_radius);
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
