/**
 * "Roles by group" in `<tn-sso-mapping>`'s form: rows of an IdP group and the role its people get
 * at their first sign-in (the first listed group a person is in wins, else the default role),
 * rendered into the element's own shadow root so each label reaches its input.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { RoleChoice } from './sso-api.js';

/** At most this many groups map to roles (the server's limit). */
export const MAX_GROUP_ROLES = 20;
export const GROUP_NAME_MAX = 256;

export interface GroupRole {
  group: string;
  role: string;
}

export interface GroupRoleOptions {
  roles: readonly RoleChoice[];
  /** The row whose group name was refused, or -1 for the whole list, with why; else null. */
  refused: { row: number; message: string } | null;
  /** Applies `edit` to the rows as they are now (several edits may come before a render). */
  change: (edit: (rows: GroupRole[]) => GroupRole[]) => void;
  /** Called after Add a group or Remove, so focus can move to what replaced the button. */
  moved: (selector: string) => void;
}

export function groupRolesFieldset(
  rows: readonly GroupRole[],
  options: GroupRoleOptions,
): TemplateResult {
  const { roles, refused } = options;
  const update = (index: number, patch: Partial<GroupRole>) =>
    options.change((now) => now.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return html`<fieldset class="group-roles" aria-describedby="group-roles-hint">
    <legend>Roles by group</legend>
    <p class="hint" id="group-roles-hint">
      People in one of these identity provider groups get its role at their first sign-in; the first
      group listed that they are in wins. Everyone else gets the role above.
    </p>
    ${
      refused?.row === -1
        ? html`<p class="field-error" data-testid="sso-group-roles-error">${refused.message}</p>`
        : nothing
    }
    ${rows.map((row, index) => {
      const invalid = refused?.row === index;
      return html`<div class="group-role" data-testid="sso-group-role">
        <div class="field">
          <label for="group-${index}">Group ${index + 1}</label>
          <input
            id="group-${index}"
            type="text"
            spellcheck="false"
            autocomplete="off"
            maxlength=${GROUP_NAME_MAX}
            data-testid="sso-group-name"
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${ifDefined(invalid ? `group-${index}-error` : undefined)}
            .value=${live(row.group)}
            @input=${(event: InputEvent) =>
              update(index, { group: (event.target as HTMLInputElement).value })}
          />
          ${
            invalid
              ? html`<p class="field-error" id="group-${index}-error" data-testid="sso-group-error">
                  ${refused.message}
                </p>`
              : nothing
          }
        </div>
        <div class="field">
          <label for="group-role-${index}">Role for group ${index + 1}</label>
          <select
            id="group-role-${index}"
            data-testid="sso-group-role-select"
            .value=${live(row.role)}
            @change=${(event: Event) =>
              update(index, { role: (event.target as HTMLSelectElement).value })}
          >
            ${roles.map(
              (role) =>
                html`<option value=${role.key} ?selected=${role.key === row.role}>
                  ${role.name}
                </option>`,
            )}
          </select>
        </div>
        <button
          class="secondary"
          type="button"
          data-testid="sso-group-remove"
          @click=${() => {
            options.change((now) => now.filter((_, at) => at !== index));
            options.moved(rows.length > 1 ? `#group-${Math.max(0, index - 1)}` : '#group-add');
          }}
        >
          Remove<span class="visually-hidden"> group ${index + 1}</span>
        </button>
      </div>`;
    })}
    <button
      class="secondary"
      type="button"
      id="group-add"
      data-testid="sso-group-add"
      ?disabled=${rows.length >= MAX_GROUP_ROLES}
      @click=${() => {
        options.change((now) => [...now, { group: '', role: roles.at(-1)?.key ?? 'member' }]);
        options.moved(`#group-${rows.length}`);
      }}
    >
      Add a group
    </button>
  </fieldset>`;
}
