"""Email sign-in: a six-digit code (and a magic link) proves the address, then a user exists."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from db.identity import SignInCode
from db.ids import new_id
from db.transaction import transaction
from db.users import User
from resolvers import audit, events, jobs
from resolvers.clock import now
from resolvers.crypto import (
    constant_time_equal,
    hash_code,
    hash_token,
    random_token,
    six_digit_code,
)
from resolvers.deployment import Deployment
from resolvers.emails import normalize_email
from resolvers.errors import DomainError, InvalidInput
from resolvers.invitation_answers import accept_invitation_link
from resolvers.principal import UserPrincipal
from resolvers.users import clean_person_name, create_verified_user, find_user_by_email, user_payload


class InvalidCode(DomainError):
    code = "invalid_code"


class ExpiredCode(DomainError):
    code = "expired_code"


class TooManyAttempts(DomainError):
    code = "too_many_attempts"


class LinkNeedsConfirmation(DomainError):
    """A magic link opened in a browser other than the one that asked for it: someone may have
    forwarded their own link to sign this browser in as them, so the person must confirm the address."""

    code = "confirmation_required"


LINK_INVALID = (
    "This sign-in link is not complete or not valid. Copy the whole link from the email, "
    "or sign in again to get a new one."
)
LINK_USED = "This sign-in link was already used: each link signs in once. Sign in again to get a new one."
LINK_EXPIRED = "This sign-in link has expired. Sign in again to get a new one."


@dataclass(frozen=True, slots=True)
class StartedSignIn:
    flow_id: str
    email: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class VerifiedSignIn:
    """The proven user; `request` and `return_to` say where the flow continues."""

    user_id: str
    created: bool
    needs_profile: bool
    request: str
    return_to: str


def _well_formed(*values: str) -> bool:
    """Ids and link tokens are short printable ASCII; anything else (NUL, surrogates) names nothing
    and must not reach the database."""
    return all(value.isascii() and value.isprintable() and len(value) <= 200 for value in values)


def browser_hash(browser: str) -> str:
    """What a sign-in attempt keeps of its browser's cookie ("" when the browser sent none)."""
    return hash_token(browser) if browser else ""


def _email_message(deployment: Deployment, app_name: str, email: str, code: str, link: str) -> dict[str, str]:
    subject = f"{code} is your {app_name} sign-in code"
    text = (
        f"Your {app_name} sign-in code is:\n\n    {code}\n\n"
        f"Or open this link in the same browser to continue (in another browser you will be "
        f"asked to confirm):\n{link}\n\n"
        "The code and link expire in 10 minutes and work once. "
        "If you did not try to sign in, you can ignore this email."
    )
    return {"to": email, "subject": subject, "text": text}


async def start_sign_in(
    deployment: Deployment,
    *,
    email: str,
    intent: str,
    app_name: str,
    first_name: str = "",
    last_name: str = "",
    request: str = "",
    return_to: str = "",
    ip: str = "",
    browser: str = "",
) -> StartedSignIn:
    """Email a code; the same answer whether or not an account exists, so nothing is revealed.

    `browser` is the random value of the asking browser's cookie: the attempt is bound to it.
    """
    if intent not in {"login", "signup"}:
        raise InvalidInput("intent must be 'login' or 'signup'.", field="intent")
    address = normalize_email(email)
    first = clean_person_name(first_name, "first_name")
    last = clean_person_name(last_name, "last_name")
    if intent == "signup" and (not first or not last):
        raise InvalidInput("Enter your first and last name to create an account.", field="name")
    code = six_digit_code()
    link_token = random_token()
    flow_id = new_id("sic")
    link = f"{deployment.issuer}/a/auth/magic?" + urlencode({"flow": flow_id, "token": link_token})
    moment = now()
    async with transaction():
        await SignInCode.insert(
            SignInCode(
                id=flow_id,
                email=address,
                intent=intent,
                code_hash=hash_code(deployment.secret_key, f"{flow_id}:{code}"),
                link_hash=hash_token(link_token),
                expires_at=moment + dt.timedelta(seconds=deployment.sign_in_code_seconds),
                first_name=first,
                last_name=last,
                request=request,
                return_to=return_to,
                ip=ip,
                created_at=moment,
                browser_hash=browser_hash(browser),
            )
        )
        await jobs.enqueue(
            "send_email", _email_message(deployment, app_name, address, code, link), max_attempts=5
        )
    return StartedSignIn(flow_id=flow_id, email=address, expires_in=deployment.sign_in_code_seconds)


