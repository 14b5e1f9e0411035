# English texts every chat adapter (console, Discord, Telegram) shows; laid over the
# core's catalogue (core/text/locales) by adapters.common.catalogue.chat_messages.
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

terms-accepted = Thank you! You can now create images. Try: /imagine a red fox in snow
terms-accepted_welcome = Thank you! You received { $credits ->
        [one] { $credits } free credit
       *[other] { $credits } free credits
    }. Try: /imagine a red fox in snow
terms-declined = No problem. You can read the terms again with /terms whenever you like.
job-queued = Queued { $job_id } ({ $count ->
        [one] { $count } image
       *[other] { $count } images
    }, { $cost_credits ->
        [one] { $cost_credits } credit
       *[other] { $cost_credits } credits
    }; balance { $balance_credits }).
job-queue_position = Position in queue: { $position }.
job-queue_position_far = More than { $jobs_ahead ->
        [one] { $jobs_ahead } job is
       *[other] { $jobs_ahead } jobs are
    } ahead of it in the queue.
job-started = Generating { $job_id }…
job-finished = Done { $job_id }:
job-enhance_skipped = Prompt enhancement was not available, so I used your prompt as written.
job-failed = Job { $job_id } failed: { $reason } Refunded { $refunded_credits ->
        [one] { $refunded_credits } credit
       *[other] { $refunded_credits } credits
    }.
job-cancelled = Cancelled { $job_id }. Refunded { $refunded_credits ->
        [one] { $refunded_credits } credit
       *[other] { $refunded_credits } credits
    }.
credits-balance = Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
credits-entry = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $amount_credits }  { $reason ->
        [welcome] welcome credits
        [spend] spent on images
        [refund] refund
        [admin_grant] granted by an operator
        [admin_debit] taken back by an operator
        [purchase] purchase
        [subscription] subscription
        [stars_purchase] Stars purchase
        [promo] promo code
        [payment_reversal] payment reversed
        [stars_refund] Stars refund
        [stars_refund_undone] Stars refund undone
        [debt_settled] debt settled
        [link_out] moved by /link
        [link_in] joined by /link
        [erasure_close] data erasure
       *[other] other
    }  ({ $reference })
credits-none = No credit movements yet.
history-empty = You have not created any images yet.
history-item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $job_id }  { $status ->
        [queued] queued
        [running] running
        [succeeded] done
        [failed] failed
        [cancelled] cancelled
       *[other] unknown
    }  { $model_id }  "{ $prompt }"
settings-saved = Saved.
settings-on = on
settings-off = off
models-item = { $id }: { $label } - { $cost_credits ->
        [one] { $cost_credits } credit per image
       *[other] { $cost_credits } credits per image
    }; aspect ratios { $aspects }; up to { $max_images ->
        [one] { $max_images } image
       *[other] { $max_images } images
    }
models-seed_some_routes = ; seed: not on all routes (a result made without it shows no seed)
models-seed_no_routes = ; seed: not honoured by its services
models-references = ; takes up to { $max_references ->
        [one] { $max_references } reference image
       *[other] { $max_references } reference images
    } (/imagine with images)
models-references_cost = ; takes up to { $max_references ->
        [one] { $max_references } reference image
       *[other] { $max_references } reference images
    } (/imagine with images, { $cost_credits ->
        [one] { $cost_credits } credit each
       *[other] { $cost_credits } credits each
    })
chat-unknown_command = Unknown command { $command }. Type /help for the list.
link-code = Your link code: { $code } (valid for { DURATION($minutes, unit: "minute") }, until { DATETIME($expires_at, timeStyle: "short") } UTC). To join your { $other } account to this one, send /link { $code } to this bot on { $other }. Both become one account with one balance. Never share this code.
link-code_any = Your link code: { $code } (valid for { DURATION($minutes, unit: "minute") }, until { DATETIME($expires_at, timeStyle: "short") } UTC). To join your Discord or Telegram account to this one, send /link { $code } to this bot on Discord or Telegram. Both become one account with one balance. Never share this code.
link-done = Linked: { $platforms } are now one account with one balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    } ({ $moved_credits ->
        [one] { $moved_credits } credit moved over
       *[other] { $moved_credits } credits moved over
    }).
billing-overview_debt = You owe { $debt_credits ->
        [one] { $debt_credits } credit
       *[other] { $debt_credits } credits
    } from a refunded or disputed payment; new images are paused until a purchase settles it.
billing-overview_plan = Plan: { $plan }.
billing-packs_header = Credit packs (buy with /buy PACK):
billing-pack_item = {"  "}{ $id }: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } for { $price }
billing-pack_item_stars = {"  "}{ $id }: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } for { $stars ->
        [one] { $stars } Star
       *[other] { $stars } Stars
    }
