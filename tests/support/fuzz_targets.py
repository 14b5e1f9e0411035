"""The bad-input targets: one check per target, called with one generated input (see
``tests/support/fuzz_strategies.py``) by the property tests and by ``benchmarks/fuzz.py``.

A check returns when the input was accepted or refused properly, and raises when it was
not: any exception other than the target's documented refusal is "unhandled". A refusal
must render from the catalogue in every language without a Fluent error, in particular
without a parameter left as ``{name}``: ``UnrenderedRefusal`` otherwise."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from adapters.console.images import ImageOptionError, read_references, split_image_options
from bot import admin, cli, roles
from core import CoreError, ImagineRequest, Messages, parse_imagine_text, parse_settings_text
from core.accounts.preferences import checked_aspect, checked_language
from core.catalog import Catalog, load_catalog
from core.errors import UnknownModel
from core.jobs.moderation import Blocklist
from core.jobs.requests import resolve_request
from core.jobs.uploads import check_declared_size
from core.settings import CoreSettings
from core.text.catalogue import locale_chain

REPO_ROOT = Path(__file__).resolve().parents[2]
# Every catalogue layer an adapter renders with: the core's, the shared chat texts, then
# each adapter's own (a key is found whichever layer it lives in).
LOCALE_LAYERS = [
    REPO_ROOT / "adapters" / name / "locales"
    for name in ("common", "console", "discord", "telegram", "web")
]


class UnrenderedRefusal(AssertionError):
    """A refusal whose text is missing or renders with an error (a leftover ``{name}``)."""


def all_messages() -> Messages:
    return Messages().layered(*LOCALE_LAYERS)


def refusal_key(messages: Messages, error: CoreError) -> str:
    """The key ``Messages.render_error`` renders ``error`` with."""
    reason = error.params.get("reason")
    if isinstance(reason, str) and messages.has(f"{error.key}.{reason}"):
        return f"{error.key}.{reason}"
    if not messages.has(error.key) and messages.has(f"{error.key}.default"):
        return f"{error.key}.default"
    return error.key


def assert_renders(messages: Messages, key: str, params: Mapping[str, Any]) -> None:
    """``key`` with ``params`` renders in every language without a Fluent error.

    Raises:
        UnrenderedRefusal: no locale has ``key``, or one renders it with an error.
    """
    if not messages.has(key):
        raise UnrenderedRefusal(f"{key}: not in the catalogue")
    for language in messages.languages:
        found = next(c for c in locale_chain(language) if key in messages.keys(c))
        text, errors = messages.render_checked(key, found, **params)
        if errors:
            raise UnrenderedRefusal(f"{key} in {found}: {errors!r} -> {text[:200]!r}")


def assert_refusal_renders(messages: Messages, error: CoreError) -> None:
    assert_renders(messages, refusal_key(messages, error), error.params)


class ParserTargets:
    """The in-process targets, over the shipped catalogue and every locale."""

    def __init__(self, catalog: Catalog | None = None, messages: Messages | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.messages = messages or all_messages()
        self.blocklist = Blocklist(self.catalog.moderation)
        # The console checks each file's declared size against the deployment's limit.
        sizes = partial(check_declared_size, CoreSettings(policy_version="fuzz"))
        self.core_sizes = SimpleNamespace(check_reference_size=sizes)
        self.max_count = max(m.max_images for m in self.catalog.models.values())
        self._loop = asyncio.new_event_loop()
        self._cli_parser = cli._parser()  # parse_args keeps no state between calls

    def close(self) -> None:
        self._loop.close()

    def _refused(self, error: CoreError) -> None:
        assert_refusal_renders(self.messages, error)

    def _validate(self, request: ImagineRequest) -> None:
        """What ``Core.imagine`` checks before the database: the request against the
        catalogue, then the moderation blocklist."""
        resolved = resolve_request(request, self.catalog)
        self.blocklist.check(resolved.prompt, resolved.negative_prompt)

    def imagine_text(self, text: str) -> None:
        try:
            self._validate(parse_imagine_text(text))
        except CoreError as exc:
            self._refused(exc)

    def settings_text(self, text: str) -> None:
        """``/settings`` text, and the values checked as ``Core.set_preferences`` does
        before it writes (the model, then an aspect of it, then the language)."""
        try:
            change = parse_settings_text(text)
            self._settings_values(
                change.get("model_id"), change.get("aspect_ratio"), change.get("language")
            )
        except CoreError as exc:
            self._refused(exc)

    def _settings_values(self, model_id: str | None, aspect: str | None, lang: str | None):
        model = self.catalog.model(self.catalog.default_model_id)
        if model_id is not None:
            model = self.catalog.model(model_id)
            if model is None:
                raise UnknownModel(model_id=model_id[:64], available=", ".join(self.catalog.models))
        assert model is not None
        if aspect is not None:
            checked_aspect(model, aspect)
        if lang is not None:
            checked_language(lang, tuple(self.messages.languages))

    def console_imagine(self, text: str) -> None:
        """The console's ``/imagine``: ``--image PATH`` taken out, the rest parsed and
        validated, then the files read (``ConsoleAdapter._imagine``)."""
        try:
            rest, paths = split_image_options(text)
            request = parse_imagine_text(rest)
            self._loop.run_until_complete(read_references(self.core_sizes, paths))
            self._validate(request)
        except ImageOptionError as exc:
            assert_renders(self.messages, exc.key, exc.params)
        except CoreError as exc:
            self._refused(exc)

    def admin_argv(self, argv: list[str]) -> None:
        """``seedream ARGS`` up to the point the command would open the database: the
        parser, then the user and shard checks. argparse's refusal (usage, exit 2) and a
        ``SystemExit`` with a message are the command line's answer."""
        parser = self._cli_parser
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                args = parser.parse_args(argv)
                _checked_args(args)
        except SystemExit as exc:
            if exc.code not in (0, 2) and not isinstance(exc.code, str):
                raise AssertionError(f"exit status {exc.code!r}") from exc

    def discord_imagine(self, options: Mapping[str, Any]) -> None:
        """``/imagine``'s option values as discord.py passes them to the command, made
        into the request the command builds (``adapters.discord.commands``)."""
        request = ImagineRequest(
            prompt=options["prompt"],
            model_id=options.get("model"),
            aspect_ratio=options.get("aspect"),
            seed=options.get("seed"),
            negative_prompt=options.get("negative"),
            image_count=options.get("count"),
            enhance=options.get("enhance", False),
        )
        try:
            self._validate(request)
        except CoreError as exc:
            self._refused(exc)

    def discord_settings(self, options: Mapping[str, Any]) -> None:
        try:
            self._settings_values(
                options.get("model"), options.get("aspect"), options.get("language")
            )
        except CoreError as exc:
            self._refused(exc)


def _checked_args(args: argparse.Namespace) -> None:
    if getattr(args, "user", None) is not None:
        admin.parse_user(args.user)
    if args.command == "discord":
        roles.parse_shards(args.shard_ids, args.shard_count)
