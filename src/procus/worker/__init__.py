"""The background worker (``procus worker``)."""

from __future__ import annotations

from procus.worker.runner import Worker, run_worker

__all__ = ["Worker", "run_worker"]