async def restart_sign_in(
    deployment: Deployment, flow_id: str, *, app_name: str, ip: str, browser: str = ""
) -> StartedSignIn:
    """Resend: a fresh code in a new attempt from the same browser; the codes and links already
    sent keep working until they expire (a late email is not wasted, a refused resend costs nothing)."""
    row = await SignInCode.select().where(SignInCode.id == flow_id).first()
    if row is None or row["consumed_at"] is not None:
        raise ExpiredCode("This sign-in attempt has ended. Enter your email again.")
    return await start_sign_in(
        deployment,
        email=row["email"],
        intent=row["intent"],
        app_name=app_name,
        first_name=row["first_name"],
        last_name=row["last_name"],
        request=row["request"],
        return_to=row["return_to"],
        ip=ip,
        browser=browser,
    )


async def verify_code(
    deployment: Deployment, flow_id: str, code: str, *, invitation_token: str = ""
) -> VerifiedSignIn:
    """Check a typed code: five attempts per emailed code, ten minutes, once.

    The code of any unexpired attempt the same browser started for the same address is accepted
    (after a resend, the first email may arrive last); each guess spends one attempt of every
    code it is compared with, so a resend never buys a guesser more comparisons.
    """
    code = code.strip().replace(" ", "")
    if not _well_formed(flow_id):
        raise ExpiredCode("This code has already been used or replaced. Request a new code.")
    moment = now()
    async with transaction():
        counted = (
            await SignInCode.update({SignInCode.attempts: SignInCode.attempts + 1})
            .where((SignInCode.id == flow_id) & SignInCode.consumed_at.is_null())
            .returning(
                SignInCode.attempts,
                SignInCode.expires_at,
                SignInCode.code_hash,
                SignInCode.email,
                SignInCode.browser_hash,
            )
        )
        siblings = []
        if (
            counted
            and counted[0]["browser_hash"]
            and counted[0]["attempts"] <= deployment.sign_in_code_attempts
        ):
            siblings = (
                await SignInCode.update({SignInCode.attempts: SignInCode.attempts + 1})
                .where(
                    (SignInCode.email == counted[0]["email"])
                    & (SignInCode.browser_hash == counted[0]["browser_hash"])
                    & (SignInCode.id != flow_id)
                    & SignInCode.consumed_at.is_null()
                    & (SignInCode.expires_at > moment)
                    & (SignInCode.attempts < deployment.sign_in_code_attempts)
                )
                .returning(SignInCode.id, SignInCode.code_hash)
            )
    if not counted:
        raise ExpiredCode("This code has already been used or replaced. Request a new code.")
    row = counted[0]
    if row["expires_at"] <= moment:
        raise ExpiredCode("This code has expired. Request a new code.")
    if row["attempts"] > deployment.sign_in_code_attempts:
        raise TooManyAttempts("Too many wrong codes. Request a new code.")
    well_formed = code.isdigit() and len(code) == 6
    candidates = [(flow_id, row["code_hash"])] + [(s["id"], s["code_hash"]) for s in siblings]
    for candidate_id, code_hash in candidates:
        expected = hash_code(deployment.secret_key, f"{candidate_id}:{code}")
        if well_formed and constant_time_equal(expected, code_hash):
            return await _consume(candidate_id, invitation_token)
    left = deployment.sign_in_code_attempts - row["attempts"]
    if left <= 0:
        raise TooManyAttempts("Too many wrong codes. Request a new code.")
    raise InvalidCode(
        f"That code is not right. {left} attempt{'s' if left != 1 else ''} left.",
        attempts_left=left,
    )


