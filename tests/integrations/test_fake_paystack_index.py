"""The fake Paystack's front page says what it is and lists every ``/_fake`` control, each of which exists."""

from __future__ import annotations

import html
import re

import httpx

from procus_devstack.fake_paystack.index import CONTROLS
from tests.support.fake_paystack import FakePaystackServer


async def test_the_index_lists_the_controls_and_where_webhooks_go() -> None:
    with FakePaystackServer(webhook_url="http://127.0.0.1:9/v1/webhooks/paystack") as fake:
        async with httpx.AsyncClient(base_url=fake.base_url, timeout=5) as http:
            page = await http.get("/")
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")
            assert "http://127.0.0.1:9/v1/webhooks/paystack" in page.text
            no_route = (await http.post("/_fake/nowhere")).json()
            for method, path, _ in CONTROLS:
                assert html.escape(path) in page.text, path
                concrete = re.sub(r"\{[^}]+\}", "1", path.split("?")[0])
                response = await http.request(method, concrete, json={} if method == "POST" else None)
                assert response.status_code != 405, f"{method} {path} is not a route"
                assert response.json() != no_route, f"{method} {path} is not a route"
