# Die deutschen Texte des Kerns: seine Fehler und die Hinweise, die er sendet.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl (gleiche Schlüssel,
# gleiche { $variablen }); Pluralformen nach CLDR: one / *other.

error-generic = Entschuldige, bei uns ist etwas schiefgelaufen. Bitte versuch es noch einmal. (Ref. { $correlation_id })
error-insufficient_credits = Dafür brauchst du { $cost_credits ->
        [one] { $cost_credits } Credit
       *[other] { $cost_credits } Credits
    }, du hast { $balance_credits }. Mit /credits siehst du, wie du mehr bekommst.
error-terms_not_accepted = Bevor du den Bot nutzen kannst, lies und akzeptiere bitte die Nutzungsbedingungen (Version { $policy_version }): tippe /terms.
error-banned = Dein Konto ist gesperrt und kann den Bot nicht nutzen.
error-unknown_model = Es gibt kein Modell namens „{ $model_id }“. Verfügbare Modelle: { $available }.
error-age_restricted = Das Modell { $model_id } ist altersbeschränkt: Es lässt sich nur in einem altersbeschränkten Kanal oder Chat nutzen. Wähle ein anderes Modell (/models) oder ändere deine Voreinstellung mit /settings.
error-not_found = { $what ->
        [account] Dieses Konto habe ich nicht gefunden.
        [confirmation_code] Diesen Bestätigungscode habe ich nicht gefunden.
        [image] Dieses Bild habe ich nicht gefunden.
        [job] Diesen Auftrag habe ich nicht gefunden.
        [queued_job] Diesen Auftrag in der Warteschlange habe ich nicht gefunden.
        [subscription] Dieses Abo habe ich nicht gefunden.
       *[other] Das habe ich nicht gefunden.
    }
error-rate_limited = Du bist etwas zu schnell. Bitte versuch es { DURATION($retry_after_s, direction: "in") } noch einmal.
error-already_submitted = Diese Anfrage ist schon bei mir angekommen: Es ist Auftrag { $job_id }, und er wird nicht noch einmal berechnet.
error-too_many_queued = Du hast schon { $max_queued_jobs ->
        [one] { $max_queued_jobs } wartenden Auftrag
       *[other] { $max_queued_jobs } wartende Aufträge
    }, mehr erlaubt dein Tarif nicht. Warte, bis einer fertig ist, oder brich einen mit /cancel ab.
error-prompt_refused = Dieser Prompt ist in diesem Bot nicht erlaubt. Es wurde nichts berechnet.
error-payments_disabled = Zahlungen sind in diesem Bot nicht aktiviert.
error-provider = Der Bilddienst konnte dieses Bild nicht erstellen. Deine Credits wurden erstattet.
error-provider_refused = Der Bilddienst hat diesen Prompt abgelehnt. Deine Credits wurden erstattet.
error-provider_busy = Der Bilddienst ist gerade ausgelastet. Bitte versuch es gleich noch einmal.
error-route_unsupported = Kein Bilddienst konnte diese Anfrage für dieses Modell annehmen (das Modell oder eine Option ist dort nicht verfügbar). Deine Credits wurden erstattet.
error-export_too_soon = Du kannst einen Datenexport pro Stunde anfordern. Bitte versuch es { DURATION($retry_after_s, direction: "in") } noch einmal.
error-confirmation_invalid = Dieser Bestätigungscode ist falsch oder abgelaufen. Es wurde nichts gelöscht. Tippe /forgetme für einen neuen Code.
error-not_owner = { $what ->
        [image] Dieses Bild gehört nicht dir: Du kannst nur deine eigenen löschen.
        [job] Dieser Auftrag gehört nicht dir: Du kannst nur deine eigenen löschen.
        [queued_job] Dieser Auftrag in der Warteschlange gehört nicht dir: Du kannst nur deine eigenen löschen.
       *[other] Das gehört nicht dir: Du kannst nur deine eigenen Sachen löschen.
    }
