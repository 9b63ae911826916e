"""The Litestar host: HTTP edges, cookies, CSRF, headers, static files and the CLI. No domain rules."""
