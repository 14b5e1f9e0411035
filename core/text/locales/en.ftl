# The core's English texts: its errors and the notices it sends.
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

error-generic = Sorry, something went wrong on our side. Please try again. (ref { $correlation_id })
error-insufficient_credits = You need { $cost_credits ->
        [one] { $cost_credits } credit
       *[other] { $cost_credits } credits
    } for this, and you have { $balance_credits }. Use /credits to see how to get more.
error-debit_exceeds_balance = The account has { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }, so { $debit_credits } cannot be taken back. Nothing was changed.
error-terms_not_accepted = Before you can use the bot, please read and accept the terms (version { $policy_version }): type /terms.
error-banned = Your account is suspended and cannot use the bot.
error-unknown_model = There is no model called "{ $model_id }". Available models: { $available }.
error-model_unavailable = The model "{ $model_id }" is not available on this bot. Available models: { $available }.
error-age_restricted = The model { $model_id } is age-restricted: it can only be used in an age-restricted channel or chat. Choose another model (/models), or change your default with /settings.
error-not_found = I could not find { $what ->
        [account] that account
        [confirmation_code] that confirmation code
        [image] that image
        [job] that job
        [queued_job] that queued job
        [subscription] that subscription
       *[other] what you asked for
    }.
error-rate_limited = You are going a little fast. Please try again { DURATION($retry_after_s, direction: "in") }.
error-not_cancellable-default = Job { $job_id } is no longer waiting in the queue, so it cannot be cancelled.
error-not_cancellable-running = Job { $job_id } is already being drawn, so it can no longer be cancelled.
error-not_cancellable-ended = Job { $job_id } has already finished, so there is nothing to cancel.
error-already_submitted = This request already reached me: it is job { $job_id }, and it is not charged again.
error-too_many_queued = You already have { $max_queued_jobs ->
        [one] { $max_queued_jobs } job waiting
       *[other] { $max_queued_jobs } jobs waiting
    }, the most your plan allows. Please wait for one to finish, or /cancel one.
error-prompt_refused = This prompt is not allowed on this bot. Nothing was charged.
error-payments_disabled = Payments are not enabled on this bot.
error-provider = The image service could not make this picture. Your credits were refunded.
error-provider_refused = The image service refused this prompt. Your credits were refunded.
error-provider_busy = The image service is busy. Please try again in a moment.
error-route_unsupported = No image service could take this request for this model (the model or an option is not available there). Your credits were refunded.
error-export_too_soon = You can ask for one data export an hour. Please try again { DURATION($retry_after_s, direction: "in") }.
error-confirmation_invalid = That confirmation code is wrong or has expired. Nothing was deleted. Type /forgetme to get a new code.
error-not_owner = { $what ->
        [image] That image is not yours
        [job] That job is not yours
        [queued_job] That queued job is not yours
       *[other] That is not yours
    }: you can only delete your own.
error-link_too_soon = Too many link codes or attempts. Please try again { DURATION($retry_after_s, direction: "in") }.
error-web_link_invalid = This link is invalid, has expired or was replaced by a newer one. Ask the bot for a new one with /gallery.
error-variations_unsupported = The model { $model_id } cannot make variations of an image. Nothing was charged.
error-source_image_gone = The image to vary was deleted before the variation could be drawn. Your credits were refunded.
error-reference_image_gone = A reference image was deleted before the picture could be drawn. Your credits were refunded.
error-job_deadline = This picture was not ready within { DURATION($deadline_min, unit: "minute") } (the image services were busy or failing), so it was stopped. Your credits were refunded.
error-invalid_option-default = The value for { $field } is not valid.
error-invalid_option-empty = Please describe the picture you want, for example: /imagine a red fox in snow.
error-invalid_option-too_long = Your prompt is { $length ->
        [one] { $length } character long
       *[other] { $length } characters long
    }; the limit is { $max_chars }. Please shorten it.
error-invalid_option-unknown_option = I don't know the option { $option }. Options: --ar 16:9, --seed 7, --no text, --n 2, --model id, --enhance.
error-invalid_option-missing_value = The option { $option } needs a value, for example --ar 16:9.
error-invalid_option-negative_too_long = Your negative prompt (--no) is { $length } characters long; the limit is { $max_chars }. Please shorten it.
error-invalid_option-seed_range = The seed must be a whole number from { $min } to { $max }, not "{ $value }".
error-invalid_option-count_range = The number of images (--n) must be a whole number from 1 to { $max } for this model, not "{ $value }".
error-invalid_option-not_a_number = The { $field } must be a whole number, not "{ $value }".
error-invalid_option-not_allowed = The aspect ratio { $value } is not available for this model. Choose one of: { $allowed }.
error-invalid_option-out_of_range = The { $field } must be between 1 and { $max }.
error-invalid_option-unknown_setting = I don't know the setting { $option }. Settings: --model ID, --ar 16:9, --lang en, --file on, --private on.
error-invalid_option-not_allowed_language = The language { $value } is not available. Choose one of: { $allowed }.
error-invalid_option-age_required = You must confirm that you are 13 or older to use this bot.
error-invalid_option-admin_credits = The credits must be a whole number from -{ $max_credits } to { $max_credits }, other than 0. Nothing was changed.
error-invalid_option-reason_required = Please give a reason.
error-invalid_option-unsupported = The model { $model } does not support the { $field } option.
error-invalid_option-promo_code_format = A promo code is 3 to 64 letters, digits, dashes or underscores.
error-invalid_option-promo_expiry_past = The expiry date must be in the future.
error-invalid_option-promo_code_missing = Please type the promo code after the command, for example /redeem WELCOME10.
error-invalid_option-promo_code_exists = The promo code { $value } already exists.
error-invalid_option-not_on_off = Please answer on or off, not "{ $value }".
error-reference_image-default = That image cannot be used as a reference. Nothing was charged.
error-reference_image-empty = That file is empty. Nothing was charged.
error-reference_image-too_large = That image is too large: the limit is { $max_mb } MB. Nothing was charged.
error-reference_image-not_an_image = That file is not an image I can read (PNG, JPEG, WebP or GIF). Nothing was charged.
error-reference_image-too_many_pixels = That image has too many pixels: the limit is { $max_megapixels ->
        [one] { $max_megapixels } megapixel
       *[other] { $max_megapixels } megapixels
    }. Nothing was charged.
