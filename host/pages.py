"""Small server-rendered pages (errors, sign-out) in the environment's branding: the same centred
card as the hosted sign-in pages (host/branding.py PAGE_CSS), so no page is a dead end in another style."""

from dataclasses import dataclass
from html import escape
from typing import Any

from litestar import Response

from resolvers.environment_settings import environment_settings


@dataclass(frozen=True, slots=True)
class PageAction:
    """The way on from a message page, drawn as its primary button."""

    href: str
    label: str
    testid: str


def brand_html(app_name: str, logo_url: str | None) -> str:
    """The app's logo, or its initial in the brand colour with its name: the name shown once."""
    name = escape(app_name)
    if logo_url:
        return f'<div class="tn-brand"><img src="{escape(logo_url)}" alt="{name}"></div>'
    initial = escape(app_name.strip()[:1].upper() or "?")
    return (
        f'<div class="tn-brand"><span class="tn-mark" aria-hidden="true">{initial}</span>'
        f'<p class="tn-app">{name}</p></div>'
    )


async def message_page(
    *,
    title: str,
    message: str,
    testid: str,
    status_code: int = 200,
    body_html: str = "",
    action: PageAction | None = None,
) -> Response[Any]:
    """A branded page with one heading and one message; `body_html` must be pre-escaped.

    The heading takes focus on arrival (`autofocus`, no script), so a screen reader starts with what
    happened and Tab goes on to the way out."""
    settings = await environment_settings()
    app_name = escape(settings.app_name)
    button = (
        f'<a class="tn-button" href="{escape(action.href)}" data-testid="{escape(action.testid)}">'
        f"{escape(action.label)}</a>"
        if action
        else ""
    )
    alert = ' role="alert"' if status_code >= 400 else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {app_name}</title>
<link rel="stylesheet" href="/a/branding.css"><link rel="stylesheet" href="/a/page.css">
</head><body><main class="tn-card" data-testid="{escape(testid)}">
{brand_html(settings.app_name, settings.logo_url)}
<h1 tabindex="-1" autofocus>{escape(title)}</h1>
<p class="tn-lead" data-testid="page-message"{alert}>{escape(message)}</p>
{body_html}{button}
</main></body></html>"""
    return Response(
        page,
        media_type="text/html",
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
