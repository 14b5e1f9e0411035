"""The job status table, and every status guard in the code held to it.

Reads the project's own source (no database): each UPDATE that sets ``jobs.status`` must
guard on statuses the table lets move to the status it sets. SQLAlchemy statements must
be built by ``status_update`` (which derives its guard from the table); the statements
written as SQL text (``core.jobs.store``) and the job INSERT of the accept function
(migration 0014) are parsed and checked here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import pytest

from core.db.tables import JOB_STATUSES, jobs
from core.jobs import status as status_module
from core.jobs.claimed import ClaimedJob
from core.jobs.status import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    INITIAL_STATUS,
    TRANSITIONS,
    InvalidTransition,
    JobStatus,
    may_move,
    may_move_from,
    status_update,
)

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("core", "bot", "adapters", "migrations")
Q, R, S, F, C = (
    JobStatus.QUEUED,
    JobStatus.RUNNING,
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.CANCELLED,
)

# -- the table -------------------------------------------------------------------------


def test_the_enum_the_table_module_and_the_first_migration_list_the_same_statuses():
    source = (ROOT / "migrations/versions/0001_initial_schema.py").read_text()
    check = re.search(r'"status IN \(([^)]*)\)"', source)
    assert check is not None
    in_migration = tuple(v.strip().strip("'") for v in check.group(1).split(","))
    assert tuple(JobStatus) == JOB_STATUSES == in_migration
    assert set(TRANSITIONS) == set(JobStatus)


def test_the_transition_table():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == {
        (Q, R),  # claimed
        (Q, F),  # past its deadline before any worker took it
        (Q, C),  # cancelled by its owner, or by an erasure
        (R, S),  # done
        (R, Q),  # a retry, a shutdown, an expired lease
        (R, F),  # refused, out of attempts, past its deadline
        (R, C),  # an erasure
    }
    assert INITIAL_STATUS is Q
    assert FINAL_STATUSES == (S, F, C)
    assert ACTIVE_STATUSES == (Q, R)
    assert all(not may_move(s, s) for s in JobStatus)
    assert all(s.is_final == (s in FINAL_STATUSES) for s in JobStatus)
    assert JobStatus("queued") == "queued" and f"{JobStatus.RUNNING}" == "running"


def test_every_status_is_reachable_and_every_job_can_end():
    reached, frontier = {INITIAL_STATUS}, [INITIAL_STATUS]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(JobStatus)
    for status in ACTIVE_STATUSES:
        assert TRANSITIONS[status] & set(FINAL_STATUSES)


def test_may_move_from_inverts_the_table():
    assert may_move_from(R) == {Q}
    assert may_move_from(Q) == {R}
    assert may_move_from(S) == {R}
    assert may_move_from(F) == may_move_from(C) == {Q, R}
    for target in JobStatus:
        assert may_move_from(target) == {s for s in JobStatus if may_move(s, target)}


def _guard_of(statement) -> set[str]:
    sql = str(statement.compile(compile_kwargs={"literal_binds": True}))
    where = sql.split(" WHERE ", 1)[1]
    single = re.fullmatch(r"jobs\.status = '(\w+)'.*", where)
    if single:
        return {single.group(1)}
    listed = re.fullmatch(r"jobs\.status IN \(([^)]*)\).*", where)
    assert listed, sql
    return {v.strip().strip("'") for v in listed.group(1).split(",")}


@pytest.mark.parametrize("target", list(JobStatus))
def test_status_update_guards_on_what_the_table_allows(target):
    if not may_move_from(target):
        with pytest.raises(InvalidTransition):
            status_update(target)
        return
    statement = status_update(target).where(jobs.c.id == "j")
    assert _guard_of(statement) == set(may_move_from(target))
    assert statement.compile().params["status"] == target
    for source in may_move_from(target):
        assert _guard_of(status_update(target, only_from=[source])) == {source}


def test_status_update_refuses_a_guard_the_table_forbids():
    with pytest.raises(InvalidTransition, match="succeeded to running"):
        status_update(R, only_from=(S,))
    with pytest.raises(InvalidTransition, match="queued to succeeded"):
        status_update(S, only_from=(Q, R))
    with pytest.raises(InvalidTransition):
        status_update(Q, only_from=())


def test_the_claimed_job_has_every_column_of_jobs():
    assert [f.name for f in fields(ClaimedJob)] == [c.name for c in jobs.columns]


# -- the guards in the code ------------------------------------------------------------

NAMED_SETS = {
    "ACTIVE_STATUSES": set(ACTIVE_STATUSES),
    "FINAL_STATUSES": set(FINAL_STATUSES),
    "INITIAL_STATUS": {INITIAL_STATUS},
}


def _statuses(node: ast.expr | None) -> set[JobStatus] | None:
    """The statuses a literal expression names; None when it is not a literal."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "JobStatus" and node.attr in JobStatus.__members__:
            return {JobStatus[node.attr]}
    if isinstance(node, ast.Name) and node.id in NAMED_SETS:
        return NAMED_SETS[node.id]
    if isinstance(node, ast.Constant) and node.value in JOB_STATUSES:
        return {JobStatus(node.value)}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        parts = [_statuses(e) for e in node.elts]
        return None if any(p is None for p in parts) else set().union(*parts)
    return None


