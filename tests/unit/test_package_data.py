"""An installed (non-editable) seedream carries every file its packages read at run time:
each file under bot/, core/, adapters/ and migrations/ that is not Python source is
matched by a pattern of [tool.setuptools.package-data] (the container image and any
`pip install .` depend on it)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tracked(package: str) -> set[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", package],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    return {ROOT / name for name in listed if not name.endswith(".py")}


def unpackaged(package_data: dict[str, list[str]]) -> list[str]:
    missing = []
    for package in ("bot", "core", "adapters", "migrations"):
        packaged = {
            path
            for pattern in package_data.get(package, [])
            for path in (ROOT / package).glob(pattern)
        }
        missing += [str(p.relative_to(ROOT)) for p in _tracked(package) - packaged]
    return sorted(missing)


def _package_data() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def test_every_data_file_is_packaged() -> None:
    assert unpackaged(_package_data()) == []


def test_a_file_left_out_is_reported() -> None:
    data = _package_data()
    data["bot"] = [p for p in data["bot"] if p != "*.txt"]
    assert "bot/privacy-policy.txt" in unpackaged(data)
