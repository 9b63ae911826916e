/**
 * What a viewer's permissions allow in the portal. The seed defines each `sk_org_*_manage`
 * permission as "view and modify", so it includes its `_read`, as the server's directives say.
 */

const MANAGE = /^(sk_org_.+)_manage$/;

/** The `_read` permission a system `_manage` one includes, or null. */
export function impliedRead(permission: string): string | null {
  const match = MANAGE.exec(permission);
  return match ? `${match[1]}_read` : null;
}

/** `granted` with every read its manage permissions include, without duplicates, sorted. */
export function effectivePermissions(granted: readonly string[]): string[] {
  const held = new Set(granted);
  for (const permission of granted) {
    const read = impliedRead(permission);
    if (read) held.add(read);
  }
  return [...held].sort();
}

/**
 * Whether the viewer holds every permission of a role, as the server requires before they
 * change, remove or un-invite someone with it, or give it. A role whose permissions are not
 * known is left to the server to decide.
 */
export function holdsRole(
  viewerPermissions: readonly string[],
  role: { permissions?: readonly string[] } | undefined,
): boolean {
  if (!role?.permissions) return true;
  const held = new Set(effectivePermissions(viewerPermissions));
  return effectivePermissions(role.permissions).every((permission) => held.has(permission));
}
