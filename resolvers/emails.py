"""Email addresses: one normal form, so lookups and uniqueness agree."""

from email_validator import EmailNotValidError, validate_email

from resolvers.errors import InvalidInput


def normalize_email(raw: str) -> str:
    """Lower-cased, syntax-checked address; raises InvalidInput with a plain-words reason."""
    candidate = raw.strip()
    if not candidate or len(candidate) > 320:
        raise InvalidInput("Enter a valid email address, such as name@company.com.", field="email")
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(f"That email address is not valid: {error}", field="email") from error
    return result.normalized.lower()
