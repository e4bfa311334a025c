from __future__ import annotations

import pytest

from tests.support.smtp_server import smtp_server
from tests.support.tls import LoopbackTls, make_loopback_tls

__all__ = ["loopback_tls", "smtp_server"]


@pytest.fixture(scope="session")
def loopback_tls() -> LoopbackTls:
    return make_loopback_tls()
