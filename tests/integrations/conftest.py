"""Fixtures for tests against real external programs (livekit-server); the fake Paystack is in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.livekit_server import LiveKitHarness, WebhookRecorder, run_livekit_server


@pytest.fixture(scope="session")
def livekit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveKitHarness]:
    """One livekit-server per test session (per xdist worker) on free loopback ports, posting its
    webhooks to a recorder; set ``livekit_server.webhooks.forward_to`` to relay them elsewhere."""
    recorder = WebhookRecorder()
    try:
        with run_livekit_server(tmp_path_factory.mktemp("livekit"), webhook_url=recorder.url) as server:
            yield LiveKitHarness(server=server, webhooks=recorder)
    finally:
        recorder.close()
