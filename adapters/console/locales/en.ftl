# The console adapter's English texts, laid over the core's and the shared chat texts.
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

terms-body =
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
    Type "/accept" to confirm you are 13 or older and accept these terms, or "/decline".
settings-current = Your defaults: model { $model }, aspect ratio { $aspect }, language { $language }; images as files: { $as_file }, private replies: { $private }, training use of your prompts: { $training }, product analytics: { $analytics }. Change them with /settings --model ID --ar 16:9 --lang en --file on --private on, /settings training on or /settings analytics on.
console-welcome = Seedream console. Type /help for commands, /quit to leave.
console-stopped_waiting = (stopped waiting for { $jobs ->
        [one] { $jobs } job
       *[other] { $jobs } jobs
    })
console-vary_usage = Usage: /vary IMAGE (the image id from the result or /history).
console-vary_hint = Variations: /vary IMAGE, with one of { $image_ids }
console-preview_link = preview: { $url }
console-image_missing = The option --image needs the path of an image file, for example --image photo.jpg. Nothing was charged.
console-image_unreadable = I cannot read the image file { $path } (it does not exist, is not a file, or cannot be opened). Nothing was charged.
console-image_local_only = --image takes a file on this computer, not a web address ({ $path }). Nothing was charged.
console-help =
    Commands:
    {"  "}/terms                 read the terms and privacy summary
    {"  "}/accept                confirm you are 13+ and accept the terms
    {"  "}/decline               decline the terms
    {"  "}/imagine PROMPT [--ar 16:9] [--seed 7] [--no TEXT] [--n 2] [--model ID] [--enhance]
    {"                 "}[--image PATH]...  draw from your own images (repeat for several)
    {"  "}/credits               balance, recent credit movements, packs and plans for sale
    {"  "}/buy PACK              a payment link for a credit pack
    {"  "}/subscribe PLAN        a payment link for a monthly plan (/subscribe manage: change or cancel)
    {"  "}/redeem CODE           redeem a promo code
    {"  "}/history               your recent jobs
    {"  "}/models                available models and their cost
    {"  "}/cancel [JOB]          cancel a queued job (refunded)
    {"  "}/settings [--model ID] [--ar 16:9] [--lang en]   your defaults for /imagine
    {"  "}/settings --file on|off     full-resolution image files instead of compressed photos (on chat platforms)
    {"  "}/settings --private on|off  private replies (on chat platforms that have them)
    {"  "}/settings training on|off   allow use of your prompts and images for training
    {"  "}/settings analytics on|off  send usage events (no prompts or images) to the operator's analytics
    {"  "}/privacy               the privacy policy
    {"  "}/gallery               your images on a private web page (a personal link)
    {"  "}/mydata                download everything we keep about you (a ZIP link)
    {"  "}/delete IMAGE          delete one of your images (or reference images: ids in /mydata)
    {"  "}/vary IMAGE            a new set of images drawn from one of yours (models with variations)
    {"  "}/forgetme [CODE]       erase all your data (asks for a confirmation code)
    {"  "}/link [CODE]           a code to join your Discord/Telegram account, or redeem one
    {"  "}/help                  this list
    {"  "}/quit                  leave
privacy-forget_confirm = This erases your account, prompts, images, exports and credits for good. To confirm, type: /forgetme { $code } (valid for { DURATION($minutes, unit: "minute") }).
privacy-training_usage = Use /settings training on or /settings training off.
privacy-analytics_usage = Use /settings analytics on or /settings analytics off.
privacy-delete_usage = Use /delete IMAGE (the image id is shown in /history).