def _kwarg(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _chain(node: ast.expr):
    """The calls and attributes of a method chain, outermost first, then its root."""
    while True:
        yield node
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        else:
            return


def _builds_jobs_update(node: ast.expr, tracked: set[str]) -> bool:
    for link in _chain(node):
        if isinstance(link, ast.Name) and link.id in tracked:
            return True
        if not isinstance(link, ast.Call):
            continue
        func = link.func
        if isinstance(func, ast.Name) and func.id == "status_update":
            return True
        if isinstance(func, ast.Name) and func.id == "update" and link.args:
            if isinstance(link.args[0], ast.Name) and link.args[0].id == "jobs":
                return True
        if isinstance(func, ast.Attribute) and func.attr == "update":
            if isinstance(func.value, ast.Name) and func.value.id == "jobs":
                return True
    return False


def _sets_status(values_call: ast.Call) -> bool:
    """Whether a ``.values(...)`` call sets ``status``, or might (``**`` or a dict)."""
    if any(k.arg in ("status", None) for k in values_call.keywords):
        return True
    for arg in values_call.args:
        if not isinstance(arg, ast.Dict):
            return True
        if any(not isinstance(k, ast.Constant) or k.value == "status" for k in arg.keys):
            return True
    return False


def check_python(
    source: str | ast.Module, where: str
) -> tuple[list[str], set[tuple[JobStatus, JobStatus]]]:
    """Problems with the status moves in one module's source, and the moves it makes."""
    problems: list[str] = []
    moves: set[tuple[JobStatus, JobStatus]] = set()
    tree = ast.parse(source) if isinstance(source, str) else source
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    module_level = [n for n in tree.body if n not in functions and not isinstance(n, ast.ClassDef)]
    scopes: list[list[ast.AST]] = [module_level] + [[f] for f in functions]
    by_hand: set[int] = set()  # lines (a function's walk includes the functions inside it)
    for scope in scopes:
        nodes = [n for top in scope for n in ast.walk(top)]
        tracked: set[str] = set()
        assigns = [n for n in nodes if isinstance(n, ast.Assign | ast.AnnAssign)]
        while True:  # to a fixpoint: ``stmt = stmt.where(...)``
            before = len(tracked)
            for a in assigns:
                targets = a.targets if isinstance(a, ast.Assign) else [a.target]
                if a.value is not None and _builds_jobs_update(a.value, tracked):
                    tracked |= {t.id for t in targets if isinstance(t, ast.Name)}
            if len(tracked) == before:
                break
        for node in nodes:
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "values" and _builds_jobs_update(node.func.value, tracked):
                if _sets_status(node):
                    by_hand.add(node.lineno)
    problems += [
        f"{where}:{n}: sets jobs.status by hand; use status_update" for n in sorted(by_hand)
    ]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "status_update":
            target = _statuses(node.args[0] if node.args else _kwarg(node, "target"))
            only_from = _kwarg(node, "only_from")
            if only_from is not None:
                sources = _statuses(only_from)
            else:  # the guard is the table's own
                sources = set(may_move_from(*target)) if target and len(target) == 1 else None
        elif name == "end_unsuccessfully":
            target = _statuses(_kwarg(node, "status"))
            sources = _statuses(_kwarg(node, "from_states"))
        else:
            continue
        if target is None or len(target) != 1 or sources is None:
            if not _forwards(tree, node):
                problems.append(f"{where}:{node.lineno}: {name} with statuses not written out")
            continue
        (to,) = target
        for source in sources:
            moves.add((source, to))
            if not may_move(source, to):
                problems.append(f"{where}:{node.lineno}: {source} -> {to} is not in the table")
    return problems, moves


def _forwards(tree: ast.Module, call: ast.Call) -> bool:
    """A call inside ``end_unsuccessfully`` passing on its own parameters (its callers
    are checked instead)."""
    for fn in ast.walk(tree):
        if isinstance(fn, ast.AsyncFunctionDef) and fn.name == "end_unsuccessfully":
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
            inside = any(n is call for n in ast.walk(fn))
            names = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
            return inside and {"status", "from_states"} & names <= params
    return False


def _top_level(sql: str) -> str:
    """``sql`` up to an unmatched ``)`` (the end of a CTE), without its parenthesised
    subqueries and calls; the lists of ``IN (...)`` are kept."""
    out: list[str] = []
    kept: list[bool] = []  # per open parenthesis: is it an IN list at the top level?
    for ch in sql:
        if ch == "(":
            is_list = not kept and re.search(r"\bIN\s*$", "".join(out), re.I) is not None
            kept.append(is_list)
            if is_list:
                out.append(ch)
        elif ch == ")":
            if not kept:
                break
            if kept.pop():
                out.append(ch)
        elif not kept or kept[-1]:
            out.append(ch)
    return "".join(out)


STATUS_WORD = r"(?<![.\w])status\b"


def check_sql(sql: str, where: str) -> tuple[list[str], set[tuple[JobStatus, JobStatus]]]:
    """Problems with the UPDATEs of jobs.status and the INSERTs into jobs in SQL text."""
    problems: list[str] = []
    moves: set[tuple[JobStatus, JobStatus]] = set()
    for update in re.finditer(r"UPDATE\s+jobs\s+SET\b(.*?)(?:\bRETURNING\b|;|$)", sql, re.S | re.I):
        set_part, *where_part = re.split(
            r"\bWHERE\b", _top_level(update.group(1)), maxsplit=1, flags=re.I
        )
        guard = where_part[0] if where_part else ""
        target = re.search(STATUS_WORD + r"\s*=\s*'(\w+)'", set_part)
        if target is None:
            if re.search(STATUS_WORD, set_part):
                problems.append(f"{where}: an UPDATE sets jobs.status to something unparsed")
            continue
        to = JobStatus(target.group(1))
        sources: set[JobStatus] = set()
        rest = guard
        for found in re.finditer(STATUS_WORD + r"\s*=\s*'(\w+)'", guard):
            sources.add(JobStatus(found.group(1)))
            rest = rest.replace(found.group(0), "")
        for found in re.finditer(STATUS_WORD + r"\s+IN\s*\(([^)]*)\)", guard, re.I):
            sources |= {JobStatus(v.strip().strip("'")) for v in found.group(1).split(",")}
            rest = rest.replace(found.group(0), "")
        if not sources or re.search(STATUS_WORD, rest):
            problems.append(f"{where}: an UPDATE to {to} without a guard this test can read")
            continue
        for source in sources:
            moves.add((source, to))
            if not may_move(source, to):
                problems.append(f"{where}: {source} -> {to} is not in the table")
    for insert in re.finditer(
        r"INSERT\s+INTO\s+jobs\s*\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)", sql, re.S | re.I
    ):
        columns = [c.strip() for c in insert.group(1).split(",")]
        values = [v.strip() for v in insert.group(2).split(",")]
        if "status" in columns and values[columns.index("status")] != f"'{INITIAL_STATUS}'":
            problems.append(f"{where}: a job inserted as {values[columns.index('status')]}")
    return problems, moves


def _sql_strings(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.search(r"(UPDATE|INSERT\s+INTO)\s+jobs\b", node.value, re.I):
                yield node.value


def test_every_status_guard_in_the_code_is_allowed_by_the_table():
    problems: list[str] = []
    python_moves: set[tuple[JobStatus, JobStatus]] = set()
    sql_moves: set[tuple[JobStatus, JobStatus]] = set()
    inserts = 0
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == Path(status_module.__file__).resolve():
                continue
            where = str(path.relative_to(ROOT))
            source = path.read_text()
            if "jobs" not in source:  # touches no job row
                continue
            tree = ast.parse(source)
            found, moves = check_python(tree, where)
            problems += found
            python_moves |= moves
            for sql in _sql_strings(tree):
                found, moves = check_sql(sql, where)
                problems += found
                sql_moves |= moves
                inserts += bool(re.search(r"INSERT\s+INTO\s+jobs\b", sql, re.I))
    assert problems == []
    # The scan finds what we know is there (so it cannot pass by finding nothing).
    assert python_moves >= {(Q, R), (R, S), (R, Q), (Q, F), (R, F), (Q, C), (R, C)}
    assert sql_moves == {(Q, R), (R, S)}  # the PostgreSQL claim and success
    assert inserts >= 1  # the accept function


# -- the checks catch what they are for ------------------------------------------------

FORBIDDEN_PYTHON = """
async def reopen(conn, job_id):
    await conn.execute(update(jobs).where(jobs.c.id == job_id).values(status="queued"))

async def split(conn, job_id):
    stmt = update(jobs).where(jobs.c.id == job_id)
    stmt = stmt.where(jobs.c.status == "failed")
    await conn.execute(stmt.values(**{"status": "queued"}))

async def revive(conn, job_id):
    await conn.execute(status_update(JobStatus.QUEUED, only_from=(JobStatus.FAILED,)))

async def uncancel(conn, job_id):
    await end_unsuccessfully(conn, job_id, status=JobStatus.FAILED,
                             from_states=(JobStatus.CANCELLED,), error_code="x")

async def unknown(conn, job_id, target):
    await conn.execute(status_update(target))
"""


def test_the_python_check_reports_forbidden_and_unreadable_moves():
    problems, _ = check_python(FORBIDDEN_PYTHON, "m.py")
    assert sorted(problems, key=lambda p: int(p.split(":")[1])) == [
        "m.py:3: sets jobs.status by hand; use status_update",
        "m.py:8: sets jobs.status by hand; use status_update",
        "m.py:11: failed -> queued is not in the table",
        "m.py:14: cancelled -> failed is not in the table",
        "m.py:18: status_update with statuses not written out",
    ]


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE jobs SET status = 'queued' WHERE id = $1 AND status = 'failed'", "failed -> "),
        ("UPDATE jobs SET status = 'running' WHERE status IN ('queued', 'succeeded')", "succ"),
        ("UPDATE jobs SET status = 'failed' WHERE id = $1", "without a guard"),
        ("UPDATE jobs SET status = 'failed' WHERE status <> 'succeeded'", "without a guard"),
        ("INSERT INTO jobs (id, status) VALUES ($1, 'running')", "inserted as 'running'"),
    ],
)
def test_the_sql_check_reports_forbidden_and_unreadable_moves(sql, problem):
    problems, _ = check_sql(sql, "m.py")
    assert len(problems) == 1 and problem in problems[0]


def test_the_sql_check_reads_guards_outside_subqueries_only():
    sql = """UPDATE jobs SET status = 'running' WHERE id = (
        SELECT j.id FROM jobs j WHERE j.status = 'queued'
          AND (SELECT count(*) FROM jobs r WHERE r.status = 'running') < 2
    ) AND status = 'queued' RETURNING *"""
    assert check_sql(sql, "m.py") == ([], {(Q, R)})
