import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  stubLocationAssign,
  typeInto,
} from '../testing/fixture.js';
import { jsonResponse, sentRequest, stubFetch, stubPendingFetch } from '../testing/fetch-stub.js';
import { CODE_MESSAGES, type TnCodeStep } from './tn-code-step.js';
import './tn-code-step.js';

beforeEach(() => setCsrfMeta());

function mountStep(): Promise<TnCodeStep> {
  return mount('tn-code-step', { email: 'ada@example.com', flow: 'flow-1', expiresIn: 600 });
}

async function enterCode(step: TnCodeStep, code: string): Promise<void> {
  typeInto(byTestId(step, 'code-input'), code);
  byTestId<HTMLButtonElement>(step, 'code-submit').click();
  await settle(step);
}

describe('<tn-code-step>', () => {
  describe('rendering', () => {
    it('says where the code went and how long it lasts', async () => {
      const step = await mountStep();
      const message = byTestId(step, 'code-sent-message').textContent.replace(/\s+/g, ' ');

      expect(message).toContain('We sent a 6-digit code to ada@example.com');
      expect(message).toContain('expires in 10 minutes');
    });

    it('offers one numeric one-time-code input of six characters', async () => {
      const step = await mountStep();
      const input = byTestId<HTMLInputElement>(step, 'code-input');

      expect(step.shadowRoot!.querySelector(`label[for="${input.id}"]`)?.textContent).toBe(
        '6-digit code',
      );
      expect(input.getAttribute('inputmode')).toBe('numeric');
      expect(input.getAttribute('autocomplete')).toBe('one-time-code');
      expect(input.maxLength).toBe(6);
      expect(byTestId(step, 'code-submit').textContent?.trim()).toBe('Verify');
      expect(byTestId(step, 'resend-code').textContent?.trim()).toBe('Resend code');
      expect(byTestId(step, 'change-email').textContent?.trim()).toBe('Use a different email');
    });

    it('reads why no new email went out with the field, when the code sent before is used', async () => {
      const step = await mount('tn-code-step', {
        email: 'ada@example.com',
        flow: 'flow-1',
        expiresIn: 300,
        sentNotice: 'We did not send another email. Enter the code we sent before.',
      });
      const input = byTestId<HTMLInputElement>(step, 'code-input');
      const hint = step.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!);

      expect(hint?.textContent).toBe('We did not send another email. Enter the code we sent before.');
      await expectAccessible(step);
    });

    it('focuses the code input when asked to', async () => {
      const step = await mountStep();
      step.focus();

      expect(focusedIn(step)).toBe(byTestId(step, 'code-input'));
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountStep());
    });
  });

  describe('validation', () => {
    it('asks for the code when none was entered', async () => {
      const fetch = stubFetch();
      const step = await mountStep();
      await enterCode(step, '');

      expect(byTestId(step, 'code-error').textContent?.trim()).toBe(CODE_MESSAGES.missing);
      expect(focusedIn(step)).toBe(byTestId(step, 'code-input'));
      expect(fetch).not.toHaveBeenCalled();
    });

    it('asks for all six digits', async () => {
      const step = await mountStep();
      await enterCode(step, '123');

      expect(byTestId(step, 'code-error').textContent?.trim()).toBe(CODE_MESSAGES.short);
    });

    it('keeps only the digits of what was typed or pasted', async () => {
      const step = await mountStep();
      const input = byTestId<HTMLInputElement>(step, 'code-input');
      typeInto(input, '12-34 5');
      await step.updateComplete;

      expect(input.value).toBe('12345');
    });
  });

  describe('verifying', () => {
    it('posts the flow and code with the CSRF header, then goes to the location', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(jsonResponse(200, { location: '/oauth/authorize/continue?x=1' }));
      const step = await mountStep();
      await enterCode(step, '123456');

      const request = sentRequest(fetch);
      expect(request.url).toBe('/a/auth/api/code');
      expect(request.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(request.body).toEqual({ flow: 'flow-1', code: '123456' });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/continue?x=1');
    });

    it('stays busy after success so the code is not sent twice', async () => {
      stubLocationAssign();
      stubFetch(jsonResponse(200, { location: 'https://app.example.com/callback?code=x' }));
      const step = await mountStep();
      await enterCode(step, '123456');

      expect(byTestId<HTMLButtonElement>(step, 'code-submit').disabled).toBe(true);
      expect(byTestId(step, 'code-submit').getAttribute('aria-busy')).toBe('true');
    });

    it('is usable again when the browser comes Back to it from the cache', async () => {
      stubLocationAssign();
      stubFetch(jsonResponse(200, { location: '/done' }));
      const step = await mountStep();
      await enterCode(step, '123456');
      // happy-dom's PageTransitionEvent lacks `persisted`, so it is set by hand.
      window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
      await step.updateComplete;

      expect(byTestId<HTMLButtonElement>(step, 'code-submit').disabled).toBe(false);
    });

    it('refuses to follow a location that is not http(s)', async () => {
      const assign = stubLocationAssign();
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      stubFetch(jsonResponse(200, { location: 'javascript:alert(1)' }));
      const step = await mountStep();
      await enterCode(step, '123456');

      expect(assign).not.toHaveBeenCalled();
      expect(byTestId(step, 'error-message').textContent).toContain('Something went wrong');
    });

    it('disables Verify and marks it busy while the request runs', async () => {
      const { resolve } = stubPendingFetch();
      const step = await mountStep();
      typeInto(byTestId(step, 'code-input'), '123456');
      byTestId<HTMLButtonElement>(step, 'code-submit').click();
      await step.updateComplete;

      expect(byTestId<HTMLButtonElement>(step, 'code-submit').disabled).toBe(true);
      expect(byTestId(step, 'code-submit').getAttribute('aria-busy')).toBe('true');
      expect(byTestId<HTMLButtonElement>(step, 'resend-code').disabled).toBe(true);
      resolve(jsonResponse(400, { error: 'invalid_code', message: 'Wrong code.' }));
      await settle(step);
    });
  });

  describe('wrong or expired codes', () => {
    it("shows the server's message, with the attempts left said once, and focuses the alert", async () => {
      stubFetch(
        jsonResponse(400, {
          error: 'invalid_code',
          message: 'That code is not right. 4 attempts left.',
          attempts_left: 4,
        }),
      );
      const step = await mountStep();
      await enterCode(step, '000000');
      const alert = byTestId(step, 'error-message');

      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent?.trim()).toBe('That code is not right. 4 attempts left.');
      expect(alert.textContent.match(/attempts? left/g)).toHaveLength(1);
      expect(focusedIn(step)).toBe(alert);
    });

    it('says when no attempts are left, as the server words it', async () => {
      stubFetch(
        jsonResponse(429, {
          error: 'too_many_attempts',
          message: 'Too many wrong codes. Request a new code.',
        }),
      );
      const step = await mountStep();
      await enterCode(step, '000000');

      expect(byTestId(step, 'error-message').textContent?.trim()).toBe(
        'Too many wrong codes. Request a new code.',
      );
    });

    it('shows an expired code message as the server words it', async () => {
      stubFetch(
        jsonResponse(400, { error: 'expired_code', message: 'That code has expired.' }),
      );
      const step = await mountStep();
      await enterCode(step, '123456');

      expect(byTestId(step, 'error-message').textContent?.trim()).toBe('That code has expired.');
    });
  });

  describe('resending', () => {
    it('posts the flow, then uses the new flow id for the next code', async () => {
      const fetch = stubFetch(
        jsonResponse(200, { flow: 'flow-2', expires_in: 300 }),
        jsonResponse(400, { error: 'invalid_code', message: 'Wrong.' }),
      );
      const step = await mountStep();
      const resent = vi.fn();
      step.addEventListener('tn-code-resent', resent);
      byTestId<HTMLButtonElement>(step, 'resend-code').click();
      await settle(step);

      expect(sentRequest(fetch, 0).url).toBe('/a/auth/api/resend');
      expect(sentRequest(fetch, 0).headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(sentRequest(fetch, 0).body).toEqual({ flow: 'flow-1' });
      expect((resent.mock.calls[0][0] as CustomEvent).detail).toEqual({ flow: 'flow-2', expiresIn: 300 });
      expect(byTestId(step, 'resend-status').textContent?.trim()).toBe(
        'We sent a new code to ada@example.com.',
      );
      expect(byTestId(step, 'code-sent-message').textContent).toContain('expires in 5 minutes');
      expect(focusedIn(step)).toBe(byTestId(step, 'code-input'));

      await enterCode(step, '654321');
      expect(sentRequest(fetch, 1).body).toEqual({ flow: 'flow-2', code: '654321' });
    });

    it('disables only Resend for retry_after seconds after a 429, the wait said once', async () => {
      vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
      try {
        stubFetch(
          jsonResponse(429, {
            error: 'rate_limited',
            message: 'Too many codes were sent to this address. Try again in 30 seconds.',
            retry_after: 30,
          }),
          jsonResponse(400, { error: 'invalid_code', message: 'That code is not right. 4 attempts left.' }),
        );
        const step = await mountStep();
        byTestId<HTMLButtonElement>(step, 'resend-code').click();
        await settle(step);

        expect(byTestId(step, 'error-message').textContent).toContain('Try again in 30 seconds.');
        expect(queryTestId(step, 'retry-countdown')).toBeNull();
        expect(byTestId<HTMLButtonElement>(step, 'resend-code').disabled).toBe(true);
        expect(byTestId<HTMLButtonElement>(step, 'code-submit').disabled).toBe(false);

        // another alert replaces the one that named the wait: now the countdown says it
        await enterCode(step, '000000');
        expect(byTestId(step, 'error-message').textContent).not.toContain('again in');
        expect(byTestId(step, 'retry-countdown').textContent).toContain('30 seconds');

        vi.advanceTimersByTime(30_000);
        await step.updateComplete;
        expect(byTestId<HTMLButtonElement>(step, 'resend-code').disabled).toBe(false);
        expect(queryTestId(step, 'retry-countdown')).toBeNull();
      } finally {
        vi.useRealTimers();
      }
    });

    it('keeps the code already sent working when a resend is refused', async () => {
      const assign = stubLocationAssign();
      const fetch = stubFetch(
        jsonResponse(429, {
          error: 'rate_limited',
          message: 'Too many codes were sent to this address. Try again in 7 minutes.',
          retry_after: 420,
        }),
        jsonResponse(200, { location: '/ui/' }),
      );
      const step = await mountStep();
      byTestId<HTMLButtonElement>(step, 'resend-code').click();
      await settle(step);
      expect(byTestId(step, 'error-message').textContent).toContain('Try again in 7 minutes.');

      await enterCode(step, '123456');

      expect(sentRequest(fetch, 1).body).toEqual({ flow: 'flow-1', code: '123456' });
      expect(assign).toHaveBeenCalledWith('/ui/');
    });
  });

  describe('changing the email', () => {
    it('announces tn-change-email', async () => {
      const step = await mountStep();
      const listener = vi.fn();
      step.addEventListener('tn-change-email', listener);
      byTestId<HTMLButtonElement>(step, 'change-email').click();

      expect(listener).toHaveBeenCalledOnce();
    });
  });
});