error-link_too_soon = Zu viele Verknüpfungscodes oder Versuche. Bitte versuch es { DURATION($retry_after_s, direction: "in") } noch einmal.
error-web_link_invalid = Dieser Link ist ungültig, abgelaufen oder wurde durch einen neueren ersetzt. Hol dir mit /gallery einen neuen vom Bot.
error-variations_unsupported = Das Modell { $model_id } kann keine Variationen eines Bildes erstellen. Es wurde nichts berechnet.
error-source_image_gone = Das Ausgangsbild wurde gelöscht, bevor die Variation gezeichnet werden konnte. Deine Credits wurden erstattet.
error-reference_image_gone = Ein Referenzbild wurde gelöscht, bevor das Bild gezeichnet werden konnte. Deine Credits wurden erstattet.
error-job_deadline = Dieses Bild war nicht innerhalb von { DURATION($deadline_min, unit: "minute") } fertig (die Bilddienste waren ausgelastet oder gestört) und wurde daher abgebrochen. Deine Credits wurden erstattet.
error-invalid_option-default = Der Wert für { $field } ist ungültig.
error-invalid_option-empty = Beschreib bitte das Bild, das du möchtest, zum Beispiel: /imagine ein roter Fuchs im Schnee.
error-invalid_option-too_long = Dein Prompt ist { $length ->
        [one] { $length } Zeichen
       *[other] { $length } Zeichen
    } lang; erlaubt sind { $max_chars }. Bitte kürze ihn.
error-invalid_option-unknown_option = Die Option { $option } kenne ich nicht. Optionen: --ar 16:9, --seed 7, --no text, --n 2, --model id, --enhance.
error-invalid_option-missing_value = Die Option { $option } braucht einen Wert, zum Beispiel --ar 16:9.
error-invalid_option-not_a_number = { $field } muss eine ganze Zahl sein, nicht „{ $value }“.
error-invalid_option-not_allowed = Das Seitenverhältnis { $value } gibt es für dieses Modell nicht. Wähle eines von: { $allowed }.
error-invalid_option-out_of_range = { $field } muss zwischen 1 und { $max } liegen.
error-invalid_option-unknown_setting = Die Einstellung { $option } kenne ich nicht. Einstellungen: --model ID, --ar 16:9, --lang en, --file on, --private on.
error-invalid_option-not_allowed_language = Die Sprache { $value } ist nicht verfügbar. Wähle eine von: { $allowed }.
error-invalid_option-age_required = Du musst bestätigen, dass du mindestens 13 Jahre alt bist, um diesen Bot zu nutzen.
error-invalid_option-reason_required = Bitte gib einen Grund an.
error-invalid_option-unsupported = Das Modell { $model } unterstützt die Option { $field } nicht.
error-invalid_option-promo_code_format = Ein Promo-Code besteht aus 3 bis 64 Buchstaben, Ziffern, Binde- oder Unterstrichen.
error-invalid_option-promo_expiry_past = Das Ablaufdatum muss in der Zukunft liegen.
error-invalid_option-promo_code_exists = Den Promo-Code { $value } gibt es schon.
error-invalid_option-not_on_off = Bitte antworte mit on oder off, nicht „{ $value }“.
error-reference_image-default = Dieses Bild kann nicht als Referenz dienen. Es wurde nichts berechnet.
error-reference_image-empty = Diese Datei ist leer. Es wurde nichts berechnet.
error-reference_image-too_large = Dieses Bild ist zu groß: erlaubt sind { $max_mb } MB. Es wurde nichts berechnet.
error-reference_image-not_an_image = Diese Datei ist kein Bild, das ich lesen kann (PNG, JPEG, WebP oder GIF). Es wurde nichts berechnet.
error-reference_image-too_many_pixels = Dieses Bild hat zu viele Pixel: erlaubt sind { $max_megapixels } Megapixel. Es wurde nichts berechnet.
error-reference_image-animated = Animierte Bilder gehen nicht als Referenz: Schick bitte ein Standbild. Es wurde nichts berechnet.
error-reference_image-unreadable = Dieses Bild ist beschädigt oder nicht lesbar. Es wurde nichts berechnet.
error-reference_image-too_many = Das Modell { $model_id } nimmt höchstens { $max_images ->
        [one] { $max_images } Referenzbild
       *[other] { $max_images } Referenzbilder
    }. Es wurde nichts berechnet.
