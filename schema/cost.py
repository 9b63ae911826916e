"""What a GraphQL request costs, computed from the document before it is validated or run.

Each field costs 1, and a list under a field with a `first` argument (a connection's `nodes`) costs
that many times over: a page of 100 invitations with 5 fields each costs 1 + 100 * (1 + 5), and
its pageInfo a few more. Aliases are fields too, so asking for the same page fifteen times costs
fifteen times. A request over the limit is refused whole, before any resolver reads a row, so one
tenant cannot buy seconds of every other tenant's time with a single request.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    type_from_ast,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

MAX_QUERY_COST = 5_000


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> int | None:
    """The cost of the operation `operation_name` of `document`; None when it cannot be told
    (no such operation, or variables that do not fit): execution then reports what is wrong."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables or {}))
    if isinstance(coerced, list):
        return None
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    return _Counter(schema, fragments, coerced).selections(operation.selection_set, root)


class _Counter:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        # a fragment's cost, once per type and page size: fragments that spread others many
        # times over would otherwise take exponential time to count
        self.known: dict[tuple[str, str, int], int] = {}

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        page: int = 1,
        spreading: frozenset[str] = frozenset(),
    ) -> int:
        """The fields under one parent; the lists among them (a connection's `nodes`) hold `page`
        items each, so they cost `page` times over."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                definition = self._definition(selection, parent)
                listed = definition is not None and isinstance(
                    get_nullable_type(definition.type), GraphQLList
                )
                total += self.field(selection, parent) * (page if listed else 1)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(
                    selection.selection_set, self._narrowed(selection, parent), page, spreading
                )
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, parent, page, spreading)
        return total

    def fragment(self, name: str, parent: GraphQLNamedType, page: int, spreading: frozenset[str]) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in spreading:
            return 0  # unknown or cyclic: validation refuses the document
        narrowed = self._narrowed(fragment, parent)
        key = (name, narrowed.name, page)
        if key not in self.known:
            self.known[key] = self.selections(fragment.selection_set, narrowed, page, spreading | {name})
        return self.known[key]

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        definition = self._definition(node, parent)
        if definition is None or node.selection_set is None:
            return 1  # a scalar, an enum, or __typename
        try:
            first = get_argument_values(definition, node, self.variables).get("first")
        except GraphQLError:  # a wrong argument: validation names it
            first = None
        page = first if isinstance(first, int) and first > 0 else 1
        return 1 + self.selections(node.selection_set, get_named_type(definition.type), page)

    def _listed(self, node: FieldNode, parent: GraphQLNamedType) -> bool:
        definition = self._definition(node, parent)
        return definition is not None and isinstance(get_nullable_type(definition.type), GraphQLList)

    @staticmethod
    def _definition(node: FieldNode, parent: GraphQLNamedType) -> GraphQLField | None:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return None  # __typename on a union
        found: GraphQLField | None = parent.fields.get(node.name.value)
        return found

    def _narrowed(
        self, fragment: InlineFragmentNode | FragmentDefinitionNode, parent: GraphQLNamedType
    ) -> GraphQLNamedType:
        if fragment.type_condition is None:
            return parent
        narrowed = type_from_ast(self.schema, fragment.type_condition)
        return get_named_type(narrowed) if narrowed is not None else parent


def too_costly(cost: int, limit: int = MAX_QUERY_COST) -> GraphQLError:
    return GraphQLError(
        f"This request would cost {cost:,} and the limit is {limit:,}: every field costs 1, times "
        "the page size (first) of each list around it. Ask for smaller pages or fewer fields.",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit},
    )


class CostLimiter(SchemaExtension):
    """Refuses a request over MAX_QUERY_COST before validation, whose fragment walks (depth and
    alias limits) take time exponential in nested fragment spreads; the cost is left in the
    context (`query_cost`)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        cost = None
        if document is not None:
            try:
                cost = query_cost(context.schema._schema, document, context.variables, context.operation_name)
            except RecursionError:
                cost = None  # nested deeper than any limit: the depth limit refuses it
        if isinstance(context.context, dict) and cost is not None:
            context.context["query_cost"] = cost
        if cost is not None and cost > MAX_QUERY_COST:
            context.pre_execution_errors = [too_costly(cost)]  # validation then does not run
        yield