async def verify_link(
    flow_id: str, token: str, *, browser: str, confirmed: bool, invitation_token: str = ""
) -> VerifiedSignIn:
    """Check a magic link: the same flow as the code, proven by a 256-bit token instead.

    Only the browser that asked for the link is signed in at once; any other browser must first
    confirm the address it will be signed in as (`LinkNeedsConfirmation` names it).
    """
    if not _well_formed(flow_id, token):
        raise ExpiredCode(LINK_INVALID, reason="invalid")
    row = (
        await SignInCode.select(
            SignInCode.link_hash,
            SignInCode.expires_at,
            SignInCode.email,
            SignInCode.browser_hash,
            SignInCode.consumed_at,
        )
        .where(SignInCode.id == flow_id)
        .first()
    )
    if row is None or not constant_time_equal(hash_token(token), row["link_hash"]):
        raise ExpiredCode(LINK_INVALID, reason="invalid")
    if row["consumed_at"] is not None:  # only the link's holder learns it was used
        raise ExpiredCode(LINK_USED, reason="used")
    if row["expires_at"] <= now():
        raise ExpiredCode(LINK_EXPIRED, reason="expired")
    same_browser = bool(row["browser_hash"]) and constant_time_equal(
        browser_hash(browser), row["browser_hash"]
    )
    if not (same_browser or confirmed):
        raise LinkNeedsConfirmation(
            f"This link signs you in as {row['email']}. It was requested in another browser.",
            email=row["email"],
        )
    return await _consume(flow_id, invitation_token)


async def _consume(flow_id: str, invitation_token: str = "") -> VerifiedSignIn:
    async with transaction():
        consumed = (
            await SignInCode.update({SignInCode.consumed_at: now()})
            .where((SignInCode.id == flow_id) & SignInCode.consumed_at.is_null())
            .returning(
                SignInCode.email,
                SignInCode.first_name,
                SignInCode.last_name,
                SignInCode.request,
                SignInCode.return_to,
                SignInCode.ip,
                SignInCode.browser_hash,
            )
        )
        if not consumed:
            raise ExpiredCode("This code has already been used. Request a new code.")
        flow = consumed[0]
        if flow["browser_hash"]:  # the codes of the same browser's other attempts end with this one
            await SignInCode.update({SignInCode.consumed_at: now()}).where(
                (SignInCode.email == flow["email"])
                & (SignInCode.browser_hash == flow["browser_hash"])
                & SignInCode.consumed_at.is_null()
            )
        user = await find_user_by_email(flow["email"])
        created = user is None
        if user is None:
            user_id = await create_verified_user(flow["email"], flow["first_name"], flow["last_name"])
            needs_profile = not (flow["first_name"] and flow["last_name"])
            await audit.record(
                UserPrincipal(user_id=user_id),
                "user.created",
                target=("user", user_id),
                ip=flow["ip"],
            )
            await events.emit("user.created", {"user": await user_payload(user_id)})
        else:
            user_id = user.id
            needs_profile = not user.has_full_name
            changes: dict[object, object] = {User.email_verified: True, User.last_login_at: now()}
            if needs_profile and flow["first_name"] and flow["last_name"]:
                changes.update({User.first_name: flow["first_name"], User.last_name: flow["last_name"]})
                needs_profile = False
            await User.update(changes).where(User.id == user_id)  # type: ignore[arg-type]
        if invitation_token:  # following an invitation's link, then proving its address, accepts it
            await accept_invitation_link(user_id, flow["email"], invitation_token)
    return VerifiedSignIn(
        user_id=user_id,
        created=created,
        needs_profile=needs_profile,
        request=flow["request"],
        return_to=flow["return_to"],
    )


async def open_attempt(deployment: Deployment, email: str, browser: str) -> StartedSignIn | None:
    """The newest attempt this browser started for the address whose code still works, if any:
    when no more email may be sent, the person goes on with the code they already have."""
    if not browser:
        return None
    moment = now()
    row = (
        await SignInCode.select(SignInCode.id, SignInCode.email, SignInCode.expires_at)
        .where(
            (SignInCode.email == email)
            & (SignInCode.browser_hash == browser_hash(browser))
            & SignInCode.consumed_at.is_null()
            & (SignInCode.expires_at > moment)
            & (SignInCode.attempts < deployment.sign_in_code_attempts)
        )
        .order_by(SignInCode.id, ascending=False)
        .first()
    )
    if row is None:
        return None
    left = int((row["expires_at"] - moment).total_seconds())
    return StartedSignIn(flow_id=row["id"], email=row["email"], expires_in=max(1, left))


async def flow_email(flow_id: str) -> str:
    """The address a sign-in attempt was for ("" if unknown), for per-address rate limits."""
    row = await SignInCode.select(SignInCode.email).where(SignInCode.id == flow_id).first()
    return str(row["email"]) if row else ""
