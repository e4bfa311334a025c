"""Handler dependencies resolve one after another (``procus.app.dependency_order``), errors as themselves."""

from __future__ import annotations

import asyncio

from litestar import Litestar, get
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException
from litestar.testing import AsyncTestClient

from procus.app.dependency_order import installed, resolve_dependencies_in_order


async def test_dependencies_of_one_level_never_interleave_and_a_failure_surfaces_as_itself() -> None:
    resolve_dependencies_in_order()
    assert installed()
    steps: list[str] = []

    async def slow() -> int:
        steps.append("slow starts")
        await asyncio.sleep(0.01)
        steps.append("slow ends")
        return 1

    async def quick() -> int:
        steps.append("quick")
        return 2

    async def refuse() -> int:
        raise NotAuthorizedException("no")

    @get("/both", dependencies={"a": Provide(slow), "b": Provide(quick)}, sync_to_thread=False)
    def both(a: int, b: int) -> dict[str, int]:
        return {"sum": a + b}

    @get("/refused", dependencies={"a": Provide(slow), "b": Provide(refuse)}, sync_to_thread=False)
    def refused(a: int, b: int) -> dict[str, int]:
        return {"sum": a + b}

    async with AsyncTestClient(Litestar([both, refused])) as client:
        response = await client.get("/both")
        assert response.json() == {"sum": 3}
        assert steps in (["slow starts", "slow ends", "quick"], ["quick", "slow starts", "slow ends"])
        assert (await client.get("/refused")).status_code == 401
