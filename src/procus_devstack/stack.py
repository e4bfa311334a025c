"""The whole app on one machine for development: what `python -m procus_devstack dev` starts, and how."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from procus.config import PROJECT_ROOT, Settings
from procus_devstack.dev_database import dev_database_server, ensure_dev_database
from procus_devstack.runner import ProcessSpec, run_all
from procus_devstack.storage_server import dev_storage_dir, server_command, server_environment, storage_binary_path

__all__ = ["dev_processes", "run_dev"]


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _livekit_binary() -> Path:
    return PROJECT_ROOT / ".bin" / "livekit-server"


def _spa_watcher() -> ProcessSpec | None:
    """`vite build --watch` with the Node from uv.lock: the API serves frontend/dist, rebuilt on every save.

    A watched build rather than Vite's dev server, so development serves exactly what production
    serves (same origin, same CSP, same caching); reload the page after a change.
    """
    node = PROJECT_ROOT / ".tools" / "node" / "node"
    vite = PROJECT_ROOT / "frontend" / "node_modules" / "vite" / "bin" / "vite.js"
    if not (node.exists() and vite.exists()):
        print("the SPA's packages are not installed (`just frontend`): frontend/dist is not rebuilt", flush=True)
        return None
    argv = [str(node), str(vite), "build", "--watch", "--logLevel", "warn"]
    return ProcessSpec("spa", argv, {}, cwd=str(PROJECT_ROOT / "frontend"))


def dev_processes(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, watch_spa: bool = False
) -> list[ProcessSpec]:
    env = {"DATABASE_URL": settings.database_url, "APP_ENV": settings.app_env, "LOG_JSON": "false"}
    specs = [
        ProcessSpec(
            "api",
            # `procus serve` itself, so development runs the same bounded HTTP protocol and timeouts.
            _python(
                "-m",
                "procus.cli",
                "serve",
                "--reload",
                "--reload-dir",
                str(PROJECT_ROOT / "src"),
                "--host",
                host,
                "--port",
                str(port),
            ),
            env,
        ),
    ]
    specs.append(ProcessSpec("worker", _python("-m", "procus.cli", "worker"), env))
    webhooks = {"FAKE_PAYSTACK_WEBHOOK_URL": f"{settings.public_url.rstrip('/')}/v1/webhooks/paystack"}
    specs.append(ProcessSpec("paystack", _python("-m", "procus_devstack.fake_paystack"), {**env, **webhooks}))
    if not settings.smtp_host:
        specs.append(ProcessSpec("mail", _python("-m", "procus_devstack.mail_capture"), env))
    storage = storage_binary_path()
    if storage.exists():
        spa_origin = "{0.scheme}://{0.netloc}".format(urlsplit(settings.public_url))
        argv = server_command(storage, dev_storage_dir(settings), settings.s3_endpoint, spa_origin)
        specs.append(ProcessSpec("storage", argv, server_environment(settings.s3_access_key, settings.s3_secret_key)))
    else:
        print(f"the S3 server is not built ({storage}); run `just storage` — uploads are disabled", flush=True)
    spa = _spa_watcher() if watch_spa else None
    if spa is not None:
        specs.append(spa)
    binary = _livekit_binary()
    if binary.exists():
        specs.append(ProcessSpec("livekit", [str(binary), "--config", str(PROJECT_ROOT / "livekit.yaml")], env))
    else:
        print(f"livekit-server not built ({binary}); run `just livekit` — video calls are disabled", flush=True)
    return specs


def run_dev(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, watch_spa: bool = True) -> int:
    """Run everything until Ctrl-C; the embedded PostgreSQL started here is stopped with the rest."""
    embedded = None
    if not settings.database_url:
        print("DATABASE_URL is unset: starting the embedded PostgreSQL", flush=True)
        settings = ensure_dev_database(settings)
        embedded = dev_database_server(settings)
    try:
        return run_all(dev_processes(settings, host=host, port=port, watch_spa=watch_spa))
    finally:
        if embedded is not None:
            embedded.stop()
            print("embedded PostgreSQL stopped", flush=True)
