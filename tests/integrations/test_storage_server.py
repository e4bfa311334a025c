"""The local S3 server: how `procus dev` runs it, and that data survives a restart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx

from procus.config import load_settings
from procus_devstack.stack import dev_processes
from procus_devstack.storage_server import (
    STORAGE_SERVER_VERSION,
    ensure_storage_binary,
    installed_version,
    run_storage_server,
    server_environment,
)
from tests.support.storage import s3_storage


def test_the_dev_stack_serves_storage_on_the_configured_endpoint_with_the_app_keys(tmp_path: Path) -> None:
    binary = ensure_storage_binary()
    assert installed_version(binary) == STORAGE_SERVER_VERSION
    settings = load_settings({}, data_dir=str(tmp_path), s3_endpoint="127.0.0.1:19123", s3_access_key="dev-key")

    (spec,) = [spec for spec in dev_processes(settings) if spec.name == "storage"]

    assert spec.argv[0] == str(binary)
    assert spec.argv[spec.argv.index("--port") + 1] == "127.0.0.1:19123"
    assert str(tmp_path / "storage" / "objects") in spec.argv
    assert spec.env == server_environment("dev-key", settings.s3_secret_key)
    assert settings.s3_secret_key not in " ".join(spec.argv), "secrets stay off the command line"


async def test_objects_survive_a_restart_of_the_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with run_storage_server(data_dir) as server:
        storage = s3_storage(server)
        await storage.put("kept.txt", b"still here", "text/plain")
        await storage.aclose()
    assert server.process.poll() is not None

    with run_storage_server(data_dir) as server:
        storage = s3_storage(server)
        url = await storage.presigned_get_url("kept.txt", dt.timedelta(minutes=1))
        async with httpx.AsyncClient() as http:
            response = await http.get(url)
        await storage.aclose()
    assert (response.status_code, response.content) == (200, b"still here")


def test_the_server_listens_on_loopback_only(tmp_path: Path) -> None:
    with run_storage_server(tmp_path / "data") as server:
        host, _, port = server.endpoint.partition(":")
        assert host == "127.0.0.1"
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = {line.split()[1] for line in listening if line.split()[3] == "0A"}
        assert f"0100007F:{int(port):04X}" in local
        assert f"00000000:{int(port):04X}" not in local
