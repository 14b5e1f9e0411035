# The Telegram adapter's English texts, laid over the core's and the shared chat texts.
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

telegram-terms =
    Seedream terms of use and privacy summary (version { $policy_version })
    {""}
    - You must be 13 or older to use this bot.
    - We keep your account, your prompts, your images and your credit history to provide the service. Prompts are sent to the image service that draws them; they are never used to train models unless you opt in.
    - Images follow your plan's retention and are then deleted. See your jobs with /history and your credits with /credits.
    - Do not ask for illegal content or content that harms others.
    - Product analytics: nothing about you is sent to the operator's analytics service unless you turn it on with /settings analytics on (never your prompts or images).
    {""}
    Tap the button below to confirm you are 13 or older and accept these terms.
telegram-welcome_back = Welcome back! Create an image with /imagine a red fox in snow, or see /help.
telegram-help =
    What I can do:
    /imagine PROMPT - create an image. Options: --ar 16:9, --seed 7, --no TEXT, --n 2, --model ID, --enhance
    {"  "}To draw from your own pictures, send a photo (or an album, or an image file) with the caption /imagine PROMPT, or reply to a picture with /imagine PROMPT.
    /credits - your balance and recent credit movements
    /history - your recent images
    /cancel - cancel your latest queued image (refunded)
    /models - the models and what they cost
    /settings - your defaults; change them with the buttons there or with: --model ID, --ar 16:9, --lang en
    {"  "}/settings --file on|off - images as full-resolution files instead of compressed photos; /settings training on|off - use of your prompts and images for training; /settings analytics on|off - product analytics (opt-in)
    /buy - buy credits with Telegram Stars
    /redeem CODE - redeem a promo code
    /delete IMAGE - delete one of your images
    /gallery - your images on a private web page (a personal link)
    /mydata - download all your data
    /forgetme - erase all your data
    /link [CODE] - join your Discord account to this one (one account, one balance)
    /privacy - how your data is handled
    /paysupport - help with payments
    /start - the terms of use
telegram-paysupport = Questions about a payment? Write to the operator of this bot and include the date of the payment. Credits bought are added to your balance; see /credits.
telegram-reference_hint = To draw from this picture, send it again with the caption /imagine followed by a description, or reply to it with /imagine and a description, for example: /imagine the same cat as a watercolour.
telegram-plain_text = To create an image, send /imagine followed by a description, for example: /imagine a red fox in snow. /help lists everything I can do.
telegram-private_only = I answer this in a private chat, to keep it to you. Tap the button to open it.
telegram-open_private = Open private chat
telegram-link_code_exposed = That link code was posted in a group, where others can read it, so it no longer works. Get a new one with /link on Discord and send it to me in a private chat (tap the button).
telegram-accepting = Accepting your request…
telegram-queued = Queued ({ $count ->
        [one] { $count } image
       *[other] { $count } images
    }, { $cost_credits ->
        [one] { $cost_credits } credit
       *[other] { $cost_credits } credits
    }; balance { $balance_credits }).
telegram-generating = Generating your image…
telegram-done = Done.
telegram-full_size_link = Full-size image
telegram-settings = Your defaults: model { $model }, aspect ratio { $aspect }, language { $language }, full-resolution files { $as_file }, use for training { $training }, product analytics { $analytics }. Tap to change, or type /settings --model ID --ar 16:9 --lang en --file on.
telegram-history_item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $status ->
        [queued] queued
        [running] running
        [succeeded] done
        [failed] failed
        [cancelled] cancelled
       *[other] unknown
    }  { $model_id }  "{ $prompt }"
telegram-buy = Choose a credit pack. You pay in Telegram Stars, right here in the chat.
telegram-invoice = { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } for your image generations ({ $label }).
telegram-card_link = Pay by card on the payment page (the link is personal and expires in 24 hours). Your credits arrive in this chat as soon as the payment goes through.
telegram-payment_seen = This payment was already credited. Balance: { $balance_credits ->
        [one] { $balance_credits } credit
       *[other] { $balance_credits } credits
    }.
telegram-redeem_usage = Use /redeem CODE to redeem a promo code.
telegram-delete_usage = Use /delete IMAGE (the image id is shown in /history), or tap Delete under an image.
telegram-forget_confirm = This erases your account, prompts, images, exports and credits for good. Tap Confirm, or type /forgetme { $code } (valid for { DURATION($minutes, unit: "minute") }).
telegram-training_usage = Use /settings training on or /settings training off, or tap the button in /settings.
telegram-analytics_usage = Use /settings analytics on or /settings analytics off, or tap the button in /settings.
telegram-button-accept = I am 13+ and accept
telegram-button-decline = Decline
telegram-button-reroll = Reroll
telegram-button-cancel = Cancel
telegram-button-as_file_on = Full-resolution files: on
telegram-button-as_file_off = Full-resolution files: off
telegram-button-training_on = Use for training: on
telegram-button-training_off = Use for training: off
telegram-button-analytics_on = Product analytics: on
telegram-button-analytics_off = Product analytics: off
telegram-button-delete = Delete
telegram-button-buy_stars = { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } for { $stars ->
        [one] { $stars } Star
       *[other] { $stars } Stars
    }
telegram-button-buy_card = { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    } for { $price } by card
telegram-button-pay = Pay by card
telegram-button-forget_confirm = Confirm: erase everything
telegram-cmd-start = Terms of use and getting started
telegram-cmd-imagine = Create an image from a prompt
telegram-cmd-credits = Your balance and recent credit movements
telegram-cmd-history = Your recent images
telegram-cmd-cancel = Cancel your latest queued image
telegram-cmd-models = Models and their cost
telegram-cmd-settings = Your defaults for /imagine
telegram-cmd-help = What this bot can do
telegram-cmd-privacy = How your data is handled
telegram-cmd-paysupport = Help with payments
telegram-cmd-buy = Buy credits with Telegram Stars
telegram-cmd-redeem = Redeem a promo code
telegram-cmd-delete = Delete one of your images
telegram-cmd-mydata = Download all your data
telegram-cmd-gallery = Your images on a private web page
telegram-cmd-forgetme = Erase all your data
telegram-cmd-link = Join your Discord account (one balance)

# /admin (operators only, SEEDREAM_TELEGRAM_ADMIN_IDS)
telegram-admin_private_only = Ask for operator links in your private chat with the bot, never in a group.
telegram-admin_usage = Operator commands here: /admin dashboard (a short-lived link to the dashboard).
