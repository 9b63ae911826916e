import { LitElement, html, nothing } from 'lit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { byTestId, focusedIn, mount, queryTestId } from '../testing/fixture.js';
import { problem } from '../testing/portal-data.js';
import { ProblemError } from './graphql.js';
import { RecentSignInController } from './recent-sign-in.js';
import './tn-reauthenticate.js';

/** The least a host does: show the alert, and `<tn-reauthenticate>` for the waiting change. */
class GuardedHost extends LitElement {
  readonly request: RequestController = new RequestController(this);
  readonly recentSignIn: RecentSignInController = new RecentSignInController(this, this.request);

  protected override render() {
    return html`${errorAlert(this.request.error)}
    ${this.recentSignIn.waiting
      ? html`<tn-reauthenticate tabindex="-1" data-testid="reauthenticate"
          >${this.recentSignIn.waiting.purpose}</tn-reauthenticate
        >`
      : nothing}`;
  }
}
customElements.define('recent-sign-in-host', GuardedHost);

declare global {
  interface HTMLElementTagNameMap {
    'recent-sign-in-host': GuardedHost;
  }
}

const tooOld = () =>
  new ProblemError(
    problem('ReauthenticationRequired', 'Confirm it’s you.', { maxAgeSeconds: 300 }),
  );

let host: GuardedHost;

beforeEach(async () => {
  host = await mount('recent-sign-in-host');
});

describe('RecentSignInController', () => {
  it('hands the result of a change that needs nothing more to done', async () => {
    const done = vi.fn();
    const change = () => Promise.resolve(7);
    await host.recentSignIn.run({ action: 'add', purpose: 'add a passkey', change, done });

    expect(done).toHaveBeenCalledWith(7);
    expect(host.recentSignIn.waiting).toBeNull();
  });

  it('shows any other error in the alert, after telling failed', async () => {
    const error = new ApiError({ status: 200, code: 'BAD_REQUEST', message: 'No.' });
    const done = vi.fn();
    const failed = vi.fn();
    await host.recentSignIn.run({
      action: 'add',
      purpose: 'add a passkey',
      change: () => Promise.reject(error),
      done,
      failed,
    });

    expect(failed).toHaveBeenCalledWith(error);
    expect(done).not.toHaveBeenCalled();
    expect(byTestId(host, 'error-message').textContent?.trim()).toBe('No.');
  });

  it('keeps a change the server wants confirmed waiting, asking rather than failing', async () => {
    const failed = vi.fn();
    await host.recentSignIn.run({
      action: 'delete',
      purpose: 'delete the passkey “Phone”',
      origin: '#delete',
      change: () => Promise.reject(tooOld()),
      done: vi.fn(),
      failed,
    });

    expect(host.recentSignIn.waiting).toMatchObject({
      purpose: 'delete the passkey “Phone”',
      origin: '#delete',
      problem: { __typename: 'ReauthenticationRequired', maxAgeSeconds: 300 },
    });
    expect(queryTestId(host, 'error-message')).toBeNull();
    expect(failed).not.toHaveBeenCalled();
    expect(focusedIn(host)).toBe(byTestId(host, 'reauthenticate'));
  });

  it('runs the waiting change again once confirmed, handing its result to done', async () => {
    const change = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(tooOld())
      .mockResolvedValue('ok');
    const done = vi.fn();
    await host.recentSignIn.run({ action: 'add', purpose: 'add a passkey', change, done });
    await host.recentSignIn.confirmed();

    expect(change).toHaveBeenCalledTimes(2);
    expect(done).toHaveBeenCalledWith('ok');
    expect(host.recentSignIn.waiting).toBeNull();
  });

  it('forgets the waiting change when dismissed', async () => {
    const change = vi.fn(() => Promise.reject(tooOld()));
    await host.recentSignIn.run({ action: 'add', purpose: 'add a passkey', change, done: vi.fn() });
    host.recentSignIn.dismiss();
    await host.updateComplete;
    await host.recentSignIn.confirmed();

    expect(queryTestId(host, 'reauthenticate')).toBeNull();
    expect(change).toHaveBeenCalledOnce();
  });
});
