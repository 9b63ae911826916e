"""OIDC ui_locales reaches the hosted sign-in page's #tn-config, which picks the page's language."""

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from host.auth_pages import language_tags
from tests.support.factories import App
from tests.support.people import authorize_url
from tests.support.server import ServerProcess


def page_config(server: ServerProcess, path: str) -> dict[str, Any]:
    page = httpx.get(f"{server.url}{path}")
    assert page.status_code == 200, page.text
    embedded = re.search(r'id="tn-config">(.*?)</script>', page.text, re.S)
    assert embedded is not None
    config: dict[str, Any] = json.loads(embedded.group(1))
    return config


def test_ui_locales_sent_to_authorize_reaches_the_login_page_in_the_signed_request(
    server: ServerProcess, app: App
) -> None:
    authorize = httpx.get(
        f"{server.url}{authorize_url(app.client_id, app.redirect_uri, ui_locales='de-CH fr')}"
    )
    assert authorize.status_code in {302, 303}, authorize.text
    location = authorize.headers["location"]
    assert location.startswith("/a/auth/login?")
    assert "ui_locales" not in parse_qs(urlsplit(location).query), "it travels inside req"
    assert page_config(server, location)["uiLocales"] == "de-CH fr"


def test_the_request_s_languages_win_over_the_page_s_own_query(server: ServerProcess, app: App) -> None:
    authorize = httpx.get(f"{server.url}{authorize_url(app.client_id, app.redirect_uri, ui_locales='ar')}")
    location = authorize.headers["location"]
    assert page_config(server, f"{location}&ui_locales=de")["uiLocales"] == "ar"


def test_the_login_page_without_a_request_takes_its_own_ui_locales(server: ServerProcess) -> None:
    assert page_config(server, "/a/auth/signup?ui_locales=ar+de")["uiLocales"] == "ar de"
    assert page_config(server, "/a/auth/login")["uiLocales"] is None


def test_a_ui_locales_longer_than_200_characters_is_an_invalid_request(
    server: ServerProcess, app: App
) -> None:
    authorize = httpx.get(
        f"{server.url}{authorize_url(app.client_id, app.redirect_uri, ui_locales='de ' * 70)}"
    )
    assert authorize.status_code in {302, 303}, authorize.text
    query = parse_qs(urlsplit(authorize.headers["location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "ui_locales" in query["error_description"][0]


def test_only_well_formed_language_tags_reach_the_page() -> None:
    assert language_tags("de-CH <script> fr_CA ar") == "de-CH fr_CA ar"
    assert language_tags("  ") is None
    assert language_tags(None) is None
    assert language_tags(" ".join(["de"] * 12)) == " ".join(["de"] * 10)
    assert language_tags('"onload=x') is None
