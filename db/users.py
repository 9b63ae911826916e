"""People: one row per person in the environment."""

from piccolo.columns import Boolean, Timestamptz, Varchar
from piccolo.table import Table


class User(Table, tablename="tenantry_user"):
    """A person; `email` is stored lower-cased and is unique in the environment."""

    id = Varchar(length=40, primary_key=True)
    email = Varchar(length=320, unique=True, index=True)
    email_verified = Boolean(default=False)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
