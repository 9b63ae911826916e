"""SCIM filters (RFC 7644 §3.4.2.2) and sortBy (§3.4.2.3) as SQL over the directory tables.

A filter's syntax tree becomes a `WhereRaw` with bound parameters, confined to one directory
whatever the filter says; sortBy becomes an `Ordering` for `Select.order_by`. The meaning is
scim2-models' own evaluator (`ScimFilter.match`), which the tests hold this module to: caseless
strings compare by their comparison key (the `*_key` columns, and `AttributeBinding.comparable`
for the operand), case-exact ones as stored; a multi-valued attribute matches when one entry does,
and `ne` when no entry equals. Strings order by code point (SQLite's BINARY, PostgreSQL's
COLLATE "C"). Every predicate is two-valued, never SQL NULL, so `not` negates exactly.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString
from scim2_models import InvalidFilterException, InvalidValueException, Path, ScimFilter
from scim2_models.path import (
    AttributeBinding,
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
    coerce_value,
)

from db.directories import DirectoryUser
from resolvers.scim_columns import GROUPS, USERS, Entries, ResourceTable, Stored

ORDERING = {
    CompareOperator.gt: ">",
    CompareOperator.ge: ">=",
    CompareOperator.lt: "<",
    CompareOperator.le: "<=",
}


@dataclass(frozen=True, slots=True)
class Ordering:
    """What sortBy orders by: `select.order_by(*ordering.columns, ascending=ordering.ascending)`.

    Resources without a value come last ascending and first descending (RFC 7644 §3.4.2.3), then
    the id breaks ties, in the same direction, as scim2-server's in-memory storage does.
    """

    columns: tuple[QueryString, ...]
    ascending: bool


def _always() -> QueryString:
    return QueryString("(1 = 1)")


def _never() -> QueryString:
    return QueryString("(1 = 0)")


def _on_postgres() -> bool:
    return isinstance(DirectoryUser._meta.db, PostgresEngine)


def _collated(stored: Stored) -> str:
    """The column as strings are ordered here: by code point, on PostgreSQL too."""
    return f'{stored.column} COLLATE "C"' if stored.kind == "text" and _on_postgres() else stored.column


def _unsupported(what: str) -> InvalidFilterException:
    return InvalidFilterException(detail=f"filtering on {what} is not supported")


def _local_name(resource: ResourceTable, binding: AttributeBinding, written: str) -> str:
    """The attribute's path below the resource's core schema; extensions are not filterable."""
    prefix = resource.schema.lower() + ":"
    if not binding.urn.lower().startswith(prefix):
        raise _unsupported(written)
    return binding.urn[len(prefix) :].lower()


def _present(stored: Stored) -> QueryString:
    if stored.kind == "text":
        guard = f"{stored.column} IS NOT NULL AND " if stored.nullable else ""
        return QueryString(f"({guard}{stored.column} <> '')")
    return QueryString(f"({stored.column} IS NOT NULL)") if stored.nullable else _always()


def _guarded(stored: Stored, condition: QueryString) -> QueryString:
    """`condition` where the column has a value, FALSE where it has none (never NULL)."""
    if not stored.nullable:
        return condition
    return QueryString(f"({stored.column} IS NOT NULL AND {{}})", condition)


def _substring(stored: Stored, op: CompareOperator, operand: str) -> QueryString:
    column, param = stored.column, "CAST({} AS TEXT)"  # typed, for PostgreSQL's length()
    if operand == "":
        return QueryString(f"({column} IS NOT NULL)")
    if op == CompareOperator.co:
        find = "strpos" if _on_postgres() else "instr"
        return _guarded(stored, QueryString(f"({find}({column}, {param}) > 0)", operand))
    if op == CompareOperator.sw:
        sql = f"(substr({column}, 1, length({param})) = {param})"
        return _guarded(stored, QueryString(sql, operand, operand))
    sql = (
        f"(length({column}) >= length({param}) "
        f"AND substr({column}, length({column}) - length({param}) + 1) = {param})"
    )
    return _guarded(stored, QueryString(sql, operand, operand, operand))


def _condition(stored: Stored, binding: AttributeBinding, op: CompareOperator, value: Any) -> QueryString:
    """One stored value against one operand, as scim2-models' `_compare` reads it."""
    column = stored.column
    if value is None:
        if op == CompareOperator.eq:
            return QueryString(f"({column} IS NULL)")
        if op == CompareOperator.ne:
            return QueryString(f"({column} IS NOT NULL)")
        return _never()
    if op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
        if stored.kind != "text" or not isinstance(value, str):
            return _never()  # the evaluator only matches substrings of strings
        return _substring(stored, op, binding.comparable(value))
    if stored.kind == "boolean" and op in ORDERING:
        raise InvalidFilterException(detail=f"'{op.value}' cannot compare the boolean {binding.urn}")
    mismatched = (
        (stored.kind == "text" and not isinstance(value, str))
        or (stored.kind == "boolean" and not isinstance(value, bool))
        or (stored.kind == "datetime" and not (isinstance(value, dt.datetime) and value.tzinfo))
    )
    if mismatched:  # values of different types are never equal, nor ordered
        return _always() if op == CompareOperator.ne else _never()
    operand = binding.comparable(value)
    if op == CompareOperator.eq:
        return _guarded(stored, QueryString(f"({column} = {{}})", operand))
    if op == CompareOperator.ne:
        if not stored.nullable:
            return QueryString(f"({column} <> {{}})", operand)
        return QueryString(f"({column} IS NULL OR {column} <> {{}})", operand)
    return _guarded(stored, QueryString(f"({_collated(stored)} {ORDERING[op]} {{}})", operand))


