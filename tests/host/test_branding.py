"""Branding becomes CSS custom properties, with a text colour that keeps WCAG contrast."""

import re

import httpx
from hypothesis import given
from hypothesis import strategies as st

from host.branding import DARK_SURFACE, SELECTED_TINT, branding_css, dark_primary, mix, on_colour
from tests.support.server import ServerProcess


def _contrast(foreground: str, background: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_on_the_primary_colour_meets_wcag_aa_for_large_text_on_any_colour() -> None:
    for primary in ("#4f46e5", "#ffcc00", "#000000", "#ffffff", "#78350f", "#22c55e", "#0ea5e9"):
        assert _contrast(on_colour(primary), primary) >= 3.0, primary


def test_branding_css_uses_the_configured_colour_and_ignores_invalid_ones() -> None:
    assert "--tn-primary: #123456;" in branding_css("#123456")
    assert "--tn-primary: #4f46e5;" in branding_css("red; } body { display:none")


@given(st.from_regex(re.compile(r"#[0-9a-f]{6}"), fullmatch=True))
def test_the_dark_scheme_lightens_any_brand_colour_until_it_reads_on_the_dark_surface(primary: str) -> None:
    night = dark_primary(primary)
    assert _contrast(night, DARK_SURFACE) >= 4.5, (primary, night)
    assert _contrast(night, mix(night, DARK_SURFACE, SELECTED_TINT)) >= 4.5, (primary, night)
    assert _contrast(on_colour(night), night) >= 3.0, night


def test_the_dark_scheme_keeps_a_colour_that_already_reads_and_follows_the_system_setting() -> None:
    assert dark_primary("#c7d2fe") == "#c7d2fe"
    assert dark_primary("#4f46e5") != "#4f46e5"
    css = branding_css("#4f46e5")
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    assert "--tn-surface: #ffffff;" in light
    assert f"--tn-surface: {DARK_SURFACE};" in dark
    assert f"--tn-primary: {dark_primary('#4f46e5')};" in dark
    assert "color-scheme: light dark;" in light


def test_the_branding_stylesheet_is_served(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/a/branding.css")
    assert response.headers["content-type"].startswith("text/css")
    assert "--tn-primary:" in response.text
    assert "--tn-on-primary:" in response.text
