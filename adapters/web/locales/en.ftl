# The web process's English texts (checkout pages), laid over the core's.
# Project Fluent syntax (https://projectfluent.org): a catalogue key such as
# error.invalid_option.empty is the message error-invalid_option-empty; { $name } is a
# parameter. To add a locale, copy this file to <locale>.ftl (de.ftl, pt-BR.ftl) and
# translate it, keeping every key and its parameters.
# - Counts: a selector on the number's CLDR plural category, with every category the
#   language has (en, de: one; es, pt-BR: one, many; ru: one, few, many) and *[other]
#   as the default:  { $n -> [one] { $n } image *[other] { $n } images }
# - Durations: { DURATION($retry_after_s, direction: "in") } says "in 40 seconds",
#   "in 1 hour" in the locale's words; unit: "minute" when the parameter counts minutes
#   ($deadline_min, $minutes); without direction it says a length ("1 hour").
# - Dates and times: { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") }
#   in the locale's format; the times are UTC, so the text says so.

billing-page_title = Seedream
billing-page_success = Thank you! Your payment is being confirmed. You can close this page and return to the chat: your credits arrive there in a moment.
billing-page_cancel = The payment was cancelled and nothing was charged. You can close this page and return to the chat.
billing-page_return = All done. You can close this page and return to the chat.
web-link_invalid = This link is invalid or has expired. Ask the bot for a new one in your chat.
web-file_gone = This file is no longer here: it was deleted or its retention ended.

# The personal gallery (/gallery)
gallery-title = Your gallery
gallery-intro = Your images, newest first. This page is only for you and works until { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC); ask the bot for /gallery again for a new link.
gallery-filter_model = Model
gallery-filter_all = All models
gallery-search = Search in prompts
gallery-apply = Show
gallery-model = Model
gallery-created = Created
gallery-created_at = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") } UTC
gallery-size_label = Size
gallery-dimensions = { $width } × { $height } px
gallery-size = { NUMBER($size_mb, maximumFractionDigits: 1) } MB
gallery-open_original = Open the full-size original
gallery-delete = Delete…
gallery-delete_confirm = Delete this image for good? This cannot be undone.
gallery-delete_yes = Yes, delete it
gallery-deleted = The image was deleted.
gallery-missing = That image was already deleted.
gallery-empty = No images to show. Make some with /imagine, or change the filter.
gallery-pages = Pages
gallery-newest = Newest images
gallery-older = Older images
gallery-refused_title = This link does not work

# The operator dashboard (/dashboard); $operator is "cli", "discord:<id>" or "telegram:<id>"
dashboard-title = Operator dashboard
dashboard-intro = Signed in as { $operator } until { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC). Ask for a new link when it ends; do not share this page.
dashboard-number = { $n }
dashboard-percent = { NUMBER($percent, maximumFractionDigits: 1) }%
dashboard-ms = { NUMBER($ms, maximumFractionDigits: 0) } ms
dashboard-seconds = ≤ { NUMBER($s, maximumFractionDigits: 1) } s
dashboard-age = { DURATION($age_s) }
dashboard-money = { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
dashboard-stars = { $stars ->
    [one] { $stars } Star
   *[other] { $stars } Stars
}
dashboard-payments = { $count ->
    [one] { $count } payment
   *[other] { $count } payments
}
dashboard-jobs_title = Jobs per hour, last 24 hours (UTC)
dashboard-jobs_chart = Jobs per hour over the last 24 hours: { $succeeded } succeeded, { $failed } failed, { $cancelled } cancelled. Each hour's numbers are in the table that follows.
dashboard-hour = Hour (UTC)
dashboard-succeeded = Succeeded
dashboard-failed = Failed
dashboard-cancelled = Cancelled
dashboard-queue_title = Queue
dashboard-queued = Waiting
dashboard-running = Running
dashboard-oldest = Oldest waiting
dashboard-nothing_waits = nothing waits
dashboard-users_title = Active users
dashboard-last_24h = Last 24 hours
dashboard-last_7d = Last 7 days
dashboard-last_30d = Last 30 days
dashboard-providers_title = Image services, last hour
dashboard-providers_chart = Failure rate of each image service in the last hour; the numbers are in the table that follows.
dashboard-provider = Service
dashboard-requests = Calls
dashboard-failure_rate = Failure rate
dashboard-latency_mean = Mean time
dashboard-latency_p50 = Median
dashboard-circuit = Circuit breaker
dashboard-circuit_open = open on { $workers } of { $total } workers
dashboard-circuit_closed = closed
dashboard-no_providers = No calls to image services in the last hour.
dashboard-credits_title = Credits, last 24 hours
dashboard-credits_chart = Credits sold, given, spent, refunded and reversed in the last 24 hours; the numbers are in the table that follows.
dashboard-sold = Sold
dashboard-given = Given (welcome, promo, grants)
dashboard-spent = Spent on jobs
dashboard-refunded = Refunded
dashboard-reversed = Taken back (payment refunds)
dashboard-revenue_title = Revenue
dashboard-currency = Currency
dashboard-no_revenue = No payments in the last 30 days.
dashboard-errors_title = Commonest errors, last 24 hours
dashboard-error_code = Error code
dashboard-jobs = Jobs
dashboard-no_errors = No job failed in the last 24 hours.
dashboard-lookup_title = Look up an account
dashboard-platform = Platform
dashboard-user_id = User id on that platform
dashboard-lookup = Look up
dashboard-not_found = No account has that platform id. Nothing was changed.
dashboard-user_invalid = Choose a platform and type a user id. Nothing was changed.
dashboard-account_title = Account { $account_id }
dashboard-balance = Balance
dashboard-debt = Debt
dashboard-plan = Plan
dashboard-status = Status
dashboard-banned = Banned: { $reason }
dashboard-active = Active
dashboard-identities = Identities
dashboard-grant_title = Grant credits
dashboard-credits_field = Credits (a whole number from 1 to { $max_credits })
dashboard-grant_reason = Reason (kept in the ledger)
dashboard-grant = Grant
dashboard-ban_title = Ban
dashboard-ban_reason = Reason (seen by operators only)
dashboard-ban = Ban this account
dashboard-unban = Lift the ban
dashboard-granted = The credits were granted.
dashboard-already_granted = That grant was already made (the form was sent twice); nothing more was granted.
dashboard-banned_done = The account is banned.
dashboard-unbanned_done = The ban was lifted.
dashboard-amount_invalid = The credits must be a whole number from 1 to { $max_credits }. Nothing was changed.
dashboard-reason_required = Please give a reason. Nothing was changed.
dashboard-ledger_title = Ledger (latest first)
dashboard-when = When (UTC)
dashboard-amount = Credits
dashboard-balance_after = Balance after
dashboard-reason = Reason
dashboard-note = Note
dashboard-jobs_list_title = Jobs (latest first)
dashboard-job = Job
dashboard-job_status = Status
dashboard-model = Model
dashboard-cost = Cost
dashboard-consents_title = Consents
dashboard-consent = Consent
dashboard-given_label = Given
dashboard-policy_version = Policy version
dashboard-yes = yes
dashboard-no = no
dashboard-audit_title = Operators' actions
dashboard-operator = Operator
dashboard-action = Action
dashboard-none = Nothing yet.
