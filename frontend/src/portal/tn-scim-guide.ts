import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { portalStyles } from './portal-styles.js';
import type { Directory } from './scim-api.js';
import { scimGuideFor, type ScimGuide, type ScimValue } from './scim-guides/index.js';
import { scimListStyles } from './scim-list-styles.js';

/** What a copy button asks its host to copy; `what` completes "Copied …". */
export interface CopyRequest {
  text: string;
  what: string;
}

declare global {
  interface HTMLElementEventMap {
    'tn-scim-copy': CustomEvent<CopyRequest>;
  }
  interface HTMLElementTagNameMap {
    'tn-scim-guide': TnScimGuide;
  }
}

/**
 * @summary The chosen provider's SCIM guide: its caveat first when it has one, numbered steps in
 * its console's own words with our base URL (and the token, while it is shown) under the label
 * the provider gives that field, the attributes to map, how groups arrive and how to run a first
 * push.
 *
 * @event tn-scim-copy - A copy button was pressed; the host copies and says so.
 *
 * @cssproperty --tn-muted - Hints, borders and value backgrounds.
 */
@customElement('tn-scim-guide')
export class TnScimGuide extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    scimListStyles,
    css`
      h3 {
        margin: 1.25rem 0 0.5rem;
        font-size: 1rem;
      }
      h4 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }
      .steps {
        display: grid;
        gap: 1.25rem;
        margin: 0;
        padding-inline-start: 1.75rem;
      }
      .step::marker {
        font-weight: 700;
      }
      .step p {
        margin-block-end: 0.5rem;
      }
      .values dd {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
        align-items: center;
      }
      code {
        min-width: 0;
        padding: 0.125rem 0.375rem;
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        font-size: 0.875rem;
        overflow-wrap: anywhere;
        background: color-mix(in srgb, var(--_muted) 10%, var(--_surface));
        border-radius: calc(var(--_radius) / 2);
      }
      .copy {
        min-height: 2.25rem;
        padding: 0.25rem 0.75rem;
      }
      .caveat {
        padding: 0.75rem 1rem;
        border: 1px solid var(--_danger);
        border-inline-start-width: 4px;
        border-radius: var(--_radius);
      }
    `,
  ];

  @property({ attribute: false }) directory!: Directory;
  /** The token while it is shown (right after it was made); empty otherwise. */
  @property({ attribute: false }) token = '';

  protected override render() {
    const guide = scimGuideFor(this.directory.provider);
    return html`<div data-testid="scim-guide">
      ${
        guide.caveat
          ? html`<p class="caveat" data-testid="scim-guide-caveat"><strong>Before you start:</strong> ${guide.caveat}</p>`
          : nothing
      }
      <ol class="steps" data-testid="scim-guide-steps">
        ${guide.steps.map(
          (step, index) => html`<li class="step" data-testid="scim-guide-step">
            <h4 id="guide-step-${index + 1}">${step.title}</h4>
            <p>${step.text}</p>
            ${
              step.values?.length
                ? html`<dl class="values" aria-labelledby="guide-step-${index + 1}">
                    ${step.values.map((value) => this.renderValue(guide, value))}
                  </dl>`
                : nothing
            }
          </li>`,
        )}
      </ol>
      <h3 id="attributes-heading">Attributes to map</h3>
      <div class="table-wrap">
        <table data-testid="scim-guide-attributes" aria-labelledby="attributes-heading">
          <thead>
            <tr>
              <th scope="col">SCIM attribute</th>
              <th scope="col">${guide.label} value</th>
              <th scope="col">What it is for</th>
            </tr>
          </thead>
          <tbody>
            ${guide.attributes.map(
              (attribute) => html`<tr>
                <th scope="row"><code>${attribute.scim}</code></th>
                <td><span class="cell-label" aria-hidden="true">${guide.label} value</span>${attribute.source}</td>
                <td><span class="cell-label" aria-hidden="true">For</span>${attribute.purpose}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h3>Groups</h3>
      <p data-testid="scim-guide-groups">${guide.groups}</p>
      <h3>The first push</h3>
      <p data-testid="scim-guide-first-push">${guide.firstPush}</p>
    </div>`;
  }

  private renderValue(guide: ScimGuide, value: ScimValue) {
    const label = guide.fieldLabels[value];
    if (value === 'baseUrl') {
      const url = this.directory.scimBaseUrl;
      return html`<div>
        <dt>${label}</dt>
        <dd>
          <code data-testid="scim-guide-value-baseUrl">${url}</code>
          ${this.copyButton('baseUrl', url, `the base URL`)}
        </dd>
      </div>`;
    }
    return html`<div>
      <dt>${label}</dt>
      <dd>
        ${
          this.token
            ? html`<code data-testid="scim-guide-value-token">${this.token}</code>
                ${this.copyButton('token', this.token, 'the token')}`
            : html`<span class="hint" data-testid="scim-guide-token-hidden"
                >The token shown once when it was made.
                ${this.directory.hasToken ? 'Lost it? Rotate the token above.' : 'Make one with Rotate token above.'}</span
              >`
        }
      </dd>
    </div>`;
  }

  private copyButton(id: string, text: string, what: string) {
    return html`<button
      class="secondary copy"
      type="button"
      data-testid="scim-guide-copy-${id}"
      @click=${() =>
        this.dispatchEvent(
          new CustomEvent('tn-scim-copy', { detail: { text, what }, bubbles: true, composed: true }),
        )}
    >
      Copy<span class="visually-hidden"> ${what}</span>
    </button>`;
  }
}
