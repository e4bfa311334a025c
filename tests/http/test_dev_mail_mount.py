"""/dev/mail is part of the app in development only."""

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
