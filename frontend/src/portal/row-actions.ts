/**
 * A row's "⋯" menu (members, invitations): an icon button named after the row's person, and
 * Shoelace's menu, which opens with Enter, Space or ArrowDown and moves with the arrow keys.
 */
import '@shoelace-style/shoelace/dist/components/dropdown/dropdown.js';
import '@shoelace-style/shoelace/dist/components/icon-button/icon-button.js';
import '@shoelace-style/shoelace/dist/components/icon/icon.js';
import '@shoelace-style/shoelace/dist/components/menu-item/menu-item.js';
import '@shoelace-style/shoelace/dist/components/menu/menu.js';
import type SlMenuItem from '@shoelace-style/shoelace/dist/components/menu-item/menu-item.js';
import { css, html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';

export interface RowAction {
  /** The menu item's words, such as "Change role…" (an ellipsis: a dialog follows). */
  label: string;
  icon: string;
  testId: string;
  danger?: boolean;
  run: (opener: HTMLElement) => void;
}

/**
 * The menu for one row, or nothing when the viewer may do nothing there. `name` completes the
 * button's accessible name: "Actions for Ada Lovelace".
 */
export function rowActions(name: string, testId: string, actions: readonly RowAction[]) {
  if (actions.length === 0) return nothing;
  let trigger: HTMLElement | null = null;
  const select = (event: CustomEvent<{ item: SlMenuItem }>) => {
    const chosen = actions.find((action) => action.testId === event.detail.item.dataset.testid);
    // The dialog gives focus back to the ⋯ button, which stays when the menu closes.
    if (chosen && trigger) chosen.run(trigger);
  };
  return html`<sl-dropdown placement="bottom-end" hoist class="row-actions">
    <sl-icon-button
      slot="trigger"
      name="three-dots"
      label="Actions for ${name}"
      data-testid=${testId}
      ${refTo((element) => (trigger = element))}
    ></sl-icon-button>
    <sl-menu @sl-select=${select}>
      ${actions.map(
        (action): TemplateResult => html`<sl-menu-item
          data-testid=${action.testId}
          class=${action.danger ? 'danger-item' : ''}
        >
          <sl-icon slot="prefix" name=${action.icon}></sl-icon>
          ${action.label}
        </sl-menu-item>`,
      )}
    </sl-menu>
  </sl-dropdown>`;
}

function refTo(set: (element: HTMLElement) => void) {
  return ref((element) => {
    if (element) set(element as HTMLElement);
  });
}

/** The menu's looks: a quiet button, destructive items in the danger colour. */
export const rowActionsStyles = css`
  .row-actions sl-icon-button {
    font-size: 1.125rem;
    color: var(--_fg);
  }

  .row-actions sl-icon-button::part(base) {
    padding: 0.375rem;
    border-radius: var(--_radius);
  }

  .row-actions sl-icon-button::part(base):hover {
    background: color-mix(in srgb, var(--_muted) 14%, var(--_surface));
  }

  sl-menu {
    min-width: 13rem;
  }

  sl-menu-item.danger-item::part(base) {
    color: var(--_danger);
  }

  sl-menu-item.danger-item::part(base):hover,
  sl-menu-item.danger-item::part(base):focus-visible {
    color: var(--_surface);
    background: var(--_danger);
  }
`;
