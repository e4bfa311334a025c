"""The slot engine runs compiled by mypyc where a C compiler is (``procus.compiled_engine``), and the
compiled build answers exactly as its source interpreted, which is what runs everywhere else.

Every other engine test (the oracle properties, the DST examples) runs against whichever is in
use, so in CI against the compiled one; this file checks the other against it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procus import compiled_engine
from procus.domain import slots as engine
from procus.domain.availability import Availability
from procus.domain.errors import InvalidInput
from procus_devstack.compiled_engine import compiler
from tests.domain.test_slots_properties import PROPERTY_SETTINGS, Case, cases


def _interpreted() -> ModuleType:
    """``procus.domain.slots``, and the ``wallclock`` it imports, loaded afresh from their sources."""
    saved = {name: sys.modules[name] for name in compiled_engine.MODULES}
    try:
        for name in compiled_engine.MODULES:
            spec = importlib.util.spec_from_file_location(name, compiled_engine.source_file(name))
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        return module
    finally:
        sys.modules.update(saved)


interpreted = _interpreted()
needs_compiled = pytest.mark.skipif(not compiled_engine.active(), reason="no compiled engine here to compare")


def test_the_engine_is_compiled_wherever_a_c_compiler_is() -> None:
    expected = compiler() is not None and not os.environ.get(compiled_engine.INTERPRETED_ENV)
    assert compiled_engine.active() is expected, (
        "a C compiler is here but the engine is interpreted: `just sync` builds it for the current sources"
        if expected
        else "no C compiler (or PROCUS_INTERPRETED_ENGINE is set), yet the engine is compiled"
    )
    assert interpreted.__file__ is not None
    assert interpreted.__file__.endswith(".py")
    assert interpreted.compute_slots is not engine.compute_slots


@needs_compiled
@PROPERTY_SETTINGS
@given(cases(), st.sampled_from([15, 30, 60, 90, 240]))
def test_compiled_and_interpreted_answer_alike(case: Case, other_minutes: int) -> None:
    window = {"now": case.now, "window_start": case.window_start, "window_end": case.window_end}
    durations = sorted({case.duration_minutes, other_minutes})
    listed = engine.compute_slots(case.availability, case.busy, duration_minutes=case.duration_minutes, **window)
    assert listed == interpreted.compute_slots(
        case.availability, case.busy, duration_minutes=case.duration_minutes, **window
    )
    assert engine.compute_slot_runs(
        case.availability, case.busy, durations=durations, **window
    ) == interpreted.compute_slot_runs(case.availability, case.busy, durations=durations, **window)
    for start in listed[:3]:
        assert engine.is_slot_available(
            case.availability, case.busy, start=start, duration_minutes=case.duration_minutes, now=case.now
        )
        assert interpreted.is_slot_available(
            case.availability, case.busy, start=start, duration_minutes=case.duration_minutes, now=case.now
        )


@needs_compiled
@pytest.mark.parametrize("module", [engine, interpreted], ids=["compiled", "interpreted"])
def test_both_refuse_naive_times_and_odd_lengths_alike(module: ModuleType) -> None:
    hours = Availability("Europe/London", (), ())
    aware = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    naive = dt.datetime(2026, 3, 1)
    with pytest.raises(InvalidInput) as refused:
        module.compute_slots(hours, [], duration_minutes=60, now=naive, window_start=aware, window_end=aware)
    assert (refused.value.code, refused.value.field) == ("naive_datetime", "now")
    with pytest.raises(InvalidInput) as refused:
        module.compute_slots(hours, [], duration_minutes=50, now=aware, window_start=aware, window_end=aware)
    assert refused.value.code == "invalid_duration"
