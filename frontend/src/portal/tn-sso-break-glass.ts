import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { portalStyles } from './portal-styles.js';
import type { BreakGlassCandidate } from './sso-api.js';

/** The server keeps at most this many break-glass admins. */
export const MAX_BREAK_GLASS = 3;

declare global {
  interface HTMLElementEventMap {
    'tn-break-glass-change': CustomEvent<string[]>;
  }
  interface HTMLElementTagNameMap {
    'tn-sso-break-glass': TnSsoBreakGlass;
  }
}

/**
 * @summary "Break-glass admins": the admins kept able to sign in with an email code or passkey
 * while SSO is required, by name and email, each removable, and a picker of the other active
 * admins for up to three. What is chosen is the parent's to save.
 *
 * @event tn-break-glass-change - The chosen user ids, in order, after an Add or Remove.
 *
 * @cssproperty --tn-primary - Buttons and focus ring.
 * @cssproperty --tn-danger - The refusal message.
 * @cssproperty --tn-muted - Hints and borders.
 */
@customElement('tn-sso-break-glass')
export class TnSsoBreakGlass extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      fieldset {
        display: grid;
        gap: 0.5rem;
        min-width: 0;
        margin: 0 0 1rem;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        margin-block-end: 0.25rem;
        font-weight: 600;
        font-size: 0.9375rem;
      }
      fieldset > p {
        margin: 0;
      }
      .admins {
        display: grid;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .admin {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.5rem 0.75rem;
        border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
        border-radius: var(--_radius);
      }
      .who {
        display: grid;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .inline {
        margin-block-start: 0.5rem;
      }
      .inline > .field {
        flex: 1 1 14rem;
      }
    `,
  ];

  /** The organization's active admins, who may be chosen. */
  @property({ attribute: false }) admins: readonly BreakGlassCandidate[] = [];
  /** The user ids chosen now. */
  @property({ attribute: false }) chosen: readonly string[] = [];
  /** The signed-in person's email, to mark "you". */
  @property() email = '';
  /** Whether the viewer may change the choice (`sk_org_sso_manage`). */
  @property({ type: Boolean }) editable = false;
  /** Whether a save runs, so nothing changes meanwhile. */
  @property({ type: Boolean }) busy = false;
  /** The server's refusal of this choice, shown at the list. */
  @property() error = '';

  @state() private picked = '';

  /** Moves focus to what a refusal is about: the first Remove, else the picker, else the message. */
  focusProblem(): void {
    const target = [
      '[data-testid^="sso-break-glass-remove-"]',
      '#sso-break-glass-add',
      '#sso-break-glass-error',
    ]
      .map((selector) => this.renderRoot.querySelector<HTMLElement>(selector))
      .find((found) => found && !found.matches(':disabled'));
    target?.focus();
  }

  protected override render() {
    const error = this.error;
    return html`<fieldset
      aria-describedby=${error ? 'sso-break-glass-hint sso-break-glass-error' : 'sso-break-glass-hint'}
      data-testid="sso-break-glass"
    >
      <legend>Break-glass admins</legend>
      <p class="hint" id="sso-break-glass-hint">
        Up to ${MAX_BREAK_GLASS} admins who manage single sign-on can still sign in with an email
        code or a passkey while it is required, for the day your identity provider fails.
      </p>
      ${
        this.chosen.length === 0
          ? html`<p data-testid="sso-break-glass-none">No break-glass admins.</p>`
          : html`<ul
              class="admins"
              aria-label="Break-glass admins"
              data-testid="sso-break-glass-list"
            >
              ${this.chosen.map((id) => this.renderAdmin(id))}
            </ul>`
      }
      ${
        error
          ? html`<p
              class="field-error"
              tabindex="-1"
              id="sso-break-glass-error"
              data-testid="sso-break-glass-error"
            >
              ${error}
            </p>`
          : nothing
      }
      ${this.editable ? this.renderPicker() : nothing}
    </fieldset>`;
  }

  private renderAdmin(id: string) {
    const admin = this.admins.find((each) => each.id === id);
    const name = admin ? this.describe(admin, false) : 'A member not listed here';
    return html`<li class="admin" data-testid="sso-break-glass-${id}">
      <span class="who">
        <span>${name}</span>
        ${admin ? html`<span class="hint">${admin.email}</span>` : nothing}
      </span>
      ${
        this.editable
          ? html`<button
              class="link"
              type="button"
              data-testid="sso-break-glass-remove-${id}"
              ?disabled=${this.busy}
              @click=${() => this.removeAdmin(id)}
            >
              Remove<span class="visually-hidden"> ${name}</span>
            </button>`
          : nothing
      }
    </li>`;
  }

  private renderPicker() {
    if (this.chosen.length >= MAX_BREAK_GLASS) {
      return html`<p class="hint" data-testid="sso-break-glass-full">
        That is the most there can be: remove one to choose another.
      </p>`;
    }
    const candidates = this.admins.filter(({ id }) => !this.chosen.includes(id));
    if (candidates.length === 0) {
      return html`<p class="hint" data-testid="sso-break-glass-no-candidates">
        No other active admins to choose. Make someone an admin on the Members page first.
      </p>`;
    }
    return html`<div class="inline">
      <div class="field">
        <label for="sso-break-glass-add">Add a break-glass admin</label>
        <select
          id="sso-break-glass-add"
          data-testid="sso-break-glass-add"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.error ? 'sso-break-glass-error' : undefined)}
          .value=${live(this.picked)}
          @change=${(event: Event) => (this.picked = (event.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${this.picked === ''}>Choose an admin…</option>
          ${candidates.map(
            (admin) =>
              html`<option value=${admin.id} ?selected=${this.picked === admin.id}>
                ${this.describe(admin)}
              </option>`,
          )}
        </select>
      </div>
      <button
        class="secondary"
        type="button"
        data-testid="sso-break-glass-add-button"
        ?disabled=${!this.picked || this.busy}
        @click=${this.addAdmin}
      >
        Add
      </button>
    </div>`;
  }

  /** "Ada Lovelace (you) · ada@example.com" in the picker, the name alone in the list. */
  private describe(admin: BreakGlassCandidate, withEmail = true): string {
    const you =
      this.email && admin.email.toLowerCase() === this.email.toLowerCase() ? ' (you)' : '';
    const name = `${admin.name || admin.email}${you}`;
    return withEmail && admin.name ? `${name} · ${admin.email}` : name;
  }

  private async addAdmin(): Promise<void> {
    const id = this.picked;
    if (!id || this.chosen.includes(id)) return;
    this.picked = '';
    await this.choose([...this.chosen, id]);
    // The picker is gone once three are chosen: the new Remove button keeps focus in the list.
    (
      this.renderRoot.querySelector<HTMLElement>('#sso-break-glass-add') ??
      this.renderRoot.querySelector<HTMLElement>(`[data-testid="sso-break-glass-remove-${id}"]`)
    )?.focus();
  }

  private async removeAdmin(id: string): Promise<void> {
    await this.choose(this.chosen.filter((each) => each !== id));
    (
      this.renderRoot.querySelector<HTMLElement>('#sso-break-glass-add') ??
      this.renderRoot.querySelector<HTMLElement>('[data-testid^="sso-break-glass-remove-"]')
    )?.focus();
  }

  /** Shows the new choice at once and tells the parent, which passes the same list back down. */
  private async choose(chosen: string[]): Promise<void> {
    this.chosen = chosen;
    this.dispatchEvent(new CustomEvent('tn-break-glass-change', { detail: chosen }));
    await this.updateComplete;
  }
}
