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
