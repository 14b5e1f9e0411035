"""`seedream admin stars-refunds` and `seedream admin refund-stars`, in process: the
operator sees the refunds still pending and the failed ones, and what each left."""

from __future__ import annotations

from bot.admin_billing import dispatch_billing
from bot.bootstrap import bootstrap
from bot.cli import _parser
from core.types import Actor
from tests.integration.test_stars_refunds import FakeTelegramStars


async def _pay(app, user_id: str, charge_id: str) -> None:
    actor = Actor("telegram", user_id, "Star buyer", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    invoice = await app.core.billing.stars_invoice(actor, "small")
    await app.core.billing.stars_paid(actor, invoice.payload, "XTR", 250, charge_id)


async def _cli(settings, capsys, *argv: str) -> tuple[int, str, str]:
    code = await dispatch_billing(_parser().parse_args(["admin", *argv]), settings)
    out, err = capsys.readouterr()
    return code, out, err


async def test_the_operator_lists_pending_and_failed_stars_refunds(settings, capsys):
    code, out, _ = await _cli(settings, capsys, "stars-refunds")
    assert (code, out.strip()) == (0, "no pending or failed Stars refunds")
    telegram = FakeTelegramStars()
    async with bootstrap(settings) as app:
        app.core.billing.stars_refunds = telegram
        for n in (1, 2, 3):
            await _pay(app, f"70{n}", f"ch-{n}")
        await app.core.billing.admin_refund_stars("ch-1")  # done: not listed
        telegram.unreachable = True
        await app.core.billing.admin_refund_stars("ch-2")
        telegram.unreachable, telegram.refuse = False, "Charge_not_found"
        await app.core.billing.admin_refund_stars("ch-3")

    code, out, _ = await _cli(settings, capsys, "stars-refunds")
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split()[:2] for line in lines] == [["pending", "ch-2"], ["failed", "ch-3"]]
    assert "250 Stars  100 credits taken back, 0 owed  attempts 1  CONNECTIONERROR" in lines[0]
    assert "CHARGE_NOT_FOUND" in lines[1]

    # Without a Telegram token the refund cannot be sent: said so, nothing changes.
    code, _, err = await _cli(settings, capsys, "refund-stars", "ch-2")
    assert code == 1 and "Telegram" in err
    code, out, _ = await _cli(settings, capsys, "stars-refunds")
    assert [line.split()[:2] for line in out.strip().splitlines()] == [
        ["pending", "ch-2"],
        ["failed", "ch-3"],
    ]
