"""The architecture as DESIGN.md draws it: the core's public surface, the top level of
``core/``, and no import cycles among the project's modules. (The import contracts
between layers are import-linter's, in pyproject.toml, run by ``make lint``.)"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

import core

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("bot", "core", "adapters")

# DESIGN.md, Layout: the modules and packages at the top of core/.
CORE_TOP_MODULES = {
    "__init__.py",
    "facade.py",
    "settings.py",
    "types.py",
    "errors.py",
    "clock.py",
    "catalog.py",
}
CORE_PACKAGES = {
    "db",
    "accounts",
    "ledger",
    "billing",
    "jobs",
    "messaging",
    "storage",
    "privacy",
    "providers",
    "text",
    "observability",
}

# What adapters may import from the core: change it on purpose, here and in core/__init__.py.
PUBLIC_SURFACE = [
    "Acceptance",
    "AcceptedJob",
    "AccountLookup",
    "AccountView",
    "Actor",
    "AgeRestricted",
    "AlreadySubmitted",
    "AuditRow",
    "Banned",
    "Billing",
    "Catalog",
    "CheckoutLink",
    "ConfirmationInvalid",
    "Core",
    "CoreError",
    "CoreSettings",
    "CreditDebt",
    "CreditsOverview",
    "CreditsView",
    "DEFAULT_LANGUAGE",
    "DashboardLink",
    "DashboardOverview",
    "DebitExceedsBalance",
    "DeliveryHandler",
    "EffectiveSettings",
    "ErasureChallenge",
    "ErasureReceipt",
    "EventBus",
    "ExportResult",
    "ExportTooSoon",
    "GalleryItem",
    "GalleryLink",
    "GalleryPage",
    "ImageView",
    "ImagineRequest",
    "InsufficientCredits",
    "InvalidOption",
    "InvalidWebhook",
    "ItemKind",
    "JobDeadlineExceeded",
    "JobEvent",
    "JobView",
    "LedgerEntryView",
    "LedgerOutcome",
    "LinkCode",
    "LinkRefused",
    "LinkResult",
    "LinkTooSoon",
    "MAX_ADMIN_GRANT_CREDITS",
    "Messages",
    "ModelSpec",
    "ModelUnavailable",
    "NotCancellable",
    "NotFound",
    "NotOwner",
    "Notice",
    "OperatorGrant",
    "PROMPT_MAX_CHARS",
    "PackOffer",
    "PaymentRefused",
    "PaymentsDisabled",
    "PaymentsUnavailable",
    "PlanOffer",
    "PrivacyService",
    "PromoRefused",
    "PromptRefused",
    "ProviderError",
    "ProviderHealthView",
    "ProviderPermanent",
    "ProviderRateLimited",
    "ProviderRefused",
    "ProviderTransient",
    "QUEUE_POSITION_CAP",
    "RateLimited",
    "Redemption",
    "ReferenceImageGone",
    "ReferenceImageRefused",
    "ReferenceUpload",
    "ReplyTarget",
    "RouteUnsupported",
    "SEED_MAX",
    "SourceImageGone",
    "StarsInvoice",
    "StarsPurchase",
    "StarsRefundRefused",
    "StarsRefunds",
    "StatsView",
    "TermsNotAccepted",
    "TermsView",
    "TooManyQueued",
    "UnknownModel",
    "UnknownPack",
    "UnknownPlan",
    "VariationsUnsupported",
    "WebLinkInvalid",
    "effective_locale",
    "format_price",
    "locale_chain",
    "normalise_locale",
    "parse_imagine_text",
    "parse_settings_text",
    "route_honours_seed",
    "utcnow",
]


def test_core_public_surface_is_pinned() -> None:
    assert sorted(core.__all__) == PUBLIC_SURFACE
    assert len(set(core.__all__)) == len(core.__all__)
    missing = [name for name in core.__all__ if not hasattr(core, name)]
    assert missing == []


def test_every_user_facing_error_is_public() -> None:
    """Adapters render every ``CoreError``: each one in core.errors is in the surface."""
    from core import errors

    tree = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.CoreError)
    }
    assert tree - set(core.__all__) == set()


def test_core_top_level_follows_the_layout() -> None:
    entries = {p.name for p in (ROOT / "core").iterdir() if p.name != "__pycache__"}
    packages = {name for name in entries if (ROOT / "core" / name).is_dir()}
    modules = entries - packages
    assert modules - CORE_TOP_MODULES == set(), "not in DESIGN.md's Layout"
    assert packages - CORE_PACKAGES == set(), "not in DESIGN.md's Layout"
    assert CORE_TOP_MODULES - modules == set(), "missing"
    assert len(modules) <= 12, "the issue allows at most a dozen top-level modules"
    assert CORE_PACKAGES - packages == set(), "missing"
    for name in packages:
        assert (ROOT / "core" / name / "__init__.py").is_file(), name


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports under `if TYPE_CHECKING:` and inside functions count too.
    return grimp.build_graph(*PROJECT_PACKAGES, cache_dir=None)


def _edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Who imports whom; a package's ``__init__`` importing its own modules is not an
    edge (that is how ``core/__init__.py`` re-exports the facade)."""
    return {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if not imported.startswith(module + ".")
        }
        for module in graph.modules
    }


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in edges:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_among_project_modules(graph: grimp.ImportGraph) -> None:
    edges = _edges(graph)
    report = []
    for component in _cycles(edges):
        members = set(component)
        for module in component:
            for imported in sorted(edges[module] & members):
                lines = [
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=module, imported=imported)
                ]
                report.append(f"{module} -> {imported} (line {', '.join(map(str, lines))})")
    assert report == []


@pytest.mark.parametrize("adapter", ["console", "discord", "telegram", "web"])
def test_importing_one_adapter_module_runs_no_other(graph: grimp.ImportGraph, adapter) -> None:
    """An adapter's ``__init__`` imports nothing, so importing one of its modules (its
    config, a keyboard) does not run the whole adapter."""
    assert graph.find_modules_directly_imported_by(f"adapters.{adapter}") == set()
