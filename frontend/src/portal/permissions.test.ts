import { describe, expect, it } from 'vitest';
import { effectivePermissions, impliedRead } from './permissions.js';

describe('effectivePermissions', () => {
  it('adds the read each manage permission includes', () => {
    expect(effectivePermissions(['sk_org_session_policy_manage'])).toEqual([
      'sk_org_session_policy_manage',
      'sk_org_session_policy_read',
    ]);
  });

  it('leaves other permissions alone and lists each once', () => {
    expect(
      effectivePermissions(['sk_org_users_delete', 'sk_org_sso_read', 'sk_org_sso_manage']),
    ).toEqual(['sk_org_sso_manage', 'sk_org_sso_read', 'sk_org_users_delete']);
  });

  it('does not extend app-defined permissions', () => {
    expect(impliedRead('billing:manage')).toBeNull();
    expect(impliedRead('coffee_manage')).toBeNull();
  });
});
