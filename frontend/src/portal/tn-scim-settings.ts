import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { toProblem } from '../shared/request-controller.js';
import { holdsRole } from './permissions.js';
import { portalStyles } from './portal-styles.js';
import { ScimApi, type Directory, type DirectoryGroup, type DirectorySettings, type ScimRole } from './scim-api.js';
import { scimListStyles } from './scim-list-styles.js';

/** At most this many groups map to roles (the server's limit). */
export const MAX_GROUP_ROLES = 20;

export interface GroupRoleRow {
  groupId: string;
  role: string;
}

declare global {
  interface HTMLElementEventMap {
    'tn-scim-settings-save': CustomEvent<DirectorySettings>;
  }
  interface HTMLElementTagNameMap {
    'tn-scim-settings': TnScimSettings;
  }
}

/** The settings `rows` and the switches change, compared with what `directory` holds: only those are sent. */
export function changedSettings(
  directory: Directory,
  edits: { requireVerifiedDomain?: boolean; deprovisionWhenUnmapped?: boolean; defaultRole?: string },
  rows: readonly GroupRoleRow[] | null,
): DirectorySettings {
  const settings: DirectorySettings = {};
  if (edits.requireVerifiedDomain !== undefined && edits.requireVerifiedDomain !== directory.requireVerifiedDomain) {
    settings.requireVerifiedDomain = edits.requireVerifiedDomain;
  }
  if (
    edits.deprovisionWhenUnmapped !== undefined &&
    edits.deprovisionWhenUnmapped !== directory.deprovisionWhenUnmapped
  ) {
    settings.deprovisionWhenUnmapped = edits.deprovisionWhenUnmapped;
  }
  if (edits.defaultRole !== undefined && edits.defaultRole !== directory.defaultRole) {
    settings.defaultRole = edits.defaultRole;
  }
  if (rows) {
    const saved = savedRows(directory);
    if (JSON.stringify(rows) !== JSON.stringify(saved)) settings.groupRoles = rows.map((row) => ({ ...row }));
  }
  return settings;
}

function savedRows(directory: Directory): GroupRoleRow[] {
  return directory.groupRoles.map(({ group, role }) => ({ groupId: group.id, role }));
}

/**
 * @summary A directory's settings: whether only people at verified domains may be provisioned
 * (on by default), whether people removed from every mapped group are suspended, the default
 * role, and the ordered group → role mapping (the first group a person is in wins), offering the
 * groups the identity provider pushed. Only what changed is sent. Read-only, it lists them.
 *
 * @event tn-scim-settings-save - The changed settings; the host saves them.
 *
 * @cssproperty --tn-danger - Field errors.
 * @cssproperty --tn-muted - Hints and table borders.
 */
