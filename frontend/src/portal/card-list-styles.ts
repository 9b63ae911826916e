import { css } from 'lit';

/**
 * A list of bordered rows, each a card with its text on one side and its buttons on the other
 * (sessions, passkeys, invitations). Themed by the portal's `--_muted`, `--_surface`, `--_radius`.
 */
export const cardListStyles = css`
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
`;
