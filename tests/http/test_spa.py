from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.conftest import replace


async def test_the_built_spa_is_served_with_client_side_routes(
    settings: Settings, integrations: Integrations, db: Database, tmp_path: Path
) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)")
    app = create_app(replace(settings, spa_dist_dir=str(tmp_path)), integrations)
    async with AsyncTestClient(app) as client:
        home = await client.get("/")
        assert home.status_code == 200
        assert "root" in home.text
        assert home.headers["content-type"].startswith("text/html")
        assert home.headers["cache-control"] == "no-cache"
        deep = await client.get("/bookings/123")
        assert deep.status_code == 200
        assert deep.text == home.text
        asset = await client.get("/assets/app-1234.js")
        assert asset.text == "console.log(1)"
        assert "immutable" in asset.headers["cache-control"]
        assert "javascript" in asset.headers["content-type"]
        escape = await client.get("/../pyproject.toml")
        assert "tool.ruff" not in escape.text
        api = await client.get("/v1/does-not-exist")
        assert api.status_code == 404
        assert api.json()["code"] == "not_found"
        assert (await client.get("/healthz")).json() == {"status": "ok"}
