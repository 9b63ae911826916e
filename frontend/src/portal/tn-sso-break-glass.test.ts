import { describe, expect, it } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  settle,
} from '../testing/fixture.js';
import type { BreakGlassCandidate } from './sso-api.js';
import type { TnSsoBreakGlass } from './tn-sso-break-glass.js';
import './tn-sso-break-glass.js';

const admin = (slug: string, name: string): BreakGlassCandidate => ({
  id: `usr_${slug}`,
  email: `${slug}@example.com`,
  name,
});
const admins = [
  admin('ada', 'Ada Lovelace'),
  admin('grace', 'Grace Hopper'),
  admin('alan', 'Alan Turing'),
  admin('edsger', ''),
];

async function mountList(
  chosen: string[],
  editable = true,
): Promise<{ element: TnSsoBreakGlass; changes: string[][] }> {
  const element = await mount('tn-sso-break-glass', {
    admins,
    chosen,
    editable,
    email: 'ADA@example.com',
  });
  const changes: string[][] = [];
  element.addEventListener('tn-break-glass-change', (event) => changes.push(event.detail));
  return { element, changes };
}

async function pick(element: TnSsoBreakGlass, id: string): Promise<void> {
  const select = byTestId<HTMLSelectElement>(element, 'sso-break-glass-add');
  select.value = id;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(element);
  byTestId(element, 'sso-break-glass-add-button').click();
  await settle(element);
}

const optionTexts = (element: TnSsoBreakGlass) =>
  [...byTestId<HTMLSelectElement>(element, 'sso-break-glass-add').options].map((option) =>
    option.text.trim(),
  );

describe('<tn-sso-break-glass>', () => {
  it('offers the admins not chosen yet, marking the viewer, with Add disabled until one is picked', async () => {
    const { element } = await mountList(['usr_grace']);
    expect(optionTexts(element)).toEqual([
      'Choose an admin…',
      'Ada Lovelace (you) · ada@example.com',
      'Alan Turing · alan@example.com',
      'edsger@example.com',
    ]);
    expect(byTestId<HTMLButtonElement>(element, 'sso-break-glass-add-button').disabled).toBe(true);
    await expectAccessible(element);
  });

  it('tells the parent what is chosen after Add and Remove, keeping focus in the list', async () => {
    const { element, changes } = await mountList(['usr_grace']);
    await pick(element, 'usr_ada');
    expect(changes).toEqual([['usr_grace', 'usr_ada']]);
    expect(byTestId(element, 'sso-break-glass-usr_ada').textContent).toContain('(you)');
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-break-glass-add'));

    byTestId(element, 'sso-break-glass-remove-usr_grace').click();
    await settle(element);
    expect(changes.at(-1)).toEqual(['usr_ada']);
    expect(queryTestId(element, 'sso-break-glass-usr_grace')).toBeNull();
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-break-glass-add'));
  });

  it('offers no fourth admin, and focuses the new Remove once the picker is gone', async () => {
    const { element } = await mountList(['usr_ada', 'usr_grace']);
    await pick(element, 'usr_alan');
    expect(queryTestId(element, 'sso-break-glass-add')).toBeNull();
    expect(byTestId(element, 'sso-break-glass-full').textContent).toContain(
      'remove one to choose another',
    );
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-break-glass-remove-usr_alan'));
  });

  it('says when there is no other admin to choose', async () => {
    const { element } = await mountList([]);
    element.admins = [admins[0]];
    element.chosen = ['usr_ada'];
    await settle(element);
    expect(byTestId(element, 'sso-break-glass-no-candidates').textContent).toContain(
      'Make someone an admin on the Members page first.',
    );
  });

  it('only lists the admins for a viewer who may not change them', async () => {
    const { element } = await mountList(['usr_ada'], false);
    expect(byTestId(element, 'sso-break-glass-usr_ada').textContent).toContain('ada@example.com');
    expect(queryTestId(element, 'sso-break-glass-add')).toBeNull();
    expect(queryTestId(element, 'sso-break-glass-remove-usr_ada')).toBeNull();
    await expectAccessible(element);
  });

  it('shows a refusal at the list and focuses what it is about', async () => {
    const { element } = await mountList(['usr_grace']);
    element.error = 'A break-glass account must be an active member who manages SSO.';
    await settle(element);
    element.focusProblem();
    expect(byTestId(element, 'sso-break-glass').getAttribute('aria-describedby')).toBe(
      'sso-break-glass-hint sso-break-glass-error',
    );
    expect(byTestId(element, 'sso-break-glass-add').getAttribute('aria-invalid')).toBe('true');
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-break-glass-remove-usr_grace'));
    await expectAccessible(element);
  });
});
