"""Small server-rendered pages (errors, sign-out) in the environment's branding."""

from html import escape
from typing import Any

from litestar import Response

from resolvers.environment_settings import environment_settings


async def message_page(
    *,
    title: str,
    message: str,
    testid: str,
    status_code: int = 200,
    body_html: str = "",
) -> Response[Any]:
    """A branded page with one heading and one message; `body_html` must be pre-escaped."""
    settings = await environment_settings()
    app_name = escape(settings.app_name)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {app_name}</title>
<link rel="stylesheet" href="/a/branding.css"><link rel="stylesheet" href="/a/page.css">
</head><body><main class="tn-card" data-testid="{escape(testid)}">
<p class="tn-app">{app_name}</p>
<h1>{escape(title)}</h1>
<p data-testid="page-message" {'role="alert"' if status_code >= 400 else ""}>{escape(message)}</p>
{body_html}
</main></body></html>"""
    return Response(
        page,
        media_type="text/html",
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
