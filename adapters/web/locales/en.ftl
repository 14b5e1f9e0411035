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
