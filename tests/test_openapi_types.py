"""The SPA's API types (frontend/src/api/schema.d.ts) are generated from this app's OpenAPI document;
this fails when a route or schema changed without regenerating them (`python3 scripts/bootstrap.py openapi`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from procus.app import openapi_document
from procus.config import PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"
CHECKED_IN = FRONTEND / "src" / "api" / "schema.d.ts"
GENERATOR = FRONTEND / "node_modules" / "openapi-typescript" / "bin" / "cli.js"


def _node() -> str:
    pinned = PROJECT_ROOT / ".tools" / "node" / "node"
    found = str(pinned) if pinned.exists() else shutil.which("node")
    assert found, "node is missing: run `python3 scripts/bootstrap.py frontend-deps`"
    return found


def test_the_openapi_command_needs_no_server_and_documents_every_route() -> None:
    document = json.loads(openapi_document())
    operations = [op for item in document["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert "/v1/bookings" in document["paths"]
    assert all(op.get("operationId") for op in operations)
    assert openapi_document() == openapi_document()  # stable text, so the generated file is too


def test_the_spa_types_match_the_openapi_document(tmp_path: Path) -> None:
    assert GENERATOR.exists(), "the SPA's npm packages are missing: run `python3 scripts/bootstrap.py frontend-deps`"
    source = tmp_path / "openapi.json"
    source.write_text(openapi_document())
    fresh = tmp_path / "schema.d.ts"
    subprocess.run([_node(), str(GENERATOR), str(source), "--output", str(fresh)], check=True, capture_output=True)
    assert fresh.read_text() == CHECKED_IN.read_text(), (
        "frontend/src/api/schema.d.ts is stale: run `python3 scripts/bootstrap.py openapi` and commit it"
    )
