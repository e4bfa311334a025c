"""The local stand-in for object storage: a real S3 server process on 127.0.0.1, built from its Go
module into ``.bin/`` the first time it is needed, keeping its data in a git-ignored folder.

The server is Versity S3 Gateway (versitygw) with its POSIX backend: buckets are directories, objects
are files, metadata (Content-Type) sits in a sidecar directory, so any filesystem works. MinIO, which
docker compose runs, was the first choice, but built from source it does not fit the test budget:
its module graph is about 1.2 GB of sources, and on 2 cores a cold ``go install`` took 14 minutes
(4 with the modules already downloaded), where versitygw takes under 3. Both speak the same S3 API
to the app.

``go install`` stamps no version into the binary (``versitygw --version`` says ``git``), so the
built version is kept beside it in ``.bin/versitygw.version``.

``procus dev`` runs it on ``S3_ENDPOINT`` with ``.data/storage``; the test suite runs its own on a
free port with a temporary folder (:func:`run_storage_server`); ``just storage`` (``python -m
procus_devstack.storage_server``) builds it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from procus.config import PROJECT_ROOT, Settings
from procus_devstack.embedded_postgres import free_port
from procus_devstack.go_binaries import ensure_binary, go_install

__all__ = [
    "STORAGE_SERVER_VERSION",
    "StorageServer",
    "build_storage_binary",
    "dev_storage_dir",
    "ensure_storage_binary",
    "installed_version",
    "run_storage_server",
    "server_command",
    "server_environment",
    "storage_binary_path",
    "wait_until_ready",
]

STORAGE_SERVER_VERSION = "v1.8.0"
_GO_PACKAGE = "github.com/versity/versitygw/cmd/versitygw"
_HEALTH_PATH = "/health"
_START_ATTEMPTS = 3
_OWN_ENV_PREFIXES = ("VGW_", "ROOT_ACCESS_", "ROOT_SECRET_")


def storage_binary_path(root: Path = PROJECT_ROOT) -> Path:
    return root / ".bin" / "versitygw"


def _stamp(binary: Path) -> Path:
    return binary.with_name(binary.name + ".version")


def installed_version(binary: Path) -> str | None:
    """The module version ``binary`` was built from, per its stamp; None if either is missing."""
    try:
        return _stamp(binary).read_text().strip() if binary.is_file() else None
    except OSError:
        return None


def build_storage_binary(binary: Path, version: str = STORAGE_SERVER_VERSION) -> Path:
    go_install(_GO_PACKAGE, version, binary)
    with tempfile.NamedTemporaryFile("w", dir=binary.parent, prefix=".stamp-", delete=False) as stamp:
        stamp.write(version + "\n")
    os.chmod(stamp.name, 0o644)
    os.replace(stamp.name, _stamp(binary))
    return binary


def ensure_storage_binary(root: Path = PROJECT_ROOT, version: str = STORAGE_SERVER_VERSION) -> Path:
    return ensure_binary(
        storage_binary_path(root),
        is_current=lambda binary: installed_version(binary) == version,
        build=functools.partial(build_storage_binary, version=version),
    )


def server_command(binary: Path, data_dir: Path, address: str, browser_origin: str = "") -> list[str]:
    """Serve S3 on ``address`` (``host:port``): buckets under ``data_dir/objects``, object metadata
    under ``data_dir/meta``. Creates both folders. With ``browser_origin`` (the SPA's), CORS lets
    pages from it PUT avatars to presigned URLs (MinIO allows every origin by default; on AWS S3
    the bucket needs a CORS rule)."""
    objects, meta = (data_dir.resolve() / name for name in ("objects", "meta"))
    objects.mkdir(parents=True, exist_ok=True)
    meta.mkdir(parents=True, exist_ok=True)
    return [
        str(binary),
        "--port",
        address,
        "--health",
        _HEALTH_PATH,
        "--quiet",
        *(["--cors-allow-origin", browser_origin] if browser_origin else []),
        "posix",
        "--sidecar",
        str(meta),
        str(objects),
    ]


def server_environment(access_key: str, secret_key: str) -> dict[str, str]:
    """The server's root credentials are the app's S3 keys (in the environment, not on the command line)."""
    return {"ROOT_ACCESS_KEY": access_key, "ROOT_SECRET_KEY": secret_key}


def dev_storage_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "storage"


def wait_until_ready(address: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until the server's health check on ``address`` answers 200; fails early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    url = f"http://{address}{_HEALTH_PATH}"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the storage server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"the storage server did not answer on {address} within {timeout}s")


@dataclass
class StorageServer:
    """A running server: its S3 endpoint (``host:port``, as ``S3_ENDPOINT`` wants it) and keys."""

    endpoint: str
    access_key: str
    secret_key: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                return
            self.process.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout / 2)


def _start(
    binary: Path, data_dir: Path, address: str, env: Mapping[str, str], log_path: Path, timeout: float
) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            server_command(binary, data_dir, address),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,
        )
    try:
        wait_until_ready(address, timeout, process)
    except BaseException as exc:
        process.kill()
        process.wait()
        if isinstance(exc, RuntimeError | TimeoutError):
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
            raise type(exc)(f"{exc}; its log ends:\n{tail}") from None
        raise
    return process


@contextlib.contextmanager
def run_storage_server(
    data_dir: Path,
    *,
    access_key: str = "procus-test",
    secret_key: str = "procus-test-secret",
    startup_timeout: float = 30.0,
    port: int | None = None,
) -> Iterator[StorageServer]:
    """Build the binary if needed, start it on a free loopback port with ``data_dir``, yield it,
    stop it. A port is only free when probed, so a start that loses a race is retried on another.
    ``port`` starts it on that port instead (a server coming back where its clients expect it)."""
    binary = ensure_storage_binary()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {name: value for name, value in os.environ.items() if not name.startswith(_OWN_ENV_PREFIXES)}
    env.update(server_environment(access_key, secret_key))
    log_path = data_dir.with_name(data_dir.name + ".log")
    process: subprocess.Popen[bytes] | None = None
    address = ""
    for attempt in range(1, _START_ATTEMPTS + 1):
        address = f"127.0.0.1:{port or free_port()}"
        try:
            process = _start(binary, data_dir, address, env, log_path, startup_timeout)
            break
        except (RuntimeError, TimeoutError):
            if attempt == _START_ATTEMPTS:
                raise
    assert process is not None
    server = StorageServer(address, access_key, secret_key, data_dir, log_path, process)
    try:
        yield server
    finally:
        server.stop()


def main() -> int:
    try:
        binary = ensure_storage_binary()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"could not build the storage server: {exc}", file=sys.stderr)
        return 1
    print(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
