"""The person's passkeys: add one (a two-step WebAuthn ceremony), rename one, delete one."""

import datetime as dt
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers import passkeys as passkey_rules
from resolvers.environment_settings import environment_settings
from schema import context, results
from schema.error_table import answers_refusals
from schema.permissions import PORTAL


@strawberry.type
class Passkey:
    """One of the viewer's passkeys; `synced` is the WebAuthn backup state (a cloud keychain)."""

    id: strawberry.ID
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    synced: bool

    @classmethod
    def from_row(cls, row: passkey_rules.PasskeyRow) -> "Passkey":
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            synced=row.synced,
        )


@strawberry.type
class PasskeyRegistrationOptions:
    flow_id: strawberry.ID
    options: JSON = strawberry.field(description="PublicKeyCredentialCreationOptionsJSON for the browser.")


@strawberry.type
class PasskeyDeleted:
    passkey_id: strawberry.ID


BeginPasskeyRegistrationResult = Annotated[
    PasskeyRegistrationOptions | results.ReauthenticationRequired | results.InvalidInput,
    strawberry.union("BeginPasskeyRegistrationResult"),
]
FinishPasskeyRegistrationResult = Annotated[
    Passkey | results.ReauthenticationRequired | results.PasskeyRejected | results.InvalidInput,
    strawberry.union("FinishPasskeyRegistrationResult"),
]
RenamePasskeyResult = Annotated[Passkey | results.InvalidInput, strawberry.union("RenamePasskeyResult")]
DeletePasskeyResult = Annotated[
    PasskeyDeleted | results.ReauthenticationRequired, strawberry.union("DeletePasskeyResult")
]


@strawberry.type
class PasskeyMutation:
    @strawberry.mutation(
        extensions=PORTAL,
        description="Start adding a passkey: options for credentials.create(); needs a recent sign-in.",
    )
    @answers_refusals()
    async def begin_passkey_registration(
        self, info: Info[Any, Any], name: str | None = None
    ) -> BeginPasskeyRegistrationResult:
        settings = await environment_settings()
        ceremony = await passkey_rules.begin_registration(
            context.user(info), context.deployment(info), settings.app_name, name=name
        )
        return PasskeyRegistrationOptions(
            flow_id=strawberry.ID(ceremony.flow_id), options=cast(JSON, ceremony.options)
        )

    @strawberry.mutation(
        extensions=PORTAL,
        description=(
            "Finish adding a passkey with the browser's attestation (JSON). Without a name, it is named"
            " after its password manager or authenticator when known, else the browser, numbered if taken."
        ),
    )
    @answers_refusals()
    async def finish_passkey_registration(
        self, info: Info[Any, Any], flow_id: strawberry.ID, credential: JSON, name: str | None = None
    ) -> FinishPasskeyRegistrationResult:
        row = await passkey_rules.finish_registration(
            context.user(info), context.deployment(info), str(flow_id), credential, name
        )
        return Passkey.from_row(row)

    @strawberry.mutation(extensions=PORTAL, description="Rename one of your passkeys.")
    @answers_refusals()
    async def rename_passkey(
        self, info: Info[Any, Any], passkey_id: strawberry.ID, name: str
    ) -> RenamePasskeyResult:
        row = await passkey_rules.rename_passkey(context.user(info), str(passkey_id), name)
        return Passkey.from_row(row)

    @strawberry.mutation(
        extensions=PORTAL, description="Delete one of your passkeys; needs a recent sign-in."
    )
    @answers_refusals()
    async def delete_passkey(self, info: Info[Any, Any], passkey_id: strawberry.ID) -> DeletePasskeyResult:
        await passkey_rules.delete_passkey(context.user(info), str(passkey_id))
        return PasskeyDeleted(passkey_id=passkey_id)
