"""Where Tenantry may send requests of its own (webhooks, back-channel logout).

A production deployment refuses private networks: an integrator who could point a webhook at
`https://169.254.169.254/` or `http://10.0.0.5/` would read internal services through the
delivery log. Development allows them, so receivers on `http://127.0.0.1` keep working.
"""

import ipaddress
from urllib.parse import urlparse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """IPv4-mapped, NAT64 (DNS64) and 6to4 addresses reach the IPv4 address inside them."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return address.sixtofour


def is_public_address(address: Address) -> bool:
    """Globally routable unicast: not loopback, private, link-local, CGNAT, unique-local or multicast."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
        if address.is_site_local:
            return False
    return address.is_global and not address.is_multicast and not address.is_reserved


def private_destination_problem(url: str) -> str | None:
    """Why `url` may not be registered while private networks are refused, or None if it may.

    Only IP literals are judged here; a host name is resolved and checked each time it is called.
    """
    parsed = urlparse(url)
    if parsed.scheme != "https":
        return "must use https (plain http is allowed only when TENANTRY_OUTBOUND_PRIVATE_NETWORKS is on)"
    try:
        address = ipaddress.ip_address(parsed.hostname or "")
    except ValueError:
        return None
    if is_public_address(address):
        return None
    return (
        f"points at {address}, which is not a public internet address; "
        "use a public host name (private networks are refused by TENANTRY_OUTBOUND_PRIVATE_NETWORKS)"
    )
