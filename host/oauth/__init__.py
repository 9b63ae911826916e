"""The OpenID Connect provider: one file per endpoint, grants in `grants/`."""
