import { beforeEach, describe, expect, it, vi } from 'vitest';
import { instantAnimations } from '../testing/shoelace.js';
import { installDesignSystem } from './design-system.js';
import { LIVE_REGION_ID, announce, toast } from './toast.js';

beforeEach(() => {
  instantAnimations();
  installDesignSystem(document);
});

const settleTimers = () => new Promise((resolve) => setTimeout(resolve, 80));

describe('toast', () => {
  it('shows the words in a closable sl-alert of the variant, in the toast stack', async () => {
    const alert = toast('Removed Grace Hopper from the organization.') as unknown as HTMLElement & {
      variant: string;
      closable: boolean;
      duration: number;
    };
    await settleTimers();
    expect(alert.textContent).toBe('Removed Grace Hopper from the organization.');
    expect(alert.variant).toBe('success');
    expect(alert.closable).toBe(true);
    expect(alert.duration).toBeGreaterThanOrEqual(5000);
    expect(alert.parentElement?.classList.contains('sl-toast-stack')).toBe(true);
    expect((alert.querySelector('sl-icon') as unknown as { name: string }).name).toBe('check2-circle');
  });

  it('uses the danger variant and icon when asked', () => {
    const alert = toast('Could not resend.', { variant: 'danger' }) as unknown as HTMLElement & { variant: string };
    expect(alert.variant).toBe('danger');
    expect((alert.querySelector('sl-icon') as unknown as { name: string }).name).toBe('exclamation-octagon');
  });

  it('falls back to the polite live region when the toast cannot show', async () => {
    const get = vi.spyOn(customElements, 'get').mockReturnValue(undefined);
    expect(toast('Invited ada@example.com.')).toBeNull();
    get.mockRestore();
    await settleTimers();
    const region = document.getElementById(LIVE_REGION_ID)!;
    expect(region.getAttribute('role')).toBe('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('Invited ada@example.com.');
  });
});

describe('announce', () => {
  it('reuses one visually hidden live region and repeats the same words', async () => {
    announce('Saved.');
    await settleTimers();
    announce('Saved.');
    expect(document.getElementById(LIVE_REGION_ID)!.textContent).toBe('');
    await settleTimers();
    expect(document.querySelectorAll(`#${LIVE_REGION_ID}`)).toHaveLength(1);
    const region = document.getElementById(LIVE_REGION_ID)!;
    expect(region.textContent).toBe('Saved.');
    expect(region.style.position).toBe('absolute');
    expect(region.style.width).toBe('1px');
  });
});
