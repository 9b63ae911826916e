import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, setCsrfMeta, settle } from '../testing/fixture.js';
import { graphqlError, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { directoryGroup, directoryUser, listData } from '../testing/scim-data.js';
import './tn-scim-groups.js';
import './tn-scim-users.js';

beforeEach(() => setCsrfMeta());

describe('<tn-scim-users>', () => {
  it('lists the provisioned people, active or suspended, and pages with Load more', async () => {
    const fetch = stubGraphQL({
      DirectoryUsers: [
        listData('users', [directoryUser('grace@example.com')], 'c1'),
        listData('users', [directoryUser('linus@example.com', { displayName: null, active: false })]),
      ],
    });
    const element = await mount('tn-scim-users', { directoryId: 'dir_okta' });
    await settle(element);
    expect(byTestId(element, 'scim-users-table').textContent).toContain('Grace Hopper');
    await expectAccessible(element);
    byTestId(element, 'scim-users-more').click();
    await settle(element);
    const rows = element.shadowRoot!.querySelectorAll('[data-testid="scim-user-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[1].querySelector('.badge')!.textContent).toBe('Suspended');
    expect(focusedIn(element)?.id).toBe('user-row-1');
    expect(sentNamed(fetch, 'DirectoryUsers')[1].variables).toEqual({
      directoryId: 'dir_okta',
      first: 25,
      after: 'c1',
      search: null,
    });
  });

  it('shows the error and no table when the list cannot be read', async () => {
    stubGraphQL({ DirectoryUsers: graphqlError('FORBIDDEN') });
    const element = await mount('tn-scim-users', { directoryId: 'dir_okta' });
    await settle(element);
    expect(byTestId(element, 'error-message').textContent).toContain("You don't have permission");
    expect(queryTestId(element, 'scim-users-table')).toBeNull();
  });
});

describe('<tn-scim-groups>', () => {
  it('lists the pushed groups with their member counts', async () => {
    stubGraphQL({ DirectoryGroups: listData('groups', [directoryGroup('Engineering', { memberCount: 7 })]) });
    const element = await mount('tn-scim-groups', { directoryId: 'dir_okta' });
    await settle(element);
    const row = byTestId(element, 'scim-group-row');
    expect(row.querySelector('th')!.textContent).toBe('Engineering');
    expect(row.textContent).toContain('7');
    expect(queryTestId(element, 'scim-groups-more')).toBeNull();
    await expectAccessible(element);
  });

  it('says when none was pushed yet', async () => {
    stubGraphQL({ DirectoryGroups: listData('groups', []) });
    const element = await mount('tn-scim-groups', { directoryId: 'dir_okta' });
    await settle(element);
    expect(byTestId(element, 'scim-groups-empty').textContent).toContain('No groups pushed yet.');
  });
});
