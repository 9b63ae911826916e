"""A real SMTP server (aiosmtpd) in the test process; tests read the mail Tenantry sent."""

import re
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    to: str
    subject: str
    text: str

    @property
    def code(self) -> str:
        found = re.search(r"\b(\d{6})\b", self.text)
        assert found, f"no six-digit code in: {self.text!r}"
        return found.group(1)

    @property
    def magic_link(self) -> str:
        found = re.search(r"(https?://\S+/a/auth/magic\?\S+)", self.text)
        assert found, f"no magic link in: {self.text!r}"
        return found.group(1)


class MailSink:
    """aiosmtpd handler collecting every message, with a blocking wait by recipient."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self._condition = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        body = parsed.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        with self._condition:
            for recipient in envelope.rcpt_tos:
                self.messages.append(ReceivedMail(recipient.lower(), str(parsed["Subject"]), text))
            self._condition.notify_all()
        return "250 OK"

    def wait_for(self, to: str, *, after: int = 0, timeout: float = 20.0) -> ReceivedMail:
        """The first message to `to` beyond the first `after` ones to that address."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                mine = [m for m in self.messages if m.to == to.lower()]
                if len(mine) > after:
                    return mine[after]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no email to {to} within {timeout} s")
                self._condition.wait(remaining)

    def count(self, to: str) -> int:
        with self._condition:
            return sum(1 for m in self.messages if m.to == to.lower())


def start_smtp_server(port: int) -> tuple[Controller, MailSink]:
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink
