"""Branding as CSS custom properties, so every page and widget themes itself from the settings."""

import re

from litestar import Response, get

from resolvers.environment_settings import environment_settings

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

PAGE_CSS = """
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; min-height: 100dvh; display: grid; place-items: center;
  padding: 2rem 1rem; font-family: var(--tn-font); background: var(--tn-bg); color: var(--tn-fg);
  line-height: 1.5; }
.tn-card { width: 100%; max-width: 25rem; padding: 2.5rem 2rem; background: var(--tn-surface);
  border: 1px solid color-mix(in srgb, var(--tn-fg) 10%, transparent);
  border-radius: calc(var(--tn-radius) * 1.5);
  box-shadow: 0 1px 2px rgb(0 0 0 / 0.06), 0 12px 32px -8px rgb(0 0 0 / 0.12);
  overflow-wrap: anywhere; }
.tn-brand { display: flex; flex-direction: column; align-items: center; gap: 0.5rem;
  margin: 0 0 1.25rem; }
.tn-brand img { display: block; max-width: 10rem; max-height: 3rem; }
.tn-mark { display: grid; place-items: center; width: 2.75rem; height: 2.75rem;
  border-radius: var(--tn-radius); background: var(--tn-primary); color: var(--tn-on-primary);
  font-size: 1.25rem; font-weight: 700; }
.tn-card p { margin: 0 0 1rem; }
.tn-card .tn-app { margin: 0; color: var(--tn-muted); font-weight: 600; }
h1 { margin: 0 0 0.5rem; font-size: 1.375rem; line-height: 1.3; text-align: center; }
h1:focus { outline: none; }
.tn-card .tn-lead { margin: 0 0 1.25rem; color: var(--tn-muted); text-align: center; }
.tn-button { display: flex; align-items: center; justify-content: center; width: 100%;
  min-height: 2.75rem; margin-top: 0.5rem; padding: 0.5rem 1rem; border: 1px solid var(--tn-primary);
  border-radius: var(--tn-radius); background: var(--tn-primary); color: var(--tn-on-primary);
  font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
.tn-button:hover { background: color-mix(in srgb, var(--tn-primary) 88%, var(--tn-fg)); }
.tn-secondary { display: block; margin-top: 1rem; text-align: center; }
a { color: var(--tn-primary); text-underline-offset: 0.2em; }
a:focus-visible, button:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid var(--tn-primary); outline-offset: 2px; }
.tn-button:focus-visible { outline-color: var(--tn-fg); }
@media (max-width: 30rem), (max-height: 40rem) {
  body { place-items: start center; padding: 1rem 0.75rem; }
  .tn-card { padding: 2rem 1.25rem; }
}
"""


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def on_colour(background: str) -> str:
    """Black or white text, whichever contrasts more with `background` (WCAG 2.1)."""
    luminance = _relative_luminance(background)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours (1 to 21)."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


DARK_SURFACE = "#27272a"
DARK_BG = "#18181b"


def mix(first: str, second: str, share: float) -> str:
    """`share` of `first` and the rest of `second`, channel by channel (CSS color-mix in srgb)."""
    ones = [int(first[i : i + 2], 16) for i in (1, 3, 5)]
    others = [int(second[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(a * share + b * (1 - share)):02x}" for a, b in zip(ones, others, strict=True)
    )


SELECTED_TINT = 0.16  # the most of the primary colour a selected item's background holds


def dark_primary(primary: str) -> str:
    """The brand colour lightened just enough to read as text (4.5:1) on the dark surface, even
    on a selected item's tint of itself: a dark brand colour kept as is would make links, the
    current page and the focus ring disappear in the dark scheme."""
    for step in range(41):
        candidate = mix("#ffffff", primary, step / 40)
        if contrast(candidate, mix(candidate, DARK_SURFACE, SELECTED_TINT)) >= 4.5:
            return candidate
    return "#ffffff"


def branding_css(primary_color: str) -> str:
    primary = primary_color if HEX.fullmatch(primary_color) else "#4f46e5"
    night = dark_primary(primary)
    return (
        ":root {\n  color-scheme: light dark;\n"
        f"  --tn-primary: {primary};\n"
        f"  --tn-on-primary: {on_colour(primary)};\n"
        "  --tn-bg: #f4f4f5;\n  --tn-surface: #ffffff;\n  --tn-fg: #18181b;\n"
        "  --tn-muted: #52525b;\n  --tn-danger: #b91c1c;\n  --tn-radius: 8px;\n"
        "  --tn-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;\n}\n"
        "@media (prefers-color-scheme: dark) {\n  :root {\n"
        f"    --tn-primary: {night};\n"
        f"    --tn-on-primary: {on_colour(night)};\n"
        f"    --tn-bg: {DARK_BG};\n    --tn-surface: {DARK_SURFACE};\n    --tn-fg: #f4f4f5;\n"
        "    --tn-muted: #a1a1aa;\n    --tn-danger: #f87171;\n  }\n}\n"
    )


@get("/a/branding.css", name="branding_css")
async def branding_stylesheet() -> Response[str]:
    settings = await environment_settings()
    return Response(
        branding_css(settings.primary_color), media_type="text/css", headers={"Cache-Control": "no-cache"}
    )


@get("/a/page.css", name="page_css")
async def page_stylesheet() -> Response[str]:
    return Response(PAGE_CSS, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})
