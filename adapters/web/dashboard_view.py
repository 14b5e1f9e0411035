"""The overview part of the dashboard page, laid out for its template: the charts
(``adapters.web.dashboard_charts``) with their accessible labels, and the rows of the
tables that hold their numbers."""

from __future__ import annotations

from typing import Any

from adapters.web.dashboard_charts import Bar, bar_chart, stacked_hours_chart
from core import DashboardOverview, Messages


def overview_context(overview: DashboardOverview, messages: Messages, lang: str) -> dict[str, Any]:
    def t(key: str, **params: Any) -> str:
        return messages.render(key, lang, **params)

    hours = overview.jobs_per_hour
    totals = {
        "succeeded": sum(h.succeeded for h in hours),
        "failed": sum(h.failed for h in hours),
        "cancelled": sum(h.cancelled for h in hours),
    }
    jobs_chart = stacked_hours_chart(
        [(f"{h.hour_start:%H}", (h.succeeded, h.failed, h.cancelled)) for h in hours],
        label=t("dashboard.jobs_chart", **totals),
        chart_id="jobs-chart",
    )
    providers = overview.providers
    provider_chart = (
        bar_chart(
            [
                Bar(
                    label=p.provider,
                    value=p.failure_rate,
                    shown=t("dashboard.percent", percent=round(p.failure_rate * 100, 1)),
                    css="failed" if p.failure_rate else "bar",
                )
                for p in providers
            ],
            label=t("dashboard.providers_chart"),
            chart_id="providers-chart",
        )
        if providers
        else None
    )
    flow = overview.credits_24h
    credit_rows = [
        ("dashboard.sold", flow.sold_credits, "succeeded"),
        ("dashboard.given", flow.given_credits, "bar"),
        ("dashboard.spent", flow.spent_credits, "cancelled"),
        ("dashboard.refunded", flow.refunded_credits, "bar"),
        ("dashboard.reversed", flow.reversed_credits, "failed"),
    ]
    credits_chart = bar_chart(
        [
            Bar(label=t(key), value=value, shown=t("dashboard.number", n=value), css=css)
            for key, value, css in credit_rows
        ],
        label=t("dashboard.credits_chart"),
        chart_id="credits-chart",
    )
    by_currency: dict[str, dict[str, Any]] = {}
    for period, found in (("day", overview.revenue_24h), ("month", overview.revenue_30d)):
        for r in found:
            row = by_currency.setdefault(r.currency, {"currency": r.currency.upper()})
            money = (
                t("dashboard.stars", stars=r.amount_minor)
                if r.currency == "xtr"  # Telegram Stars are whole
                else t("dashboard.money", amount=r.amount_minor / 100, currency=r.currency.upper())
            )
            row[period] = (money, r.payments)
    return {
        "overview": overview,
        "jobs_chart": jobs_chart,
        "jobs_totals": totals,
        "provider_chart": provider_chart,
        "credits_chart": credits_chart,
        "credit_rows": [(key, value) for key, value, _ in credit_rows],
        "revenue_rows": [by_currency[c] for c in sorted(by_currency)],
    }
