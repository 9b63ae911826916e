"""A real authoritative DNS server (dnslib) on loopback, in the test process, over UDP and TCP.

Tests publish, change and remove TXT records while the server under test looks them up. Every
other name answers NXDOMAIN; a name can be made to answer SERVFAIL, to prove that a lookup which
gets no usable answer is retried and never taken for a missing record.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dnslib import QTYPE, RCODE, RR, TXT, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

from tests.support.server import free_port

Record = str | Sequence[str]  # one TXT record: a string, or its character-strings in order


@dataclass
class LoopbackZone(BaseResolver):  # type: ignore[misc]
    """The records, shared between the test thread and dnslib's handler threads."""

    records: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    queries: dict[str, int] = field(default_factory=lambda: {"udp": 0, "tcp": 0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        with self.lock:
            self.queries[handler.protocol] += 1
            failing = name in self.failing
            records = list(self.records.get(name, ()))
        if failing:
            reply.header.rcode = RCODE.SERVFAIL
        elif not records:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.TXT:
            for strings in records:
                reply.add_answer(RR(name, QTYPE.TXT, rdata=TXT(list(strings)), ttl=0))
        return reply  # another type at a known name: NOERROR without answers (NoAnswer)


class ClassicUdpHandler(DNSHandler):  # type: ignore[misc]
    """UDP answers over 512 bytes come back truncated, as without EDNS: the client retries over TCP.

    (dnslib's own truncation drops the question section, which resolvers rightly reject.)
    """

    def get_reply(self, data: bytes) -> bytes:
        request = DNSRecord.parse(data)
        packed: bytes = self.server.resolver.resolve(request, self).pack()
        if self.protocol == "udp" and len(packed) > 512:
            truncated = request.reply()
            truncated.header.tc = 1
            packed = truncated.pack()
        return packed


class LoopbackDns:
    """The zone plus its UDP and TCP listeners on one port of 127.0.0.1."""

    def __init__(self) -> None:
        self.zone = LoopbackZone()
        quiet = DNSLogger(log="-request,-reply,-truncated,-error", prefix=False)
        for _ in range(20):  # a port free for TCP may be taken for UDP: try another
            self.port = free_port()
            try:
                self._udp = DNSServer(
                    self.zone, address="127.0.0.1", port=self.port, logger=quiet, handler=ClassicUdpHandler
                )
            except OSError:
                continue
            try:
                self._tcp = DNSServer(self.zone, address="127.0.0.1", port=self.port, tcp=True, logger=quiet)
            except OSError:
                self._udp.server.server_close()
                continue
            break
        else:
            raise RuntimeError("no free port for the loopback DNS server")
        self._udp.start_thread()
        self._tcp.start_thread()

    @property
    def nameserver(self) -> str:
        """As TENANTRY_DNS_NAMESERVERS takes it."""
        return f"127.0.0.1:{self.port}"

    def publish(self, name: str, *records: Record) -> None:
        """Replace the TXT records at `name`."""
        rows = [(record,) if isinstance(record, str) else tuple(record) for record in records]
        with self.zone.lock:
            self.zone.records[name.rstrip(".").lower()] = rows

    def remove(self, name: str) -> None:
        with self.zone.lock:
            self.zone.records.pop(name.rstrip(".").lower(), None)

    def fail(self, name: str, failing: bool = True) -> None:
        """Answer SERVFAIL for `name` (or stop doing so)."""
        with self.zone.lock:
            if failing:
                self.zone.failing.add(name.rstrip(".").lower())
            else:
                self.zone.failing.discard(name.rstrip(".").lower())

    def queries(self, protocol: str) -> int:
        """Queries answered so far over `protocol` (udp or tcp)."""
        with self.zone.lock:
            return self.zone.queries[protocol]

    def stop(self) -> None:
        for server in (self._udp, self._tcp):
            server.stop()
            server.server.server_close()


def start_dns_server() -> LoopbackDns:
    return LoopbackDns()
