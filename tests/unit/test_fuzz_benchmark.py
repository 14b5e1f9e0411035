"""``benchmarks/fuzz.py`` prints goal lines ``run_all.py`` picks up, and counts a crash
as unhandled instead of stopping at it (the long run is in ``make bench``)."""

from __future__ import annotations

import logging

from hypothesis import strategies as st

from benchmarks import fuzz
from benchmarks.run_all import GOAL_RE


def test_a_short_run_prints_a_goal_line_run_all_reads(capsys):
    root = logging.getLogger()
    level = root.level  # main() quiets the refusals' warnings for its own process
    try:
        assert fuzz.main(["--inputs", "20", "settings"]) == 0
    finally:
        root.setLevel(level)
    goals = [line for line in capsys.readouterr().out.splitlines() if GOAL_RE.match(line)]
    assert goals == ["fuzz_settings_unhandled: 0 (target == 0) PASS"]


def test_every_crash_is_counted_and_the_run_goes_on():
    def broken(value: int) -> None:
        if value % 2:
            raise KeyError(value)

    tally = fuzz.run(st.integers(0, 10**6), broken, 200)
    assert tally.inputs >= 200
    assert 0 < tally.unhandled < tally.inputs
    assert fuzz.report("example", tally, 0.0) is False
