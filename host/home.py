"""`/` and `/favicon.ico`: where a person who types the bare address lands, and the tab's icon."""

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.response import Redirect

from host.pages import message_page
from host.runtime import runtime
from resolvers.environment_settings import environment_settings

OWN_FAVICON = (Path(__file__).parent / "assets" / "favicon.ico").read_bytes()


def start_links(public_url: str, *, demo: bool) -> list[tuple[str, str]]:
    """What to open first, for the home page and the start-up banner alike."""
    links = [("Account portal", f"{public_url}/ui/")]
    if demo:
        links = [
            ("Demo app (Coffee Desk)", f"{public_url}/demo/"),
            *links,
            ("GraphiQL", f"{public_url}/graphql"),
        ]
    return [*links, ("OpenID Connect discovery", f"{public_url}/.well-known/openid-configuration")]


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Response[Any]:
    """The portal; in demo mode a page with the links, since a newcomer does not know them yet."""
    run = runtime(request)
    if not run.settings.demo:
        return Redirect("/ui/", headers={"Cache-Control": "no-store"})
    items = "".join(
        f'<li><a href="{escape(url)}" data-testid="home-link">{escape(name)}</a></li>'
        for name, url in start_links("", demo=True)
    )
    return await message_page(
        title="Tenantry demo",
        message="Sign in to the demo app, manage the organization in the portal, or query the API.",
        testid="home",
        body_html=f"<ul>{items}</ul>",
    )


@get("/favicon.ico", name="favicon")
async def favicon() -> Response[Any]:
    """The branding's favicon when one is set, else Tenantry's own."""
    branded = (await environment_settings()).favicon_url
    if branded and branded != "/favicon.ico":
        return Redirect(branded, headers={"Cache-Control": "no-cache"})
    return Response(
        OWN_FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"}
    )
