"""Branding becomes CSS custom properties, with a text colour that keeps WCAG contrast."""

import httpx

from host.branding import branding_css, on_colour
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


def test_the_branding_stylesheet_is_served(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/a/branding.css")
    assert response.headers["content-type"].startswith("text/css")
    assert "--tn-primary:" in response.text
    assert "--tn-on-primary:" in response.text
