// An independent relying party: panva's openid-client (v6) against Tenantry.
//
// Driven by tests/host/oauth/test_independent_clients.py over JSON lines:
//   in  (argv[2] or stdin line 1): {issuer, client_id, client_secret, redirect_uri,
//                                   post_logout_redirect_uri, token_endpoint_auth_method?, prompt?}
//   out: {"authorization_url": "..."}
//   in  (next stdin line):         {"callback_url": "..."}  (or the bare URL)
//   out: {"claims", "userinfo", "refreshed_claims", "refresh_rotated", "end_session_url", ...}
// Any error from the library: {"error": ...} on stdout and exit code 1.
//
// Every check here is the library's own: discovery metadata (issuer match), the authorization
// response (state, iss), the token response and ID token (iss, aud, exp, iat, nonce, azp, and,
// with enableNonRepudiationChecks, the RS256 signature against jwks_uri), and the UserInfo
// subject.

import * as readline from "node:readline";
import * as client from "openid-client";

const lines = readline.createInterface({ input: process.stdin, terminal: false })[
  Symbol.asyncIterator
]();

function emit(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

async function nextLine(what) {
  const { value, done } = await lines.next();
  if (done) throw new Error(`stdin closed while waiting for ${what}`);
  return value.trim();
}

function describe(error) {
  const out = { error: `${error?.name ?? "Error"}: ${error?.message ?? String(error)}` };
  if (error?.code) out.code = error.code;
  if (error?.error) out.oauth_error = error.error;
  if (error?.error_description) out.error_description = error.error_description;
  if (error?.status) out.status = error.status;
  const cause = error?.cause;
  if (cause instanceof Error) {
    out.cause = `${cause.name}: ${cause.message}${cause.code ? ` (${cause.code})` : ""}`;
  } else if (cause !== undefined) {
    // e.g. the OAuth error body or the offending claims, as the library attached them.
    try {
      out.cause = JSON.parse(JSON.stringify(cause));
    } catch {
      out.cause = String(cause);
    }
  }
  return out;
}

function authentication(method, secret) {
  switch (method ?? "client_secret_basic") {
    case "client_secret_basic":
      return client.ClientSecretBasic(secret);
    case "client_secret_post":
      return client.ClientSecretPost(secret);
    case "none":
      return client.None();
    default:
      throw new Error(`unknown token_endpoint_auth_method ${method}`);
  }
}

async function main() {
  const settings = JSON.parse(process.argv[2] ?? (await nextLine("the settings")));

  const config = await client.discovery(
    new URL(settings.issuer),
    settings.client_id,
    { redirect_uris: [settings.redirect_uri] },
    authentication(settings.token_endpoint_auth_method, settings.client_secret),
    // The issuer is plain http on localhost; and check ID token signatures against jwks_uri
    // too (by default the library skips that for responses from the TLS token endpoint).
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );

  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirect_uri,
    scope: "openid profile email",
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
    state,
    nonce,
    ...(settings.prompt ? { prompt: settings.prompt } : {}),
  });
  emit({ authorization_url: authorizationUrl.href, state, nonce });

  const answer = await nextLine("the callback URL");
  const callbackUrl = answer.startsWith("{") ? JSON.parse(answer).callback_url : answer;

  const tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the token response carried no ID token");

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const refreshedClaims = refreshed.claims() ?? null;

  const endSessionState = client.randomState();
  const endSessionUrl = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: settings.post_logout_redirect_uri,
    state: endSessionState,
  });

  emit({
    claims,
    userinfo,
    nonce,
    token_type: tokens.token_type,
    expires_in: tokens.expiresIn() ?? null,
    scope: tokens.scope ?? null,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    refreshed_refresh_token: refreshed.refresh_token ?? null,
    refreshed_access_token: refreshed.access_token,
    refreshed_claims: refreshedClaims,
    refresh_rotated:
      typeof refreshed.refresh_token === "string" &&
      refreshed.refresh_token !== tokens.refresh_token,
    end_session_url: endSessionUrl.href,
    end_session_state: endSessionState,
  });
}

try {
  await main();
  process.exit(0);
} catch (error) {
  emit(describe(error));
  process.exit(1);
}
