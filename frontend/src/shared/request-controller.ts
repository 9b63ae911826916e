import type { LitElement, ReactiveController } from 'lit';
import { ApiError, serverErrorMessage } from './api.js';
import { navigateTo } from './navigation.js';

/** What an element's alert shows: a server error, or one the page was rendered with. */
export interface Problem {
  code: string;
  message: string;
}

/**
 * Runs an element's requests one at a time and keeps what its template needs about them:
 * which action is busy, the error to show, and how long a rate-limited action must wait.
 * Errors move focus to the element's alert so that keyboard and screen-reader users meet them.
 */
export class RequestController implements ReactiveController {
  /** The action whose request is running, or null. */
  pending: string | null = null;
  /** The error the host shows in its alert, or null. */
  error: Problem | null = null;

  /** True once a request succeeded and the browser is leaving for the next page. */
  leaving = false;

  private readonly retryAt = new Map<string, number>();
  /** The action whose 429 the alert shows: its message already names the wait. */
  private waitSaidFor: string | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: LitElement) {
    host.addController(this);
  }

  /** True while a request runs and after one sent the browser elsewhere. */
  get busy(): boolean {
    return this.pending !== null || this.leaving;
  }

  /** Whether `action` is running, or succeeded and the browser is leaving: for aria-busy. */
  running(action: string): boolean {
    return this.pending === action || this.leaving;
  }

  /** Sends the browser to `location`, keeping the host busy so nothing is submitted twice. */
  leave(location: string): void {
    navigateTo(location);
    this.leaving = true;
  }

  /** Whole seconds before `action` may be tried again after a 429; 0 when it may run now. */
  secondsLeft(action: string): number {
    const at = this.retryAt.get(action);
    return at === undefined ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }

  /**
   * Seconds a countdown under `action`'s button should show: none while the alert shows that
   * action's own 429, whose message already says when to try again (said once, not twice).
   */
  countdown(action: string): number {
    return this.waitSaidFor === action ? 0 : this.secondsLeft(action);
  }

  /** Whether a submit for `action` should be enabled. */
  canRun(action: string): boolean {
    return !this.busy && this.secondsLeft(action) === 0;
  }

  /**
   * Runs `request` as `action`, clearing the previous error first. Resolves true when it
   * succeeded, false when it failed (the error is then shown) or could not start.
   */
  async run(action: string, request: () => Promise<unknown>): Promise<boolean> {
    if (!this.canRun(action)) return false;
    this.pending = action;
    this.error = null;
    this.waitSaidFor = null;
    this.host.requestUpdate();
    try {
      await request();
      return true;
    } catch (error) {
      const waiting = this.holdOffIfRateLimited(action, error);
      await this.show(toProblem(error));
      if (waiting) this.waitSaidFor = action;
      return false;
    } finally {
      this.pending = null;
      this.host.requestUpdate();
    }
  }

  /** Shows `problem` in the host's alert and moves focus there. */
  async show(problem: Problem): Promise<void> {
    this.error = problem;
    this.waitSaidFor = null;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot
      .querySelector<HTMLElement>('[data-testid="error-message"]')
      ?.focus();
  }

  clearError(): void {
    this.error = null;
    this.waitSaidFor = null;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.retryAt.size > 0) this.ticker ??= setInterval(() => this.tick(), 1000);
    window.addEventListener('pageshow', this.onPageShow);
  }

  hostDisconnected(): void {
    this.stopTicking();
    window.removeEventListener('pageshow', this.onPageShow);
  }

  /** Coming Back to a page kept in the back-forward cache: it is usable again. */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted || !this.leaving) return;
    this.leaving = false;
    this.host.requestUpdate();
  };

  /** Holds `action` off for a 429's Retry-After; true when it did. */
  private holdOffIfRateLimited(action: string, error: unknown): boolean {
    if (!(error instanceof ApiError) || error.status !== 429 || !error.retryAfter) return false;
    this.retryAt.set(action, Date.now() + error.retryAfter * 1000);
    this.ticker ??= setInterval(() => this.tick(), 1000);
    return true;
  }

  private tick(): void {
    for (const [action, at] of this.retryAt) {
      if (at <= Date.now()) this.retryAt.delete(action);
    }
    if (this.retryAt.size === 0) this.stopTicking();
    this.host.requestUpdate();
  }

  private stopTicking(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

/** What to show for any thrown error: the server's words, or a plain apology for a bug. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) {
    return { code: error.code, message: error.message };
  }
  console.error(error);
  return { code: 'unexpected', message: serverErrorMessage() };
}
