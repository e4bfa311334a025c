"""The baseline for bench/slots_http.py: a bare Litestar endpoint that runs the slot list's SQL.

The same ``Database`` (pool and gate), the same two statements with the same parameters as
``load_slot_inputs``, but no middleware, no dependency injection, no slot engine: it returns the
raw rows. Served by uvicorn with ``--app-dir bench slots_bare_app:app``; reads ``DATABASE_URL``.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.params import Parameter

from procus.store.availability import SELECT_SLOT_SETUP
from procus.store.db import Database
from procus.store.holds import BUSY_INTERVALS

_MARGIN = dt.timedelta(minutes=480)
_DATE_MARGIN = dt.timedelta(days=2)


@asynccontextmanager
async def _lifespan(app: Litestar) -> AsyncIterator[None]:
    app.state.db = await Database.connect(os.environ["DATABASE_URL"], max_size=int(os.environ.get("DB_POOL_MAX", "10")))
    try:
        yield
    finally:
        await app.state.db.close()


@get("/bare/{expert_id:uuid}/slots")
async def bare_slots(
    expert_id: uuid.UUID,
    area_id: uuid.UUID,
    state: State,
    window_from: str = Parameter(query="from"),
    window_to: str = Parameter(query="to"),
) -> dict[str, Any]:
    start, end = dt.datetime.fromisoformat(window_from), dt.datetime.fromisoformat(window_to)
    async with state.db.connection() as conn:
        setup = await conn.fetchrow(
            SELECT_SLOT_SETUP, expert_id, area_id, (start - _DATE_MARGIN).date(), (end + _DATE_MARGIN).date()
        )
        busy = await conn.fetch(BUSY_INTERVALS, [expert_id], start - _MARGIN, end + _MARGIN, None)
    return {"setup": dict(setup) if setup else None, "busy": [dict(row) for row in busy]}


app = Litestar(route_handlers=[bare_slots], lifespan=[_lifespan], logging_config=None, openapi_config=None)
