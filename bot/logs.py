"""Logging set-up. Prompts, tokens and keys are never passed to a logger; the filter
below is a second line of defence for the tokens we know about."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.observability.logctx import job_id_var


class _RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            if any(s in message for s in self._secrets):
                for s in self._secrets:
                    message = message.replace(s, "[redacted]")
                record.msg, record.args = message, None
        return True


def _job_id(record: logging.LogRecord) -> str | None:
    """The job a record belongs to: ``extra={"job_id": ...}``, else the one set with
    ``core.logctx.job_context`` (handlers run in the logging caller's context)."""
    job_id = getattr(record, "job_id", None)
    return job_id if job_id is not None else job_id_var.get()


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        job_id = _job_id(record)
        if job_id is not None:
            entry["job_id"] = str(job_id)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry)


class _TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        job_id = _job_id(record)
        return line if job_id is None else f"{line} job={job_id}"


def setup_logging(
    level: str = "INFO",
    *,
    as_json: bool = False,
    secrets: Sequence[str] = (),
    log_file: Path | None = None,
) -> None:
    """Log to stderr, or to ``log_file`` (the console adapter keeps the terminal clean)."""
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if as_json else _TextFormatter())
    handler.addFilter(_RedactSecrets(list(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Third-party loggers stay at WARNING even at DEBUG: their debug lines carry request
    # bodies and statement parameters (aiosqlite logs every call with its arguments,
    # SQLAlchemy result rows), that is prompts and platform user ids.
    for noisy in (
        "httpx",
        "httpcore",
        "botocore",
        "aiobotocore",
        "aioboto3",
        "s3transfer",
        "aiosqlite",
        "sqlalchemy",
        "asyncpg",
        "uvicorn.error",
        "alembic",
        "telegram",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # These log whole requests: SQL parameters (prompts) at DEBUG/INFO, gateway payloads
    # and interaction URLs (tokens) at DEBUG.
    for verbose, floor in (
        ("aiosqlite", logging.WARNING),
        ("sqlalchemy.engine", logging.WARNING),
        ("discord", logging.INFO),
    ):
        logging.getLogger(verbose).setLevel(max(floor, root.level))