@customElement('tn-scim-settings')
export class TnScimSettings extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    scimListStyles,
    css`
      fieldset {
        display: grid;
        gap: 0.5rem;
        margin: 0 0 1.25rem;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        margin-block-end: 0.25rem;
        font-weight: 600;
      }
      .check {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        gap: 0 0.625rem;
        align-items: start;
      }
      .check input {
        width: 1.25rem;
        height: 1.25rem;
        min-height: 0;
        margin: 0.15rem 0 0;
      }
      .check .hint {
        grid-column: 2;
        margin: 0;
      }
      .field.role {
        max-width: 20rem;
      }
      td select {
        width: 100%;
        min-width: 10rem;
      }
      .row-buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
      }
      .row-buttons button {
        min-height: 2.25rem;
        padding: 0.25rem 0.625rem;
      }
      .order {
        font-weight: 700;
      }
      form > button,
      fieldset > button {
        justify-self: start;
        white-space: normal;
      }
    `,
  ];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directory!: Directory;
  @property({ attribute: false }) roles: readonly ScimRole[] = [];
  /** The viewer's permissions: only roles they hold in full are offered. */
  @property({ attribute: false }) permissions: readonly string[] = [];
  @property({ type: Boolean }) busy = false;
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;
  /** The server's refusal of the last save, at the field it names. */
  @property({ attribute: false }) refusal: { field: string; message: string } | null = null;

  @state() private edits: { requireVerifiedDomain?: boolean; deprovisionWhenUnmapped?: boolean; defaultRole?: string } = {};
  /** The mapping as edited, or null while it is the directory's. */
  @state() private rows: GroupRoleRow[] | null = null;
  @state() private groups: DirectoryGroup[] | null = null;

  private readonly groupsTask = new Task(this, {
    args: () => [this.api, this.directory.id] as const,
    task: ([api, directoryId], { signal }) => api.allGroups(directoryId, { signal }),
    onComplete: (groups) => (this.groups = groups),
  });

  private get currentRows(): GroupRoleRow[] {
    return this.rows ?? savedRows(this.directory);
  }

  /** Forgets the edits once saved: the directory now holds them. */
  clear(): void {
    this.edits = {};
    this.rows = null;
  }

  /** Reads the pushed groups again (a push may have added some). */
  refreshGroups(): void {
    void this.groupsTask.run();
  }

  protected override render() {
    if (this.readOnly) return this.renderReadOnly();
    const d = this.directory;
    const requireVerified = this.edits.requireVerifiedDomain ?? d.requireVerifiedDomain;
    const deprovision = this.edits.deprovisionWhenUnmapped ?? d.deprovisionWhenUnmapped;
    const defaultRole = this.edits.defaultRole ?? d.defaultRole;
    const refusal = this.refusal;
    return html`<form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.submit}>
      <fieldset>
        <legend>Who may be provisioned</legend>
        <div class="check">
          <input
            id="require-verified"
            type="checkbox"
            data-testid="scim-require-verified"
            aria-describedby="require-verified-hint"
            .checked=${live(requireVerified)}
            @change=${(event: Event) =>
              this.edit({ requireVerifiedDomain: (event.target as HTMLInputElement).checked })}
          />
          <label for="require-verified">Only people at our verified domains</label>
          <p class="hint" id="require-verified-hint">
            Recommended. The identity provider can then create and update only people whose email
            is at one of this organization's verified domains; anyone else is refused and shows as
            failed in the provisioning log. Turn it off only if this directory may speak for every
            address it sends.
          </p>
        </div>
        <div class="check">
          <input
            id="deprovision"
            type="checkbox"
            data-testid="scim-deprovision"
            aria-describedby="deprovision-hint"
            .checked=${live(deprovision)}
            @change=${(event: Event) =>
              this.edit({ deprovisionWhenUnmapped: (event.target as HTMLInputElement).checked })}
          />
          <label for="deprovision">Suspend people removed from every mapped group</label>
          <p class="hint" id="deprovision-hint">
            When someone is in none of the groups below any more, their membership is suspended,
            as if the identity provider had deactivated them. Otherwise they get the default role
            back.
          </p>
        </div>
      </fieldset>
      <div class="field role">
        <label for="default-role">Default role</label>
        <select
          id="default-role"
          data-testid="scim-default-role"
          aria-describedby="default-role-hint"
          aria-invalid=${refusal?.field === 'defaultRole' ? 'true' : 'false'}
          .value=${live(defaultRole)}
          @change=${(event: Event) => this.edit({ defaultRole: (event.target as HTMLSelectElement).value })}
        >
          ${this.roleOptions(defaultRole)}
        </select>
        <p class="hint" id="default-role-hint">The role of people in none of the mapped groups.</p>
      </div>
      ${this.renderMapping()}
      ${
        refusal
          ? html`<p class="field-error" id="settings-error" data-testid="scim-settings-error">${refusal.message}</p>`
          : nothing
      }
      <button class="primary" type="submit" data-testid="scim-settings-save" ?disabled=${this.busy}>
        ${this.busy ? 'Saving…' : 'Save settings'}
      </button>
    </form>`;
  }

  private renderMapping() {
    const rows = this.currentRows;
    const groups = this.groups;
    return html`<fieldset aria-describedby="mapping-hint" data-testid="scim-group-roles">
      <legend>Roles by group</legend>
      <p class="hint" id="mapping-hint">
        People get the role of the first group in this list that they are in, top to bottom.
      </p>
      ${
        groups === null
          ? this.groupsTask.status === TaskStatus.ERROR
            ? html`${errorAlert(toProblem(this.groupsTask.error))}
                <button class="secondary" type="button" @click=${() => this.groupsTask.run()}>Try again</button>`
            : html`<p class="status" role="status" aria-busy="true">Loading the pushed groups…</p>`
          : groups.length === 0 && rows.length === 0
            ? html`<p class="hint" data-testid="scim-no-groups">
                No groups pushed yet. Push groups from your identity provider and they appear here.
              </p>`
            : nothing
      }
      ${
        rows.length
          ? html`<div class="table-wrap">
              <table data-testid="scim-mapping-table">
                <caption class="visually-hidden">Roles by group, first match wins</caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Group</th>
                    <th scope="col">Role</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map((row, index) => this.renderRow(row, index, rows))}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${
        groups && groups.length > 0
          ? html`<button
              class="secondary"
              type="button"
              id="mapping-add"
              data-testid="scim-mapping-add"
              ?disabled=${rows.length >= MAX_GROUP_ROLES || this.unusedGroups(rows, -1).length === 0}
              @click=${this.addRow}
            >
              Add a group
            </button>`
          : nothing
      }
    </fieldset>`;
  }

  private renderRow(row: GroupRoleRow, index: number, rows: readonly GroupRoleRow[]) {
    const number = index + 1;
    const choices = this.unusedGroups(rows, index);
    const known = choices.some(({ id }) => id === row.groupId);
    const savedName = this.directory.groupRoles.find(({ group }) => group.id === row.groupId)?.group.displayName;
    return html`<tr data-testid="scim-mapping-row">
      <td class="order"><span class="cell-label" aria-hidden="true">Order</span>${number}</td>
      <td>
        <span class="cell-label" aria-hidden="true">Group</span>
        <label class="visually-hidden" for="mapping-group-${index}">Group ${number}</label>
        <select
          id="mapping-group-${index}"
          data-testid="scim-mapping-group"
          .value=${live(row.groupId)}
          @change=${(event: Event) => this.updateRow(index, { groupId: (event.target as HTMLSelectElement).value })}
        >
          ${known ? nothing : html`<option value=${row.groupId}>${savedName ?? 'A group no longer pushed'}</option>`}
          ${choices.map(
            (group) => html`<option value=${group.id} ?selected=${group.id === row.groupId}>${group.displayName}</option>`,
          )}
        </select>
      </td>
      <td>
        <span class="cell-label" aria-hidden="true">Role</span>
        <label class="visually-hidden" for="mapping-role-${index}">Role for group ${number}</label>
        <select
          id="mapping-role-${index}"
          data-testid="scim-mapping-role"
          .value=${live(row.role)}
          @change=${(event: Event) => this.updateRow(index, { role: (event.target as HTMLSelectElement).value })}
        >
          ${this.roleOptions(row.role)}
        </select>
      </td>
      <td>
        <div class="row-buttons">
          <button
            class="secondary"
            type="button"
            id="mapping-up-${index}"
            data-testid="scim-mapping-up"
            ?disabled=${index === 0}
            @click=${() => this.move(index, -1)}
          >
            Up<span class="visually-hidden"> (group ${number})</span>
          </button>
          <button
            class="secondary"
            type="button"
            id="mapping-down-${index}"
            data-testid="scim-mapping-down"
            ?disabled=${index === rows.length - 1}
            @click=${() => this.move(index, 1)}
          >
            Down<span class="visually-hidden"> (group ${number})</span>
          </button>
          <button
            class="danger"
            type="button"
            data-testid="scim-mapping-remove"
            @click=${() => this.removeRow(index)}
          >
            Remove<span class="visually-hidden"> group ${number}</span>
          </button>
        </div>
      </td>
    </tr>`;
  }

  private renderReadOnly() {
    const d = this.directory;
    const roleName = (key: string) => this.roles.find((role) => role.key === key)?.name ?? key;
    return html`<dl data-testid="scim-settings-read-only">
      <div>
        <dt>Only people at our verified domains</dt>
        <dd>${d.requireVerifiedDomain ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Suspend people removed from every mapped group</dt>
        <dd>${d.deprovisionWhenUnmapped ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Default role</dt>
        <dd>${roleName(d.defaultRole)}</dd>
      </div>
      ${d.groupRoles.map(
        (pair, index) => html`<div>
          <dt>${index + 1}. Group ${pair.group.displayName}</dt>
          <dd>${roleName(pair.role)}</dd>
        </div>`,
      )}
    </dl>`;
  }

  /** The roles the viewer may give, and `current` even if they may not (so it shows). */
  private roleOptions(current: string) {
    const offered = this.roles.filter((role) => role.key === current || holdsRole(this.permissions, role));
    const known = offered.some((role) => role.key === current);
    return html`${known ? nothing : html`<option value=${current}>${current}</option>`}
    ${offered.map((role) => html`<option value=${role.key} ?selected=${role.key === current}>${role.name}</option>`)}`;
  }

  /** The pushed groups not mapped by another row than `index`. */
  private unusedGroups(rows: readonly GroupRoleRow[], index: number): DirectoryGroup[] {
    const taken = new Set(rows.filter((_, at) => at !== index).map(({ groupId }) => groupId));
    return (this.groups ?? []).filter(({ id }) => !taken.has(id));
  }

  private edit(patch: TnScimSettings['edits']): void {
    this.edits = { ...this.edits, ...patch };
    this.refusal = null;
  }

  private updateRow(index: number, patch: Partial<GroupRoleRow>): void {
    this.rows = this.currentRows.map((row, at) => (at === index ? { ...row, ...patch } : row));
    this.refusal = null;
  }

  private readonly addRow = async (): Promise<void> => {
    const rows = this.currentRows;
    const group = this.unusedGroups(rows, -1)[0];
    if (!group) return;
    const lowest = this.roles.filter((role) => holdsRole(this.permissions, role)).at(-1)?.key ?? this.directory.defaultRole;
    this.rows = [...rows, { groupId: group.id, role: lowest }];
    await this.focusOn(`#mapping-group-${rows.length}`);
  };

  private async move(index: number, by: -1 | 1): Promise<void> {
    const rows = [...this.currentRows];
    const [row] = rows.splice(index, 1);
    rows.splice(index + by, 0, row);
    this.rows = rows;
    const to = index + by;
    const edge = by === -1 ? to === 0 : to === rows.length - 1;
    await this.focusOn(edge ? `#mapping-group-${to}` : `#mapping-${by === -1 ? 'up' : 'down'}-${to}`);
  }

  private async removeRow(index: number): Promise<void> {
    const rows = this.currentRows.filter((_, at) => at !== index);
    this.rows = rows;
    await this.focusOn(rows.length ? `#mapping-group-${Math.max(0, index - 1)}` : '#mapping-add');
  }

  private async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('tn-scim-settings-save', {
        detail: changedSettings(this.directory, this.edits, this.rows),
        bubbles: true,
        composed: true,
      }),
    );
  }
}
