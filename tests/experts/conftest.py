from __future__ import annotations

import pytest

from procus.integrations.storage import S3ObjectStorage
from procus.services.accounts.avatars import AvatarService
from procus.store.db import Database
from tests.support.fakes import FakeClock


@pytest.fixture
def avatars(db: Database, storage: S3ObjectStorage, clock: FakeClock) -> AvatarService:
    """Pictures on the real S3 server: the marketplace signs their URLs on cards and profiles."""
    return AvatarService(db, storage, clock)
