"""constraints/floors.txt pins every direct dependency in pyproject.toml to exactly the
lower bound pyproject.toml declares, so `make test-floors` tests the floors we promise."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def declared_floors() -> dict[str, set[Version]]:
    """Each direct dependency (runtime and every extra) -> the lower bounds declared."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines.extend(extra)
    floors: dict[str, set[Version]] = {}
    for line in lines:
        req = Requirement(line)
        bounds = {Version(s.version) for s in req.specifier if s.operator == ">="}
        floors.setdefault(canonicalize_name(req.name), set()).update(bounds)
    return floors


def pinned_floors() -> dict[str, list[Version]]:
    pins: dict[str, list[Version]] = {}
    for raw in (ROOT / "constraints" / "floors.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"floors.txt: {raw!r} must be name==version"
        assert not req.extras, f"floors.txt: {raw!r}: pip refuses extras in constraints"
        pins.setdefault(canonicalize_name(req.name), []).append(Version(spec.version))
    return pins


def test_every_direct_dependency_has_exactly_one_floor() -> None:
    for name, bounds in declared_floors().items():
        assert len(bounds) == 1, f"pyproject.toml: {name} needs one >= bound, has {bounds}"


def test_floors_txt_pins_each_direct_dependency_at_its_floor() -> None:
    declared = {name: next(iter(b)) for name, b in declared_floors().items() if b}
    pinned = pinned_floors()
    assert sorted(pinned) == sorted(declared), (
        "constraints/floors.txt and pyproject.toml name different dependencies: "
        f"missing from floors.txt {sorted(set(declared) - set(pinned))}, "
        f"not in pyproject.toml {sorted(set(pinned) - set(declared))}"
    )
    for name, versions in pinned.items():
        assert versions == [declared[name]], (
            f"{name}: pyproject.toml says >={declared[name]}, floors.txt pins {versions}"
        )
