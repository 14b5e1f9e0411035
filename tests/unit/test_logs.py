"""bot.logs: job ids from core.logctx in both formats; known secrets redacted."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from core.observability.logctx import job_context, job_id_var

TOKEN = "123456:AAbbCCddEEffGGhh-secret"


@pytest.fixture
def capture() -> Iterator[io.StringIO]:
    """setup_logging on a string stream; the root logger is restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    stream = io.StringIO()
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def _setup(stream: io.StringIO, *, as_json: bool, secrets: list[str] = ()) -> None:
    logs.setup_logging("DEBUG", as_json=as_json, secrets=secrets)
    logging.getLogger().handlers[0].setStream(stream)


def _json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_has_job_id_inside_job_context_only(capture: io.StringIO) -> None:
    _setup(capture, as_json=True)
    log = logging.getLogger("seedream.test")
    log.info("before")
    with job_context("job-abc123"):
        log.info("inside")
    log.info("after")
    before, inside, after = _json_lines(capture)
    assert inside["job_id"] == "job-abc123"
    assert inside["message"] == "inside"
    assert inside["logger"] == "seedream.test"
    assert inside["level"] == "INFO"
    assert "ts" in inside
    assert "job_id" not in before
    assert "job_id" not in after
    assert job_id_var.get() is None


def test_text_appends_job_inside_job_context_only(capture: io.StringIO) -> None:
    _setup(capture, as_json=False)
    log = logging.getLogger("seedream.test")
    with job_context("job-xyz"):
        log.warning("inside")
    log.warning("outside")
    inside, outside = capture.getvalue().splitlines()
    assert inside.endswith("WARNING seedream.test: inside job=job-xyz")
    assert outside.endswith("WARNING seedream.test: outside")


def test_job_context_nests_and_resets() -> None:
    with job_context("outer"):
        with job_context("inner"):
            assert job_id_var.get() == "inner"
        assert job_id_var.get() == "outer"
    assert job_id_var.get() is None


async def test_job_context_is_per_task(capture: io.StringIO) -> None:
    _setup(capture, as_json=True)
    log = logging.getLogger("seedream.test")
    gate = asyncio.Event()

    async def work(job_id: str) -> None:
        with job_context(job_id):
            await gate.wait()  # both tasks are inside their contexts at once
            log.info("working on %s", job_id)

    tasks = [asyncio.create_task(work(j)) for j in ("job-1", "job-2")]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*tasks)
    for entry in _json_lines(capture):
        assert entry["message"] == f"working on {entry['job_id']}"


def test_secrets_filter_redacts_configured_token(capture: io.StringIO) -> None:
    _setup(capture, as_json=True, secrets=[TOKEN, "short"])
    log = logging.getLogger("seedream.test")
    log.error("calling https://api.example/bot%s/getMe failed", TOKEN)
    log.error("a short value: short")  # under 8 characters: not treated as a secret
    leaked, short = _json_lines(capture)
    assert TOKEN not in capture.getvalue()
    assert leaked["message"] == "calling https://api.example/bot[redacted]/getMe failed"
    assert short["message"] == "a short value: short"
