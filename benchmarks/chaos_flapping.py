"""Benchmark: the flapping-provider chaos scenario, so that ``make bench`` prints its goal
line (``jobs_stuck_after_flapping``) next to the kills scenario's.

It runs ``benchmarks/chaos.py --scenario flapping`` at a size that ends by itself within
``--timeout-s``: the provider fails, refuses, hangs or answers at random, the breaker
opens and half-opens, and every job must still end (the job deadline bounds the rest),
every failed one refunded once. Extra arguments are passed on to chaos.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHAOS = Path(__file__).resolve().parent / "chaos.py"
SIZE = [
    "--scenario", "flapping", "--jobs", "600", "--submit-per-s", "40", "--workers", "3",
    "--users", "20", "--concurrency", "8", "--heartbeat-s", "1", "--deadline-s", "30",
    "--timeout-s", "300",
]  # fmt: skip


def main(argv: list[str]) -> int:
    return subprocess.run([sys.executable, str(CHAOS), *SIZE, *argv], check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
