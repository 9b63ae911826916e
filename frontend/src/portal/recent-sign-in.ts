/**
 * Changes that need a recent sign-in. The server refuses them with `ReauthenticationRequired`
 * when the session signed in too long ago; that is not an error to show but a question to ask,
 * so the change waits while the host renders `<tn-reauthenticate>`, and runs again once a
 * passkey has confirmed it's you.
 */
import type { LitElement, ReactiveController } from 'lit';
import type { RequestController } from '../shared/request-controller.js';
import { reauthenticationRequired, type ReauthenticationRequired } from './passkeys-api.js';

export interface GuardedChange<T> {
  /** The `RequestController` action it runs as, for busy states and the 429 cool-down. */
  action: string;
  /** What it does, completing "To …, first confirm it's you": "add a passkey". */
  purpose: string;
  /** The selector of what gets focus back when the person cancels the confirmation. */
  origin?: string;
  change: () => Promise<T>;
  /** Called with the change's result once it succeeded, the first time or on the retry. */
  done: (result: T) => unknown;
  /** Called with any other error, before the host's alert shows it. */
  failed?: (error: unknown) => void;
}

/** A change waiting for "Confirm it's you". */
export interface WaitingChange {
  problem: ReauthenticationRequired;
  purpose: string;
  origin: string | undefined;
}

export class RecentSignInController implements ReactiveController {
  /** The change waiting for confirmation, which the host renders a panel for; else null. */
  waiting: WaitingChange | null = null;

  private retry: (() => Promise<void>) | null = null;

  constructor(
    private readonly host: LitElement,
    private readonly request: RequestController,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * Runs `guarded.change` through the request controller. Asked to confirm it's you, it keeps
   * the change waiting and moves focus to the host's `<tn-reauthenticate>` instead of failing.
   */
  async run<T>(guarded: GuardedChange<T>): Promise<void> {
    const outcome: { result?: { value: T }; problem?: ReauthenticationRequired } = {};
    await this.request.run(guarded.action, async () => {
      try {
        outcome.result = { value: await guarded.change() };
      } catch (error) {
        const problem = reauthenticationRequired(error);
        if (problem) {
          outcome.problem = problem;
          return;
        }
        guarded.failed?.(error);
        throw error;
      }
    });
    if (outcome.problem) {
      await this.wait(outcome.problem, guarded);
    } else if (outcome.result) {
      await guarded.done(outcome.result.value);
    }
  }

  /** Runs the waiting change again, now that a passkey has confirmed it's you. */
  async confirmed(): Promise<void> {
    const retry = this.retry;
    this.dismiss();
    await retry?.();
  }

  /** Forgets the waiting change, as when the person cancels. */
  dismiss(): void {
    this.waiting = null;
    this.retry = null;
    this.host.requestUpdate();
  }

  private async wait<T>(
    problem: ReauthenticationRequired,
    guarded: GuardedChange<T>,
  ): Promise<void> {
    this.waiting = { problem, purpose: guarded.purpose, origin: guarded.origin };
    this.retry = () => this.run(guarded);
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('tn-reauthenticate')?.focus();
  }
}
