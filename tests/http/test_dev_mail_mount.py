"""/dev/mail, and the start page that stands in for an unbuilt SPA, are part of the app in development only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.store.db import Database


async def test_dev_mail_is_mounted_in_development(
    settings_factory: Any, integrations: Integrations, db: Database, tmp_path: Path
) -> None:
    app = create_app(settings_factory(app_env="development", data_dir=str(tmp_path)), integrations)
    async with AsyncTestClient(app) as client:
        response = await client.get("/dev/mail")
    assert response.status_code == 200
    assert "Captured mail" in response.text


async def test_dev_mail_is_absent_elsewhere(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/dev/mail")).status_code == 404


async def test_without_a_built_spa_development_shows_a_start_page_and_other_environments_a_404(
    settings_factory: Any, integrations: Integrations, db: Database, tmp_path: Path
) -> None:
    no_build = str(tmp_path / "dist")
    app = create_app(settings_factory(app_env="development", spa_dist_dir=no_build), integrations)
    async with AsyncTestClient(app) as client:
        home = await client.get("/")
        mail = await client.get("/dev/mail")
    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert 'href="/dev/mail"' in home.text
    assert 'href="/schema"' in home.text
    assert mail.status_code == 200

    app = create_app(settings_factory(app_env="test", spa_dist_dir=no_build), integrations)
    async with AsyncTestClient(app) as client:
        response = await client.get("/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
