"""Validation of /imagine requests, and the text option syntax shared by text adapters.

Text syntax (console, Telegram): ``a red fox --ar 16:9 --seed 7 --no text --n 2
--model preview --enhance``. Phones often turn ``--`` into an em dash; both work.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from core.accounts.preferences import checked_aspect
from core.catalog import Catalog, ModelSpec, size_for_aspect
from core.errors import InvalidOption, ModelUnavailable, UnknownModel
from core.types import ImagineRequest

PROMPT_MAX_CHARS = 1000
SEED_MAX = 2**32 - 1
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"\s+")
# The /imagine options as typed (console, Telegram): spelling → meaning.
IMAGINE_OPTIONS = {
    "--ar": "aspect",
    "--aspect": "aspect",
    "--seed": "seed",
    "--no": "negative",
    "--n": "count",
    "--count": "count",
    "--model": "model",
    "--m": "model",
    "--enhance": "enhance",
}


def clean_text(text: str) -> str:
    """Remove control characters (newlines and tabs become spaces), collapse spaces."""
    if text.isascii() and text.isprintable():  # the usual prompt: nothing to remove
        return _SPACES.sub(" ", text).strip()
    kept = []
    for ch in text:
        if ch in "\n\r\t":
            kept.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            continue
        else:
            kept.append(ch)
    return _SPACES.sub(" ", "".join(kept)).strip()


def parse_imagine_text(text: str) -> ImagineRequest:
    """Split ``text`` into a prompt and options.

    Raises:
        InvalidOption: an unknown option, a missing or malformed value.
    """
    words = text.replace("\u2014", "--").replace("\u2013", "--").split()
    prompt_words: list[str] = []
    values: dict[str, str] = {}
    negative: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if not word.startswith("--") or word == "--":
            prompt_words.append(word)
            i += 1
            continue
        name = IMAGINE_OPTIONS.get(word.lower())
        if name is None:
            raise InvalidOption(field="option", reason="unknown_option", option=word[:32])
        i += 1
        if name == "enhance":
            values["enhance"] = "1"
            continue
        if name == "negative":
            while i < len(words) and not words[i].startswith("--"):
                negative.append(words[i])
                i += 1
            if not negative:
                raise InvalidOption(field="negative", reason="missing_value", option=word)
            continue
        if i >= len(words) or words[i].startswith("--"):
            raise InvalidOption(field=name, reason="missing_value", option=word)
        values[name] = words[i]
        i += 1
    seed = _parse_int(values.get("seed"), "seed")
    count = _parse_int(values.get("count"), "count")
    return ImagineRequest(
        prompt=" ".join(prompt_words),
        model_id=values.get("model"),
        aspect_ratio=values.get("aspect"),
        seed=seed,
        negative_prompt=" ".join(negative) or None,
        image_count=count,
        enhance="enhance" in values,
    )


# The /settings options as typed: spelling → SettingsChange field.
SETTINGS_OPTIONS = {
    "--model": "model_id",
    "--m": "model_id",
    "--ar": "aspect_ratio",
    "--aspect": "aspect_ratio",
    "--lang": "language",
    "--language": "language",
    "--file": "as_file",
    "--private": "private_replies",
}
_ON = frozenset({"on", "yes", "true", "1"})
_OFF = frozenset({"off", "no", "false", "0"})


class SettingsChange(TypedDict, total=False):
    """Keyword arguments for ``Core.set_preferences``; an option left out stays as it is."""

    model_id: str
    aspect_ratio: str
    language: str
    as_file: bool
    private_replies: bool


def parse_settings_text(text: str) -> SettingsChange:
    """``--model preview --ar 16:9 --lang en --file on`` → keyword arguments for
    set_preferences.

    Raises:
        InvalidOption: an unknown option or a missing value.
    """
    words = text.replace("\u2014", "--").split()
    values: dict[str, str] = {}
    for i in range(0, len(words), 2):
        name = SETTINGS_OPTIONS.get(words[i].lower())
        if name is None:
            raise InvalidOption(field="option", reason="unknown_setting", option=words[i][:32])
        if i + 1 >= len(words) or words[i + 1].startswith("--"):
            raise InvalidOption(field=name, reason="missing_value", option=words[i])
        values[name] = words[i + 1]
    change: SettingsChange = {}
    if "model_id" in values:
        change["model_id"] = values["model_id"]
    if "aspect_ratio" in values:
        change["aspect_ratio"] = values["aspect_ratio"]
    if "language" in values:
        change["language"] = values["language"]
    if "as_file" in values:
        change["as_file"] = _on_off(values["as_file"], "file")
    if "private_replies" in values:
        change["private_replies"] = _on_off(values["private_replies"], "private")
    return change


def _on_off(raw: str, field: str) -> bool:
    flag = raw.lower()
    if flag not in _ON and flag not in _OFF:
        raise InvalidOption(field=field, reason="not_on_off", value=flag[:16])
    return flag in _ON


def rerun_request(job: Any) -> ImagineRequest:
    """The request ``job`` (a job row) was made with, for Reroll: its prompt and options,
    no seed (the new job draws one)."""
    return ImagineRequest(
        prompt=job.prompt,
        model_id=job.model_id,
        aspect_ratio=job.aspect_ratio,
        negative_prompt=job.negative_prompt,
        image_count=job.image_count,
        enhance=bool(job.enhance),
    )


def _parse_int(raw: str | None, field: str) -> int | None:
    """A whole number, signed: its range is the model's (``resolve_request``), so that
    ``--n -3`` and ``--seed -1`` are told the real rule, not "whole number"."""
    if raw is None:
        return None
    if not re.fullmatch(r"[-+]?\d{1,24}", raw):
        if field == "seed":  # the seed's rule does not depend on the model
            raise _seed_refused(raw)
        raise InvalidOption(field=field, reason="not_a_number", value=raw[:32])
    return int(raw)


def _seed_refused(value: object) -> InvalidOption:
    return InvalidOption(
        field="seed", reason="seed_range", value=str(value)[:32], min=0, max=SEED_MAX
    )


@dataclass(frozen=True, slots=True)
class ResolvedRequest:
    """A request checked against the catalogue, with every default filled in."""

    model: ModelSpec
    prompt: str
    negative_prompt: str | None
    aspect_ratio: str
    width_px: int
    height_px: int
    seed: int | None
    image_count: int
    enhance: bool
    source_image_id: str | None = None  # a variation of this image (core.variations)
    # The stored uploads it draws from, in order (core.jobs.references): each costs the
    # model's ``reference_cost_credits``.
    reference_upload_ids: tuple[str, ...] = ()

    @property
    def cost_credits(self) -> int:
        return self.model.cost_for(self.image_count, len(self.reference_upload_ids))


def effective_defaults(
    catalog: Catalog,
    *,
    default_model: str | None,
    default_aspect: str | None,
    fallback_model: str,
    servable: Callable[[ModelSpec], bool] = lambda _: True,
) -> tuple[ModelSpec, str]:
    """The model and aspect an account's request gets when it names neither: its
    preference where the catalogue still offers it (a servable model; an aspect of that
    model), else ``fallback_model`` and that model's default aspect. The one rule behind
    /imagine's defaults and what /settings shows.

    Raises:
        UnknownModel: ``fallback_model`` is not in the catalogue.
    """
    preferred = catalog.model(default_model or "")
    model = preferred if preferred is not None and servable(preferred) else None
    model = model or catalog.model(fallback_model)
    if model is None:
        raise UnknownModel(model_id=fallback_model[:64], available=", ".join(catalog.models))
    return model, preferred_aspect(model, default_aspect)


def preferred_aspect(model: ModelSpec, default_aspect: str | None) -> str:
    """The account's aspect where ``model`` offers it, else the model's default."""
    if default_aspect is not None and default_aspect in model.aspect_ratios:
        return default_aspect
    return model.default_aspect


def resolve_request(
    request: ImagineRequest,
    catalog: Catalog,
    *,
    default_model: str | None = None,
    default_aspect: str | None = None,
    fallback_model: str | None = None,
    servable: Callable[[ModelSpec], bool] = lambda _: True,
) -> ResolvedRequest:
    """Validate ``request`` and apply the account's preferences, then the model's defaults.
    ``fallback_model`` is the deployment's default model (the catalogue's by default);
    ``servable`` tells the models a configured provider serves: the only ones named as
    available (the list /models shows).

    Raises:
        InvalidOption: prompt empty or too long; aspect, seed, count or negative prompt
            outside the model's limits.
        UnknownModel: the model is not in the catalogue.
        ModelUnavailable: the model is in the catalogue but no provider here serves it.
    """
    prompt = clean_text(request.prompt or "")
    if not prompt:
        raise InvalidOption(field="prompt", reason="empty")
    if len(prompt) > PROMPT_MAX_CHARS:
        raise InvalidOption(
            field="prompt", reason="too_long", max_chars=PROMPT_MAX_CHARS, length=len(prompt)
        )
    fallback_model = fallback_model or catalog.default_model_id
    model_id = request.model_id or default_model or fallback_model
    model = catalog.model(model_id)
    if model is None and request.model_id is None:
        model = catalog.model(fallback_model)  # a stale preference
    if model is None:
        raise UnknownModel(model_id=model_id[:64], available=_available(catalog, servable))
    if not servable(model):
        raise ModelUnavailable(model_id=model.id, available=_available(catalog, servable))
    asked = (request.aspect_ratio or "").strip()
    aspect = checked_aspect(model, asked) if asked else preferred_aspect(model, default_aspect)
    seed = request.seed
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise _seed_refused(seed)
    count = 1 if request.image_count is None else request.image_count
    if not 1 <= count <= model.max_images:
        raise InvalidOption(
            field="count", reason="count_range", value=str(count)[:32], max=model.max_images
        )
    negative = clean_text(request.negative_prompt or "") or None
    if negative is not None:
        if not model.supports_negative_prompt:
            raise InvalidOption(field="negative", reason="unsupported", model=model.id)
        if len(negative) > PROMPT_MAX_CHARS:
            raise InvalidOption(
                field="negative",
                reason="negative_too_long",
                max_chars=PROMPT_MAX_CHARS,
                length=len(negative),
            )
    if seed is not None and not model.supports_seed:
        raise InvalidOption(field="seed", reason="unsupported", model=model.id)
    width, height = size_for_aspect(aspect, model.base_size_px)
    return ResolvedRequest(
        model=model,
        prompt=prompt,
        negative_prompt=negative,
        aspect_ratio=aspect,
        width_px=width,
        height_px=height,
        seed=seed,
        image_count=count,
        enhance=request.enhance,
    )


def _available(catalog: Catalog, servable: Callable[[ModelSpec], bool]) -> str:
    return ", ".join(m.id for m in catalog.models.values() if servable(m))
