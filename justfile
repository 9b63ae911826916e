# Tenantry's developer commands. `./run <recipe>` bootstraps the tools first; `./run --list` shows this.

set shell := ["bash", "-euo", "pipefail", "-c"]
set positional-arguments

export PATH := justfile_directory() + "/.venv/bin:" + env_var("PATH")
export UV_PYTHON_DOWNLOADS := "never"

# List the recipes
default:
    @just --list

# Install Python packages (editable) and build the frontend
install: install-python build-frontend

# Install Tenantry and its development tools into .venv
install-python:
    uv pip install --quiet --python .venv/bin/python -e '.[dev]' --config-settings editable_mode=compat

# Install npm packages and build the Lit components into frontend/dist
build-frontend:
    cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

# Start Tenantry on the embedded defaults with the demo environment (http://localhost:8000)
demo *args: install
    tenantry demo "$@"

# Start Tenantry without demo data (configure with TENANTRY_* variables)
serve *args: install
    tenantry serve "$@"

# Run an arq worker (needs TENANTRY_REDIS_URL)
worker: install-python
    tenantry worker

# Install what the browser tests need: Debian's chromium (never a downloaded browser)
browser:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ -x /usr/bin/chromium ]; then exit 0; fi
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    fi

# Install the independent OpenID Connect client (panva's openid-client) used as a test oracle
oracles:
    cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error

# ruff and mypy --strict over the Python code; generated types, ESLint and lit-analyzer over the frontend
lint: install-python
    ruff check .
    ruff format --check .
    mypy .
    cd frontend && if [ ! -d node_modules ]; then npm ci --no-audit --no-fund --loglevel=error; fi && npm run lint --silent

# Frontend unit tests (vitest)
test-frontend: build-frontend
    cd frontend && npm test --silent

# The frontend unit tests without reinstalling (used by `test`, which installs first)
_frontend-unit:
    cd frontend && npm test --silent

# The Python suite on SQLite with the embedded job runner
test-sqlite *args: install browser oracles
    TENANTRY_TEST_BACKEND=sqlite pytest "$@"

# The Python suite on PostgreSQL with a real arq worker on Redis
test-postgres *args: install browser oracles
    TENANTRY_TEST_BACKEND=postgres pytest "$@"

# Everything: lint, frontend tests, then the suite on SQLite and on PostgreSQL + Redis
test: install browser oracles lint _frontend-unit
    TENANTRY_TEST_BACKEND=sqlite pytest
    TENANTRY_TEST_BACKEND=postgres pytest

# Benchmarks: token endpoint throughput and latency on one server process; session validation cost
bench: install
    python bench/token_endpoint.py
    python bench/session_validation.py
    python bench/passkey_sign_in.py
    python bench/webhook_delivery.py
    python bench/domain_checks.py
    python bench/graphql_cost.py
    python bench/sso_sign_in.py

# Print the GraphQL SDL into schema/schema.graphql (commit it; a test fails when it drifts)
sdl: install-python
    python -c "from schema.build import schema; open('schema/schema.graphql', 'w').write(schema.as_str() + '\n')"