class _Combining(FilterVisitor[QueryString]):
    """`not`, `and` and `or`, the same over resources and inside a value selection."""

    def visit_not(self, node: Not) -> QueryString:
        return QueryString("(NOT {})", self.visit(node.expr))

    def visit_logical_expr(self, node: LogicalExpr) -> QueryString:
        joiner = " AND " if node.op == LogicalOperator.and_ else " OR "
        terms = [self.visit(term) for term in node.terms]
        return QueryString("(" + joiner.join("{}" for _ in terms) + ")", *terms)


class _SqlFilter(_Combining):
    """A filter over one resource type as a two-valued SQL condition on its row."""

    def __init__(self, resource: ResourceTable, directory_id: str, node: FilterNode) -> None:
        self.resource, self.directory_id = resource, directory_id
        # binding the tree to the model refuses operators and operands the attributes cannot take
        self.bound: Any = ScimFilter[resource.model](node)  # type: ignore[name-defined]

    def _binding(self, attr_path: AttrPath, *, for_comparison: bool) -> AttributeBinding:
        resolve = self.bound.resolve_comparison if for_comparison else self.bound.resolve
        binding: AttributeBinding = resolve(attr_path, strict=True)
        return binding

    def _locate(self, attr_path: AttrPath, binding: AttributeBinding) -> tuple[Entries | None, Stored | None]:
        name = _local_name(self.resource, binding, str(attr_path))
        head, _, sub = name.partition(".")
        if head in self.resource.entries:
            entries = self.resource.entries[head]
            if not sub:
                return entries, None
            if sub not in entries.attributes:
                raise _unsupported(str(attr_path))
            return entries, entries.attributes[sub]
        if name not in self.resource.attributes:
            raise _unsupported(str(attr_path))
        return None, self.resource.attributes[name]

    def visit_comparison(self, node: Comparison) -> QueryString:
        binding = self._binding(node.attr_path, for_comparison=True)
        entries, stored = self._locate(node.attr_path, binding)
        if stored is None:
            raise _unsupported(str(node.attr_path))
        value = coerce_value(binding, node.value, node.op)
        unique = self.resource.unique_in_directory.get(_local_name(self.resource, binding, ""))
        if unique and node.op == CompareOperator.eq and isinstance(value, str):
            return QueryString(f"({unique} = {{}})", f"{self.directory_id}:{binding.comparable(value)}")
        if entries is None:
            return _condition(stored, binding, node.op, value)
        if value is None and node.op in (CompareOperator.eq, CompareOperator.ne):
            # no entries at all reads as a null attribute: `eq null` holds, `ne null` does not
            some = f"EXISTS (SELECT 1 {entries.rows})"
            null = QueryString(f"EXISTS (SELECT 1 {entries.rows} AND {stored.column} IS NULL)")
            sql = f"(NOT {some} OR {{}})" if node.op == CompareOperator.eq else f"({some} AND NOT {{}})"
            return QueryString(sql, null)
        if node.op == CompareOperator.ne:  # no entry equals the operand
            equal = _condition(stored, binding, CompareOperator.eq, value)
            return QueryString(f"(NOT EXISTS (SELECT 1 {entries.rows} AND {{}}))", equal)
        matching = _condition(stored, binding, node.op, value)
        return QueryString(f"(EXISTS (SELECT 1 {entries.rows} AND {{}}))", matching)

    def visit_present(self, node: Present) -> QueryString:
        binding = self._binding(node.attr_path, for_comparison=False)
        entries, stored = self._locate(node.attr_path, binding)
        if entries is None:
            assert stored is not None  # noqa: S101 - _locate answers one or the other
            return _present(stored)
        # every stored entry has a present sub-attribute (its value, or an email's primary)
        present = _always() if stored is None else _present(stored)
        return QueryString(f"(EXISTS (SELECT 1 {entries.rows} AND {{}}))", present)

    def visit_value_path(self, node: ValuePath) -> QueryString:
        binding = self._binding(node.attr_path, for_comparison=False)
        entries, stored = self._locate(node.attr_path, binding)
        if entries is None or stored is not None or node.sub_attr:
            raise InvalidFilterException(detail=f"{node.attr_path} holds no values to select")
        inner = _EntryFilter(self, node.attr_path, entries).visit(node.val_filter)
        return QueryString(f"(EXISTS (SELECT 1 {entries.rows} AND {{}}))", inner)


