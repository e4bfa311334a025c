"""docker-compose.yml's ``scale`` profile: a second API process, worker and LiveKit node (multi-node over
the same Redis) behind a load balancer. Docker does not run here, so the file is read and checked, and
its two LiveKit nodes are started for real, from their compose environments, on a real Redis.
tests/scale/test_scale_out.py runs the same shape as processes."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from livekit import api as livekit_api

from tests.support.cluster import run_redis_server
from tests.support.deploy_files import Port, compose_file, livekit_server_with_environment, published_ports, wait_for_ok

SCALE_SERVICES = {"api-2", "worker-2", "livekit-2", "lb"}
LB_PORT = 8080


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose_file({})["services"]
    return found


def _env(service: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in service["environment"].items()}


def test_the_scale_profile_is_a_second_api_worker_and_livekit_node_and_a_load_balancer(
    services: dict[str, dict[str, Any]],
) -> None:
    in_profiles = {name: service["profiles"] for name, service in services.items() if service.get("profiles")}
    assert in_profiles == {name: ["scale"] for name in SCALE_SERVICES}


def test_the_second_api_and_worker_differ_only_in_their_livekit_node(services: dict[str, dict[str, Any]]) -> None:
    for first, second in (("api", "api-2"), ("worker", "worker-2")):
        assert services[second]["build"] == services[first]["build"]
        assert services[second]["image"] == services[first]["image"]
        assert _env(services[second]) == {**_env(services[first]), "LIVEKIT_API_URL": "http://livekit-2:7880"}
        assert services[second]["depends_on"]["api"] == {"condition": "service_healthy"}, "api migrates first"
    assert services["api-2"]["command"] == ["procus", "serve", "--host", "0.0.0.0"]
    assert services["worker-2"]["command"] == services["worker"]["command"]
    assert "ports" not in services["api-2"], "the second API process is reached through the load balancer"


def test_the_livekit_nodes_share_redis_and_keys_and_publish_their_own_ice_ports(
    services: dict[str, dict[str, Any]],
) -> None:
    first, second = _env(services["livekit"]), _env(services["livekit-2"])
    assert first["REDIS_HOST"] == "redis:6379"
    assert second == {**first, "LIVEKIT_RTC_TCP_PORT": "7891", "UDP_PORT": "7892"}
    for node in ("livekit", "livekit-2"):
        assert services[node]["depends_on"] == {"redis": {"condition": "service_healthy"}}
        assert services[node]["image"] == services["livekit"]["image"]
    rtc = yaml.safe_load(first["LIVEKIT_CONFIG"])["rtc"]
    assert (rtc["tcp_port"], rtc["udp_port"]) == (7881, 7882)
    assert published_ports(services["livekit-2"]) == {
        Port("127.0.0.1", 7890, 7880, "tcp"),
        # A node advertises its ICE ports to browsers: published on the same numbers.
        Port("127.0.0.1", 7891, 7891, "tcp"),
        Port("127.0.0.1", 7892, 7892, "udp"),
    }
    taken = [port.host for node in ("livekit", "livekit-2") for port in published_ports(services[node])]
    assert len(taken) == len(set(taken))


def test_the_load_balancer_spreads_requests_over_both_api_processes(services: dict[str, dict[str, Any]]) -> None:
    lb = services["lb"]
    assert published_ports(lb) == {Port("127.0.0.1", LB_PORT, LB_PORT, "tcp")}
    assert set(lb["depends_on"]) == {"api", "api-2"}
    assert f"http://127.0.0.1:{LB_PORT}/readyz" in lb["healthcheck"]["test"]
    [mount] = lb["configs"]
    nginx = compose_file({})["configs"][mount["source"]]["content"]
    assert mount["target"] == "/etc/nginx/conf.d/default.conf"
    assert re.findall(r"^\s*server (\S+);", nginx, re.MULTILINE) == ["api:8000", "api-2:8000"]
    assert f"listen {LB_PORT};" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "proxy_buffering off;" in nginx, "notification streams (server-sent events) would stall"
    for api in ("api", "api-2"):
        assert f"http://127.0.0.1:{LB_PORT}" in _env(services[api])["CORS_ORIGINS"].split(",")


async def _rooms(base_url: str, key: str, secret: str, create: str | None = None) -> list[str]:
    service = livekit_api.LiveKitAPI(base_url.rstrip("/"), key, secret)
    try:
        if create is not None:
            await service.room.create_room(livekit_api.CreateRoomRequest(name=create, empty_timeout=30))
        listed = await service.room.list_rooms(livekit_api.ListRoomsRequest())
    finally:
        await service.aclose()
    return [room.name for room in listed.rooms]


@pytest.mark.livekit
async def test_the_two_compose_livekit_nodes_form_one_livekit(
    services: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """Both nodes, each from its compose environment alone, on one Redis: a room made through the second
    node is listed by the first."""
    environments = [_env(services["livekit"]), _env(services["livekit-2"])]
    ((key, secret),) = yaml.safe_load(environments[0]["LIVEKIT_KEYS"]).items()
    with (
        run_redis_server(tmp_path) as redis,
        livekit_server_with_environment(environments[0], redis.address) as first,
        livekit_server_with_environment(environments[1], redis.address) as second,
    ):
        for url in (first, second):
            await asyncio.to_thread(wait_for_ok, url)
        assert await _rooms(second, key, secret, create="compose-scale") == ["compose-scale"]
        assert await _rooms(first, key, secret) == ["compose-scale"]
