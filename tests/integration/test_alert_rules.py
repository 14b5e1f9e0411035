"""The Prometheus alert rules in deploy/prometheus (issue 19): promtool accepts them and
their unit tests pass, each alert has a case where it fires and one where it stays
quiet, and every series the rules read is one our /metrics actually serves (the rules
cannot drift from the code unseen). promtool must be installed (`make test` runs
scripts/ensure-promtool): without it these tests fail, they never skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import yaml

from adapters.web.app import create_metrics_app, create_web_app
from core.observability.metrics import Metrics
from tests.support.servers import serve_asgi

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "deploy" / "prometheus"
RULES = RULES_DIR / "seedream-alerts.yml"
RULE_TESTS = RULES_DIR / "seedream-alerts.test.yml"
EXAMPLE_CONFIG = RULES_DIR / "prometheus.yml"
RUNBOOK = ROOT / "docs" / "operations-alerts.md"
PROMTOOL_TIMEOUT_S = 60

# Series Prometheus makes itself for every target, not served by our code.
SCRAPE_SERIES = frozenset({"up"})


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = os.environ.get("SEEDREAM_TEST_PROMTOOL", "promtool")
    if shutil.which(tool) is None:
        pytest.fail(
            f"{tool} is not installed: run scripts/ensure-promtool (it installs Debian's "
            "`prometheus` package, which provides promtool), or set SEEDREAM_TEST_PROMTOOL"
        )
    return subprocess.run(
        [tool, *args],
        cwd=RULES_DIR,
        capture_output=True,
        text=True,
        timeout=PROMTOOL_TIMEOUT_S,
        check=False,
    )


def alert_rules(path: Path = RULES) -> list[dict]:
    document = yaml.safe_load(path.read_text())
    return [rule for group in document["groups"] for rule in group["rules"] if "alert" in rule]


# -- promtool ---------------------------------------------------------------------------


def test_promtool_checks_the_rules() -> None:
    result = promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_unit_tests_of_the_rules_pass() -> None:
    result = promtool("test", "rules", RULE_TESTS.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_example_scrape_config_is_valid() -> None:
    result = promtool("check", "config", EXAMPLE_CONFIG.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_refuses_a_broken_rule_and_a_wrong_expectation(tmp_path: Path) -> None:
    """The two checks above can fail: a rule with a bad expression is refused, and a
    unit test expecting an alert that does not fire fails."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n"
    )
    result = promtool("check", "rules", str(broken))
    assert result.returncode != 0

    rules = tmp_path / "rules.yml"
    rules.write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x > 1\n")
    wrong = tmp_path / "wrong.test.yml"
    wrong.write_text(
        yaml.safe_dump(
            {
                "rule_files": [str(rules)],
                "tests": [
                    {
                        "interval": "1m",
                        "input_series": [{"series": "x", "values": "0x10"}],
                        "alert_rule_test": [
                            {"eval_time": "5m", "alertname": "A", "exp_alerts": [{}]}
                        ],
                    }
                ],
            }
        )
    )
    result = promtool("test", "rules", str(wrong))
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr


def test_every_alert_is_tested_firing_and_quiet() -> None:
    document = yaml.safe_load(RULE_TESTS.read_text())
    fires: set[str] = set()
    quiet: set[str] = set()
    for case in document["tests"]:
        for check in case["alert_rule_test"]:
            (fires if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in alert_rules()}
    assert names - fires == set(), "alerts never tested firing"
    assert names - quiet == set(), "alerts never tested staying quiet"


def test_every_alert_has_a_severity_a_duration_and_a_runbook_section() -> None:
    runbook = RUNBOOK.read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in runbook.splitlines()
        if line.startswith("#")
    }
    for rule in alert_rules():
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert "for" in rule, rule["alert"]
        assert {"summary", "description", "runbook_url"} <= set(rule["annotations"])
        anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
        assert rule["annotations"]["runbook_url"] == f"docs/operations-alerts.md#{anchor}"
        assert anchor in anchors, f"{rule['alert']}: no section #{anchor} in {RUNBOOK.name}"


