"""Every string argument of every field, whether a variable or a literal in the query, is text
Tenantry can store and no longer than its limit; checked once per operation, before any resolver.

The HTTP edge already refuses broken text in the JSON body; this also catches literals such as
`name: "a\\u0000b"`, which GraphQL unescapes only while parsing the query.
"""

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from resolvers.text import text_problem

DEFAULT_MAX_LENGTH = 1000
ID_MAX_LENGTH = 100
# By argument or input field name; URLs get the length browsers and proxies reliably pass. Names
# and descriptions get a cap well above their domain limit (resolvers/names.py), so the domain's
# InvalidInput, which a form can show beside the field, answers first.
MAX_LENGTHS = {
    "name": 500,
    "firstName": 500,
    "lastName": 500,
    "appName": 500,
    "email": 254,
    "emails": 254,
    "role": 64,
    "key": 64,
    "permissions": 64,
    "description": 1000,
    "allowedEmailDomains": 253,
    "eventTypes": 100,
    "primaryColor": 32,
    "clientType": 32,
    "grantTypes": 32,
    "after": 200,
    "search": 200,
    "url": 2048,
    "redirectUris": 2048,
    "postLogoutRedirectUris": 2048,
    "initiateLoginUri": 2048,
    "backchannelLogoutUri": 2048,
    "logoUrl": 2048,
    "faviconUrl": 2048,
    "credential": 16384,  # a passkey attestation: base64url strings inside a JSON object
    "metadataXml": 60000,
    "metadataUrl": 2048,  # a SAML IdP's metadata; the request body itself is capped at 64 KiB
    "certificate": 16384,
    "entityId": 1024,
    "ssoUrl": 2048,
    "issuer": 2048,
    "clientId": 256,
    "clientSecret": 256,
    "group": 256,
    "defaultRole": 64,
    "idpInitiatedApplicationId": 64,  # an IdP group's name, in a connection's roles by group
}


def bad_input(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_INPUT", "field": field})


def check_value(value: Any, of_type: GraphQLInputType, name: str, path: str) -> None:
    """Walk one coerced argument value along its GraphQL type, checking every string in it."""
    while isinstance(of_type, GraphQLNonNull):
        of_type = of_type.of_type
    if value is None:
        return
    if isinstance(of_type, GraphQLList):
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            check_value(item, of_type.of_type, name, f"{path}[{index}]")
    elif isinstance(of_type, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            field = of_type.fields.get(key)
            if field is not None:
                check_value(item, field.type, key, f"{path}.{key}")
    elif isinstance(of_type, GraphQLScalarType):
        limit = ID_MAX_LENGTH if of_type.name == "ID" else MAX_LENGTHS.get(name, DEFAULT_MAX_LENGTH)
        for text in strings_in(value):
            check_string(text, limit, path)


def strings_in(value: Any) -> Iterator[str]:
    """The strings of a scalar value; a JSON scalar holds them in lists and objects (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)


def check_string(text: str, limit: int, path: str) -> None:
    if problem := text_problem(text):
        raise bad_input(f"`{path}` contains {problem}, which is not allowed.", path)
    if len(text) > limit:
        raise bad_input(f"`{path}` is longer than {limit} characters.", path)


def check_arguments(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: list[Any],
    raw_variables: dict[str, Any],
) -> None:
    """Check every argument of every field the operation (and its fragments) selects."""
    coerced = get_variable_values(schema, operation.variable_definitions or (), raw_variables)
    if isinstance(coerced, list):
        return  # wrong variables: the executor reports them as BAD_INPUT
    variables: Any = coerced
    type_info = TypeInfo(schema)

    class ArgumentVisitor(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            field_def = type_info.get_field_def()
            if field_def is None or not node.arguments:
                return
            try:
                values = get_argument_values(field_def, node, variables)
            except GraphQLError:
                return  # the executor reports it, if this field is executed at all
            for name, value in values.items():
                check_value(value, field_def.args[name].type, name, name)

    for definition in [operation, *fragments]:
        visit(definition, TypeInfoVisitor(type_info, ArgumentVisitor()))


class InputLimits(SchemaExtension):
    """Refuse the operation (BAD_INPUT, naming the argument) before any resolver runs."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            operations = [
                d
                for d in document.definitions
                if isinstance(d, OperationDefinitionNode)
                and (context.operation_name is None or (d.name and d.name.value == context.operation_name))
            ]
            fragments = [d for d in document.definitions if not isinstance(d, OperationDefinitionNode)]
            if len(operations) == 1:
                check_arguments(context.schema._schema, operations[0], fragments, context.variables or {})
        yield
