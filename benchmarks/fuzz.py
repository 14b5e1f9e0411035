"""Bad input, at scale (issue 17): at least 10,000 generated inputs per target, the same
strategies and checks as the property tests (tests/support/fuzz_strategies.py,
fuzz_targets.py, fuzz_webhooks.py), fresh random ones on every run.

Targets: the /imagine and /settings grammars, the console's /imagine with ``--image``,
the admin command line, Discord's /imagine and /settings option values (in process), and
the Stripe and Telegram webhook bodies (the real routes through httpx.ASGITransport,
over one application on an embedded SQLite, Stripe and the Bot API loopback fakes).

An input is unhandled when its check raises: an exception other than the target's
refusal, a refusal that does not render in every locale, or an undocumented HTTP answer.
One goal line per target: ``fuzz_<target>_unhandled: N (target == 0) PASS|FAIL``.

Usage: ``.venv/bin/python benchmarks/fuzz.py [--inputs 10000] [target ...]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.support import fuzz_strategies as fs  # noqa: E402
from tests.support.fuzz_targets import ParserTargets  # noqa: E402
from tests.support.fuzz_webhooks import webhook_targets  # noqa: E402

DEFAULT_INPUTS = 10_000
SHOWN_FAILURES = 3


class Tally:
    def __init__(self) -> None:
        self.inputs = 0
        self.unhandled = 0
        self.kinds: dict[str, int] = {}
        self.examples: list[str] = []

    def record(self, value: Any, exc: BaseException) -> None:
        self.unhandled += 1
        kind = f"{type(exc).__name__}: {str(exc)[:160]}"
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if len(self.examples) < SHOWN_FAILURES:
            self.examples.append(f"{kind}\n      input: {value!r}"[:600])


def run(strategy: st.SearchStrategy, check: Callable[[Any], None], inputs: int) -> Tally:
    """``check`` on ``inputs`` values drawn from ``strategy``: Hypothesis generates them
    (no shrinking, no example database); each failure is counted, never raised, so the
    run goes on. Runs again with new random inputs until ``inputs`` were drawn (a small
    input space can end a run early)."""
    tally = Tally()

    @settings(
        max_examples=inputs,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        # Many inputs are long lists of long words by design, and many repeat (a small
        # grammar): neither is a problem for counting crashes.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(value=strategy)
    def each(value: Any) -> None:
        tally.inputs += 1
        try:
            check(value)
        except Exception as exc:
            tally.record(value, exc)

    while tally.inputs < inputs:
        before = tally.inputs
        each()
        if tally.inputs == before:
            break
    return tally


def parser_targets(parsers: ParserTargets) -> dict[str, tuple[st.SearchStrategy, Callable]]:
    return {
        "imagine": (fs.imagine_inputs(), parsers.imagine_text),
        "settings": (fs.settings_inputs(), parsers.settings_text),
        "console_imagine": (fs.console_imagine_inputs(), parsers.console_imagine),
        "admin_cli": (fs.admin_argv(), parsers.admin_argv),
        "discord_imagine": (fs.discord_imagine_options(parsers.max_count), parsers.discord_imagine),
        "discord_settings": (fs.discord_settings_options(), parsers.discord_settings),
    }


WEBHOOK_TARGETS = ("stripe_webhook", "telegram_webhook")


def report(name: str, tally: Tally, elapsed_s: float) -> bool:
    print(f"{name}: {tally.inputs} inputs in {elapsed_s:.1f} s", flush=True)
    for kind, count in sorted(tally.kinds.items(), key=lambda kv: -kv[1])[:5]:
        print(f"    {count} x {kind}")
    for example in tally.examples:
        print(f"    e.g. {example}")
    ok = tally.unhandled == 0 and tally.inputs > 0
    print(
        f"fuzz_{name}_unhandled: {tally.unhandled} (target == 0) {'PASS' if ok else 'FAIL'}",
        flush=True,
    )
    return ok


def run_webhooks(selected: list[str], inputs: int) -> bool:
    ok = True
    loop = asyncio.new_event_loop()
    with tempfile.TemporaryDirectory(prefix="seedream-fuzz-") as data_dir:
        targets_cm = webhook_targets(Path(data_dir))
        stripe_target, telegram = loop.run_until_complete(targets_cm.__aenter__())
        try:
            runs = {
                "stripe_webhook": (
                    fs.stripe_bodies(),
                    lambda case: loop.run_until_complete(stripe_target.post(*case)),
                ),
                "telegram_webhook": (
                    fs.telegram_bodies(),
                    lambda case: loop.run_until_complete(telegram.post(*case)),
                ),
            }
            for name in WEBHOOK_TARGETS:
                if name not in selected:
                    continue
                strategy, check = runs[name]
                start = time.perf_counter()
                tally = run(strategy, check, inputs)
                ok &= report(name, tally, time.perf_counter() - start)
            print(f"stripe answers: {stripe_target.statuses}", flush=True)
            print(f"telegram answers: {telegram.statuses}", flush=True)
        finally:
            loop.run_until_complete(targets_cm.__aexit__(None, None, None))
            loop.close()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=DEFAULT_INPUTS, help="inputs per target")
    parser.add_argument("targets", nargs="*", help="a subset of the targets")
    args = parser.parse_args(argv)
    # Refusals are logged as warnings by design (a wrong secret, a malformed update):
    # ten thousand of them would bury the goal lines. Errors still show (and count).
    logging.getLogger().setLevel(logging.ERROR)
    started = time.perf_counter()
    parsers = ParserTargets()
    in_process = parser_targets(parsers)
    selected = args.targets or [*in_process, *WEBHOOK_TARGETS]
    ok = True
    with contextlib.closing(parsers):
        for name, (strategy, check) in in_process.items():
            if name in selected:
                start = time.perf_counter()
                ok &= report(name, run(strategy, check, args.inputs), time.perf_counter() - start)
    if any(name in selected for name in WEBHOOK_TARGETS):
        ok &= run_webhooks(selected, args.inputs)
    print(f"fuzz: {time.perf_counter() - started:.0f} s in all", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
