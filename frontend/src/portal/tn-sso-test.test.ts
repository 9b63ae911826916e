import { beforeEach, describe, expect, it } from 'vitest';
import {
  byTestId,
  expectAccessible,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
} from '../testing/fixture.js';
import type { FetchMock } from '../testing/fetch-stub.js';
import { sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { passedTest, ssoConnection } from '../testing/portal-data.js';
import type { SsoConnection } from './sso-api.js';
import { NO_NEW_TEST, type TnSsoTest } from './tn-sso-test.js';
import './tn-sso-test.js';

beforeEach(() => setCsrfMeta());

let server: FetchMock;

async function mountTest(
  connection: SsoConnection,
  answers: Record<string, Answer | Answer[]> = {},
) {
  server = stubGraphQL(answers);
  return mount('tn-sso-test', { connection });
}

/** The admin clicks Test connection (the new tab is the browser's) and comes back to this tab. */
async function testAndReturn(element: TnSsoTest): Promise<void> {
  const link = byTestId<HTMLAnchorElement>(element, 'sso-test-link');
  link.addEventListener('click', (event) => event.preventDefault(), { once: true });
  link.click();
  await settle(element);
  window.dispatchEvent(new Event('focus'));
  await settle(element);
}

describe('<tn-sso-test>', () => {
  it('opens the test sign-in in a new tab', async () => {
    const element = await mountTest(ssoConnection());
    const link = byTestId<HTMLAnchorElement>(element, 'sso-test-link');
    expect(link.getAttribute('href')).toBe('https://auth.example.com/sso/test/conn_okta');
    expect(link.target).toBe('_blank');
    expect(link.rel).toBe('noopener');
    expect(link.textContent).toContain('(opens a new tab)');
    await expectAccessible(element);
  });

  it('offers no test before the identity provider’s settings are saved', async () => {
    const element = await mountTest(ssoConnection({ saml: null }));
    expect(queryTestId(element, 'sso-test-link')).toBeNull();
    expect(byTestId(element, 'sso-test-not-ready').textContent).toContain(
      'Save the identity provider',
    );
  });

  it('reads the result when the tab comes back and announces it', async () => {
    const tested = ssoConnection({
      status: 'TESTED',
      testedWithCurrentSettings: true,
      lastTest: passedTest(),
    });
    const element = await mountTest(ssoConnection(), { SsoConnection: { connection: tested } });
    const changed: SsoConnection[] = [];
    element.addEventListener('tn-sso-connection-changed', (event) => changed.push(event.detail));

    await testAndReturn(element);

    expect(sentNamed(server, 'SsoConnection')[0].variables).toEqual({ connectionId: 'conn_okta' });
    const live = byTestId(element, 'sso-test-announcement');
    expect(live.closest('[role="status"]')).not.toBeNull();
    expect(live.textContent).toBe(
      'The test succeeded: the identity provider signed in grace@example.com.',
    );
    const result = element.shadowRoot!.querySelector('tn-sso-test-result')!;
    await settle(result);
    expect(byTestId(result, 'sso-test-email').textContent).toBe('grace@example.com');
    expect(changed).toEqual([tested]);
  });

  it('does not read anything on focus unless a test was opened', async () => {
    await mountTest(ssoConnection(), { SsoConnection: { connection: ssoConnection() } });
    window.dispatchEvent(new Event('focus'));
    await settle();
    expect(sentNamed(server, 'SsoConnection')).toHaveLength(0);
  });

  it('says so when no new result arrived yet, and offers to look again', async () => {
    const element = await mountTest(ssoConnection(), {
      SsoConnection: { connection: ssoConnection() },
    });
    await testAndReturn(element);
    expect(byTestId(element, 'sso-test-announcement').textContent).toBe(NO_NEW_TEST);
    byTestId(element, 'sso-test-refresh').click();
    await settle(element);
    expect(sentNamed(server, 'SsoConnection')).toHaveLength(2);
  });
});
