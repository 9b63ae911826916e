import { describe, expect, it, vi } from 'vitest';
import { byTestId, mount, queryTestId, settle } from '../testing/fixture.js';
import { graphqlError, stubGraphQL } from '../testing/graphql-stub.js';
import { membersData, viewer, viewerData } from '../testing/portal-data.js';
import { TOKEN_REFUSED } from './tenantry-widget.js';
import type { TenantryMembers } from './widgets.js';
import './widgets.js';

async function mountMembers(token: string): Promise<TenantryMembers> {
  const widget = await mount('tenantry-members');
  widget.tenantryUrl = 'https://id.example.com';
  widget.token = token;
  await settle(widget);
  return widget;
}

describe('<tenantry-members>', () => {
  it('says it has no token, and asks Tenantry nothing, until one is set', async () => {
    const fetch = stubGraphQL({});
    const widget = await mount('tenantry-members');
    await settle(widget);

    expect(byTestId(widget, 'widget-no-token').textContent).toContain('no token');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks Tenantry with its bearer token and no cookies, and shows the Members element', async () => {
    const fetch = stubGraphQL({
      Viewer: { viewer: viewerData(viewer()) },
      Members: membersData(),
    });
    const widget = await mountMembers('wt-1');
    await vi.waitFor(() => expect(widget.shadowRoot!.querySelector('tn-members')).not.toBeNull());
    const [url, init] = fetch.mock.calls[0];

    expect(url).toBe('https://id.example.com/graphql');
    expect(init?.credentials).toBe('omit');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer wt-1');
    const members = widget.shadowRoot!.querySelector('tn-members')!;
    expect(members).not.toBeNull();
    expect(members.organizationId).toBe(viewer().organization!.id);
    expect(members.permissions).toEqual(viewer().permissions);
  });

  it('hides the organization and asks the page for a new token once Tenantry refuses this one', async () => {
    stubGraphQL({ Viewer: graphqlError('UNAUTHENTICATED', 'The widget token is invalid or expired.') });
    const asked: Event[] = [];
    document.addEventListener('tenantry-token-expired', (event) => asked.push(event), { once: true });
    const widget = await mountMembers('wt-old');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await settle(widget);

    expect(byTestId(widget, 'error-message').textContent).toContain(TOKEN_REFUSED);
    expect(widget.shadowRoot!.querySelector('tn-members')).toBeNull();

    stubGraphQL({ Viewer: { viewer: viewerData(viewer()) }, Members: membersData() });
    widget.token = 'wt-new';
    await vi.waitFor(() => expect(widget.shadowRoot!.querySelector('tn-members')).not.toBeNull());
    expect(queryTestId(widget, 'error-message')).toBeNull();
  });
});
