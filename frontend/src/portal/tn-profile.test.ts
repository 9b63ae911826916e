import { beforeEach, describe, expect, it } from 'vitest';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { deferred, graphqlError, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { ada, problem } from '../testing/portal-data.js';
import { PROFILE_MESSAGES, type TnProfile } from './tn-profile.js';
import './tn-profile.js';

beforeEach(() => setCsrfMeta());

async function mountProfile(): Promise<TnProfile> {
  const profile = await mount('tn-profile');
  await settle(profile);
  return profile;
}

async function saveName(profile: TnProfile, first: string, last: string): Promise<void> {
  typeInto(byTestId(profile, 'profile-first-name'), first);
  typeInto(byTestId(profile, 'profile-last-name'), last);
  byTestId(profile, 'profile-save').click();
  await settle(profile);
}

describe('<tn-profile>', () => {
  describe('showing the profile', () => {
    it('fills the name fields from the signed-in person', async () => {
      stubGraphQL({ Profile: { viewer: { user: ada } } });
      const profile = await mountProfile();

      expect(byTestId<HTMLInputElement>(profile, 'profile-first-name').value).toBe('Ada');
      expect(byTestId<HTMLInputElement>(profile, 'profile-last-name').value).toBe('Lovelace');
      expect(
        profile.shadowRoot!.querySelector('label[for="profile-first-name"]')?.textContent,
      ).toBe('First name');
    });

    it('shows a verified email with a Verified badge', async () => {
      stubGraphQL({ Profile: { viewer: { user: ada } } });
      const email = byTestId(await mountProfile(), 'profile-email');

      expect(email.textContent).toContain('ada@example.com');
      expect(email.textContent).toContain('Verified');
    });

    it('says when the email is not verified', async () => {
      stubGraphQL({ Profile: { viewer: { user: { ...ada, emailVerified: false } } } });
      const email = byTestId(await mountProfile(), 'profile-email');

      expect(email.textContent).toContain('Not verified');
    });

    it('shows placeholders and a status until the profile arrives', async () => {
      const { answer } = deferred();
      stubGraphQL({ Profile: answer });
      const loading = byTestId(await mount('tn-profile'), 'profile-loading');

      expect(loading.getAttribute('aria-busy')).toBe('true');
      expect(loading.querySelector('[role="status"]')?.textContent).toContain('Loading your profile');
      expect(loading.querySelectorAll('sl-skeleton').length).toBeGreaterThan(0);
    });

    it('keeps the Verified badge apart from the address, in its own element', async () => {
      stubGraphQL({ Profile: { viewer: { user: ada } } });
      const email = byTestId(await mountProfile(), 'profile-email');

      expect(email.querySelector('.address')?.textContent).toBe(ada.email);
      expect(email.querySelector('[data-testid="profile-email-verified"]')?.textContent).toBe('Verified');
      expect(getComputedStyle(email).display).toBe('flex');
    });

    it('shows a failed load and can try again', async () => {
      stubGraphQL({
        Profile: [graphqlError('BAD_REQUEST', 'Try later.'), { viewer: { user: ada } }],
      });
      const profile = await mountProfile();
      expect(byTestId(profile, 'error-message').textContent).toContain('Try later.');

      profile.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(profile);
      expect(byTestId<HTMLInputElement>(profile, 'profile-first-name').value).toBe('Ada');
    });

    it('passes the accessibility checks', async () => {
      stubGraphQL({ Profile: { viewer: { user: ada } } });
      await expectAccessible(await mountProfile());
    });
  });

  describe('saving the name', () => {
    it('sends the trimmed names with the CSRF token, then says so in a focused status', async () => {
      const fetch = stubGraphQL({
        Profile: { viewer: { user: ada } },
        UpdateProfile: {
          updateProfile: {
            __typename: 'User',
            ...ada,
            firstName: 'Augusta',
            name: 'Augusta Lovelace',
          },
        },
      });
      const profile = await mountProfile();
      await saveName(profile, ' Augusta ', 'Lovelace ');
      const [sent] = sentNamed(fetch, 'UpdateProfile');

      expect(sent.variables).toEqual({ firstName: 'Augusta', lastName: 'Lovelace' });
      expect(sent.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      const saved = byTestId(profile, 'profile-saved');
      expect(saved.getAttribute('role')).toBe('status');
      expect(focusedIn(profile)).toBe(saved);
    });

    it('tells the portal the new name', async () => {
      const renamed = { ...ada, firstName: 'Augusta', name: 'Augusta Lovelace' };
      stubGraphQL({
        Profile: { viewer: { user: ada } },
        UpdateProfile: { updateProfile: { __typename: 'User', ...renamed } },
      });
      const profile = await mountProfile();
      let detail: unknown;
      profile.addEventListener('tn-profile-updated', (event) => (detail = event.detail));
      await saveName(profile, 'Augusta', 'Lovelace');

      expect(detail).toEqual(renamed);
    });

    it('asks for both names without calling the server', async () => {
      const fetch = stubGraphQL({ Profile: { viewer: { user: ada } } });
      const profile = await mountProfile();
      await saveName(profile, ' ', '');

      expect(byTestId(profile, 'profile-first-name-error').textContent?.trim()).toBe(
        PROFILE_MESSAGES.firstName,
      );
      expect(byTestId(profile, 'profile-last-name-error').textContent?.trim()).toBe(
        PROFILE_MESSAGES.lastName,
      );
      expect(focusedIn(profile)).toBe(byTestId(profile, 'profile-first-name'));
      expect(sentNamed(fetch, 'UpdateProfile')).toHaveLength(0);
    });

    it('shows an InvalidInput problem in a focused alert and marks its field', async () => {
      stubGraphQL({
        Profile: { viewer: { user: ada } },
        UpdateProfile: {
          updateProfile: problem('InvalidInput', 'A last name is at most 100 characters.', {
            field: 'last_name',
          }),
        },
      });
      const profile = await mountProfile();
      await saveName(profile, 'Ada', 'L'.repeat(101));

      const alert = byTestId(profile, 'error-message');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent).toContain('A last name is at most 100 characters.');
      expect(focusedIn(profile)).toBe(alert);
      expect(byTestId(profile, 'profile-last-name').getAttribute('aria-invalid')).toBe('true');
      expect(queryTestId(profile, 'profile-saved')).toBeNull();
    });

    it('disables the button and marks the form busy while saving', async () => {
      const pending = deferred();
      stubGraphQL({ Profile: { viewer: { user: ada } }, UpdateProfile: pending.answer });
      const profile = await mountProfile();
      byTestId(profile, 'profile-save').click();
      await profile.updateComplete;

      expect(byTestId<HTMLButtonElement>(profile, 'profile-save').disabled).toBe(true);
      expect(byTestId(profile, 'profile-save').getAttribute('aria-busy')).toBe('true');
      expect(profile.shadowRoot!.querySelector('form')!.getAttribute('aria-busy')).toBe('true');
      pending.resolve(graphqlError('BAD_REQUEST', 'No.'));
      await settle(profile);
      expect(byTestId<HTMLButtonElement>(profile, 'profile-save').disabled).toBe(false);
    });
  });
});