billing-plans_header = Subscriptions (start with /subscribe PLAN, manage with /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits ->
        [one] { $monthly_credits } credit
       *[other] { $monthly_credits } credits
    } every month, { $price } per month
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
billing-redeemed = Promo code { $code } redeemed: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } added. Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
privacy-export_ready =
    Your data export is ready ({ $size_kb } KB, { $images ->
            [one] { $images } image
           *[other] { $images } images
        }). Download it before { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC:
    { $url }
privacy-gallery_ready =
    Your personal gallery: all your images on one private page.
    Open it before { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC, and do not share it: anyone with the link sees your images. A new /gallery link replaces this one.
    { $url }
privacy-forget_done = Erased at { DATETIME($finished_at, dateStyle: "medium", timeStyle: "medium") } UTC (receipt { $erasure_id }). Removed: { $summary }.{ $kept } Cancelled { $cancelled_jobs ->
        [one] { $cancelled_jobs } queued job
       *[other] { $cancelled_jobs } queued jobs
    }, { $refunded_credits ->
        [one] { $refunded_credits } credit
       *[other] { $refunded_credits } credits
    } refunded before erasure.
privacy-forget_kept = {" "}Kept on purpose: { $kept }.
privacy-forget_nothing = We hold no data about you: there is nothing to erase.
privacy-image_deleted = Image { $image_id } was deleted.
privacy-training_on = Your prompts and images may now be used to improve models. Turn this off with /settings training off.
privacy-training_off = Your prompts and images will not be used for training.
privacy-analytics_on = Product analytics are on: the bot now sends usage events (commands used, jobs finished, purchases) under a random id, never your prompts, images or chat id. Turn this off with /settings analytics off.
privacy-analytics_off = Product analytics are off: no usage events are sent about you.
privacy-kept-other = other records
privacy-removed_nothing = nothing
privacy-kept-payment_records = payment records, without any link to you (the law requires them)
privacy-kept-abuse_prevention = a keyed hash of your chat identity noting that it had the welcome credits or a promo code, so they are not given twice, and when it was erased, so that restoring an older backup erases your data again (abuse prevention and backups; it names neither you nor your account)
privacy-counted-accounts = { $n ->
        [one] { $n } account
       *[other] { $n } accounts
    }
privacy-counted-identities = { $n ->
        [one] { $n } chat identity
       *[other] { $n } chat identities
    }
privacy-counted-consents = { $n ->
        [one] { $n } consent record
       *[other] { $n } consent records
    }
privacy-counted-confirmations = { $n ->
        [one] { $n } confirmation code
       *[other] { $n } confirmation codes
    }
privacy-counted-jobs = { $n ->
        [one] { $n } generation with its prompt
       *[other] { $n } generations with their prompts
    }
privacy-counted-images = { $n ->
        [one] { $n } image record
       *[other] { $n } image records
    }
privacy-counted-uploads = { $n ->
        [one] { $n } reference image you brought
       *[other] { $n } reference images you brought
    }
privacy-counted-exports = { $n ->
        [one] { $n } export
       *[other] { $n } exports
    }
privacy-counted-storage_objects = { $n ->
        [one] { $n } stored file
       *[other] { $n } stored files
    }
privacy-counted-ledger_entries_deleted = { $n ->
        [one] { $n } credit movement
       *[other] { $n } credit movements
    }
privacy-counted-payment_records_pseudonymised = { $n ->
        [one] { $n } payment record kept without any link to you
       *[other] { $n } payment records kept without any link to you
    }
privacy-counted-redis_entries = { $n ->
        [one] { $n } technical record
       *[other] { $n } technical records
    }
privacy-counted-rate_windows = { $n ->
        [one] { $n } rate-limit counter
       *[other] { $n } rate-limit counters
    }
privacy-counted-link_codes_deleted = { $n ->
        [one] { $n } account link code
       *[other] { $n } account link codes
    }
privacy-counted-web_links_deleted = { $n ->
        [one] { $n } personal gallery link
       *[other] { $n } personal gallery links
    }
privacy-counted-payment_customers = { $n ->
        [one] { $n } customer record at the payment service
       *[other] { $n } customer records at the payment service
    }
privacy-counted-redis_notice_markers = { $n ->
        [one] { $n } payment notice marker
       *[other] { $n } payment notice markers
    }
privacy-counted-admin_audit_pseudonymised = { $n ->
        [one] { $n } record of an operator's action kept without any link to you
       *[other] { $n } records of operators' actions kept without any link to you
    }
privacy-counted-payments_pseudonymised = { $n ->
        [one] { $n } payment kept without any link to you
       *[other] { $n } payments kept without any link to you
    }
privacy-counted-stars_refunds_pseudonymised = { $n ->
        [one] { $n } Telegram Stars refund kept without any link to you
       *[other] { $n } Telegram Stars refunds kept without any link to you
    }
privacy-counted-subscriptions_pseudonymised = { $n ->
        [one] { $n } subscription kept without any link to you
       *[other] { $n } subscriptions kept without any link to you
    }
privacy-counted-credit_debts_pseudonymised = { $n ->
        [one] { $n } credit debt record kept without any link to you
       *[other] { $n } credit debt records kept without any link to you
    }
privacy-counted-checkout_sessions_pseudonymised = { $n ->
        [one] { $n } checkout record kept without any link to you
       *[other] { $n } checkout records kept without any link to you
    }
privacy-counted-promo_redemptions_deleted = { $n ->
        [one] { $n } promo code redemption
       *[other] { $n } promo code redemptions
    }
privacy-counted-billing_customers_deleted = { $n ->
        [one] { $n } billing customer link
       *[other] { $n } billing customer links
    }
privacy-counted-other = { $n ->
        [one] { $n } other record
       *[other] { $n } other records
    }
buttons-vary = V{ $index }

# Operators (/admin dashboard on Discord and Telegram)
admin-dashboard_ready =
    The operator dashboard: open it before { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC and do not share it: anyone with the link can grant credits and ban users. A new link replaces this one.
    { $url }
