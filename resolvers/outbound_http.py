"""Bounded outbound HTTP, over clients shared per event loop: one POST to a receiver (webhooks,
back-channel logout), and whole documents fetched from identity providers (SAML metadata, OIDC
discovery, JWKS, token and userinfo endpoints).

Jobs run one at a time in embedded mode and hold a two-minute lease under arq, so a receiver gets
a deadline for the whole exchange and only the start of its answer is read: a slow or endless
answer cannot stall other jobs, nor hand a delivery out twice. A document is read whole, but only
up to the size its caller allows, within the same deadline. Where private networks are refused,
the host name is resolved here and the connection goes to an address that was checked.
"""

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import httpcore
import httpx

from resolvers.outbound_destinations import Address, is_public_address

DEADLINE_SECONDS = 15.0
TIMEOUT_SECONDS = 10.0  # each connect, read or write; the deadline bounds the whole request
ANSWER_BYTES = 1024  # more than the delivery log keeps
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
_clients: dict[bool, tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]] = {}


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    text: str  # the start of the body, at most ANSWER_BYTES of it


@dataclass(frozen=True, slots=True)
class Document:
    """A whole answer: never larger than the caller's `max_bytes`."""

    status: int
    content_type: str  # the media type, lower case, without parameters ("" when absent)
    body: bytes


class OutboundFailed(Exception):
    """No answer: unreachable, too slow, or refused because it leads into a private network."""


class PrivateDestinationRefused(OutboundFailed):
    """Raised while connecting, so no byte reaches the private address."""


async def post(
    url: str,
    *,
    private_networks: bool,
    headers: Mapping[str, str],
    content: bytes | None = None,
    data: Mapping[str, str] | None = None,
) -> Answer:
    """POST and read the status and the first ANSWER_BYTES of the body, within DEADLINE_SECONDS."""
    try:
        async with asyncio.timeout(DEADLINE_SECONDS):
            async with _client(private_networks).stream(
                "POST", url, content=content, data=data, headers={**headers, "accept-encoding": "identity"}
            ) as response:
                head = await _read_head(response)
    except TimeoutError:
        raise OutboundFailed(f"receiver did not answer within {DEADLINE_SECONDS:.0f} s") from None
    except httpx.HTTPError as failure:
        raise OutboundFailed(f"{type(failure).__name__}: {failure}") from failure
    return Answer(response.status_code, head.decode("utf-8", errors="replace"))


async def get(
    url: str,
    *,
    private_networks: bool,
    accept: str,
    max_bytes: int,
    headers: Mapping[str, str] | None = None,
) -> Document:
    """GET a whole document of at most `max_bytes`, within DEADLINE_SECONDS; redirects are not followed."""
    return await _fetch_document(
        "GET",
        url,
        private_networks=private_networks,
        max_bytes=max_bytes,
        headers={"accept": accept, **(headers or {})},
    )


async def post_for_document(
    url: str,
    *,
    private_networks: bool,
    data: Mapping[str, str],
    max_bytes: int,
    headers: Mapping[str, str] | None = None,
) -> Document:
    """POST a form and read the whole answer (a token endpoint's), of at most `max_bytes`."""
    return await _fetch_document(
        "POST", url, private_networks=private_networks, max_bytes=max_bytes, headers=headers or {}, data=data
    )


async def _fetch_document(
    method: str,
    url: str,
    *,
    private_networks: bool,
    max_bytes: int,
    headers: Mapping[str, str],
    data: Mapping[str, str] | None = None,
) -> Document:
    try:
        async with asyncio.timeout(DEADLINE_SECONDS):
            async with _client(private_networks).stream(
                method, url, data=data, headers={**headers, "accept-encoding": "identity"}
            ) as response:
                body = await _read_whole(response, max_bytes)
    except TimeoutError:
        raise OutboundFailed(f"no complete answer within {DEADLINE_SECONDS:.0f} s") from None
    except httpx.HTTPError as failure:
        raise OutboundFailed(f"{type(failure).__name__}: {failure}") from failure
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return Document(response.status_code, media_type, body)


async def _read_whole(response: httpx.Response, max_bytes: int) -> bytes:
    """Raw bytes, never decompressed; refused as soon as they pass `max_bytes`."""
    too_big = OutboundFailed(f"the answer is larger than {_size(max_bytes)}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    body = bytearray()
    async with contextlib.aclosing(response.aiter_raw()) as chunks:  # type: ignore[type-var]
        async for chunk in chunks:
            body += chunk
            if len(body) > max_bytes:
                raise too_big
    return bytes(body)


def _size(byte_count: int) -> str:
    return f"{byte_count // 1024} KiB" if byte_count % 1024 == 0 else f"{byte_count} bytes"


async def _read_head(response: httpx.Response) -> bytes:
    """Raw bytes, never decompressed: a small gzip answer must not unpack into gigabytes."""
    head = b""
    # an async generator, though typed as an AsyncIterator: closed here, not left to the GC
    async with contextlib.aclosing(response.aiter_raw()) as chunks:  # type: ignore[type-var]
        async for chunk in chunks:
            head += chunk
            if len(head) >= ANSWER_BYTES:
                break
    return head[:ANSWER_BYTES]


def _client(private_networks: bool) -> httpx.AsyncClient:
    """The running loop's client: no redirects followed (a receiver answers, it does not forward).

    Kept with its loop, not the loop's id: a new loop may reuse a dead one's id, not its connections.
    """
    loop = asyncio.get_running_loop()
    kept = _clients.get(private_networks)
    if kept is not None and kept[0] is loop and not kept[1].is_closed:
        return kept[1]
    client = httpx.AsyncClient(
        transport=None if private_networks else _public_addresses_transport(),
        timeout=TIMEOUT_SECONDS,
        follow_redirects=False,
        limits=_LIMITS,
        headers={"user-agent": "Tenantry/1.0"},
    )
    _clients[private_networks] = (loop, client)
    return client


def _public_addresses_transport() -> httpx.AsyncHTTPTransport:
    # httpx 0.28 takes no network_backend (encode/httpx#3749), so swap its pool; httpcore still
    # passes the URL's host to start_tls as server_hostname, so certificates are checked against it.
    ssl_context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=_LIMITS)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=_LIMITS.max_connections,
        max_keepalive_connections=_LIMITS.max_keepalive_connections,
        keepalive_expiry=_LIMITS.keepalive_expiry,
        network_backend=PublicAddressesOnly(),
    )
    return transport


class PublicAddressesOnly(httpcore.AsyncNetworkBackend):
    """Resolves the host, refuses it unless every address is public, then connects to a checked one.

    Connecting to the checked address, not the name, is what defeats DNS rebinding: a second
    lookup could answer 127.0.0.1.
    """

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port)
        private = [address for address in addresses if not is_public_address(address)]
        if private:
            where = host if host == str(private[0]) else f"{host} ({private[0]})"
            raise PrivateDestinationRefused(
                f"refused to connect to {where}: not a public internet address "
                "(private networks are refused; see TENANTRY_OUTBOUND_PRIVATE_NETWORKS)"
            )
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:
                failure = error
        raise failure or httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise PrivateDestinationRefused("refused to connect to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


async def _resolve(host: str, port: int) -> list[Address]:
    """Every address the name has, in the resolver's order, without repeats."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
    addresses: list[Address] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses
