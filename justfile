# Run through `python3 scripts/bootstrap.py <recipe>`, which installs uv and just first.
set shell := ["bash", "-euo", "pipefail", "-c"]

export PATH := justfile_directory() + "/.tools/bin:" + env_var("PATH")
export UV_PYTHON_DOWNLOADS := "never"

# Start the whole app on http://127.0.0.1:8000 (API, worker, embedded PostgreSQL, LiveKit, local stand-ins).
dev: sync livekit storage frontend
    uv run --frozen python -m procus_devstack dev

# Run the entire test suite.
test *ARGS: sync livekit storage
    uv run --frozen pytest -n 2 --dist loadgroup {{ARGS}}

# Lint, format check, strict types and the layer contract.
lint: sync
    uv run --frozen ruff check .
    uv run --frozen ruff format --check .
    uv run --frozen mypy
    uv run --frozen lint-imports

# Install the Python environment exactly as locked.
sync:
    uv sync --frozen --quiet

# Build livekit-server from its Go module into .bin/ (once).
livekit: sync
    uv run --frozen python -m procus_devstack.livekit_binary

# Build the local S3 server (versitygw) from its Go module into .bin/ (once).
storage: sync
    uv run --frozen python -m procus_devstack.storage_server

# Build the SPA (skipped when there is no frontend yet).
frontend:
    if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi

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

fmt: sync
    uv run --frozen ruff format .
    uv run --frozen ruff check --fix .

# GET /v1/experts at 1,000, 10,000 and 100,000 seeded experts, and the index's catch-up after 1,000 bookings.
bench-directory *ARGS: sync
    uv run --frozen python bench/directory.py {{ARGS}}
