/**
 * A connection's Enable (only once a test of its current settings succeeded, and saying why
 * not), Disable, "New signing certificate" and Delete, each destructive one behind an inline
 * confirmation that says who is affected. Rendered into `<tn-sso-setup>`'s own shadow root.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { confirmGroup } from './confirm-group.js';
import type { SsoConnection } from './sso-api.js';
import { providerInSentence } from './sso-guides/index.js';
import { ENABLE_NEEDS_TEST } from './sso-status.js';

export type Confirmable = 'delete' | 'rotate';

export interface ActionOptions {
  /** The change waiting for "Delete"/"Replace certificate", or null. */
  confirming: Confirmable | null;
  /** No request runs and no "Confirm it's you" waits. */
  idle: boolean;
  running: (action: string) => boolean;
  anyRunning: boolean;
  enable: () => unknown;
  disable: () => unknown;
  ask: (what: Confirmable) => unknown;
  cancel: (what: Confirmable) => unknown;
  rotate: () => unknown;
  delete: () => unknown;
}

/** Who deleting the connection affects, in the words of its confirmation. */
export function deleteQuestion(connection: SsoConnection): string {
  const provider = providerInSentence(connection.provider);
  return `Delete ${connection.name}? People who sign in through ${provider} can no longer sign in this way; their accounts and memberships stay.`;
}

export function connectionActions(
  connection: SsoConnection,
  options: ActionOptions,
): TemplateResult {
  const active = connection.status === 'ACTIVE';
  const provider = providerInSentence(connection.provider);
  return html`<section class="panel" aria-labelledby="manage-heading">
    <h3 id="manage-heading">Turn on, turn off, delete</h3>
    ${
      active
        ? html`<p class="hint">People at your verified domains sign in through ${provider} now.</p>`
        : html`<p class="hint" id="enable-hint" data-testid="sso-enable-hint">
            ${
              connection.testedWithCurrentSettings
                ? 'The last test with these settings succeeded: you can enable it.'
                : ENABLE_NEEDS_TEST
            }
          </p>`
    }
    ${
      options.confirming === 'delete'
        ? confirmGroup({
            questionId: 'confirm-delete',
            question: deleteQuestion(connection),
            confirmLabel: 'Delete',
            confirmTestId: 'sso-delete-confirm',
            cancelTestId: 'sso-delete-cancel',
            busy: options.running('delete'),
            confirmDisabled: options.anyRunning,
            onConfirm: options.delete,
            onCancel: () => options.cancel('delete'),
          })
        : options.confirming === 'rotate'
          ? confirmGroup({
              questionId: 'confirm-rotate',
              question: `Replace our signing certificate? Give ${provider} the new one (download our metadata again), then test the connection again.`,
              confirmLabel: 'Replace certificate',
              confirmTestId: 'sso-rotate-confirm',
              cancelTestId: 'sso-rotate-cancel',
              busy: options.running('rotate'),
              confirmDisabled: options.anyRunning,
              onConfirm: options.rotate,
              onCancel: () => options.cancel('rotate'),
            })
          : renderButtons(connection, options)
    }
  </section>`;
}

function renderButtons(connection: SsoConnection, options: ActionOptions) {
  const { idle } = options;
  return html`<div class="buttons">
    ${
      connection.status === 'ACTIVE'
        ? html`<button
            class="secondary"
            type="button"
            data-testid="sso-disable"
            aria-busy=${options.running('disable') ? 'true' : 'false'}
            ?disabled=${!idle}
            @click=${options.disable}
          >
            Disable
          </button>`
        : html`<button
            class="primary"
            type="button"
            data-testid="sso-enable"
            aria-describedby="enable-hint"
            aria-busy=${options.running('enable') ? 'true' : 'false'}
            ?disabled=${!idle || !connection.testedWithCurrentSettings}
            @click=${options.enable}
          >
            Enable
          </button>`
    }
    ${
      connection.protocol === 'SAML'
        ? html`<button
            class="secondary"
            type="button"
            data-testid="sso-rotate"
            ?disabled=${!idle}
            @click=${() => options.ask('rotate')}
          >
            New signing certificate
          </button>`
        : nothing
    }
    <button
      class="danger"
      type="button"
      data-testid="sso-delete"
      ?disabled=${!idle}
      @click=${() => options.ask('delete')}
    >
      Delete<span class="visually-hidden"> ${connection.name}</span>
    </button>
  </div>`;
}
