"""The domain: every rule of Tenantry, as plain async functions. Imports neither Litestar nor Strawberry."""
