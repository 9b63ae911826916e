"""A new passkey's default name: its authenticator when the AAGUID is known, else the browser."""

from resolvers.passkey_names import AUTHENTICATORS, default_passkey_name

CHROME_ON_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd"
NO_AAGUID = "00000000-0000-0000-0000-000000000000"


def test_a_known_authenticator_names_the_passkey() -> None:
    assert default_passkey_name(ICLOUD, CHROME_ON_LINUX, []) == "iCloud Keychain"
    assert default_passkey_name("EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4", "", []) == "Google Password Manager"


def test_the_common_providers_are_in_the_map() -> None:
    names = set(AUTHENTICATORS.values())
    for provider in ("Google Password Manager", "iCloud Keychain", "Windows Hello", "1Password", "Bitwarden"):
        assert provider in names
    assert all(key == key.lower() and len(key) == 36 for key in AUTHENTICATORS)


def test_an_unknown_authenticator_is_named_after_the_browser_and_system() -> None:
    assert default_passkey_name(NO_AAGUID, CHROME_ON_LINUX, []) == "Chrome on Linux"


def test_an_unrecognizable_browser_gives_a_plain_name() -> None:
    assert default_passkey_name(NO_AAGUID, "curl/8.0", []) == "Passkey"


def test_a_name_the_person_already_has_is_numbered() -> None:
    assert default_passkey_name(ICLOUD, "", ["iCloud Keychain"]) == "iCloud Keychain (2)"
    assert (
        default_passkey_name(ICLOUD, "", ["iCloud Keychain", "iCloud Keychain (2)"]) == "iCloud Keychain (3)"
    )
    assert default_passkey_name(NO_AAGUID, CHROME_ON_LINUX, ["iCloud Keychain"]) == "Chrome on Linux"
