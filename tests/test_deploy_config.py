"""docker-compose.yml cannot run here (no Docker), so it is read and checked: with livekit.yaml and
.env.example it must agree with procus.config.Settings, the CLI and the routes the app serves.
The Dockerfile has its own checks in test_dockerfile.py."""

from __future__ import annotations

import contextlib
import copy
import io
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from procus.app import create_app
from procus.cli import main as procus_cli
from procus.config import PROJECT_ROOT, Settings, load_settings
from procus_devstack.livekit_binary import LIVEKIT_SERVER_VERSION
from tests.support.cluster import run_redis_server
from tests.support.deploy_files import (
    Port,
    compose_file,
    env_example,
    livekit_server_with_environment,
    published_ports,
    settings_table_script,
    wait_for_ok,
)

LIVEKIT_WEBHOOK_PATH = "/v1/webhooks/livekit"
SETTINGS_ENV = frozenset(name.upper() for name in Settings.__struct_fields__)
# Read outside Settings: by `procus create-admin`, and by the fake Paystack stand-in.
OTHER_ENV = frozenset({"PROCUS_ADMIN_PASSWORD", "FAKE_PAYSTACK_WEBHOOK_URL", "FAKE_PAYSTACK_SETTLE_SECONDS"})
APP_SERVICES = ("api", "worker", "paystack")
API_PORT = 8000
DEFAULTS = Settings()


def _dotenv_from_example() -> dict[str, str]:
    return {line.name: line.value for line in env_example() if not line.commented}


@pytest.fixture(params=["no .env", ".env copied from .env.example"], scope="module")
def compose(request: pytest.FixtureRequest) -> dict[str, Any]:
    """docker-compose.yml as compose resolves it, with and without a .env copied from the example."""
    env = {} if request.param == "no .env" else _dotenv_from_example()
    return compose_file(env)


@pytest.fixture(scope="module")
def compose_defaults() -> dict[str, Any]:
    return compose_file({})


@pytest.fixture(scope="module")
def livekit_yaml() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "livekit.yaml").read_text())
    return config


def _services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def _app_env(compose: dict[str, Any], service: str = "api") -> dict[str, str]:
    return {name: str(value) for name, value in _services(compose)[service]["environment"].items()}


def _compose_livekit_config(compose: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(_services(compose)["livekit"]["environment"]["LIVEKIT_CONFIG"])
    return config


# --- compose: structure --------------------------------------------------------------------------


def test_every_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name, service in _services(compose).items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} disables its healthcheck"


