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
from typing import TextIO

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
    parse_imagine_text,
    parse_settings_text,
)
from core.text.wording import (
    export_text,
    history_line,
    link_code_text,
    link_done_text,
    model_line,
    overview_lines,
    receipt_text,
)

log = logging.getLogger("seedream.console")

PLATFORM = "console"
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
        self._messages = messages
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        self._locale = locale
        # The operator's own terminal: age-restricted models are allowed.
        self._actor = Actor(PLATFORM, user_id or _local_user(), locale=locale, nsfw_allowed=True)
        self._session = uuid.uuid4().hex[:12]
        self._pending: set[str] = set()
        # A job's events wait until its "Queued" line is out: a fast worker's "Generating"
        # must not come first.
        self._announced: set[str] = set()
        self._early: dict[str, list[JobEvent]] = {}
        self._all_done = asyncio.Event()
        self._all_done.set()
        self._wait_for_jobs_s = wait_for_jobs_s
        # Each console session gets its own delivery address, so that with a shared Redis
        # one console never consumes another's events.
        self._reply_platform = f"{PLATFORM}-{self._session}"
        delivery.register(self._reply_platform, self._on_event)
        self._commands: dict[str, Callable] = {
            "/help": self._help,
            "/start": self._terms,
            "/terms": self._terms,
            "/privacy": self._privacy,
            "/mydata": self._mydata,
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

    async def run(self) -> None:
        """Read commands until ``/quit`` or end of input, then wait for started jobs."""
        self._say(self._t("console.welcome"))
        while True:
            line = await asyncio.to_thread(self._stdin.readline)
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
                self._say(f"(stopped waiting for {len(self._pending)} job(s))")

    async def handle_line(self, line: str) -> None:
        command, _, rest = line.partition(" ")
        handler = self._commands.get(command.lower())
        if handler is None:
            self._say(self._t("console.unknown_command", command=command[:40]))
            return
        try:
            await handler(rest.strip())
        except CoreError as exc:
            self._say(self._messages.render_error(exc, self._locale))
        except Exception:
            correlation_id = uuid.uuid4().hex[:8]
            log.exception("console command failed ref=%s command=%s", correlation_id, command)
            self._say(self._t("error.generic", correlation_id=correlation_id))

    # -- commands --------------------------------------------------------------------

    async def _help(self, _: str) -> None:
        self._say(self._t("console.help"))

    async def _terms(self, _: str) -> None:
        status = await self._core.terms(self._actor)
        self._say(self._t("terms.body", policy_version=status.policy_version))

    async def _accept(self, _: str) -> None:
        # Typing /accept after reading the terms is the 13+ confirmation they ask for.
        result = await self._core.accept_terms(self._actor, age_confirmed=True)
        if result.welcome_credits:
            self._say(self._t("terms.accepted_welcome", credits=result.welcome_credits))
        else:
            self._say(self._t("terms.accepted"))

    async def _decline(self, _: str) -> None:
        self._say(self._t("terms.declined"))

    async def _imagine(self, text: str) -> None:
        request = parse_imagine_text(text)
        await self._queued(await self._core.imagine(self._actor, request, self._target()))

    async def _queued(self, job: AcceptedJob) -> None:
        self._track(job.job_id)
        try:
            self._say(
                self._t(
                    "job.queued",
                    job_id=job.job_id[:8],
                    count=job.image_count,
                    cost_credits=job.cost_credits,
                    balance_credits=job.balance_credits,
                    position=job.queue_position,
                )
            )
        finally:
            self._announced.add(job.job_id)
            for event in self._early.pop(job.job_id, []):
                await self._on_event(event)

    async def _vary(self, image_id: str) -> None:
        if not image_id:
            self._say(self._t("console.vary_usage"))
            return
        job = await self._core.vary(self._actor, image_id, self._target())
        await self._queued(job)

    async def _credits(self, _: str) -> None:
        view = await self._core.billing.overview(self._actor)
        self._say("\n".join(overview_lines(self._t, view)))

    async def _buy(self, pack_id: str) -> None:
        link = await self._core.billing.buy_pack(self._actor, pack_id, self._target())
        self._say(self._t("billing.checkout_link", url=link.url))

    async def _subscribe(self, plan_id: str) -> None:
        if plan_id.lower() in ("manage", "cancel", "portal"):
            url = await self._core.billing.portal(self._actor)
            self._say(self._t("billing.portal_link", url=url))
            return
        link = await self._core.billing.subscribe(self._actor, plan_id, self._target())
        self._say(self._t("billing.subscribe_link", url=link.url))

    async def _redeem(self, code: str) -> None:
        done = await self._core.billing.redeem(self._actor, code)
        self._say(
            self._t(
                "billing.redeemed",
                code=done.code,
                credits=done.credits,
                balance_credits=done.balance_credits,
            )
        )

    async def _link(self, code: str) -> None:
        if code.strip():
            self._say(link_done_text(self._t, await self._core.link_redeem(self._actor, code)))
            return
        issued = await self._core.link_code(self._actor)
        self._say(link_code_text(self._t, issued, other="Discord or Telegram"))

    async def _history(self, _: str) -> None:
        jobs = await self._core.history(self._actor)
        if not jobs:
            self._say(self._t("history.empty"))
            return
        lines = []
        for job in jobs:
            lines.append(self._history_line(job))
            lines.extend(f"    {img.image_id}  {img.url}" for img in job.images)
        self._say("\n".join(lines))

    async def _models(self, _: str) -> None:
        for m in self._core.models():
            self._say(model_line(self._t, m))

    async def _cancel(self, arg: str) -> None:
        job_id = await self._full_job_id(arg) if arg else None
        job = await self._core.cancel(self._actor, job_id)
        self._untrack(job.job_id)
        self._say(
            self._t("job.cancelled", job_id=job.job_id[:8], refunded_credits=job.cost_credits)
        )

    async def _settings(self, text: str) -> None:
        if text.lower().startswith("training"):
            await self._training(text.split()[1:])
            return
        if text:
            options = parse_settings_text(text)
            await self._core.set_preferences(
                self._actor, languages=tuple(self._messages.languages), **options
            )
            self._say(self._t("settings.saved"))
        view = await self._core.account(self._actor)
        model = view.default_model or self._core.default_model_id
        aspect = view.default_aspect or self._core.catalog.models[model].default_aspect
        self._say(
            self._t("settings.current", model=model, aspect=aspect, language=view.language or "en")
        )

    # -- privacy ---------------------------------------------------------------------

    async def _privacy(self, _: str) -> None:
        self._say(self._core.privacy.policy_text())

    async def _mydata(self, _: str) -> None:
        self._say(export_text(self._t, await self._core.privacy.export(self._actor)))

    async def _forgetme(self, code: str) -> None:
        outcome = await self._core.privacy.forget(self._actor, code or None)
        if isinstance(outcome, ErasureChallenge):
            minutes = max(1, outcome.expires_in_s // 60)
            self._say(self._t("privacy.forget_confirm", code=outcome.code, minutes=minutes))
        else:
            if outcome.erased:
                for job_id in list(self._pending):  # cancelled by the erasure: no event follows
                    self._untrack(job_id)
            self._say(receipt_text(self._t, self._messages.has, outcome))

    async def _delete(self, image_id: str) -> None:
        if not image_id:
            self._say(self._t("privacy.delete_usage"))
            return
        await self._core.privacy.delete_image(self._actor, image_id)
        self._say(self._t("privacy.image_deleted", image_id=image_id[:24]))

    async def _training(self, words: list[str]) -> None:
        choice = words[0].lower() if len(words) == 1 else ""
        if choice not in ("on", "off"):
            self._say(self._t("privacy.training_usage"))
            return
        await self._core.privacy.set_training_opt_in(self._actor, choice == "on")
        self._say(self._t("privacy.training_on" if choice == "on" else "privacy.training_off"))

    # -- delivery --------------------------------------------------------------------

    async def _on_event(self, event: JobEvent) -> None:
        if event.reply_target is None or event.reply_target.data.get("session") != self._session:
            return  # another console process's job
        if event.kind != "notice" and event.job_id not in self._announced:
            self._early.setdefault(event.job_id, []).append(event)
            return
        short = event.job_id[:8]
        # "queued" needs no line: /imagine's own reply already gave the position.
        if event.kind == "notice" and event.notice_key:
            self._say(self._t(event.notice_key, **event.notice_params))
        elif event.kind == "started":
            self._say(self._t("job.started", job_id=short))
        elif event.kind == "finished":
            note = [self._t("job.enhance_skipped")] if event.enhance_skipped else []
            self._say(
                "\n".join(
                    [self._t("job.finished", job_id=short), *note]
                    + [f"  {img.url}" for img in event.images]
                )
            )
            if event.can_vary and event.images:
                ids = " ".join(img.image_id for img in event.images)
                self._say(self._t("console.vary_hint", image_ids=ids))
        elif event.kind == "failed":
            reason = self._messages.render(
                event.error_key or "error.provider", self._locale, **event.error_params
            )
            self._say(
                self._t(
                    "job.failed",
                    job_id=short,
                    reason=reason,
                    refunded_credits=event.refunded_credits,
                )
            )
        if event.kind in _TERMINAL_EVENTS:
            self._untrack(event.job_id)

    # -- helpers ---------------------------------------------------------------------

    def _target(self) -> ReplyTarget:
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

    def _say(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"
