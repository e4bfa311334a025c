"""ProcusMeet."""

from procus import compiled_engine

compiled_engine.install()
