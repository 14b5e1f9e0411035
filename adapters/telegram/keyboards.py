"""Inline keyboards and their callback data.

Callback data is ``<kind>:<opaque id>`` and at most 64 bytes (Telegram's limit); the
state behind a button lives in the core and is looked up again on the click. A new
button is a new kind here plus one entry in ``adapters.telegram.callbacks.CALLBACKS``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core import AccountView, PackOffer, format_price

MAX_CALLBACK_BYTES = 64

TERMS_ACCEPT = "ta"
TERMS_DECLINE = "td"
REROLL = "rr"  # job id
VARY = "va"  # image id: a variation of that image
CANCEL = "cx"  # job id
SET_MODEL = "sm"  # model id
SET_ASPECT = "sa"  # aspect ratio
SET_FILE = "sf"  # 1 | 0
SET_LANGUAGE = "sl"  # language code
# Billing and privacy
BUY_STARS = "bs"  # pack id: send a Stars invoice
BUY_CARD = "bc"  # pack id: a card checkout link (only when the operator enabled it)
DELETE = "dl"  # image id
FORGET = "fg"  # the erasure confirmation code
SET_TRAINING = "st"  # 1 | 0
SET_ANALYTICS = "an"  # 1 | 0


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


def result_keyboard(
    t, job_id: str, image_id: str | None = None, *, vary_index: int | None = None
) -> InlineKeyboardMarkup:
    """Under one image of a result: reroll the job, V<n> (a variation of this image, when
    the model offers them; ``vary_index`` is the image's 1-based number) and delete."""
    row = [button(t("telegram.button.reroll"), REROLL, job_id)]
    if image_id and vary_index is not None:
        row.append(button(t("buttons.vary", index=vary_index), VARY, image_id))
    if image_id:
        row.append(button(t("telegram.button.delete"), DELETE, image_id))
    return InlineKeyboardMarkup([row])


def buy_keyboard(t, packs: list[PackOffer]) -> InlineKeyboardMarkup:
    """One button per pack: Stars invoices, and card checkout links when offered."""
    rows = []
    for pack in packs:
        if pack.method == "stars":
            label = t("telegram.button.buy_stars", credits=pack.credits, stars=pack.amount_minor)
            rows.append([button(label, BUY_STARS, pack.id)])
        else:
            price = format_price(pack.amount_minor, pack.currency)
            label = t("telegram.button.buy_card", credits=pack.credits, price=price)
            rows.append([button(label, BUY_CARD, pack.id)])
    return InlineKeyboardMarkup(rows)


def url_keyboard(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])


def forget_keyboard(t, code: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t("telegram.button.forget_confirm"), FORGET, code)]])


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
    if account.training_opt_in:
        rows.append([button(t("telegram.button.training_on"), SET_TRAINING, "0")])
    else:
        rows.append([button(t("telegram.button.training_off"), SET_TRAINING, "1")])
    if account.analytics_opt_in:
        rows.append([button(t("telegram.button.analytics_on"), SET_ANALYTICS, "0")])
    else:
        rows.append([button(t("telegram.button.analytics_off"), SET_ANALYTICS, "1")])
    return InlineKeyboardMarkup(rows)
