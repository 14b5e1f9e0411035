"""Inline keyboards and their callback data.

Callback data is ``<kind>:<opaque id>`` and at most 64 bytes (Telegram's limit); the
state behind a button lives in the core and is looked up again on the click. A new
button is a new kind here plus one entry in ``adapters.telegram.callbacks.CALLBACKS``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.types import AccountView

MAX_CALLBACK_BYTES = 64

TERMS_ACCEPT = "ta"
TERMS_DECLINE = "td"
REROLL = "rr"  # job id
CANCEL = "cx"  # job id
SET_MODEL = "sm"  # model id
SET_ASPECT = "sa"  # aspect ratio
SET_FILE = "sf"  # 1 | 0
SET_LANGUAGE = "sl"  # language code


def pack(kind: str, value: str = "") -> str:
    """Raises: ValueError past Telegram's 64 bytes (a catalogue id too long for a button)."""
    data = f"{kind}:{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes for kind {kind}")
    return data


def unpack(data: str) -> tuple[str, str]:
    kind, _, value = data.partition(":")
    return kind, value


def button(text: str, kind: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(kind, value))


def terms_keyboard(t) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(t("telegram.button.accept"), TERMS_ACCEPT)],
            [button(t("telegram.button.decline"), TERMS_DECLINE)],
        ]
    )


def queued_keyboard(t, job_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t("telegram.button.cancel"), CANCEL, job_id)]])


def result_keyboard(t, job_id: str) -> InlineKeyboardMarkup:
    # A delete button joins here once the core can delete one image.
    return InlineKeyboardMarkup([[button(t("telegram.button.reroll"), REROLL, job_id)]])


def private_chat_keyboard(t, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("telegram.open_private"), url=url)]])


def settings_keyboard(
    t,
    account: AccountView,
    *,
    model_ids: list[str],
    current_model: str,
    aspects: tuple[str, ...],
    languages: list[str],
) -> InlineKeyboardMarkup:
    def mark(label: str, chosen: bool) -> str:
        return f"• {label}" if chosen else label

    rows = [
        [button(mark(m, m == current_model), SET_MODEL, m) for m in model_ids[i : i + 3]]
        for i in range(0, len(model_ids), 3)
    ]
    current_aspect = account.default_aspect
    rows += [
        [button(mark(a, a == current_aspect), SET_ASPECT, a) for a in aspects[i : i + 4]]
        for i in range(0, len(aspects), 4)
    ]
    if len(languages) > 1:
        rows.append(
            [button(mark(code, code == account.language), SET_LANGUAGE, code) for code in languages]
        )
    if account.deliver_as_file:
        rows.append([button(t("telegram.button.as_file_on"), SET_FILE, "0")])
    else:
        rows.append([button(t("telegram.button.as_file_off"), SET_FILE, "1")])
    return InlineKeyboardMarkup(rows)
