"""GET /graphql in development: GraphiQL from our own /static/graphiql/ bundle, under the strict CSP."""

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request, Response

from host.runtime import runtime
from host.security import csrf_token_for

BUNDLE = "graphiql/graphiql.js"


def graphiql_page(request: Request[Any, Any, Any]) -> Response[str]:
    """The shell names the built script and stylesheet (no CDN, no inline script) and the CSRF
    token GraphiQL sends back, so a signed-in developer queries as themselves."""
    settings = runtime(request).settings
    if not (Path(settings.frontend_dist) / BUNDLE).is_file():
        body = (
            '<p data-testid="graphiql-not-built">GraphiQL is not built in '
            f"{escape(settings.frontend_dist)}: run <code>./run build-frontend</code>.</p>"
        )
        return Response(_shell("", body), media_type="text/html", status_code=503)
    token, cookie = csrf_token_for(request, settings)
    head = (
        f'<meta name="csrf-token" content="{escape(token)}">\n'
        '<link rel="stylesheet" href="/static/graphiql/graphiql.css">\n'
        '<script type="module" src="/static/graphiql/graphiql.js"></script>'
    )
    body = '<div id="graphiql" style="height:100vh">Loading GraphiQL…</div>'
    response: Response[str] = Response(
        _shell(head, body), media_type="text/html", headers={"Cache-Control": "no-store"}
    )
    if cookie:
        response.set_cookie(cookie)
    return response


def _shell(head: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · Tenantry</title>
{head}
</head><body style="margin:0">{body}</body></html>"""
