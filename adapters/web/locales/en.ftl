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