error-reference_image-unsupported = Das Modell { $model_id } kann nicht nach Referenzbildern zeichnen. Wähle ein anderes Modell (/models). Es wurde nichts berechnet.
error-reference_image-disabled = Referenzbilder sind in diesem Bot ausgeschaltet. Es wurde nichts berechnet.
error-reference_image-paid_plans_only = Referenzbilder gibt es in diesem Bot nur mit einem bezahlten Tarif (/subscribe). Es wurde nichts berechnet.
error-reference_image-gone = Ein Referenzbild dieses Auftrags wurde gelöscht, daher kann er nicht neu gezeichnet werden. Es wurde nichts berechnet.
error-link-default = Die Konten konnten nicht verknüpft werden. Es wurde nichts geändert.
error-link-invalid_code = Dieser Verknüpfungscode ist falsch, abgelaufen oder schon benutzt. Es wurde nichts geändert. Sende /link auf deiner anderen Plattform für einen neuen Code.
error-link-same_account = Dieser Code gehört zu genau diesem Konto: Sende ihn von deiner anderen Plattform.
error-link-same_platform = Beide Konten haben schon eine { $platform }-Identität; ein Konto kann eine pro Plattform haben. Es wurde nichts geändert.
error-link-banned = Eines der Konten ist gesperrt oder gelöscht, daher können sie nicht verknüpft werden.
error-link-merged = Eines der Konten wurde schon mit einem anderen zusammengelegt. Es wurde nichts geändert.
error-link-jobs_active = Bei diesem Konto warten noch Bilder oder werden gerade gezeichnet. Warte darauf oder brich deine Aufträge mit /cancel ab und verknüpfe dann.
error-link-both_subscribed = Beide Konten haben ein aktives Abo; kündige zuerst eines davon (/subscribe manage), dann verknüpfe.
error-link-both_customers = Beide Konten haben ein gespeichertes Kartenzahlungsprofil, das sich nicht automatisch zusammenlegen lässt. Bitte wende dich an den Betreiber dieses Bots.
error-credit_debt-default = Eine Zahlung wurde erstattet oder angefochten, nachdem ihre Credits verbraucht waren: Du schuldest { $debt_credits ->
        [one] { $debt_credits } Credit
       *[other] { $debt_credits } Credits
    }. Neue Bilder sind pausiert, bis dein nächster Kauf die Schuld begleicht (/credits).
