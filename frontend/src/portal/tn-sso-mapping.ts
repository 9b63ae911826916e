import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { textProblem } from './idp-input.js';
import { GROUP_NAME_MAX, groupRolesFieldset, type GroupRole } from './sso-group-roles.js';
import { portalStyles } from './portal-styles.js';
import type { ConnectionSettings, RoleChoice, SsoConnection } from './sso-api.js';

export const MAPPED_ATTRIBUTES = [
  { key: 'email', label: 'Email attribute' },
  { key: 'firstName', label: 'First name attribute' },
  { key: 'lastName', label: 'Last name attribute' },
  { key: 'groups', label: 'Groups attribute' },
] as const;

export type MappedAttribute = (typeof MAPPED_ATTRIBUTES)[number]['key'];

/** Longest attribute name accepted here (the server's limit too). */
export const ATTRIBUTE_NAME_MAX = 256;

declare global {
  interface HTMLElementEventMap {
    'tn-sso-mapping-save': CustomEvent<ConnectionSettings>;
  }
  interface HTMLElementTagNameMap {
    'tn-sso-mapping': TnSsoMapping;
  }
}

/**
 * @summary Which attribute the identity provider sends each of email, first name, last name and
 * groups in, the role people get on their first sign-in, and roles by IdP group. Only what changed is sent; a
 * mapping change needs a new test. Read-only, it lists them.
 *
 * @event tn-sso-mapping-save - The changed `attributeMapping`, `defaultRole` and `groupRoles`.
 *
 * @cssproperty --tn-danger - Field errors.
 */
