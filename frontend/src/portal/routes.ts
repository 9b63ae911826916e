/**
 * The portal's pages under /ui/ and the permission (and feature) each needs. A page shows in the navigation
 * only when the viewer may use it; /ui/ and any page they may not use lead to the first one
 * they may.
 */

export type RouteId =
  | 'organization'
  | 'domains'
  | 'sso'
  | 'scim'
  | 'members'
  | 'session-policy'
  | 'profile'
  | 'security';

export interface Route {
  id: RouteId;
  /** The navigation link's text and the page's heading. */
  label: string;
  path: string;
  /** The permission the page needs in the active organization, or null for everyone. */
  permission: string | null;
  /** Other permissions that each open the page too, for the one part of it they allow. */
  orPermissions?: readonly string[];
  /** The feature the active organization needs (`SESSION_POLICY`), if any. */
  feature?: string;
  /**
   * Its address, opened by someone it is not for, says they lack access rather than leading to
   * another page (a link an admin shared should not silently land elsewhere).
   */
  explainsDenial?: boolean;
}

export const PORTAL_BASE = '/ui/';

export const ROUTES: readonly Route[] = [
  {
    id: 'organization',
    label: 'Organization',
    path: '/ui/organization',
    permission: 'sk_org_settings_read',
  },
  {
    id: 'domains',
    label: 'Domains',
    path: '/ui/domains',
    permission: 'sk_org_settings_read',
    feature: 'DOMAIN_VERIFICATION',
  },
  {
    id: 'sso',
    label: 'Single sign-on',
    path: '/ui/sso',
    permission: 'sk_org_sso_read',
    feature: 'SSO',
  },
  {
    id: 'scim',
    label: 'Directory sync',
    path: '/ui/scim',
    permission: 'sk_org_scim_read',
    feature: 'SCIM',
    explainsDenial: true,
  },
  {
    id: 'members',
    label: 'Members',
    path: '/ui/members',
    permission: 'sk_org_users_read',
    orPermissions: ['sk_org_users_invite'],
  },
  {
    id: 'session-policy',
    label: 'Session policy',
    path: '/ui/session-policy',
    permission: 'sk_org_session_policy_read',
    feature: 'SESSION_POLICY',
  },
  { id: 'profile', label: 'Profile', path: '/ui/profile', permission: null },
  { id: 'security', label: 'Security', path: '/ui/security', permission: null },
];

/**
 * The pages `permissions` and the organization's `features` allow, in navigation order;
 * Profile and Security always are.
 */
export function allowedRoutes(
  permissions: readonly string[],
  features: readonly string[] = [],
): Route[] {
  return ROUTES.filter(
    (route) =>
      (route.permission === null ||
        [route.permission, ...(route.orPermissions ?? [])].some((needed) =>
          permissions.includes(needed),
        )) &&
      (!route.feature || features.includes(route.feature)),
  );
}

/**
 * The page to show for `pathname`. `redirected` says the address named no page the viewer may
 * use (such as /ui/ itself), so the address bar should be replaced with the chosen page's path.
 * `denied` says it named a page that `explainsDenial` and the viewer may not use: that page's
 * heading is shown with why, and the address stays.
 */
export function resolveRoute(
  pathname: string,
  permissions: readonly string[],
  features: readonly string[] = [],
): { route: Route; redirected: boolean; denied?: boolean } {
  const allowed = allowedRoutes(permissions, features);
  const wanted = pathname.replace(/\/+$/, '');
  const route = allowed.find((candidate) => candidate.path === wanted);
  if (route) return { route, redirected: false };
  const explained = ROUTES.find((candidate) => candidate.path === wanted && candidate.explainsDenial);
  if (explained) return { route: explained, redirected: false, denied: true };
  return { route: allowed[0], redirected: true };
}

/** Why the viewer may not use `route`: the organization lacks its feature, or they its permission. */
export function denialMessage(route: Route, features: readonly string[]): string {
  if (route.feature && !features.includes(route.feature)) {
    return `${route.label} is not available for this organization. Ask the app's team if you need it.`;
  }
  return `You don't have access to ${route.label} in this organization. Ask one of its admins if you need it.`;
}

/** Whether a click on a link should be left to the browser (new tab, download, and so on). */
export function isModifiedClick(event: MouseEvent): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}
