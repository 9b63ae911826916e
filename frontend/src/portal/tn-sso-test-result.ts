import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { formatDateTime } from './dates.js';
import { portalStyles } from './portal-styles.js';
import type { ConnectionTest } from './sso-api.js';
import { TEST_ADVICE } from './sso-status.js';

/** The one-line outcome a screen reader hears when the test tab is closed and the result arrives. */
export function testOutcomeSentence(test: ConnectionTest): string {
  if (test.succeeded) {
    const who = test.identity?.email || test.identity?.subject || 'the person';
    return `The test succeeded: the identity provider signed in ${who}.`;
  }
  return `The test failed. ${test.message ?? "The identity provider's answer was refused."}`;
}

/**
 * @summary The last test sign-in through a connection: on success who arrived (subject, email,
 * name, groups) and a table of every attribute the identity provider sent; on failure the
 * reason in words, what to check, and the details (such as the two clocks of a clock skew).
 *
 * @cssproperty --tn-primary - The succeeded badge.
 * @cssproperty --tn-danger - The failed badge.
 * @cssproperty --tn-muted - Table borders.
 */
@customElement('tn-sso-test-result')
export class TnSsoTestResult extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: center;
        margin-block-end: 0.75rem;
      }
      .table-wrap {
        max-width: 100%;
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      caption {
        font-weight: 600;
        text-align: start;
        padding-block: 0.75rem 0.25rem;
      }
      th,
      td {
        padding: 0.375rem 0.5rem;
        text-align: start;
        vertical-align: top;
        overflow-wrap: anywhere;
        border-block-end: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
      }
      th[scope='row'] code {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      }
      /* Narrow: each attribute is its name, then its values, so names never break mid-word. */
      @media (max-width: 30rem) {
        table,
        caption,
        tbody,
        tr,
        th,
        td {
          display: block;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        tr {
          padding-block: 0.375rem;
          border-block-end: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
        }
        th,
        td {
          padding: 0;
          border: 0;
        }
      }
      .advice {
        margin-block: 0.5rem;
      }
      p {
        margin-block: 0 0.5rem;
      }
    `,
  ];

  /** The connection's `lastTest`, or null before its first test. */
  @property({ attribute: false }) test: ConnectionTest | null = null;

  /** Whether the connection's settings are still those the last successful test covered. */
  @property({ type: Boolean }) current = false;

  protected override render() {
    const test = this.test;
    if (!test) {
      return html`<p class="hint" data-testid="sso-test-none">Not tested yet.</p>`;
    }
    const when = html`<time datetime=${test.testedAt}>${formatDateTime(test.testedAt)}</time>`;
    return html`<div class="head">
        <span class="badge ${test.succeeded ? 'good' : 'warn'}" data-testid="sso-test-outcome"
          >${test.succeeded ? 'Succeeded' : 'Failed'}</span
        >
        <span class="hint">Last test ${when}</span>
      </div>
      ${test.succeeded ? this.renderIdentity(test) : this.renderFailure(test)}`;
  }

  private renderIdentity(test: ConnectionTest) {
    const identity = test.identity;
    const stale = this.current
      ? nothing
      : html`<p class="hint" data-testid="sso-test-stale">
          The settings changed after this test. Test again before enabling the connection.
        </p>`;
    if (!identity) return stale;
    const name = `${identity.firstName} ${identity.lastName}`.trim();
    return html`${stale}
      <dl data-testid="sso-test-identity">
        <div>
          <dt>Subject (Name ID)</dt>
          <dd data-testid="sso-test-subject">${identity.subject}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd data-testid="sso-test-email">${identity.email}</dd>
        </div>
        <div>
          <dt>Name</dt>
          <dd data-testid="sso-test-name">${name || 'None sent'}</dd>
        </div>
        <div>
          <dt>Groups</dt>
          <dd data-testid="sso-test-groups">
            ${identity.groups.length ? identity.groups.join(', ') : 'None sent'}
          </dd>
        </div>
      </dl>
      <div class="table-wrap">
        <table data-testid="sso-test-attributes">
          <caption>
            Every attribute the identity provider sent
          </caption>
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Values</th>
            </tr>
          </thead>
          <tbody>
            ${identity.attributes.map(
              (attribute) =>
                html`<tr>
                  <th scope="row"><code>${attribute.name}</code></th>
                  <td>${attribute.values.join(', ')}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private renderFailure(test: ConnectionTest) {
    const advice = test.reason ? TEST_ADVICE[test.reason.toLowerCase()] : undefined;
    return html`<p data-testid="sso-test-message">
        ${test.message ?? "The identity provider's answer was refused."}
      </p>
      ${advice ? html`<p class="advice" data-testid="sso-test-advice">${advice}</p>` : nothing}
      ${
        test.details.length
          ? html`<dl data-testid="sso-test-details">
              ${test.details.map(
                (detail) =>
                  html`<div>
                    <dt>${detail.name}</dt>
                    <dd>${detail.value}</dd>
                  </div>`,
              )}
            </dl>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-sso-test-result': TnSsoTestResult;
  }
}
