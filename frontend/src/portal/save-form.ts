import type { LitElement } from 'lit';
import type { RequestController } from '../shared/request-controller.js';
import { ProblemError } from './graphql.js';

/** Moves focus to `selector` in `host`'s shadow root once what changed is rendered. */
export async function focusWhenRendered(host: LitElement, selector: string): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}

export interface SaveSteps {
  /** Sends the change and takes in what the server answered. */
  save: () => Promise<void>;
  /** Marks the field a refusal names; the alert already shows its message and takes focus. */
  markProblem: (problem: ProblemError['problem']) => void;
  /** Shows that the change was saved, in the status `savedStatus` selects. */
  onSaved: () => void;
  savedStatus: string;
}

/**
 * A settings form's Save: runs it as the `save` request, marks the field a `ProblemError` names
 * (the controller shows the error and focuses its alert), or on success moves focus to the saved
 * status, so a screen reader announces it. Answers whether it saved.
 */
export async function saveForm(
  host: LitElement,
  request: RequestController,
  steps: SaveSteps,
): Promise<boolean> {
  const saved = await request.run('save', async () => {
    try {
      await steps.save();
    } catch (error) {
      if (error instanceof ProblemError) steps.markProblem(error.problem);
      throw error;
    }
  });
  if (!saved) return false;
  steps.onSaved();
  await focusWhenRendered(host, steps.savedStatus);
  return true;
}
