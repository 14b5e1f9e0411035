# English texts every chat adapter (console, Discord, Telegram) shows; laid over the
# core's catalogue (core/text/locales) by adapters.common.catalogue.chat_messages.
# Project Fluent syntax (https://projectfluent.org): a catalogue key such as
# error.invalid_option.empty is the message error-invalid_option-empty; { $name } is a
# parameter; plurals are selectors on CLDR categories ({ $n -> [one] ... *[other] ... }).
# To add a locale, copy this file to <locale>.ftl (de.ftl, pt-BR.ftl) and translate it.

terms-accepted = Thank you! You can now create images. Try: /imagine a red fox in snow
terms-accepted_welcome = Thank you! You received { $credits } free credits. Try: /imagine a red fox in snow
terms-declined = No problem. You can read the terms again with /terms whenever you like.
job-queued = Queued { $job_id } ({ $count } image(s), { $cost_credits } credits; balance { $balance_credits }). Position in queue: { $position }.
job-started = Generating { $job_id }…
job-finished = Done { $job_id }:
job-enhance_skipped = Prompt enhancement was not available, so I used your prompt as written.
job-failed = Job { $job_id } failed: { $reason } Refunded { $refunded_credits } credits.
job-cancelled = Cancelled { $job_id }. Refunded { $refunded_credits } credits.
credits-balance = Balance: { $balance_credits } credits.
credits-entry = { $created_at }  { $amount_credits }  { $reason }  ({ $reference })
credits-none = No credit movements yet.
history-empty = You have not created any images yet.
history-item = { $created_at }  { $job_id }  { $status }  { $model_id }  "{ $prompt }"
settings-saved = Saved.
settings-on = on
settings-off = off
models-item = { $id }: { $label } - { $cost_credits } credit(s) per image; aspect ratios { $aspects }; up to { $max_images } images
models-seed_some_routes = ; seed: not on all routes (a result made without it shows no seed)
models-seed_no_routes = ; seed: not honoured by its services
models-references = ; takes up to { $max_references } reference image(s) (/imagine with images)
models-references_cost = ; takes up to { $max_references } reference image(s) (/imagine with images, { $cost_credits } credit(s) each)
chat-unknown_command = Unknown command { $command }. Type /help for the list.
link-code = Your link code: { $code } (valid { $minutes } minutes, until { $expires_at } UTC). To join your { $other } account to this one, send /link { $code } to this bot on { $other }. Both become one account with one balance. Never share this code.
link-done = Linked: { $platforms } are now one account with one balance: { $balance_credits } credits ({ $moved_credits } credits moved over).
billing-overview_debt = You owe { $debt_credits } credits from a refunded or disputed payment; new images are paused until a purchase settles it.
billing-overview_plan = Plan: { $plan }.
billing-packs_header = Credit packs (buy with /buy PACK):
billing-pack_item = {"  "}{ $id }: { $credits } credits for { $price }
billing-pack_item_stars = {"  "}{ $id }: { $credits } credits for { $stars } Stars
billing-plans_header = Subscriptions (start with /subscribe PLAN, manage with /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits } credits every month, { $price } per month
billing-not_configured = Buying credits is not available on this bot (payments are not configured).
billing-checkout_link =
    Pay here (the link is personal and expires in 24 hours):
    { $url }
    Your credits arrive in this chat as soon as the payment goes through.
billing-subscribe_link =
    Subscribe here (the link is personal and expires in 24 hours):
    { $url }
    Your monthly credits arrive in this chat after each payment.
billing-portal_link =
    Manage or cancel your subscription here:
    { $url }
billing-redeemed = Promo code { $code } redeemed: { $credits } credits added. Balance: { $balance_credits } credits.
privacy-export_ready =
    Your data export is ready ({ $size_kb } KB, { $images } image(s)). Download it before { $expires_at } UTC:
    { $url }
privacy-forget_done = Erased at { $finished_at } UTC (receipt { $erasure_id }). Removed: { $summary }.{ $kept } Cancelled { $cancelled_jobs } queued job(s), { $refunded_credits } credits refunded before erasure.
privacy-forget_kept = {" "}Kept on purpose: { $kept }.
privacy-forget_nothing = We hold no data about you: there is nothing to erase.
privacy-image_deleted = Image { $image_id } was deleted.
privacy-training_on = Your prompts and images may now be used to improve models. Turn this off with /settings training off.
privacy-training_off = Your prompts and images will not be used for training.
privacy-kept-payment_records = payment records, without any link to you (the law requires them)
privacy-kept-abuse_prevention = a keyed hash of your chat identity noting that it already had the welcome credits or a promo code, so they are not given twice (abuse prevention; it names neither you nor your account)
privacy-counted-accounts = { $n } account(s)
privacy-counted-identities = { $n } chat identit(ies)
privacy-counted-consents = { $n } consent record(s)
privacy-counted-confirmations = { $n } confirmation code(s)
privacy-counted-jobs = { $n } generation(s) with their prompts
privacy-counted-images = { $n } image record(s)
privacy-counted-uploads = { $n } reference image(s) you brought
privacy-counted-exports = { $n } export(s)
privacy-counted-storage_objects = { $n } stored file(s)
privacy-counted-ledger_entries_deleted = { $n } credit movement(s)
privacy-counted-payment_records_pseudonymised = { $n } payment record(s) kept without any link to you
privacy-counted-redis_entries = { $n } technical record(s)
privacy-counted-rate_windows = { $n } rate-limit counter(s)
privacy-counted-link_codes_deleted = { $n } account link code(s)
privacy-counted-payment_customers = { $n } customer record(s) at the payment service
privacy-counted-redis_notice_markers = { $n } payment notice marker(s)
privacy-counted-payments_pseudonymised = { $n } payment(s) kept without any link to you
privacy-counted-stars_refunds_pseudonymised = { $n } Telegram Stars refund(s) kept without any link to you
privacy-counted-subscriptions_pseudonymised = { $n } subscription(s) kept without any link to you
privacy-counted-credit_debts_pseudonymised = { $n } credit debt record(s) kept without any link to you
privacy-counted-checkout_sessions_pseudonymised = { $n } checkout record(s) kept without any link to you
privacy-counted-promo_redemptions_deleted = { $n } promo code redemption(s)
privacy-counted-billing_customers_deleted = { $n } billing customer link(s)
privacy-counted-other = { $n } other record(s)
buttons-vary = V{ $index }
