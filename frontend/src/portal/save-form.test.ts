import { LitElement, html, nothing } from 'lit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { byTestId, focusedIn, mount } from '../testing/fixture.js';
import { problem } from '../testing/portal-data.js';
import { ProblemError } from './graphql.js';
import { focusWhenRendered, saveForm, type SaveSteps } from './save-form.js';

/** A form's least: the alert, a field to mark and the saved status. */
class SavingHost extends LitElement {
  readonly request: RequestController = new RequestController(this);
  marked = '';
  saved = false;

  protected override render() {
    return html`${errorAlert(this.request.error)}
      <input id="name" data-testid="name" />
      ${this.saved ? html`<p data-testid="saved" tabindex="-1">Saved.</p>` : nothing}`;
  }
}
customElements.define('save-form-host', SavingHost);

declare global {
  interface HTMLElementTagNameMap {
    'save-form-host': SavingHost;
  }
}

let host: SavingHost;

beforeEach(async () => {
  host = await mount('save-form-host');
});

function steps(save: () => Promise<void>): SaveSteps & { markProblem: ReturnType<typeof vi.fn> } {
  return {
    save,
    markProblem: vi.fn((refused: ProblemError['problem']) => {
      host.marked = String(refused.field);
    }),
    onSaved: () => {
      host.saved = true;
      host.requestUpdate();
    },
    savedStatus: '[data-testid="saved"]',
  };
}

describe('saveForm', () => {
  it('shows the saved status and moves focus to it', async () => {
    const saving = steps(() => Promise.resolve());

    expect(await saveForm(host, host.request, saving)).toBe(true);

    expect(focusedIn(host)).toBe(byTestId(host, 'saved'));
    expect(saving.markProblem).not.toHaveBeenCalled();
  });

  it('marks the field a Problem names, shows its message and focuses the alert', async () => {
    const refused = problem('InvalidInput', 'Too long.', { field: 'name' });
    const saving = steps(() => Promise.reject(new ProblemError(refused)));

    expect(await saveForm(host, host.request, saving)).toBe(false);

    expect(saving.markProblem).toHaveBeenCalledWith(expect.objectContaining({ field: 'name' }));
    expect(host.marked).toBe('name');
    expect(host.saved).toBe(false);
    expect(byTestId(host, 'error-message').textContent).toContain('Too long.');
    expect(focusedIn(host)).toBe(byTestId(host, 'error-message'));
  });

  it('shows any other failure without marking a field', async () => {
    const error = new ApiError({ status: 500, code: 'INTERNAL', message: 'Down.' });
    const saving = steps(() => Promise.reject(error));

    expect(await saveForm(host, host.request, saving)).toBe(false);

    expect(saving.markProblem).not.toHaveBeenCalled();
    expect(byTestId(host, 'error-message').textContent).toContain('Down.');
  });
});

describe('focusWhenRendered', () => {
  it('focuses what the next render shows', async () => {
    host.saved = true;
    host.requestUpdate();
    await focusWhenRendered(host, '[data-testid="saved"]');

    expect(focusedIn(host)).toBe(byTestId(host, 'saved'));
  });

  it('does nothing when nothing matches', async () => {
    await focusWhenRendered(host, '#missing');

    expect(focusedIn(host)).toBeNull();
  });
});
