# The web process's English texts (checkout pages), laid over the core's.
# Project Fluent syntax (https://projectfluent.org): a catalogue key such as
# error.invalid_option.empty is the message error-invalid_option-empty; { $name } is a
# parameter; plurals are selectors on CLDR categories ({ $n -> [one] ... *[other] ... }).
# To add a locale, copy this file to <locale>.ftl (de.ftl, pt-BR.ftl) and translate it.

billing-page_title = Seedream
billing-page_success = Thank you! Your payment is being confirmed. You can close this page and return to the chat: your credits arrive there in a moment.
billing-page_cancel = The payment was cancelled and nothing was charged. You can close this page and return to the chat.
billing-page_return = All done. You can close this page and return to the chat.
