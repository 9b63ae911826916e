/**
 * The sign-in JSON API under /a/auth/api, in the words the elements use (camelCase in,
 * snake_case on the wire). Optional `req` and `return_to` are left out when null.
 */
import { ApiClient } from '../shared/api.js';

export type Intent = 'login' | 'signup';

/** Where the person goes after signing in: the pending authorization request or a return URL. */
export interface Continuation {
  req: string | null;
  returnTo: string | null;
}

export interface CodeSent {
  flow: string;
  email: string;
  /** Seconds until the emailed code expires. */
  expiresIn: number;
  /** Set when no new email went out (too many were sent) and the code sent before still works. */
  notice?: string;
}

/** The address belongs to an organization's identity provider: sign in there, not with a code. */
export interface SingleSignOn {
  location: string;
}

export interface CodeResent {
  flow: string;
  expiresIn: number;
}

export interface Organization {
  id: string;
  name: string;
}

/** An open invitation to the person's verified address: which organization, with which role. */
export interface Invitation {
  id: string;
  organization: Organization;
  /** The role's display name. */
  role: string;
}

/** What the organization step offers: the person's organizations and those they may join. */
export interface OrganizationChoices {
  /** The signed-in person's address, for "Signed in as". */
  email: string;
  organizations: Organization[];
  /** Organizations their verified email's domain lets them join as a Member. */
  joinable: Organization[];
  /** Invitations waiting for the person to accept or decline them. */
  invitations: Invitation[];
}

const BASE = '/a/auth/api';

function continuation({ req, returnTo }: Continuation): { req?: string; return_to?: string } {
  return { ...(req ? { req } : {}), ...(returnTo ? { return_to: returnTo } : {}) };
}

export class AuthApi {
  constructor(private readonly client: ApiClient = ApiClient.fromDocument()) {}

  /**
   * Emails a six-digit code and a magic link; answers the same whether or not the account exists.
   * An address at a verified domain with single sign-on answers where its identity provider is.
   */
  async sendCode(
    input: { email: string; intent: Intent; firstName?: string; lastName?: string } & Continuation,
  ): Promise<CodeSent | SingleSignOn> {
    const names =
      input.intent === 'signup' ? { first_name: input.firstName, last_name: input.lastName } : {};
    const sent = await this.client.post<
      | {
          flow: string;
          email: string;
          expires_in: number;
          notice?: string;
        }
      | { location: string; sso: true }
    >(`${BASE}/email`, {
      email: input.email,
      intent: input.intent,
      ...names,
      ...continuation(input),
    });
    if ('location' in sent) {
      return { location: sent.location };
    }
    return {
      flow: sent.flow,
      email: sent.email,
      expiresIn: sent.expires_in,
      ...(sent.notice ? { notice: sent.notice } : {}),
    };
  }

  /** Checks the code; the answer is where the browser goes next. */
  async verifyCode(input: { flow: string; code: string }): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/code`, input);
    return location;
  }

  /** Sends a fresh code; the flow id may change, so callers keep the returned one. */
  async resendCode(input: { flow: string }): Promise<CodeResent> {
    const sent = await this.client.post<{ flow: string; expires_in: number }>(
      `${BASE}/resend`,
      input,
    );
    return { flow: sent.flow, expiresIn: sent.expires_in };
  }

  /** Names a signed-in person who has no name yet. */
  async saveProfile(input: { firstName: string; lastName: string } & Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/profile`, {
      first_name: input.firstName,
      last_name: input.lastName,
      ...continuation(input),
    });
    return location;
  }

  async listOrganizations(options: { signal?: AbortSignal } = {}): Promise<OrganizationChoices> {
    const {
      email = '',
      organizations,
      joinable = [],
      invitations = [],
    } = await this.client.get<{
      email?: string;
      organizations: Organization[];
      joinable?: Organization[];
      invitations?: Invitation[];
    }>(`${BASE}/organizations`, options);
    return { email, organizations, joinable, invitations };
  }

  /**
   * "Use another account": ends the session this sign-in started and answers the email step's
   * address, keeping the application's request.
   */
  async switchAccount(input: Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(
      `${BASE}/switch-account`,
      continuation(input),
    );
    return location;
  }

  /** Accepts an invitation, then continues the sign-in with its organization as the chosen one. */
  async acceptInvitation(input: { invitationId: string } & Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/organization`, {
      accept_invitation: input.invitationId,
      ...continuation(input),
    });
    return location;
  }

  /** Declines an invitation; the organization is told, and the person stays on this step. */
  async declineInvitation(input: { invitationId: string }): Promise<void> {
    await this.client.post<{ declined: string }>(`${BASE}/invitation/decline`, {
      invitation_id: input.invitationId,
    });
  }

  async chooseOrganization(input: { organizationId: string } & Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/organization`, {
      organization_id: input.organizationId,
      ...continuation(input),
    });
    return location;
  }

  /** Joins a joinable organization as a Member, then continues with it as the chosen one. */
  async joinOrganization(input: { organizationId: string } & Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/organization`, {
      organization_id: input.organizationId,
      join: true,
      ...continuation(input),
    });
    return location;
  }

  /** Continues the sign-in with no organization, for someone who chose not to join one. */
  async continueWithoutOrganization(input: Continuation): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/organization`, {
      skip: true,
      ...continuation(input),
    });
    return location;
  }
}