@customElement('tn-sso-mapping')
export class TnSsoMapping extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.75rem 1rem;
        margin-block-end: 1rem;
      }
      fieldset {
        display: grid;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        font-weight: 600;
        margin-block-end: 0.25rem;
      }
      fieldset .hint {
        margin: 0;
      }
      .group-role {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .group-role .field {
        flex: 1 1 12rem;
      }
      fieldset > button,
      form > button {
        justify-self: start;
        white-space: normal;
      }
    `,
  ];

  @property({ attribute: false }) connection!: SsoConnection;
  @property({ attribute: false }) roles: readonly RoleChoice[] = [];
  @property({ type: Boolean }) busy = false;
  /** Shows the mapping and role without the form (without `sk_org_sso_manage`). */
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;
  /** The server's refusal of the last save (a role the viewer cannot give, a bad name). */
  @property({ attribute: false }) refusal: { field: string; message: string } | null = null;

  @state() private edits: Partial<Record<MappedAttribute | 'defaultRole', string>> = {};
  @state() private problem: { field: string; message: string } | null = null;
  /** The roles by group as edited, or null while they are the connection's. */
  @state() private groups: GroupRole[] | null = null;
  /** The group row whose name was refused (-1: the list as a whole). */
  @state() private refusedGroup: { row: number; message: string } | null = null;

  private get groupRows(): GroupRole[] {
    return this.groups ?? this.connection.groupRoles.map(({ group, role }) => ({ group, role }));
  }

  private value(key: MappedAttribute | 'defaultRole'): string {
    const saved =
      key === 'defaultRole' ? this.connection.defaultRole : this.connection.attributeMapping[key];
    return this.edits[key] ?? saved;
  }

  protected override render() {
    if (this.readOnly) return this.renderReadOnly();
    const shown = this.problem ?? this.refusal;
    return html`<form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.submit}>
      <div class="grid">
        ${MAPPED_ATTRIBUTES.map(({ key, label }) => {
          const refused =
            shown?.field === key || (shown?.field === 'attributeMapping' && key === 'email');
          return html`<div class="field">
            <label for="map-${key}">${label}</label>
            <input
              id="map-${key}"
              type="text"
              spellcheck="false"
              autocomplete="off"
              maxlength=${ATTRIBUTE_NAME_MAX}
              data-testid="sso-map-${key}"
              aria-invalid=${refused ? 'true' : 'false'}
              aria-describedby=${ifDefined(refused ? 'mapping-error' : undefined)}
              .value=${live(this.value(key))}
              @input=${(event: InputEvent) => this.edit(key, (event.target as HTMLInputElement).value)}
            />
          </div>`;
        })}
        <div class="field">
          <label for="default-role">Role on first sign-in</label>
          <select
            id="default-role"
            data-testid="sso-default-role"
            aria-invalid=${shown?.field === 'defaultRole' ? 'true' : 'false'}
            aria-describedby=${ifDefined(shown?.field === 'defaultRole' ? 'mapping-error' : undefined)}
            .value=${live(this.value('defaultRole'))}
            @change=${(event: Event) => this.edit('defaultRole', (event.target as HTMLSelectElement).value)}
          >
            ${this.roles.map(
              (role) =>
                html`<option value=${role.key} ?selected=${role.key === this.value('defaultRole')}>
                  ${role.name}
                </option>`,
            )}
          </select>
        </div>
      </div>
      ${groupRolesFieldset(this.groupRows, {
        roles: this.roles,
        refused:
          this.refusedGroup ??
          (this.refusal?.field === 'groupRoles'
            ? { row: -1, message: this.refusal.message }
            : null),
        change: (edit) => {
          this.groups = edit(this.groupRows);
          this.refusedGroup = null;
          this.refusal = null;
        },
        moved: (selector) =>
          void this.updateComplete.then(() =>
            this.renderRoot.querySelector<HTMLElement>(selector)?.focus(),
          ),
      })}
      ${
        shown && shown.field !== 'groupRoles'
          ? html`<p class="field-error" id="mapping-error" data-testid="sso-mapping-error">
              ${shown.message}
            </p>`
          : nothing
      }
      <button class="primary" type="submit" data-testid="sso-mapping-save" ?disabled=${this.busy}>
        ${this.busy ? 'Saving…' : 'Save mapping and role'}
      </button>
    </form>`;
  }

  private renderReadOnly() {
    const { attributeMapping: mapping, defaultRole } = this.connection;
    const role = this.roles.find(({ key }) => key === defaultRole)?.name ?? defaultRole;
    return html`<dl data-testid="sso-mapping-read-only">
      ${MAPPED_ATTRIBUTES.map(
        ({ key, label }) =>
          html`<div>
            <dt>${label}</dt>
            <dd><code>${mapping[key]}</code></dd>
          </div>`,
      )}
      <div>
        <dt>Role on first sign-in</dt>
        <dd>${role}</dd>
      </div>
      ${this.connection.groupRoles.map(
        (pair) =>
          html`<div>
            <dt>Role for the group <code>${pair.group}</code></dt>
            <dd>${this.roles.find(({ key }) => key === pair.role)?.name ?? pair.role}</dd>
          </div>`,
      )}
    </dl>`;
  }

  private edit(key: MappedAttribute | 'defaultRole', value: string): void {
    this.edits = { ...this.edits, [key]: value };
    this.problem = null;
    this.refusal = null;
  }

  /** Forgets the edits once saved: the connection now holds them. */
  clear(): void {
    this.edits = {};
    this.problem = null;
    this.groups = null;
    this.refusedGroup = null;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const mapping: Partial<Record<MappedAttribute, string>> = {};
    for (const { key, label } of MAPPED_ATTRIBUTES) {
      const value = this.value(key).trim();
      const problem = textProblem(value, label.toLowerCase(), ATTRIBUTE_NAME_MAX);
      if (problem) {
        this.problem = { field: key, message: problem };
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLInputElement>(`#map-${key}`)?.focus();
        return;
      }
      if (value !== this.connection.attributeMapping[key]) mapping[key] = value;
    }
    const groups = this.groupRows.map(({ group, role }) => ({ group: group.trim(), role }));
    const badRow = groups.findIndex(({ group }) =>
      textProblem(group, 'group name', GROUP_NAME_MAX),
    );
    if (badRow >= 0) {
      const message = textProblem(groups[badRow].group, 'group name', GROUP_NAME_MAX)!;
      this.refusedGroup = { row: badRow, message };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`#group-${badRow}`)?.focus();
      return;
    }
    const saved = this.connection.groupRoles.map(({ group, role }) => ({ group, role }));
    const role = this.value('defaultRole');
    const settings: ConnectionSettings = {
      ...(Object.keys(mapping).length ? { attributeMapping: mapping } : {}),
      ...(role !== this.connection.defaultRole ? { defaultRole: role } : {}),
      ...(JSON.stringify(groups) !== JSON.stringify(saved) ? { groupRoles: groups } : {}),
    };
    this.dispatchEvent(
      new CustomEvent('tn-sso-mapping-save', { detail: settings, bubbles: true, composed: true }),
    );
  }
}