error-payments_unavailable-default = Der Zahlungsdienst ist gerade nicht erreichbar, und es wurde nichts berechnet. Bitte versuch es in ein paar Minuten noch einmal.
error-unknown_pack-default = Es gibt kein Credit-Paket namens „{ $pack_id }“. Pakete: { $available }.
error-unknown_plan-default = Es gibt keinen Tarif namens „{ $plan_id }“ zum Abonnieren. Tarife: { $available }.
error-promo-default = Dieser Promo-Code kann nicht eingelöst werden.
error-promo-unknown = Es gibt keinen Promo-Code „{ $code }“. Prüf bitte die Schreibweise.
error-promo-expired = Der Promo-Code „{ $code }“ ist abgelaufen.
error-promo-exhausted = Der Promo-Code „{ $code }“ ist aufgebraucht.
error-promo-already_redeemed = Du hast den Promo-Code „{ $code }“ schon eingelöst.
error-payment-default = Diese Zahlung passt zu keinem Angebot dieses Bots. Es wurde nichts berechnet.
error-payment-bad_payload = Diese Rechnung ist nicht mehr gültig. Fordere bitte mit /buy eine neue an.
error-payment-wrong_amount = Der Preis dieses Pakets hat sich geändert. Fordere bitte mit /buy eine neue Rechnung an.
error-payment-unknown_pack = Dieses Credit-Paket wird nicht mehr verkauft. Die aktuellen Pakete findest du unter /credits.
error-payment-wrong_account = Diese Rechnung wurde für ein anderes Konto erstellt. Fordere bitte mit /buy deine eigene an.
error-payment-not_found = Diese Zahlung gibt es nicht.
error-payment-already_refunded = Diese Zahlung wurde bereits erstattet.
error-payment-stars_unavailable = Erstattungen von Telegram Stars sind in diesem Prozess nicht möglich.
error-payment-stars_only = Auf Telegram werden Credits gegen Telegram Stars verkauft: Mit /buy bekommst du eine Rechnung.
billing-purchase_landed = Zahlung erhalten: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } gutgeschrieben. Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
billing-purchase_landed_debt = Zahlung erhalten: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } gutgeschrieben, davon { $settled_credits } zur Begleichung deiner Schuld. Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
billing-subscription_credits = Dein Tarif { $plan } wurde verlängert: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } gutgeschrieben. Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
billing-subscription_ended = Dein Abo { $plan } ist beendet; du bist wieder im kostenlosen Tarif.
billing-payment_failed = Deine Zahlung ist nicht durchgegangen, und es wurde nichts berechnet. Du kannst es mit /buy noch einmal versuchen.
billing-payment_reversed = Eine Zahlung wurde erstattet oder angefochten: { $taken_credits ->
        [one] { $taken_credits } Credit wurde
       *[other] { $taken_credits } Credits wurden
    } zurückgebucht.
billing-payment_restored = Eine angefochtene Zahlung wurde zu deinen Gunsten entschieden: { $credits ->
        [one] { $credits } Credit wurde
       *[other] { $credits } Credits wurden
    } zurückgegeben.
billing-payment_reversed_debt = Eine Zahlung wurde erstattet oder angefochten: { $taken_credits ->
        [one] { $taken_credits } Credit wurde
       *[other] { $taken_credits } Credits wurden
    } zurückgebucht, und { $debt_credits ->
        [one] { $debt_credits } bereits verbrauchter Credit ist
       *[other] { $debt_credits } bereits verbrauchte Credits sind
    } offen. Neue Bilder sind pausiert, bis ein Kauf die Schuld begleicht.
error-model_unavailable = Das Modell „{ $model_id }“ ist in diesem Bot nicht verfügbar. Verfügbare Modelle: { $available }.
error-invalid_option-negative_too_long = Dein Negativ-Prompt (--no) ist { $length } Zeichen lang; erlaubt sind { $max_chars }. Bitte kürze ihn.
error-invalid_option-seed_range = Der Seed muss eine ganze Zahl von { $min } bis { $max } sein, nicht „{ $value }“.
error-invalid_option-count_range = Die Anzahl der Bilder (--n) muss für dieses Modell eine ganze Zahl von 1 bis { $max } sein, nicht „{ $value }“.
error-debit_exceeds_balance = Das Konto hat { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }, daher können { $debit_credits } nicht zurückgenommen werden. Nichts wurde geändert.
error-not_cancellable-default = Auftrag { $job_id } wartet nicht mehr in der Warteschlange und kann nicht storniert werden.
error-not_cancellable-running = Auftrag { $job_id } wird bereits gezeichnet und kann nicht mehr storniert werden.
error-not_cancellable-ended = Auftrag { $job_id } ist bereits fertig, es gibt nichts zu stornieren.
error-invalid_option-admin_credits = Die Credits müssen eine ganze Zahl von -{ $max_credits } bis { $max_credits } sein, nicht 0. Nichts wurde geändert.
error-invalid_option-promo_code_missing = Bitte gib den Promo-Code nach dem Befehl ein, zum Beispiel /redeem WELCOME10.
