"""/schema works offline: Scalar and Swagger UI load pinned assets the app serves itself, from no other host."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]
_REFERENCE = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


async def _page_assets(client: Client, path: str) -> list[str]:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return [url for url in _REFERENCE.findall(page.text) if not url.startswith("data:")]


async def test_both_references_load_only_what_the_app_serves(client: Client) -> None:
    for path, expected in [("/schema", {"scalar.js"}), ("/schema/swagger", {"swagger_bundle.js", "swagger_style.css"})]:
        urls = await _page_assets(client, path)
        assert urls, f"{path} refers to no assets"
        assert all(url.startswith("/schema/assets/") for url in urls), urls
        assert expected <= {url.rsplit("/", 1)[1] for url in urls}
        for url in urls:
            asset = await client.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["content-type"].startswith(("text/javascript", "text/css")), url
            assert asset.content.strip(), url


async def test_the_bundles_are_the_pinned_releases(client: Client) -> None:
    scalar = (await client.get("/schema/assets/scalar.js")).text
    assert "@scalar/api-reference@1." in scalar[:400]
    assert len(scalar) > 1_000_000, "the whole standalone bundle, not a loader that fetches it"
    swagger = await client.get("/schema/assets/swagger_bundle.js")
    assert "SwaggerUIBundle" in swagger.text
    assert swagger.headers["cache-control"] == "public, max-age=86400"


async def test_only_the_listed_assets_are_served(client: Client) -> None:
    for name in ("__init__.py", "url.json", "..%2Fpyproject.toml", "redoc.js"):
        assert (await client.get(f"/schema/assets/{name}")).status_code == 404, name
