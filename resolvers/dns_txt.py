"""TXT lookups with dnspython, told apart into "the record is absent" and "we could not ask"."""

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

DEFAULT_TIMEOUT_SECONDS = 5.0


class DnsLookupFailed(Exception):
    """No usable answer (timeout, SERVFAIL, refusal): retry later; it says nothing about the record."""


@dataclass(frozen=True, slots=True)
class TxtRecords:
    """The TXT strings at a name, each record's parts joined; empty when the name or record is absent."""

    name: str
    values: tuple[str, ...]


def parse_nameserver(spec: str) -> tuple[str, int]:
    """`192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1` or `[2001:db8::1]:5353` as (address, port)."""
    text = spec.strip()
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{spec!r} is not host[:port]")
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    ipaddress.ip_address(host)  # dnspython asks nameservers by address, never by name
    if not 0 < port < 65536:
        raise ValueError(f"{spec!r} has no valid port")
    return host, port


def parse_nameservers(setting: str) -> tuple[str, ...]:
    """The comma-separated setting, validated; raises ValueError saying which entry is wrong."""
    entries = tuple(part.strip() for part in setting.split(",") if part.strip())
    for entry in entries:
        try:
            parse_nameserver(entry)
        except ValueError as error:
            raise ValueError(
                f"{entry!r} is not an IP address with an optional port (such as 192.0.2.53:53)"
            ) from error
    return entries


def make_resolver(nameservers: Sequence[str], timeout: float) -> dns.asyncresolver.Resolver:
    """No nameservers configured: the system's resolver (resolv.conf); no answer cache either way."""
    if nameservers:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [
            dns.nameserver.Do53Nameserver(address, port)
            for address, port in (parse_nameserver(spec) for spec in nameservers)
        ]
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.timeout = min(2.0, timeout)
    resolver.lifetime = timeout
    return resolver


def txt_strings(parts: Iterable[bytes]) -> str:
    """One TXT record's character-strings joined, as RFC 7208 §3.3 reads long values."""
    return b"".join(parts).decode("utf-8", errors="replace")


async def lookup_txt(
    name: str, nameservers: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> TxtRecords:
    """NXDOMAIN and NoAnswer mean "absent"; timeouts and server failures raise DnsLookupFailed."""
    resolver = make_resolver(nameservers, timeout)
    try:
        answer = await resolver.resolve(name, "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return TxtRecords(name, ())
    except dns.exception.Timeout as error:
        raise DnsLookupFailed(f"The DNS lookup of {name} timed out.") from error
    except dns.resolver.NoNameservers as error:
        raise DnsLookupFailed(
            f"No DNS server gave a usable answer for {name} (SERVFAIL or refused)."
        ) from error
    except dns.exception.DNSException as error:
        raise DnsLookupFailed(f"The DNS lookup of {name} failed: {error}") from error
    return TxtRecords(name, tuple(txt_strings(rdata.strings) for rdata in answer))


def normalize_txt_value(value: str) -> str:
    """Forgive what DNS consoles and people add: surrounding quotes, spaces, upper case."""
    text = value.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text.casefold()


def contains_value(records: TxtRecords, expected: str) -> bool:
    wanted = normalize_txt_value(expected)
    return any(normalize_txt_value(value) == wanted for value in records.values)
