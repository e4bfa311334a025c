"""ProcusMeet."""
