"""`GET /sso/saml/<connection id>`: our SAML metadata for one connection, at its entity ID, for
identity providers that read it from a URL (Entra ID, AD FS, Ping). Public, like any SP's."""

from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException

from host.runtime import runtime
from resolvers.connection_rows import load_connection
from resolvers.errors import FeatureNotEnabled
from resolvers.service_provider import service_provider
from resolvers.sso_connections import require_feature


@get("/sso/saml/{connection_id:str}", name="sso_saml_metadata")
async def saml_metadata(request: Request[Any, Any, Any], connection_id: str) -> Response[str]:
    found = await load_connection(connection_id)
    if found is None or found.protocol != "saml":
        raise NotFoundException("No such SAML connection.")
    try:
        await require_feature(found.organization_id)
    except FeatureNotEnabled as error:
        raise NotFoundException("No such SAML connection.") from error
    document = service_provider(runtime(request).deployment, found).metadata_xml()
    if document is None:
        raise NotFoundException("No such SAML connection.")
    return Response(
        document,
        media_type="application/samlmetadata+xml",
        headers={"Cache-Control": "no-cache", "Content-Disposition": f'inline; filename="{found.id}.xml"'},
    )
