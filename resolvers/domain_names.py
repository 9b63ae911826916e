"""Domain names as organizations enter them: syntax, normal form, and public email providers."""

import re

from resolvers.errors import DomainError

LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

PUBLIC_EMAIL_PROVIDERS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "mail.com",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "qq.com",
        "163.com",
        "126.com",
        "web.de",
        "hey.com",
        "fastmail.com",
    }
)


class InvalidDomain(DomainError):
    code = "invalid_domain"


def normalize_domain(raw: str) -> str:
    """Lower-case IDNA form of a registrable-looking domain; raises InvalidDomain in plain words."""
    candidate = raw.strip().lower().rstrip(".")
    if candidate.startswith("@"):
        candidate = candidate[1:]
    try:
        ascii_form = candidate.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise InvalidDomain(f"{raw!r} is not a valid domain name.", domain=raw) from error
    labels = ascii_form.split(".")
    if len(labels) < 2 or len(ascii_form) > 253 or not all(LABEL.fullmatch(label) for label in labels):
        raise InvalidDomain(f"{raw!r} is not a valid domain name, such as example.com.", domain=raw)
    if labels[-1].isdigit():
        raise InvalidDomain(f"{raw!r} is an address, not a domain name.", domain=raw)
    if ascii_form in PUBLIC_EMAIL_PROVIDERS:
        raise InvalidDomain(
            f"{ascii_form} is a public email provider; anyone can have an address there.", domain=raw
        )
    return ascii_form