def test_services_wait_for_their_dependencies_to_be_healthy(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            assert rule == {"condition": "service_healthy"}, f"{name} -> {dependency}: {rule}"
    default_stack = {name for name, service in services.items() if not service.get("profiles")}
    assert set(services["api"]["depends_on"]) == default_stack - {"api", "worker"}
    assert "api" in services["worker"]["depends_on"], "the worker must wait for the API's migrations"


def test_state_lives_in_declared_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = set()
    for name, service in _services(compose).items():
        for mount in service.get("volumes", []):
            source = str(mount).split(":")[0]
            assert not source.startswith((".", "/", "~")), f"{name} mounts a host path: {mount}"
            assert source in declared, f"{name} uses undeclared volume {source}"
            used.add(source)
    assert used == declared
    for stateful, path in [("postgres", "/var/lib/postgresql/data"), ("minio", "/data"), ("redis", "/data")]:
        targets = [str(mount).split(":")[1] for mount in _services(compose)[stateful].get("volumes", [])]
        assert path in targets, f"{stateful} keeps its data outside a volume"


def test_app_services_run_our_image_with_the_cli(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name in APP_SERVICES:
        if name == "paystack":  # the stand-in runs from the Dockerfile's devstack stage, not the app image
            assert services[name]["build"] == {"context": ".", "target": "devstack"}
            continue
        assert services[name]["build"] == {"context": "."}
        assert services[name]["image"] == services["api"]["image"]
    api_command = services["api"]["command"]
    assert api_command[:2] == ["sh", "-c"]
    assert shlex.split(api_command[2]) == ["procus", "migrate", "&&", "exec", "procus", "serve", "--host", "0.0.0.0"]
    assert services["worker"]["command"] == ["procus", "worker"]


def _cli_knows(command: str) -> bool:
    output = io.StringIO()
    with pytest.raises(SystemExit) as exited, contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        procus_cli([command, "--help"])
    return exited.value.code == 0


@pytest.mark.parametrize("command", ["migrate", "serve", "worker"])
def test_compose_uses_real_cli_commands(command: str) -> None:
    assert _cli_knows(command)


# --- compose and .env.example against Settings -------------------------------------------------------


def test_app_containers_set_only_real_settings(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        unknown = set(_app_env(compose, name)) - SETTINGS_ENV - OTHER_ENV
        assert not unknown, f"{name} sets variables the app never reads: {sorted(unknown)}"


def test_env_example_lists_every_variable_once() -> None:
    names = [line.name for line in env_example()]
    assert len(names) == len(set(names)), "a variable appears twice in .env.example"
    assert set(names) >= SETTINGS_ENV, f"missing from .env.example: {sorted(SETTINGS_ENV - set(names))}"
    assert set(names) <= SETTINGS_ENV | OTHER_ENV, f"not read by the app: {sorted(set(names) - SETTINGS_ENV)}"


def test_env_example_values_are_the_defaults() -> None:
    """Copying .env.example changes nothing; it is the place to change things. Commented lines
    without a value stand for path defaults that depend on where the project lives."""
    default_text = settings_table_script().default_text
    for line in env_example():
        if line.name in SETTINGS_ENV and (line.value or not line.commented):
            expected = default_text(getattr(DEFAULTS, line.name.lower()))
            assert line.value == expected, f"{line.name}={line.value!r} but the default is {expected!r}"
    values = {line.name: line.value for line in env_example() if line.name in SETTINGS_ENV and line.value}
    assert load_settings(values) == DEFAULTS


def test_containers_override_every_loopback_address_in_the_env_file(compose: dict[str, Any]) -> None:
    """docker compose hands .env to the app containers, where 127.0.0.1 is the container itself."""
    loopback = {line.name for line in env_example() if not line.commented and "127.0.0.1" in line.value}
    for name in APP_SERVICES:
        assert loopback <= set(_app_env(compose, name)), sorted(loopback - set(_app_env(compose, name)))


def test_service_urls_point_at_compose_services(compose: dict[str, Any]) -> None:
    services = _services(compose)
    env = _app_env(compose)

    database = urlsplit(env["DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert (database.username, database.password) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    assert database.path == "/" + postgres["POSTGRES_DB"]
    assert parse_qs(database.query)["sslmode"] == ["disable"], "the postgres image serves no TLS"

    redis = urlsplit(env["REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)

    minio = services["minio"]
    host, _, port = env["S3_ENDPOINT"].partition(":")
    assert (host, port) == ("minio", "9000")
    assert env["S3_ACCESS_KEY"] == minio["environment"]["MINIO_ROOT_USER"]
    assert env["S3_SECRET_KEY"] == minio["environment"]["MINIO_ROOT_PASSWORD"]
    assert minio["healthcheck"]["test"][-1].endswith(f"local/{env['S3_BUCKET']}")

    livekit_api = urlsplit(env["LIVEKIT_API_URL"])
    assert (livekit_api.hostname, livekit_api.port) == ("livekit", _compose_livekit_config(compose)["port"])

    assert env["SMTP_HOST"] in services
    paystack = urlsplit(env["PAYSTACK_BASE_URL"])
    paystack_port = paystack.port or 80
    assert paystack.hostname == "paystack"
    assert f"--port={paystack_port}" in services["paystack"]["command"]
    assert Port("127.0.0.1", paystack_port, paystack_port, "tcp") in published_ports(services["paystack"])


def test_published_ports(compose: dict[str, Any], livekit_yaml: dict[str, Any]) -> None:
    services = _services(compose)
    env = _app_env(compose)
    for name, service in services.items():
        for port in published_ports(service):
            assert port.host_ip == "127.0.0.1", f"{name} publishes {port} beyond this machine"

    assert published_ports(services["api"]) == {Port("127.0.0.1", API_PORT, API_PORT, "tcp")}
    assert urlsplit(env["PUBLIC_URL"]).port == API_PORT
    assert Port("127.0.0.1", 5432, 5432, "tcp") in published_ports(services["postgres"])

    assert (livekit_yaml["port"], livekit_yaml["rtc"]["tcp_port"], livekit_yaml["rtc"]["udp_port"]) == (7880, 0, 7882)
    in_container = _compose_livekit_config(compose)
    assert (in_container["port"], in_container["rtc"]["tcp_port"], in_container["rtc"]["udp_port"]) == (
        7880,
        7881,
        7882,
    )
    assert published_ports(services["livekit"]) == {
        Port("127.0.0.1", 7880, 7880, "tcp"),
        Port("127.0.0.1", 7881, 7881, "tcp"),
        Port("127.0.0.1", 7882, 7882, "udp"),
    }
    assert urlsplit(env["LIVEKIT_URL"]).port == 7880
    assert urlsplit(DEFAULTS.livekit_url).port == livekit_yaml["port"]
    assert urlsplit(DEFAULTS.livekit_api_url).port == livekit_yaml["port"]


# --- LiveKit -----------------------------------------------------------------------------------------


def test_livekit_keys_agree_everywhere(compose: dict[str, Any], livekit_yaml: dict[str, Any]) -> None:
    assert livekit_yaml["keys"] == {DEFAULTS.livekit_api_key: DEFAULTS.livekit_api_secret}
    assert livekit_yaml["webhook"]["api_key"] == DEFAULTS.livekit_api_key

    env = _app_env(compose)
    livekit = _services(compose)["livekit"]["environment"]
    assert yaml.safe_load(livekit["LIVEKIT_KEYS"]) == {env["LIVEKIT_API_KEY"]: env["LIVEKIT_API_SECRET"]}
    assert livekit["LIVEKIT_WEBHOOK_API_KEY"] == env["LIVEKIT_API_KEY"]
    assert "keys" not in _compose_livekit_config(compose), "keys come from LIVEKIT_KEYS only"


def test_compose_livekit_keys_default_to_the_settings_defaults(compose_defaults: dict[str, Any]) -> None:
    env = _app_env(compose_defaults)
    assert (env["LIVEKIT_API_KEY"], env["LIVEKIT_API_SECRET"]) == (
        DEFAULTS.livekit_api_key,
        DEFAULTS.livekit_api_secret,
    )


def test_compose_livekit_config_is_livekit_yaml_adapted_to_a_container(
    compose: dict[str, Any], livekit_yaml: dict[str, Any]
) -> None:
    """The only differences: listen on every interface of the container and gather candidates on all
    of them (livekit.yaml keeps ICE on loopback), ICE over TCP on (off on the host: it cannot be bound
    to loopback), keys from the environment, webhooks to the api service."""
    expected = copy.deepcopy(livekit_yaml)
    expected["bind_addresses"] = ["0.0.0.0"]
    expected["rtc"]["tcp_port"] = 7881
    del expected["rtc"]["ips"]
    del expected["keys"]
    expected["webhook"] = {"urls": [f"http://api:{API_PORT}{LIVEKIT_WEBHOOK_PATH}"]}
    assert _compose_livekit_config(compose) == expected


def test_livekit_webhooks_go_to_the_api(livekit_yaml: dict[str, Any], compose: dict[str, Any]) -> None:
    assert livekit_yaml["webhook"]["urls"] == [DEFAULTS.public_url + LIVEKIT_WEBHOOK_PATH]
    (compose_url,) = _compose_livekit_config(compose)["webhook"]["urls"]
    target = urlsplit(compose_url)
    assert target.hostname in _services(compose)
    assert Port("127.0.0.1", API_PORT, target.port or 80, "tcp") in published_ports(_services(compose)["api"])
    assert target.path == LIVEKIT_WEBHOOK_PATH


@pytest.fixture(scope="module")
def served_routes() -> dict[str, Any]:
    app = create_app(load_settings({}, app_env="test", log_json=False, log_level="WARNING"))
    routes: dict[str, Any] = app.route_handler_method_map
    return routes


def test_the_app_serves_the_livekit_webhook_path(served_routes: dict[str, Any]) -> None:
    assert "POST" in served_routes.get(LIVEKIT_WEBHOOK_PATH, {})


def test_the_fake_paystack_posts_webhooks_to_a_route_the_app_serves(
    compose: dict[str, Any], served_routes: dict[str, Any]
) -> None:
    command = _services(compose)["paystack"]["command"]
    (webhook_url,) = [arg.removeprefix("--webhook-url=") for arg in command if arg.startswith("--webhook-url=")]
    target = urlsplit(webhook_url)
    assert target.hostname == "api"
    assert Port("127.0.0.1", API_PORT, target.port or 80, "tcp") in published_ports(_services(compose)["api"])
    assert "POST" in served_routes.get(target.path, {})


def test_compose_runs_the_livekit_version_we_build(compose_defaults: dict[str, Any]) -> None:
    image = _services(compose_defaults)["livekit"]["image"]
    assert image == f"livekit/livekit-server:v{LIVEKIT_SERVER_VERSION}"


@pytest.mark.livekit
def test_livekit_server_starts_with_the_compose_configuration(compose_defaults: dict[str, Any], tmp_path: Path) -> None:
    """Strict config parsing, the LIVEKIT_KEYS format and LIVEKIT_WEBHOOK_API_KEY (without a known
    webhook key the server refuses to start) are all exercised by a real start, on a real Redis."""
    livekit = _services(compose_defaults)["livekit"]
    environment = {name: str(value) for name, value in livekit["environment"].items()}
    with run_redis_server(tmp_path) as redis, livekit_server_with_environment(environment, redis.address) as url:
        assert wait_for_ok(url) == "OK"
