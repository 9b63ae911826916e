"""Prefixed, time-sortable identifiers (`org_01J…`): readable in logs, ordered by creation."""

import secrets
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    return "".join(reversed(chars))


_last = (0, 0)
_lock = threading.Lock()


def new_id(prefix: str) -> str:
    """A ULID-shaped id: 48 bits of milliseconds then 80 random bits, behind `prefix_`.

    Monotonic within a process (ULID's rule): in the same millisecond the random part counts up,
    so ids written one after another sort in that order (events, keyset pages). It counts up by a
    random step of up to 40 bits, not by one: a sign-in attempt's id names it in the code check,
    so knowing one's own id must not tell the id of the attempt started next to it.
    """
    global _last
    with _lock:
        millis = time.time_ns() // 1_000_000
        last_millis, last_random = _last
        if millis <= last_millis and last_random < (1 << 80) - 1:
            millis, randomness = last_millis, last_random + 1 + secrets.randbits(40)
        else:
            randomness = secrets.randbits(79)  # room to count up within the millisecond
        _last = (millis, randomness)
    return f"{prefix}_{_encode(millis, 10)}{_encode(randomness, 16)}"
