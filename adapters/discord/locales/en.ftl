# The Discord adapter's English texts, laid over the core's and the shared chat texts.
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

buttons-terms_body =
    Seedream terms of use and privacy summary (version { $policy_version })
    {""}
    - You must be 13 or older to use this bot.
    - We keep your account, your prompts, your images and your credit history to provide the service.
    {"  "}Prompts are sent to the image service that draws them; they are never used to train models
    {"  "}unless you opt in.
    - Images follow your plan's retention and are then deleted. You can see your jobs and images
    {"  "}with /history and your credit movements with /credits.
    - Do not ask for illegal content or content that harms others.
    - Product analytics: nothing about you is sent to the operator's analytics service unless you
    {"  "}turn it on with /settings analytics on (never your prompts or images).
    {""}
    Press "I am 13+ and accept" to continue, or "Decline".
buttons-accept = I am 13+ and accept
buttons-decline = Decline
buttons-reroll = Reroll
buttons-delete = Delete
discord-image_title = Image { $index } of { $count }
discord-full_size_link = Full size
discord-full_size_numbered = Full size { $index }
discord-expired_note = <@{ $user_id }> here is your result (the original reply expired).
discord-admin_only = This command is for the bot's operators.
discord-granted = Granted { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    }; balance { $balance_credits }.
discord-taken_back = Took back { $credits ->
        [one] { $credits } credit
       *[other] { $credits } credits
    }; balance { $balance_credits }.
discord-already_granted = Already granted (same reference); balance { $balance_credits }.
discord-banned = User banned.
discord-unbanned = Ban lifted.
discord-stats = Accounts: { $accounts } ({ $banned_accounts } banned). Credits held: { $balance_credits }. Queue: { $queue_depth }. Jobs: { $jobs }.
discord-privacy = Seedream keeps your account, prompts, images and credit history to provide the service, and never uses your prompts for training unless you opt in. The full privacy policy is attached.
discord-buy_button = Buy { $label }
discord-forget_confirm = This erases your account, prompts, images, exports and credits for good. Press Confirm within { DURATION($minutes, unit: "minute") } to go ahead, or Cancel.
discord-forget_confirm_button = Confirm: erase everything
discord-forget_cancel_button = Cancel
discord-forget_cancelled = Cancelled: nothing was erased.
discord-settings_current = Your defaults: model { $model }, aspect ratio { $aspect }, language { $language }. Private replies: { $private }. Training use of your prompts and images: { $training }. Product analytics: { $analytics }.
discord-help =
    {"*"}*Seedream**: create images from a prompt.
    /imagine `prompt` - make images (options: model, aspect, seed, negative, count, enhance, and up to three reference images: image, image2, image3)
    Apps > Imagine from this image (on a message with images) - make images from that message's images
    /models - models and their cost
    /credits - your balance and recent credit movements
    /history - your recent jobs
    /cancel - cancel your latest queued job (refunded)
    /settings - your defaults (options: model, aspect, language, private (private replies), training (training use), analytics (product analytics))
    Images come as previews, each with a **Full size** link to its original file (no --file setting needed here)
    /buy `pack` - buy credits; /subscribe `plan` - a monthly plan (or manage it); /redeem `code` - a promo code
    /delete `image` - delete one of your images
    /gallery - your images on a private web page (a personal link)
    /mydata - download everything we keep about you
    /forgetme - erase all your data
    /link [`code`] - join your Telegram account to this one (one account, one balance)
    /terms - the terms and privacy summary
    /privacy - the privacy policy
    /help - this list
discord-menu-imagine_from_image = Imagine from this image
discord-references-modal_title = Imagine from this image
discord-references-modal_label = What to make of the image(s)
discord-references-modal_placeholder = Describe the picture you want
discord-references-expired = That form is no longer open (it was shown too long ago, or the bot restarted). Please use "Imagine from this image" again. Nothing was charged.
discord-references-no_images = That message has no image attachments. Use "Imagine from this image" on a message with images attached, or attach images to /imagine (image, image2, image3).
discord-cmd-imagine = Create images from a text prompt
discord-cmd-imagine_prompt = What to draw
discord-cmd-imagine_model = Model (default: your setting)
discord-cmd-imagine_aspect = Aspect ratio
discord-cmd-imagine_seed = Seed, for repeatable results
discord-cmd-imagine_negative = What to leave out
discord-cmd-imagine_count = How many images
discord-cmd-imagine_enhance = Let an AI improve the prompt first
discord-cmd-imagine_image = A reference image (a picture to edit or draw from)
discord-cmd-imagine_image2 = A second reference image
discord-cmd-imagine_image3 = A third reference image
discord-cmd-credits = Your credit balance and recent movements
discord-cmd-history = Your recent jobs
discord-cmd-cancel = Cancel your latest queued job (refunded)
discord-cmd-models = Available models and their cost
discord-cmd-settings = Show or change your defaults
discord-cmd-settings_model = Default model
discord-cmd-settings_aspect = Default aspect ratio
discord-cmd-settings_language = Reply language
discord-cmd-settings_private = Replies only you can see
discord-cmd-settings_training = Allow use of your prompts and images for training
discord-cmd-settings_analytics = Send product usage events (opt-in, never prompts)
discord-cmd-buy = Buy a credit pack (a private payment link)
discord-cmd-buy_pack = The credit pack
discord-cmd-subscribe = Subscribe to a monthly plan, or manage your subscription
discord-cmd-subscribe_plan = The plan, or manage
discord-cmd-subscribe_manage = Manage or cancel my subscription
discord-cmd-redeem = Redeem a promo code
discord-cmd-redeem_code = The promo code
discord-cmd-delete = Delete one of your images
discord-cmd-delete_image = The image (pick from your recent ones)
discord-cmd-mydata = Download everything we keep about you
discord-cmd-gallery = Your images on a private web page
discord-cmd-forgetme = Erase all your data
discord-cmd-link = Join your Telegram account to this one: a code, or redeem one
discord-cmd-link_code = A code from /link on Telegram (leave empty for a new code)
discord-cmd-terms = Terms of use and privacy summary
discord-cmd-privacy = How your data is used
discord-cmd-help = How to use the bot
discord-cmd-admin = Operator commands
discord-cmd-admin_grant = Grant credits (negative takes back)
discord-cmd-admin_ban = Ban a user
discord-cmd-admin_unban = Lift a ban
discord-cmd-admin_stats = Bot statistics
discord-cmd-admin_dashboard = A short-lived link to the operator dashboard
discord-cmd-admin_user = The user
discord-cmd-admin_credits = Whole credits
discord-cmd-admin_reason = Why (kept in the ledger)
