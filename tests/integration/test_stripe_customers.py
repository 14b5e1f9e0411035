"""The Stripe customer of an account: one idempotency key per creation attempt (a failed
attempt is not replayed for 24 hours), metadata naming the account and this deployment,
and never a customer another deployment made for the same account id."""

from __future__ import annotations

import pytest

from core.errors import PaymentsUnavailable
from tests.support.billing_harness import TARGET, new_customer


async def test_a_failed_first_customer_call_is_not_replayed_on_the_next_attempt(
    billing_app, stripe_fake
):
    actor = await new_customer(billing_app)
    stripe_fake.fail_next["/v1/customers"] = (
        500,
        {"error": {"type": "api_error", "message": "An unknown error occurred"}},
    )
    with pytest.raises(PaymentsUnavailable):
        await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    assert link.url.startswith(f"{stripe_fake.base_url}/pay/")
    keys = [h for h in stripe_fake.idempotency_keys if h[0] == "/v1/customers"]
    assert len(keys) == 2 and keys[0][1] != keys[1][1]


async def test_a_reused_account_id_never_gets_another_deployments_customer(
    billing_app, stripe_fake
):
    actor = await new_customer(billing_app)
    account_id = (await billing_app.core.account(actor)).account_id
    # Another environment on the same Stripe account (or this one before a database
    # reset) made a customer for the same account id with the old fixed key.
    theirs = "cus_someone_else"
    stripe_fake.customers[theirs] = {"id": theirs, "object": "customer", "metadata": {}}
    stripe_fake.replay(f"seedream-customer-{account_id}", {"id": theirs, "object": "customer"})

    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    ours = stripe_fake.sessions[link.session_id]["customer"]
    assert ours != theirs
    metadata = stripe_fake.customers[ours]["metadata"]
    assert metadata["account_id"] == str(account_id)
    deployment = metadata["deployment_id"]
    assert len(deployment) >= 16
    # The deployment id is kept: the next account of this deployment names the same one.
    other = await new_customer(billing_app)
    second = await billing_app.core.billing.buy_pack(other, "small", TARGET)
    customer = stripe_fake.sessions[second.session_id]["customer"]
    assert stripe_fake.customers[customer]["metadata"]["deployment_id"] == deployment


async def test_a_customer_answer_naming_someone_else_is_refused(billing_app, stripe_fake):
    actor = await new_customer(billing_app)
    foreign = {"id": "cus_foreign", "object": "customer", "metadata": {"account_id": "999999"}}
    stripe_fake.customers["cus_foreign"] = foreign
    stripe_fake.fail_next["/v1/customers"] = (200, foreign)
    with pytest.raises(PaymentsUnavailable):
        await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    assert not stripe_fake.sessions
