import { describe, expect, it } from 'vitest';
import { allowedRoutes, denialMessage, resolveRoute } from './routes.js';

const ids = (permissions: string[]) => allowedRoutes(permissions).map((route) => route.id);

describe('portal routes', () => {
  it('offers each page only with the permission it needs', () => {
    expect(ids([])).toEqual(['profile', 'security']);
    expect(ids(['sk_org_users_read'])).toEqual(['members', 'profile', 'security']);
    expect(ids(['sk_org_settings_read', 'sk_org_users_read'])).toEqual([
      'organization',
      'members',
      'profile',
      'security',
    ]);
  });

  it('offers each page by its own permission alone, never by an unrelated one', () => {
    expect(ids(['sk_org_session_policy_read'])).toEqual(['profile', 'security']);
    expect(allowedRoutes(['sk_org_session_policy_read'], ['SESSION_POLICY']).map(({ id }) => id)).toEqual([
      'session-policy',
      'profile',
      'security',
    ]);
    expect(ids(['sk_org_users_invite'])).toEqual(['members', 'profile', 'security']);
    expect(ids(['sk_org_users_delete', 'sk_org_settings_manage'])).toEqual(['profile', 'security']);
  });

  it('offers Session policy only with its permission and the organization\'s feature', () => {
    const read = ['sk_org_users_read', 'sk_org_session_policy_read'];
    expect(allowedRoutes(read, ['SESSION_POLICY']).map((route) => route.id)).toEqual([
      'members',
      'session-policy',
      'profile',
      'security',
    ]);
    expect(allowedRoutes(read, []).map((route) => route.id)).toEqual(['members', 'profile', 'security']);
    expect(allowedRoutes(['sk_org_users_read'], ['SESSION_POLICY']).map((route) => route.id)).toEqual([
      'members',
      'profile',
      'security',
    ]);
    expect(resolveRoute('/ui/session-policy', read, []).route.id).toBe('members');
    expect(resolveRoute('/ui/session-policy', read, ['SESSION_POLICY'])).toMatchObject({
      route: { id: 'session-policy', path: '/ui/session-policy', label: 'Session policy' },
      redirected: false,
    });
  });

  it('offers Domains only with sk_org_settings_read and the organization\'s feature', () => {
    const features = ['DOMAIN_VERIFICATION'];
    expect(allowedRoutes(['sk_org_settings_read'], features).map((route) => route.id)).toEqual([
      'organization',
      'domains',
      'profile',
      'security',
    ]);
    expect(allowedRoutes(['sk_org_settings_read'], []).map((route) => route.id)).not.toContain('domains');
    expect(allowedRoutes(['sk_org_users_read'], features).map((route) => route.id)).not.toContain('domains');
    expect(resolveRoute('/ui/domains', ['sk_org_settings_read'], features)).toMatchObject({
      route: { id: 'domains', path: '/ui/domains', label: 'Domains' },
      redirected: false,
    });
  });

  it('leads /ui/ to the first page the viewer may use', () => {
    expect(resolveRoute('/ui/', ['sk_org_users_read'])).toMatchObject({
      route: { id: 'members' },
      redirected: true,
    });
    expect(resolveRoute('/ui', [])).toMatchObject({ route: { id: 'profile' }, redirected: true });
  });

  it('shows a page the viewer may use, with or without a trailing slash', () => {
    expect(resolveRoute('/ui/members/', ['sk_org_users_read'])).toMatchObject({
      route: { id: 'members' },
      redirected: false,
    });
    expect(resolveRoute('/ui/security', [])).toMatchObject({
      route: { id: 'security' },
      redirected: false,
    });
  });

  it('leads away from a page the viewer may not use, and from unknown pages', () => {
    expect(resolveRoute('/ui/organization', ['sk_org_users_read']).route.id).toBe('members');
    expect(resolveRoute('/ui/sso', []).route.id).toBe('profile');
  });

  it('offers Single sign-on only with sk_org_sso_read and the SSO feature', () => {
    expect(allowedRoutes(['sk_org_sso_read'], ['SSO']).map((route) => route.id)).toEqual([
      'sso',
      'profile',
      'security',
    ]);
    expect(allowedRoutes(['sk_org_sso_read'], []).map((route) => route.id)).not.toContain('sso');
    expect(allowedRoutes(['sk_org_settings_read'], ['SSO']).map((route) => route.id)).not.toContain('sso');
    expect(resolveRoute('/ui/sso', ['sk_org_sso_read'], ['SSO'])).toMatchObject({
      route: { id: 'sso', path: '/ui/sso', label: 'Single sign-on' },
      redirected: false,
    });
  });

  it('offers Directory sync after Single sign-on, only with sk_org_scim_read and the SCIM feature', () => {
    expect(
      allowedRoutes(['sk_org_sso_read', 'sk_org_scim_read'], ['SSO', 'SCIM']).map((route) => route.id),
    ).toEqual(['sso', 'scim', 'profile', 'security']);
    expect(allowedRoutes(['sk_org_scim_read'], []).map((route) => route.id)).not.toContain('scim');
    expect(allowedRoutes(['sk_org_sso_read'], ['SCIM']).map((route) => route.id)).not.toContain('scim');
    const shown = resolveRoute('/ui/scim', ['sk_org_scim_read'], ['SCIM']);
    expect(shown).toMatchObject({ route: { id: 'scim', path: '/ui/scim', label: 'Directory sync' }, redirected: false });
    expect(shown.denied).toBeUndefined();
  });

  it('keeps /ui/scim for someone it is not for, saying why instead of leading away', () => {
    const member = resolveRoute('/ui/scim', ['sk_org_users_read'], ['SCIM']);
    expect(member).toMatchObject({ route: { id: 'scim' }, redirected: false, denied: true });
    expect(denialMessage(member.route, ['SCIM'])).toBe(
      "You don't have access to Directory sync in this organization. Ask one of its admins if you need it.",
    );
    expect(denialMessage(member.route, [])).toBe(
      "Directory sync is not available for this organization. Ask the app's team if you need it.",
    );
    // Pages that do not explain a denial still lead away.
    expect(resolveRoute('/ui/sso', ['sk_org_users_read'], ['SSO'])).toMatchObject({ redirected: true });
  });
});