class _EntryFilter(_Combining):
    """The filter inside `emails[…]`: a condition on one entry row."""

    def __init__(self, outer: _SqlFilter, attr_path: AttrPath, entries: Entries) -> None:
        self.outer, self.attr_path, self.entries = outer, attr_path, entries

    def _stored(self, inner: AttrPath, *, for_comparison: bool) -> tuple[Stored, AttributeBinding]:
        if inner.uri or inner.sub_attr:
            raise _unsupported(f"{self.attr_path}[{inner}]")
        path = AttrPath(self.attr_path.attr, inner.attr, self.attr_path.uri)
        binding = self.outer._binding(path, for_comparison=for_comparison)
        _, stored = self.outer._locate(path, binding)
        if stored is None:
            raise _unsupported(str(path))
        return stored, binding

    def visit_comparison(self, node: Comparison) -> QueryString:
        stored, binding = self._stored(node.attr_path, for_comparison=True)
        return _condition(stored, binding, node.op, coerce_value(binding, node.value, node.op))

    def visit_present(self, node: Present) -> QueryString:
        return _present(self._stored(node.attr_path, for_comparison=False)[0])

    def visit_value_path(self, node: ValuePath) -> QueryString:
        raise InvalidFilterException(detail="a value selection cannot hold another")


def _where(resource: ResourceTable, directory_id: str, node: FilterNode | None) -> WhereRaw:
    confined = f'"{resource.table}"."directory" = {{}}'
    if node is None:
        return WhereRaw(confined, directory_id)
    condition = _SqlFilter(resource, directory_id, node).visit(node)
    return WhereRaw(f"{confined} AND {{}}", directory_id, condition)


def users_where(directory_id: str, node: FilterNode | None) -> WhereRaw:
    """The directory's users the filter matches (all of them without one); for select and count.

    :raises InvalidFilterException: an attribute, operator or operand the filter cannot use here.
    """
    return _where(USERS, directory_id, node)


def groups_where(directory_id: str, node: FilterNode | None) -> WhereRaw:
    """The directory's groups the filter matches (all of them without one)."""
    return _where(GROUPS, directory_id, node)


def _order(resource: ResourceTable, sort_by: str | None, descending: bool) -> Ordering:
    # ids are ours (a prefix, "_", then digits and capitals), ordered alike by every collation, so
    # no COLLATE here: the primary key's index keeps serving pages in id order
    identity = QueryString(resource.attributes["id"].column)
    if sort_by is None:
        return Ordering((identity,), ascending=True)
    binding = Path[resource.model](sort_by).resolve()  # type: ignore[name-defined]
    name = _local_name(resource, binding, sort_by) if binding is not None else ""
    stored = resource.attributes.get(name)
    if stored is None:
        raise InvalidValueException(detail=f"sorting by {sort_by} is not supported")
    columns = (QueryString(f"({stored.column} IS NULL)"), QueryString(_collated(stored)), identity)
    return Ordering(columns, ascending=not descending)


def users_order(sort_by: str | None, descending: bool = False) -> Ordering:
    """How sortBy orders the directory's users; the id always settles ties (stable pages).

    :raises InvalidValueException: an attribute we do not sort by (multi-valued ones included).
    """
    return _order(USERS, sort_by, descending)


def groups_order(sort_by: str | None, descending: bool = False) -> Ordering:
    """How sortBy orders the directory's groups."""
    return _order(GROUPS, sort_by, descending)
