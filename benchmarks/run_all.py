"""Run every benchmark in this folder and summarise their goal lines.

Each ``benchmarks/*.py`` (except this file, ``__init__.py`` and files starting with
``_``) runs as a subprocess with this interpreter; its output is streamed as it comes.
A goal line looks like ``name: value (target ...) PASS|FAIL``. Exit code 1 when any
goal FAILs, a benchmark exits non-zero or prints no goal line; otherwise 0.

Usage: ``.venv/bin/python benchmarks/run_all.py [name ...]`` (names without ``.py``
select a subset).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
GOAL_RE = re.compile(r"^[\w.-]+: .* \(target .*\) (PASS|FAIL)$")


def discover(selected: list[str]) -> list[Path]:
    scripts = [
        p
        for p in sorted(HERE.glob("*.py"))
        if p.name != Path(__file__).name and p.name != "__init__.py" and not p.name.startswith("_")
    ]
    if selected:
        scripts = [p for p in scripts if p.stem in selected]
    return scripts


def run_one(script: Path) -> tuple[int, list[str], float]:
    """Run ``script``, echo its output line by line; return (exit code, goal lines, s)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    goals: list[str] = []
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, str(script)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(f"  {line}")
            sys.stdout.flush()
            stripped = line.rstrip("\r\n")
            if GOAL_RE.match(stripped):
                goals.append(stripped)
        rc = proc.wait()
    return rc, goals, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    scripts = discover(list(sys.argv[1:] if argv is None else argv))
    if not scripts:
        print("no benchmarks found")
        return 1
    all_goals: list[tuple[str, str]] = []
    problems: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        rc, goals, elapsed = run_one(script)
        print(f"== {script.name}: exit {rc} in {elapsed:.1f} s", flush=True)
        if rc != 0:
            problems.append(f"{script.name}: exited {rc}")
        elif not goals:
            problems.append(f"{script.name}: printed no goal line")
        all_goals += [(script.name, g) for g in goals]

    print()
    print("== summary")
    for name, goal in all_goals:
        print(f"{name}: {goal}")
    for problem in problems:
        print(f"ERROR {problem}")
    failed = [g for _, g in all_goals if g.endswith(" FAIL")]
    ok = not failed and not problems
    print(
        f"{len(all_goals)} goal(s), {len(failed)} FAIL, {len(problems)} error(s):"
        f" {'OK' if ok else 'NOT OK'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
