"""The console adapter: try the bot in a terminal, or script it through a pipe.

It reads one command per line, calls the core, and prints the reply. Job results
arrive through the event bus like on any other platform. At end of input it
waits for the jobs it started, so ``echo '/imagine a cat' | seedream console`` prints
the link before exiting.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from adapters.common import flows
from adapters.common.catalogue import chat_messages
from adapters.common.errors import generic_error_text, new_correlation_id
from adapters.common.grammar import settings_switch, wants_portal
from adapters.common.jobs import (
    cancelled_job_text,
    failed_text,
    finished_text,
    notice_text,
    queued_text,
    started_text,
)
from adapters.common.privacy import forget_challenge_text
from adapters.common.settings import settings_text
from adapters.common.wording import (
    accepted_text,
    export_text,
    gallery_text,
    history_line,
    history_lines,
    model_line,
    overview_lines,
    receipt_text,
    redeemed_text,
    unknown_command_text,
)
from adapters.console.images import ImageOptionError, read_references, split_image_options
from adapters.console.lines import LineReader
from core import (
    AcceptedJob,
    Actor,
    Core,
    CoreError,
    ErasureChallenge,
    EventBus,
    JobEvent,
    JobView,
    Messages,
    ReplyTarget,
    effective_locale,
    parse_imagine_text,
    parse_settings_text,
)

log = logging.getLogger("seedream.console")

PLATFORM = "console"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"  # the console's own texts
_TERMINAL_EVENTS = {"finished", "failed", "cancelled"}


class ConsoleAdapter:
    def __init__(
        self,
        core: Core,
        messages: Messages,
        delivery: EventBus,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        user_id: str | None = None,
        locale: str | None = None,
        wait_for_jobs_s: float = 600.0,
    ) -> None:
        self._core = core
        self._messages = chat_messages(messages, LOCALES_DIR)  # the core's, then the console's
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        # The terminal's locale until the account's chosen language is read (once per
        # session: _settle_locale), then that language, kept as /settings changes it.
        self._locale = locale
        self._locale_settled = False
        # The operator's own terminal: age-restricted models are allowed.
        self._actor = Actor(PLATFORM, user_id or _local_user(), locale=locale, nsfw_allowed=True)
        self._session = uuid.uuid4().hex[:12]
        self.troubled = False  # a command refused or a job failed: run() exits 1
        self._pending: set[str] = set()
        # A job's events wait until its "Queued" line is out: a fast worker's "Generating"
        # must not come first.
        self._announced: set[str] = set()
        self._early: dict[str, list[JobEvent]] = {}
        self._all_done = asyncio.Event()
        self._all_done.set()
        self._wait_for_jobs_s = wait_for_jobs_s
        # Each console session gets its own delivery address, so that with a shared Redis
        # one console never consumes another's events. It lives as long as this run (its
        # Redis stream too): opened with the first reply target, closed when run() ends.
        self._delivery = delivery
        self._reply_platform = f"{PLATFORM}-{self._session}"
        self._session_open = False
        delivery.register(self._reply_platform, self._on_event, session=True)
        self._commands: dict[str, Callable] = {
            "/help": self._help,
            "/start": self._terms,
            "/terms": self._terms,
            "/privacy": self._privacy,
            "/mydata": self._mydata,
            "/gallery": self._gallery,
            "/forgetme": self._forgetme,
            "/delete": self._delete,
            "/vary": self._vary,
            "/accept": self._accept,
            "/decline": self._decline,
            "/imagine": self._imagine,
            "/credits": self._credits,
            "/history": self._history,
            "/models": self._models,
            "/cancel": self._cancel,
            "/settings": self._settings,
            "/buy": self._buy,
            "/subscribe": self._subscribe,
            "/redeem": self._redeem,
            "/link": self._link,
        }

    # -- the loop --------------------------------------------------------------------

    async def run(self) -> int:
        """Read commands until ``/quit`` or end of input, then wait for started jobs.

        Returns the exit status: 1 when any command was refused or any job failed (so a
        script piping commands can tell), else 0."""
        await self._settle_locale()
        self._say(self._t("console.welcome"))
        try:
            await self._read_commands()
        finally:
            await self._delivery.end_session(self._reply_platform)
        return 1 if self.troubled else 0

    async def _read_commands(self) -> None:
        lines = LineReader(self._stdin)
        while True:
            line = await lines.readline()
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            await self.handle_line(line)
        if self._pending:
            try:
                async with asyncio.timeout(self._wait_for_jobs_s):
                    await self._all_done.wait()
            except TimeoutError:
                self._say(self._t("console.stopped_waiting", jobs=len(self._pending)))
                self.troubled = True

    async def handle_line(self, line: str) -> None:
        await self._settle_locale()
        command, _, rest = line.partition(" ")
        handler = self._commands.get(command.lower())
        if handler is None:
            self.troubled = True
            self._say(unknown_command_text(self._t, line))
            return
        self._core.record_command(self._actor, command.lower().lstrip("/"))  # opt-in analytics
        try:
            await handler(rest.strip())
        except CoreError as exc:
            self.troubled = True
            self._say(self._messages.render_error(exc, self._locale))
        except Exception:
            self.troubled = True
            correlation_id = new_correlation_id()
            log.exception("console command failed ref=%s command=%s", correlation_id, command)
            self._say(generic_error_text(self._t, correlation_id))

    # -- commands --------------------------------------------------------------------

    async def _help(self, _: str) -> None:
        self._say(self._t("console.help"))

    async def _terms(self, _: str) -> None:
        status = await self._core.terms(self._actor)
        self._say(self._t("terms.body", policy_version=status.policy_version))

    async def _accept(self, _: str) -> None:
        # Typing /accept after reading the terms is the 13+ confirmation they ask for.
        self._say(
            accepted_text(self._t, await self._core.accept_terms(self._actor, age_confirmed=True))
        )

    async def _decline(self, _: str) -> None:
        self._say(self._t("terms.declined"))

    async def _imagine(self, text: str) -> None:
        try:
            text, paths = split_image_options(text)  # the console's own option
            request = parse_imagine_text(text)
            references = await read_references(self._core, paths)
        except ImageOptionError as exc:
            self.troubled = True
            self._say(self._t(exc.key, **exc.params))
            return
        if references:
            request = replace(request, reference_images=references)
        await self._queued(await self._core.imagine(self._actor, request, await self._target()))

    async def _queued(self, job: AcceptedJob) -> None:
        self._track(job.job_id)
        try:
            self._say(queued_text(self._t, job))
        finally:
            self._announced.add(job.job_id)
            for event in self._early.pop(job.job_id, []):
                await self._on_event(event)

    async def _vary(self, image_id: str) -> None:
        if not image_id:
            self.troubled = True
            self._say(self._t("console.vary_usage"))
            return
        job = await self._core.vary(self._actor, image_id, await self._target())
        await self._queued(job)

    async def _credits(self, _: str) -> None:
        view = await self._core.billing.overview(self._actor)
        self._say("\n".join(overview_lines(self._t, view)))

    async def _buy(self, pack_id: str) -> None:
        link = await self._core.billing.buy_pack(self._actor, pack_id, await self._target())
        self._say(self._t("billing.checkout_link", url=link.url))

    async def _subscribe(self, plan_id: str) -> None:
        if wants_portal(plan_id):
            url = await self._core.billing.portal(self._actor)
            self._say(self._t("billing.portal_link", url=url))
            return
        link = await self._core.billing.subscribe(self._actor, plan_id, await self._target())
        self._say(self._t("billing.subscribe_link", url=link.url))

    async def _redeem(self, code: str) -> None:
        self._say(redeemed_text(self._t, await self._core.billing.redeem(self._actor, code)))

    async def _link(self, code: str) -> None:
        await flows.link(self, code, other=None)  # either chat platform

    async def _history(self, _: str) -> None:
        lines = history_lines(
            self._t,
            await self._core.history(self._actor),
            job_line=self._history_line,
            image_line=lambda image: f"    {image.image_id}  {image.url}",
        )
        self._say("\n".join(lines))

    async def _models(self, _: str) -> None:
        for m in self._core.models():
            self._say(model_line(self._t, m))

    async def _cancel(self, arg: str) -> None:
        job_id = await self._full_job_id(arg) if arg else None
        job = await self._core.cancel(self._actor, job_id)
        self._untrack(job.job_id)
        self._say(cancelled_job_text(self._t, job))

    async def _settings(self, text: str) -> None:
        if settings_switch(text):
            await flows.settings_switch(
                self,
                text,
                training_usage="privacy.training_usage",
                analytics_usage="privacy.analytics_usage",
            )
            return
        if text:
            options = parse_settings_text(text)
            saved = await self._core.set_preferences(
                self._actor, languages=tuple(self._messages.languages), **options
            )
            self._answer_in(saved.language)  # a language just chosen answers at once
            self._say(self._t("settings.saved"))
        view = await self._core.account(self._actor)
        self._answer_in(view.language)
        self._say(
            settings_text(
                self._t,
                "settings.current",
                self._core.effective_settings(view),
                as_file=view.deliver_as_file,
                private=view.private_replies,
                training=view.training_opt_in,
                analytics=view.analytics_opt_in,
            )
        )

    # -- privacy ---------------------------------------------------------------------

    async def _privacy(self, _: str) -> None:
        self._say(self._core.privacy.policy_text())

    async def _mydata(self, _: str) -> None:
        self._say(export_text(self._t, await self._core.privacy.export(self._actor)))

    async def _gallery(self, _: str) -> None:
        self._say(gallery_text(self._t, await self._core.gallery.link(self._actor)))

    async def _forgetme(self, code: str) -> None:
        outcome = await self._core.privacy.forget(self._actor, code or None)
        if isinstance(outcome, ErasureChallenge):
            self._say(forget_challenge_text(self._t, "privacy.forget_confirm", outcome))
        else:
            if outcome.erased:
                for job_id in list(self._pending):  # cancelled by the erasure: no event follows
                    self._untrack(job_id)
            self._say(receipt_text(self._t, self._messages.has, outcome))

    async def _delete(self, image_id: str) -> None:
        await flows.delete_image(self, image_id, usage_key="privacy.delete_usage")

    # -- delivery --------------------------------------------------------------------

    async def _on_event(self, event: JobEvent) -> None:
        if event.reply_target is None or event.reply_target.data.get("session") != self._session:
            return  # another console process's job
        if event.kind != "notice" and event.job_id not in self._announced:
            self._early.setdefault(event.job_id, []).append(event)
            return
        # "queued" needs no line: /imagine's own reply already gave the position.
        if event.kind == "notice":
            notice = notice_text(self._t, event)
            if notice is not None:
                self._say(notice)
        elif event.kind == "started":
            self._say(started_text(self._t, event))
        elif event.kind == "finished":
            lines = [finished_text(self._t, event)]
            for img in event.images:  # the original first: the link a terminal user wants
                lines.append(f"  {img.url}")
                if img.preview_url is not None:
                    lines.append("    " + self._t("console.preview_link", url=img.preview_url))
            self._say("\n".join(lines))
            if event.can_vary and event.images:
                ids = " ".join(img.image_id for img in event.images)
                self._say(self._t("console.vary_hint", image_ids=ids))
        elif event.kind == "failed":
            self.troubled = True
            self._say(failed_text(self._t, event))
        if event.kind in _TERMINAL_EVENTS:
            self._untrack(event.job_id)

    # -- helpers ---------------------------------------------------------------------

    async def _target(self) -> ReplyTarget:
        if not self._session_open:  # its events must have somewhere to go from the start
            await self._delivery.start_session(self._reply_platform)
            self._session_open = True
        return ReplyTarget(self._reply_platform, {"session": self._session})

    def _track(self, job_id: str) -> None:
        self._pending.add(job_id)
        self._all_done.clear()

    def _untrack(self, job_id: str) -> None:
        self._pending.discard(job_id)
        if not self._pending:
            self._all_done.set()

    async def _full_job_id(self, prefix: str) -> str:
        prefix = prefix.strip().lower()
        for job in await self._core.history(self._actor, limit=50):
            if job.job_id.startswith(prefix):
                return job.job_id
        return prefix  # the core answers NotFound

    def _history_line(self, job: JobView) -> str:
        return history_line(self._t, job)

    def _t(self, key: str, **params) -> str:
        return self._messages.render(key, self._locale, **params)

    async def _settle_locale(self) -> None:
        """Answer in the language the account chose in /settings (read once a session;
        the core falls back to the terminal's locale and never raises)."""
        if not self._locale_settled:
            self._locale = await self._core.reply_locale(self._actor)
            self._locale_settled = True

    def _answer_in(self, language: str | None) -> None:
        self._locale = effective_locale(language, self._actor.locale)
        self._locale_settled = True

    # -- ChatContext (adapters.common.context), for the shared flows -------------------

    @property
    def core(self) -> Core:
        return self._core

    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def locale(self) -> str | None:
        return self._locale

    def t(self, key: str, **params) -> str:
        return self._t(key, **params)

    async def reply(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"
