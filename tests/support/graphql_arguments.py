"""Every string-bearing argument of the schema, and operations that put a chosen value into one of
them (with harmless values in every other required argument): for tests that must reach every
argument without listing them by hand."""

import json
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from graphql.pyutils import (
    Undefined,
)

STRING_SCALARS = {"String", "ID", "JSON"}


@dataclass(frozen=True)
class ArgumentPath:
    """`operation` (query or mutation), the root `field`, and the path to one string inside its
    arguments, e.g. ("input", "name") or ("emails",)."""

    operation: str
    field: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.field}.{'.'.join(self.path)}"


def graphql_schema() -> GraphQLSchema:
    from schema.build import schema

    return schema._schema


def _unwrap(of_type: Any) -> Any:
    while isinstance(of_type, GraphQLNonNull | GraphQLList):
        of_type = of_type.of_type
    return of_type


def argument_paths() -> list[ArgumentPath]:
    """Every (root field, path) that ends in a String, ID or JSON value."""
    schema = graphql_schema()
    found: list[ArgumentPath] = []
    roots = (("query", schema.query_type), ("mutation", schema.mutation_type))
    for operation, root in roots:
        assert root is not None
        for field_name, field in root.fields.items():
            for arg_name, arg in field.args.items():
                for path in _string_paths(arg.type, (arg_name,)):
                    found.append(ArgumentPath(operation, field_name, path))
    return found


def _string_paths(of_type: GraphQLInputType, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    named = _unwrap(of_type)
    if isinstance(named, GraphQLScalarType) and named.name in STRING_SCALARS:
        return [prefix]
    if isinstance(named, GraphQLInputObjectType):
        return [p for key, f in named.fields.items() for p in _string_paths(f.type, (*prefix, key))]
    return []


def operation_with(target: ArgumentPath, value: Any, *, as_literal: bool = False) -> dict[str, Any]:
    """A GraphQL request that passes `value` at `target` (a variable, or a string literal written
    into the query), with harmless values in every other required argument."""
    schema = graphql_schema()
    root = schema.query_type if target.operation == "query" else schema.mutation_type
    assert root is not None
    field = root.fields[target.field]
    arguments = []
    for arg_name, arg in field.args.items():
        if arg_name == target.path[0]:
            arguments.append(f"{arg_name}: {_literal(arg.type, target.path[1:], inject=True)}")
        elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
            arguments.append(f"{arg_name}: {_literal(arg.type, (), inject=False)}")
    selection = _selection(field)
    call = f"{target.field}({', '.join(arguments)}){selection}"
    if as_literal:
        return {"query": f"{target.operation} {{ {call.replace('$v', json.dumps(value))} }}"}
    variable_type = _scalar_at(field, target)
    return {"query": f"{target.operation} ($v: {variable_type}) {{ {call} }}", "variables": {"v": value}}


def _selection(field: GraphQLField) -> str:
    named: GraphQLNamedType = get_named_type(field.type)
    return " { __typename }" if not isinstance(named, GraphQLScalarType | GraphQLEnumType) else ""


def _scalar_at(field: GraphQLField, target: ArgumentPath) -> str:
    """The GraphQL type of the variable: the named scalar at the target, non-null."""
    of_type: Any = field.args[target.path[0]].type
    for key in target.path[1:]:
        of_type = _unwrap(of_type).fields[key].type
    named = _unwrap(of_type)
    return f"{named.name}!"


def _literal(of_type: Any, path: tuple[str, ...], *, inject: bool) -> str:
    """GraphQL literal text for `of_type`; `$v` where `path` ends when `inject`."""
    if isinstance(of_type, GraphQLNonNull):
        return _literal(of_type.of_type, path, inject=inject)
    if isinstance(of_type, GraphQLList):
        return f"[{_literal(of_type.of_type, path, inject=inject)}]"
    if inject and not path and not isinstance(of_type, GraphQLInputObjectType):
        return "$v"
    if isinstance(of_type, GraphQLInputObjectType):
        parts = []
        for key, sub in of_type.fields.items():
            if inject and path and path[0] == key:
                parts.append(f"{key}: {_literal(sub.type, path[1:], inject=True)}")
            elif isinstance(sub.type, GraphQLNonNull) and sub.default_value is Undefined:
                parts.append(f"{key}: {_literal(sub.type, (), inject=False)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(of_type, GraphQLEnumType):
        return str(next(iter(of_type.values)))
    if isinstance(of_type, GraphQLScalarType):
        return {"Int": "1", "Boolean": "false", "Float": "1.0", "JSON": "{}"}.get(
            of_type.name, json.dumps("x")
        )
    raise AssertionError(f"no literal for {of_type}")
