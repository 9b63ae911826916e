"""TXT matching forgives what DNS consoles do; lookups tell "absent" from "no answer" on a real server."""

import secrets

import pytest

from resolvers.dns_txt import (
    DnsLookupFailed,
    TxtRecords,
    contains_value,
    lookup_txt,
    parse_nameserver,
    parse_nameservers,
    txt_strings,
)
from tests.support.dns_server import LoopbackDns
from tests.support.factories import run

VALUE = "tenantry-domain-verification=0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.mark.parametrize(
    "published",
    [
        VALUE,
        f'"{VALUE}"',  # pasted with the quotes the console shows
        f" {VALUE}\t",
        VALUE.upper(),  # consoles that upper-case what they store
        f"'{VALUE}'",
    ],
)
def test_the_value_matches_despite_quotes_spaces_and_case(published: str) -> None:
    assert contains_value(TxtRecords("x", ("v=spf1 -all", published)), VALUE)


@pytest.mark.parametrize(
    "published",
    [
        VALUE[:-1],  # a character short
        VALUE + "0",
        "tenantry-domain-verification=",
        f"prefix {VALUE}",
    ],
)
def test_a_different_value_does_not_match(published: str) -> None:
    assert not contains_value(TxtRecords("x", (published,)), VALUE)


def test_no_records_never_match() -> None:
    assert not contains_value(TxtRecords("x", ()), VALUE)


def test_the_parts_of_a_multi_string_record_are_joined_without_spaces() -> None:
    assert txt_strings([b"tenantry-domain-", b"verification=", b"abc"]) == "tenantry-domain-verification=abc"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("192.0.2.53", ("192.0.2.53", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("2001:db8::53", ("2001:db8::53", 53)),
        ("[2001:db8::53]:5353", ("2001:db8::53", 5353)),
    ],
)
def test_nameservers_are_addresses_with_an_optional_port(spec: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(spec) == expected


@pytest.mark.parametrize("setting", ["dns.example.com", "127.0.0.1:0", "127.0.0.1:http", "[::1]5353"])
def test_a_wrong_nameserver_setting_is_refused_naming_the_entry(setting: str) -> None:
    with pytest.raises(ValueError, match="is not an IP address"):
        parse_nameservers(f"192.0.2.1, {setting}")


def test_an_empty_setting_means_the_system_resolver() -> None:
    assert parse_nameservers(" , ") == ()


def test_a_lookup_on_a_real_server_joins_parts_and_falls_back_to_tcp(dns_server: LoopbackDns) -> None:
    name = f"_tenantry-challenge.{secrets.token_hex(4)}.example.com"
    long_value = "x" * 255
    dns_server.publish(name, ["tenantry-domain-", "verification=abc"], [long_value] * 3)
    tcp_before = dns_server.queries("tcp")
    found = run(lookup_txt(name, (dns_server.nameserver,)))
    assert found.values == ("tenantry-domain-verification=abc", long_value * 3)
    assert dns_server.queries("tcp") == tcp_before + 1, "a 800-byte answer is truncated over UDP"


def test_a_missing_name_is_absent_but_a_server_failure_is_an_error(dns_server: LoopbackDns) -> None:
    missing = f"_tenantry-challenge.{secrets.token_hex(4)}.example.com"
    assert run(lookup_txt(missing, (dns_server.nameserver,))).values == ()
    dns_server.fail(missing)
    try:
        with pytest.raises(DnsLookupFailed, match="SERVFAIL"):
            run(lookup_txt(missing, (dns_server.nameserver,), timeout=2))
    finally:
        dns_server.fail(missing, failing=False)


def test_a_removed_record_is_absent_at_the_next_lookup(dns_server: LoopbackDns) -> None:
    name = f"{secrets.token_hex(4)}.example.com"
    dns_server.publish(name, "v=spf1 -all")
    assert run(lookup_txt(name, (dns_server.nameserver,))).values == ("v=spf1 -all",)
    dns_server.remove(name)
    assert run(lookup_txt(name, (dns_server.nameserver,))).values == ()


def test_an_unreachable_nameserver_is_an_error_not_an_absent_record() -> None:
    with pytest.raises(DnsLookupFailed):
        run(lookup_txt("example.com", ("127.0.0.1:9",), timeout=0.5))
