"""The GraphQL schema (Strawberry): types, permission directives, and fields bound to resolvers."""
