"""PostgreSQL: the accept path's lock, checks, debit, ledger entry and job insert as one
function, called in one statement (see core/jobs/accept_pg.py). SQLite: nothing.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# What the accept path's checks read from an account (all but the balance): the row as
# the submit saw it is compared with the row under the lock, and any change (a merge,
# a ban, a debt, new terms, a new plan or preference, an erasure) makes it read again.
SEEN_SQL = """
CREATE FUNCTION seedream_account_seen(a accounts) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT row(a.plan, a.language, a.default_model, a.default_aspect, a.terms_version,
               a.age_confirmed_at, a.banned_at, a.ban_reason, a.debt_credits,
               a.merged_into_account_id, a.erased_at)::text
$$
"""

# Called in autocommit, so the function's statements are the whole transaction and the
# row lock is held until its commit. In READ COMMITTED each statement of a plpgsql
# function takes a fresh snapshot: the count after the lock sees the jobs that the
# previous holder of the lock committed, so the plan's queued limit holds under any
# concurrency. Verdicts: accepted | changed | too_many_queued | insufficient.
ACCEPT_SQL = """
CREATE FUNCTION seedream_accept_job(
    p_account_id bigint, p_seen text, p_job_id varchar, p_cost_credits bigint,
    p_now timestamptz, p_reason varchar, p_model_id varchar, p_prompt text,
    p_negative_prompt text, p_enhance boolean, p_aspect_ratio varchar, p_width_px integer,
    p_height_px integer, p_seed bigint, p_image_count integer, p_platform varchar,
    p_reply_target text, p_locale varchar, p_max_attempts integer, p_max_queued integer,
    p_max_running integer, p_lane smallint, p_request_key varchar,
    p_source_image_id varchar
) RETURNS TABLE (verdict text, balance_now bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    owner accounts%ROWTYPE;
    queued_jobs bigint;
    active_jobs bigint;
BEGIN
    SELECT * INTO owner FROM accounts WHERE id = p_account_id FOR UPDATE;
    IF NOT FOUND OR seedream_account_seen(owner) IS DISTINCT FROM p_seen THEN
        RETURN QUERY SELECT 'changed'::text, NULL::bigint;
        RETURN;
    END IF;
    SELECT count(*) FILTER (WHERE status = 'queued'), count(*)
      INTO queued_jobs, active_jobs
      FROM jobs WHERE account_id = p_account_id AND status IN ('queued', 'running');
    IF queued_jobs >= p_max_queued THEN
        RETURN QUERY SELECT 'too_many_queued'::text, owner.balance_credits;
        RETURN;
    END IF;
    IF owner.balance_credits < p_cost_credits THEN
        RETURN QUERY SELECT 'insufficient'::text, owner.balance_credits;
        RETURN;
    END IF;
    IF p_cost_credits > 0 THEN
        UPDATE accounts SET balance_credits = balance_credits - p_cost_credits
         WHERE id = p_account_id
        RETURNING balance_credits INTO owner.balance_credits;
        INSERT INTO ledger_entries
            (account_id, amount_credits, balance_after_credits, reason, reference,
             created_at)
        VALUES (p_account_id, -p_cost_credits, owner.balance_credits, p_reason, p_job_id,
                p_now);
    END IF;
    -- The job's virtual time is its rank in the owner's backlog (see
    -- core.generation.insert_job).
    INSERT INTO jobs
        (id, account_id, status, model_id, prompt, negative_prompt, enhance, aspect_ratio,
         width_px, height_px, seed, image_count, cost_credits, platform, reply_target,
         locale, max_attempts, attempts, created_at, max_running, lane, fair_vt,
         request_key, source_image_id)
    VALUES (p_job_id, p_account_id, 'queued', p_model_id, p_prompt, p_negative_prompt,
            p_enhance, p_aspect_ratio, p_width_px, p_height_px, p_seed, p_image_count,
            p_cost_credits, p_platform, p_reply_target, p_locale, p_max_attempts, 0,
            p_now, p_max_running, p_lane, active_jobs + 1, p_request_key,
            p_source_image_id);
    RETURN QUERY SELECT 'accepted'::text, owner.balance_credits;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SEEN_SQL)
    op.execute(ACCEPT_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION seedream_accept_job")
    op.execute("DROP FUNCTION seedream_account_seen")