# -- the rules read only series we serve -------------------------------------------------

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
# Numbers and durations (offset 5m): not names.
_NUMBERS = re.compile(r"(?<![\w:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?\b")
_IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "inf", "nan"}
)


def series_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: identifiers that are not functions
    or aggregations (followed by ``(``), keywords, label names (in ``{...}``, ``by
    (...)``) or parts of strings, ranges and numbers."""
    text = _STRINGS.sub('""', expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGES.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = _NUMBERS.sub(" ", text)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        if text[match.end() :].lstrip().startswith("("):
            continue  # a function or an aggregation
        if match.group().lower() not in _KEYWORDS:
            names.add(match.group())
    return names


def test_series_names_finds_metrics_and_nothing_else() -> None:
    expr = (
        'sum by (provider, kind) (rate(seedream_a_total{outcome=~"x|y", kind="z"}[15m]))'
        " / ignoring (kind) max without (instance) (seedream_b) > 0.5"
        ' and on () up{job=~"seedream.*"} == 1e3 or vector(0) unless seedream_c offset 5m'
    )
    assert series_names(expr) == {"seedream_a_total", "seedream_b", "up", "seedream_c"}


def exposed_names(body: str) -> set[str]:
    """The sample names a /metrics text can carry, from its ``# TYPE`` lines (a family
    with labels and no children yet has no sample line, but is served)."""
    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("", "_sum", "_count", "_created"),
        "untyped": ("",),
        "unknown": ("",),
    }
    names = set()
    for line in body.splitlines():
        if line.startswith("# TYPE "):
            _, _, family, kind = line.split(" ", 3)
            base = family.removesuffix("_total") if kind == "counter" else family
            names.update(base + suffix for suffix in suffixes[kind])
    return names


def unknown_series(rules: list[dict], exposed: set[str]) -> dict[str, set[str]]:
    """Per alert, the series its expression reads that nothing serves."""
    found = {}
    for rule in rules:
        missing = series_names(rule["expr"]) - exposed - SCRAPE_SERIES
        if missing:
            found[rule["alert"]] = missing
    return found


async def test_every_series_the_rules_read_is_served(sqlite_engine) -> None:
    """The web process's /metrics (database gauges and its counters) and a worker's
    metrics port together serve every series in the rules; a rule naming a series we
    do not serve is caught."""
    web_app = SimpleNamespace(
        engine=sqlite_engine,
        queue=SimpleNamespace(depth=lambda: 0),
        metrics=Metrics(),
        local_store=None,
    )
    async with (
        serve_asgi(create_web_app(web_app)) as web_url,
        serve_asgi(create_metrics_app(Metrics())) as worker_url,
        httpx.AsyncClient() as client,
    ):
        web = await client.get(f"{web_url}/metrics")
        worker = await client.get(f"{worker_url}/metrics")
    assert web.status_code == worker.status_code == 200
    exposed = exposed_names(web.text) | exposed_names(worker.text)

    rules = alert_rules()
    read = set().union(*(series_names(rule["expr"]) for rule in rules))
    assert {"seedream_jobs_finished_total", "seedream_workers_heartbeating"} <= read
    assert unknown_series(rules, exposed) == {}

    drifted = [{"alert": "Renamed", "expr": "max(seedream_queue_oldest_seconds) > 1"}]
    assert unknown_series(drifted, exposed) == {"Renamed": {"seedream_queue_oldest_seconds"}}


def test_every_series_the_rules_read_is_documented() -> None:
    runbook = RUNBOOK.read_text()
    read = set().union(*(series_names(rule["expr"]) for rule in alert_rules()))
    assert {name for name in read - SCRAPE_SERIES if f"`{name}" not in runbook} == set()
