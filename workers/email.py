"""The send_email job: SMTP through aiosmtplib, or a readable block on the console in development."""

import sys
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlparse

import aiosmtplib

from workers.context import JobContext
from workers.kinds import JobKind


def _console(message: EmailMessage) -> None:
    rule = "=" * 72
    print(
        f"\n{rule}\nEMAIL to {message['To']}\nSubject: {message['Subject']}\n{'-' * 72}\n"
        f"{message.get_content().rstrip()}\n{rule}\n",
        file=sys.stdout,
        flush=True,
    )


def one_line(value: str) -> str:
    """A header value on one line: a name stored before names were checked may hold a line break,
    and the email must still go out rather than fail on every retry."""
    return " ".join(value.split())


async def send_email(payload: dict[str, Any], *, smtp_url: str | None, mail_from: str) -> None:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = one_line(payload["to"])
    message["Subject"] = one_line(payload["subject"])
    message.set_content(payload["text"])
    if not smtp_url:
        _console(message)
        return
    parsed = urlparse(smtp_url)
    await aiosmtplib.send(
        message,
        hostname=parsed.hostname or "localhost",
        port=parsed.port or (465 if parsed.scheme == "smtps" else 25),
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        use_tls=parsed.scheme == "smtps",
        start_tls=True if parsed.scheme == "smtp+starttls" else False,
        timeout=30,
    )


async def _send_email_job(payload: dict[str, Any], context: JobContext) -> None:
    await send_email(payload, smtp_url=context.smtp_url, mail_from=context.mail_from)


JOBS = {"send_email": JobKind(_send_email_job)}
