"""Our webhook signatures are the specification's: its published test vector, one per secret, and
secrets its libraries accept."""

import base64
import datetime as dt

from standardwebhooks import Webhook

from resolvers.webhook_signing import SECRET_PREFIX, new_secret, signature_header

# The Standard Webhooks specification's published example, independent of any library.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_signature_matches_the_specifications_published_example() -> None:
    header = signature_header([VECTOR_SECRET], VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
    assert header == VECTOR_SIGNATURE


def test_each_secret_adds_one_signature_in_order() -> None:
    other = new_secret()
    header = signature_header([other, VECTOR_SECRET], VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
    first, second = header.split(" ")
    assert second == VECTOR_SIGNATURE
    assert first == Webhook(other).sign(
        VECTOR_ID, dt.datetime.fromtimestamp(VECTOR_TIMESTAMP, dt.UTC), VECTOR_BODY
    )
    assert first != second


def test_a_new_secret_is_24_random_bytes_the_libraries_accept() -> None:
    secret = new_secret()
    assert secret.startswith(SECRET_PREFIX)
    assert len(base64.b64decode(secret.removeprefix(SECRET_PREFIX))) == 24
    assert secret != new_secret()
    Webhook(secret)  # the library refuses a secret it cannot decode
