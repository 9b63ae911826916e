"""Where scim2-server reads and writes one directory's resources: the protocol (validation, PATCH,
ETags, filters parsed, errors) is the library's; what a change means is resolvers/provisioning.py.

A storage serves one request of one directory, so nothing it reads or writes can reach another
directory's rows: every query names the directory. A write request reads its resource locked, so
two concurrent PATCHes of one resource apply one after the other instead of one losing the other's
change; group members are written as the difference from what the request read.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import Any, cast

from scim2_models import (
    InvalidValueException,
    NotFoundException,
    NotImplementedException,
    Resource,
    ResourceType,
    ResponseParameters,
    SearchRequest,
)
from scim2_server.storage import AsyncScimStorage, SearchPage

from db.directories import DirectoryGroup, DirectoryGroupMember, DirectoryUser
from db.transaction import for_update, transaction
from resolvers import events, provisioning, scim_filters
from resolvers.directory_rows import DirectoryRow
from resolvers.errors import DomainError
from resolvers.organization_lock import lock_organization
from resolvers.scim_resources import group_columns, group_resource, user_columns, user_resource


def _is_user(resource_type: ResourceType) -> bool:
    return resource_type.name == "User"


def _names(paths: list[Any] | None) -> set[str]:
    """Attribute names as written, without a schema URN: `members`, `members.value`."""
    return {str(path).rpartition(":")[2].lower() for path in paths or []}


def _wants_members(parameters: ResponseParameters[Any] | None) -> bool:
    """Okta and Entra ID read groups with `excludedAttributes=members`: then members are not loaded."""
    if parameters is None:
        return True
    if parameters.attributes:
        return any(name.split(".")[0] == "members" for name in _names(parameters.attributes))
    return "members" not in _names(parameters.excluded_attributes)


@contextmanager
def _refusals_in_scim_terms() -> Iterator[None]:
    """A rule of the domain (the last admin stays) refuses a push as a SCIM error with its reason."""
    try:
        yield
    except DomainError as refusal:
        raise InvalidValueException(detail=refusal.message) from refusal


class DirectoryStorage(AsyncScimStorage):
    """One request's view of one directory."""

    def __init__(self, directory: DirectoryRow, *, writing: bool = False, changing: bool = False) -> None:
        self.directory = directory
        self.writing = writing  # PUT, PATCH, DELETE: what get() reads is locked until the end
        # every write (POST too) takes the organization's lock first: one lock order for all of
        # them and for mapping changes (organization, then rows), so they never deadlock
        self.changing = changing or writing
        self._members_read: dict[str, dict[str, str]] = {}

    def operation(self) -> AbstractAsyncContextManager[None]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        async with transaction(), events.endpoints_read_once():
            if self.changing:
                await lock_organization(self.directory.organization_id)
            yield

    # -- reading ------------------------------------------------------------

    async def _groups_of_users(self, user_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        if not user_ids:
            return {}
        rows = await DirectoryGroupMember.select(
            DirectoryGroupMember.directory_user,
            DirectoryGroupMember.group,
            DirectoryGroupMember.group.display_name.as_alias("display_name"),
        ).where(DirectoryGroupMember.directory_user.is_in(user_ids))
        found: dict[str, list[tuple[str, str]]] = {}
        for row in sorted(rows, key=lambda r: str(r["group"])):
            found.setdefault(str(row["directory_user"]), []).append(
                (str(row["group"]), str(row["display_name"]))
            )
        return found

    async def _members_of_groups(self, group_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        if not group_ids:
            return {}
        rows = await DirectoryGroupMember.select(
            DirectoryGroupMember.group,
            DirectoryGroupMember.directory_user,
            DirectoryGroupMember.directory_user.user_name.as_alias("user_name"),
            DirectoryGroupMember.display,
        ).where(DirectoryGroupMember.group.is_in(group_ids))
        found: dict[str, list[tuple[str, str]]] = {}
        for row in sorted(rows, key=lambda r: str(r["directory_user"])):
            found.setdefault(str(row["group"]), []).append(
                (str(row["directory_user"]), str(row["display"] or row["user_name"]))
            )
        return found

    async def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        table: Any = DirectoryUser if _is_user(resource_type) else DirectoryGroup
        query = table.select().where((table.id == resource_id) & (table.directory == self.directory.id))
        query = query.output(load_json=True)
        row = await (for_update(query) if self.writing else query).first()
        if row is None:
            raise NotFoundException(detail=f"No {resource_type.name} {resource_id}.")
        if _is_user(resource_type):
            groups = await self._groups_of_users([resource_id])
            return cast(Resource[Any], user_resource(row, groups.get(resource_id, [])))
        members: list[tuple[str, str]] = []
        if self.writing or _wants_members(response_parameters):
            members = (await self._members_of_groups([resource_id])).get(resource_id, [])
            self._members_read[resource_id] = dict(members)
        return cast(Resource[Any], group_resource(row, members))

    async def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        if len(resource_types) != 1:
            raise NotImplementedException(detail="Search one resource type at a time: /Users or /Groups.")
        resource_type = resource_types[0]
        node = search_request.filter.ast if search_request.filter is not None else None
        descending = search_request.sort_order == SearchRequest.SortOrder.descending
        sort_by = str(search_request.sort_by) if search_request.sort_by is not None else None
        start = max(search_request.start_index or 1, 1)
        count = search_request.count
        users = _is_user(resource_type)
        table: Any = DirectoryUser if users else DirectoryGroup
        where = (
            scim_filters.users_where(self.directory.id, node)
            if users
            else scim_filters.groups_where(self.directory.id, node)
        )
        order = (
            scim_filters.users_order(sort_by, descending)
            if users
            else scim_filters.groups_order(sort_by, descending)
        )
        total: int = await table.count().where(where)
        if count == 0 or start > total:  # past the end (a huge startIndex must not reach OFFSET)
            return SearchPage(total=total, resources=[])
        query = (
            table.select()
            .where(where)
            .order_by(*order.columns, ascending=order.ascending)
            .offset(start - 1)
            .output(load_json=True)
        )
        if count is not None:
            query = query.limit(count)
        rows = await query
        ids = [str(row["id"]) for row in rows]
        if users:
            groups = await self._groups_of_users(ids)
            resources = [user_resource(row, groups.get(str(row["id"]), [])) for row in rows]
        else:
            wanted = _wants_members(search_request)
            members = await self._members_of_groups(ids) if wanted else {}
            resources = [group_resource(row, members.get(str(row["id"]), [])) for row in rows]
        return SearchPage(total=total, resources=resources)

    # -- writing ------------------------------------------------------------

    async def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        with _refusals_in_scim_terms():
            return await self._create(resource_type, resource)

    async def _create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        if _is_user(resource_type):
            created = await provisioning.create_user(self.directory, user_columns(resource))
        else:
            created = await provisioning.create_group(self.directory, group_columns(resource))
        return await self.get(resource_type, created)

    async def update(
        self, resource_type: ResourceType, resource: Resource[Any], *, expected_version: str | None = None
    ) -> Resource[Any]:
        with _refusals_in_scim_terms():
            return await self._update(resource_type, resource, expected_version)

    async def _update(
        self, resource_type: ResourceType, resource: Resource[Any], expected_version: str | None
    ) -> Resource[Any]:
        resource_id = str(resource.id)
        if _is_user(resource_type):
            await provisioning.replace_user(
                self.directory, resource_id, user_columns(resource), expected_version=expected_version
            )
        else:
            columns = group_columns(resource)
            read = self._members_read.get(resource_id)
            if read is None:
                read = dict((await self._members_of_groups([resource_id])).get(resource_id, []))
            before = frozenset(read)
            after = frozenset(columns.member_ids)
            renamed = {
                member: display
                for member, display in columns.displays.items()
                if member in before and member in after and read[member] != display
            }
            await provisioning.replace_group(
                self.directory,
                resource_id,
                columns,
                change=provisioning.MemberChange(
                    added=after - before, removed=before - after, renamed=renamed
                ),
                expected_version=expected_version,
            )
        self._members_read.pop(resource_id, None)
        return await self.get(resource_type, resource_id)

    async def delete(
        self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None
    ) -> None:
        with _refusals_in_scim_terms():
            await self._delete(resource_type, resource_id, expected_version)

    async def _delete(
        self, resource_type: ResourceType, resource_id: str, expected_version: str | None
    ) -> None:
        if _is_user(resource_type):
            await provisioning.delete_user(self.directory, resource_id, expected_version=expected_version)
        else:
            await provisioning.delete_group(self.directory, resource_id, expected_version=expected_version)