error-reference_image-animated = Animated images cannot be used as references: please send a still image. Nothing was charged.
error-reference_image-unreadable = That image is damaged or cannot be read. Nothing was charged.
error-reference_image-too_many = The model { $model_id } takes at most { $max_images ->
        [one] { $max_images } reference image
       *[other] { $max_images } reference images
    }. Nothing was charged.
error-reference_image-unsupported = The model { $model_id } cannot draw from reference images. Choose another model (/models). Nothing was charged.
error-reference_image-disabled = Reference images are turned off on this bot. Nothing was charged.
error-reference_image-paid_plans_only = Reference images are for paid plans on this bot (/subscribe). Nothing was charged.
error-reference_image-gone = A reference image of that job was deleted, so it cannot be drawn again. Nothing was charged.
error-link-default = The accounts could not be linked. Nothing was changed.
error-link-invalid_code = That link code is wrong, expired or already used. Nothing was changed. Send /link on your other platform for a new code.
error-link-same_account = That code belongs to this same account: send it from your other platform.
error-link-same_platform = Both accounts already have a { $platform } identity; an account can hold one per platform. Nothing was changed.
error-link-banned = One of the accounts is suspended or erased, so they cannot be linked.
error-link-merged = One of the accounts was already joined to another. Nothing was changed.
error-link-jobs_active = This account still has images waiting or being drawn. Wait for them or /cancel your jobs first, then link.
error-link-both_subscribed = Both accounts have an active subscription; cancel one of them first (/subscribe manage), then link.
error-link-both_customers = Both accounts have a saved card payment profile, which cannot be joined automatically. Please contact the operator of this bot.
error-credit_debt-default = A payment of yours was refunded or disputed after its credits were spent, so you owe { $debt_credits ->
        [one] { $debt_credits } credit
       *[other] { $debt_credits } credits
    }. New images are paused until your next purchase settles the debt (/credits).
error-payments_unavailable-default = The payment service cannot be reached right now, and nothing was charged. Please try again in a few minutes.
error-unknown_pack-default = There is no credit pack called "{ $pack_id }". Packs: { $available }.
error-unknown_plan-default = There is no plan called "{ $plan_id }" to subscribe to. Plans: { $available }.
error-promo-default = This promo code cannot be redeemed.
error-promo-unknown = There is no promo code "{ $code }". Please check the spelling.
error-promo-expired = The promo code "{ $code }" has expired.
error-promo-exhausted = The promo code "{ $code }" has been used up.
error-promo-already_redeemed = You have already redeemed the promo code "{ $code }".
error-payment-default = This payment does not match any offer of this bot. Nothing was charged.
error-payment-bad_payload = This invoice is not valid any more. Please ask for a new one with /buy.
error-payment-wrong_amount = The price of this pack has changed. Please ask for a new invoice with /buy.
error-payment-unknown_pack = This credit pack is not sold any more. See /credits for the current packs.
error-payment-wrong_account = This invoice was made for another account. Please ask for your own with /buy.
error-payment-not_found = There is no such payment.
error-payment-already_refunded = This payment has already been refunded.
error-payment-stars_unavailable = Refunds of Telegram Stars are not available in this process.
error-payment-stars_only = On Telegram, credits are sold for Telegram Stars: use /buy to get an invoice.
billing-purchase_landed = Payment received: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } added. Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
billing-purchase_landed_debt = Payment received: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } added, { $settled_credits } of them settled your debt. Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
billing-subscription_credits = Your { $plan } plan renewed: { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } added. Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
billing-subscription_ended = Your { $plan } subscription has ended; you are back on the free plan.
billing-payment_failed = Your payment did not go through, and nothing was charged. You can try again with /buy.
billing-payment_reversed = A payment was refunded or disputed: { $taken_credits ->
        [one] { $taken_credits } credit was taken back
       *[other] { $taken_credits } credits were taken back
    }.
billing-payment_restored = A disputed payment was settled in your favour: { $credits ->
        [one] { $credits } credit was given back
       *[other] { $credits } credits were given back
    }.
billing-payment_reversed_debt = A payment was refunded or disputed: { $taken_credits ->
        [one] { $taken_credits } credit was taken back
       *[other] { $taken_credits } credits were taken back
    } and { $debt_credits ->
        [one] { $debt_credits } credit, already spent, is owed
       *[other] { $debt_credits } credits, already spent, are owed
    }. New images are paused until a purchase settles the debt.
