"""The deployment's own settings and the applications (OAuth clients) that use it."""

from piccolo.columns import JSON, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class EnvironmentSettings(Table, tablename="environment_settings"):
    """One row: branding, default session policy and login methods of this deployment."""

    id = Varchar(length=40, primary_key=True)
    app_name = Varchar(length=120, default="Tenantry")
    logo_url = Text(null=True, default=None)
    favicon_url = Text(null=True, default=None)
    primary_color = Varchar(length=7, default="#4f46e5")
    session_absolute_minutes = Integer(default=60 * 24 * 7)
    session_idle_minutes = Integer(null=True, default=None)
    access_token_seconds = Integer(default=600)
    refresh_token_days = Integer(default=30)
    login_methods = JSON(default=["email_code"])
    custom_domains = JSON(default=[])
    updated_at = Timestamptz()


class Application(Table, tablename="application"):
    """An OAuth 2.0 / OpenID Connect client of the app; `id` is its client_id."""

    id = Varchar(length=40, primary_key=True)
    name = Varchar(length=120)
    client_type = Varchar(length=16, default="confidential")  # confidential | public
    secret_hash = Varchar(length=128, null=True, default=None)
    redirect_uris = JSON(default=[])
    post_logout_redirect_uris = JSON(default=[])
    initiate_login_uri = Text(null=True, default=None)
    backchannel_logout_uri = Text(null=True, default=None)
    grant_types = JSON(default=["authorization_code", "refresh_token"])
    allowed_scopes = JSON(default=["openid", "profile", "email", "offline_access"])
    is_native = Boolean(default=False)
    created_at = Timestamptz()
