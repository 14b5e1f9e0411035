"""`SEEDREAM_METRICS_PORT`: a role that serves no web app (here `seedream worker`)
serves its own counters on /metrics there, and none of the gauges the web process reads
from the database (issue 19, docs/operations-alerts.md)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sqlite3

import httpx

from tests.e2e.test_cli import _free_port, _read_until, running

SERVING = re.compile(r"metrics on http://127\.0\.0\.1:\d+/metrics")
HEARTBEATING = re.compile(r"worker \S+ heartbeating")


def heartbeats(tmp_path) -> int:
    with contextlib.closing(sqlite3.connect(tmp_path / "var" / "seedream.db")) as db:
        return db.execute("SELECT count(*) FROM provider_circuits").fetchone()[0]


async def test_a_worker_serves_its_counters_on_the_metrics_port(cli_env, tmp_path):
    port = _free_port()
    env = {**cli_env, "SEEDREAM_METRICS_PORT": str(port)}
    async with running(["worker"], env, tmp_path) as process:
        assert process.stderr is not None
        line = await _read_until(process.stderr, SERVING)
        assert line.endswith(f":{port}/metrics")
        async with httpx.AsyncClient(timeout=10) as http, asyncio.timeout(30):
            while True:  # the port is bound before the log line, listening right after
                try:
                    response = await http.get(f"http://127.0.0.1:{port}/metrics")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
        assert response.status_code == 200
        assert "# TYPE seedream_jobs_finished_total counter" in response.text
        assert "seedream_workers_heartbeating" not in response.text
        await _read_until(process.stderr, HEARTBEATING)  # the first, as the worker starts
        assert heartbeats(tmp_path) == 1  # one row per service: only `local` here
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            await process.wait()
    # A service manager's stop is a clean stop: the worker leaves no heartbeat behind.
    assert process.returncode == 0
    assert heartbeats(tmp_path) == 0
