"""The reversal arithmetic is in integers: the credits taken back for a cumulative
reversed amount are ``floor(credits * reversed / paid)``, so partial refunds never take
back more than their share, a full refund takes back exactly what was granted, and a
refund delivered again (the same cumulative amount) takes nothing more."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.billing.grants import reversal_target_credits

CREDITS = st.integers(min_value=0, max_value=10**15)
PAID = st.integers(min_value=1, max_value=10**12)


@given(CREDITS, PAID, st.data())
def test_partial_refunds_add_up_to_the_grant_and_never_more(credits, paid, data):
    amounts = data.draw(st.lists(st.integers(min_value=1, max_value=paid), max_size=8))
    taken, refunded, previous = 0, 0, 0
    for amount in amounts:
        refunded = min(paid, refunded + amount)
        # Each delivery is the charge's cumulative amount, delivered twice.
        for _ in range(2):
            target = reversal_target_credits(credits, paid, refunded)
            taken += target - previous
            previous = target
        assert taken == credits * refunded // paid
        assert 0 <= taken <= credits
    if refunded == paid:
        assert taken == credits


@given(CREDITS, PAID)
def test_a_full_refund_takes_back_exactly_the_grant(credits, paid):
    assert reversal_target_credits(credits, paid, paid) == credits
    assert reversal_target_credits(credits, paid, 10 * paid) == credits
    assert reversal_target_credits(credits, paid, 0) == 0


@given(CREDITS, PAID, st.integers(min_value=0, max_value=10**12))
def test_the_share_rounds_down(credits, paid, reversed_minor):
    target = reversal_target_credits(credits, paid, reversed_minor)
    share = min(reversed_minor, paid)
    assert target * paid <= credits * share < (target + 1) * paid


def test_a_payment_of_no_money_is_taken_back_whole_by_any_reversal():
    assert reversal_target_credits(7, 0, 1) == 7
    assert reversal_target_credits(7, 0, 0) == 0


def test_large_grants_are_exact():
    big = 2**53 + 1  # a float cannot hold it
    assert reversal_target_credits(big, 100, 100) == big
    assert reversal_target_credits(big, 2, 1) == big // 2
