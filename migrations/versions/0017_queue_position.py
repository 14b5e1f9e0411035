"""PostgreSQL: the accept function also answers the new job's place in the queue, counted
as ``core.jobs.scheduling.queue_position`` counts it on SQLite (the queued jobs that the
claim order puts before it, up to a cap), in the same call. SQLite: nothing.

The function is written out whole here, not derived from an earlier migration's text, so
that it reads as it runs. Its result gains a column, and PostgreSQL cannot change a
function's result type in place, so the old one is dropped (the downgrade puts 0016's
back).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

SIGNATURE_0016 = """seedream_accept_job(
    bigint, text, varchar, bigint, timestamptz, varchar, varchar, text, text, boolean,
    varchar, integer, integer, bigint, integer, varchar, text, varchar, integer, integer,
    integer, smallint, varchar, varchar, varchar)"""

# Verdicts: accepted | changed | too_many_queued | insufficient. ``position_now`` is set
# only when accepted: 1 + the queued jobs ahead of the new one, those ahead counted up to
# p_position_cap (two index ranges of ix_jobs_claim_order, each stopping at the cap).
ACCEPT_SQL = """
CREATE FUNCTION seedream_accept_job(
    p_account_id bigint, p_seen text, p_job_id varchar, p_cost_credits bigint,
    p_now timestamptz, p_reason varchar, p_model_id varchar, p_prompt text,
    p_negative_prompt text, p_enhance boolean, p_aspect_ratio varchar, p_width_px integer,
    p_height_px integer, p_seed bigint, p_image_count integer, p_platform varchar,
    p_reply_target text, p_locale varchar, p_max_attempts integer, p_max_queued integer,
    p_max_running integer, p_lane smallint, p_request_key varchar,
    p_source_image_id varchar, p_reference_upload_ids varchar, p_position_cap integer
) RETURNS TABLE (verdict text, balance_now bigint, position_now integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    owner accounts%ROWTYPE;
    queued_jobs bigint;
    active_jobs bigint;
BEGIN
    SELECT * INTO owner FROM accounts WHERE id = p_account_id FOR UPDATE;
    IF NOT FOUND OR seedream_account_seen(owner) IS DISTINCT FROM p_seen THEN
        RETURN QUERY SELECT 'changed'::text, NULL::bigint, NULL::integer;
        RETURN;
    END IF;
    SELECT count(*) FILTER (WHERE status = 'queued'), count(*)
      INTO queued_jobs, active_jobs
      FROM jobs WHERE account_id = p_account_id AND status IN ('queued', 'running');
    IF queued_jobs >= p_max_queued THEN
        RETURN QUERY SELECT 'too_many_queued'::text, owner.balance_credits, NULL::integer;
        RETURN;
    END IF;
    IF owner.balance_credits < p_cost_credits THEN
        RETURN QUERY SELECT 'insufficient'::text, owner.balance_credits, NULL::integer;
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
    -- core.jobs.lifecycle.insert_job).
    INSERT INTO jobs
        (id, account_id, status, model_id, prompt, negative_prompt, enhance, aspect_ratio,
         width_px, height_px, seed, image_count, cost_credits, platform, reply_target,
         locale, max_attempts, attempts, created_at, max_running, lane, fair_vt,
         request_key, source_image_id, reference_upload_ids)
    VALUES (p_job_id, p_account_id, 'queued', p_model_id, p_prompt, p_negative_prompt,
            p_enhance, p_aspect_ratio, p_width_px, p_height_px, p_seed, p_image_count,
            p_cost_credits, p_platform, p_reply_target, p_locale, p_max_attempts, 0,
            p_now, p_max_running, p_lane, active_jobs + 1, p_request_key,
            p_source_image_id, p_reference_upload_ids);
    -- Counted in the statement that answers (each statement of a function costs the
    -- call its own executor start): two index ranges, each cut at the cap.
    RETURN QUERY SELECT 'accepted'::text, owner.balance_credits, 1 + (
        SELECT count(*)::integer FROM (
            (SELECT 1 FROM jobs
              WHERE status = 'queued' AND lane > p_lane LIMIT p_position_cap)
            UNION ALL
            (SELECT 1 FROM jobs
              WHERE status = 'queued' AND lane = p_lane
                AND (fair_vt, created_at) < (active_jobs + 1, p_now)
              LIMIT p_position_cap)
            LIMIT p_position_cap
        ) jobs_ahead);
END
$$
"""


def _accept_0016() -> str:
    """Migration 0016's CREATE FUNCTION text (the downgrade puts it back)."""
    path = Path(__file__).with_name("0016_reference_images_previews.py")
    spec = importlib.util.spec_from_file_location("seedream_migration_0016", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module._accept_0016())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {SIGNATURE_0016}")
    op.execute(ACCEPT_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION seedream_accept_job")
    op.execute(_accept_0016())
