# Deutsche Texte, die jeder Chat-Adapter (Konsole, Discord, Telegram) zeigt; über den
# Katalog des Kerns gelegt. Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus
# en.ftl (gleiche Schlüssel, gleiche { $variablen }); Pluralformen nach CLDR: one / *other.

terms-accepted = Danke! Du kannst jetzt Bilder erstellen. Probier mal: /imagine ein roter Fuchs im Schnee
terms-accepted_welcome = Danke! Du hast { $credits ->
        [one] { $credits } Gratis-Credit
       *[other] { $credits } Gratis-Credits
    } bekommen. Probier mal: /imagine ein roter Fuchs im Schnee
terms-declined = Kein Problem. Mit /terms kannst du die Bedingungen jederzeit erneut lesen.
job-queued = { $job_id } eingereiht ({ $count ->
        [one] { $count } Bild
       *[other] { $count } Bilder
    }, { $cost_credits ->
        [one] { $cost_credits } Credit
       *[other] { $cost_credits } Credits
    }; Guthaben { $balance_credits }).
job-queue_position = Position in der Warteschlange: { $position }.
job-queue_position_far = In der Warteschlange { $jobs_ahead ->
        [one] ist mehr als { $jobs_ahead } Auftrag
       *[other] sind mehr als { $jobs_ahead } Aufträge
    } davor.
job-started = { $job_id } wird erstellt…
job-finished = { $job_id } fertig:
job-enhance_skipped = Die Prompt-Verbesserung war nicht verfügbar, daher habe ich deinen Prompt so verwendet, wie er ist.
job-failed = Auftrag { $job_id } fehlgeschlagen: { $reason } { $refunded_credits ->
        [one] { $refunded_credits } Credit
       *[other] { $refunded_credits } Credits
    } erstattet.
job-cancelled = { $job_id } abgebrochen. { $refunded_credits ->
        [one] { $refunded_credits } Credit
       *[other] { $refunded_credits } Credits
    } erstattet.
credits-balance = Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
credits-entry = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $amount_credits }  { $reason ->
        [welcome] Willkommens-Credits
        [spend] für Bilder ausgegeben
        [refund] Erstattung
        [admin_grant] von einem Betreiber gutgeschrieben
        [admin_debit] von einem Betreiber abgezogen
        [purchase] Kauf
        [subscription] Abo
        [stars_purchase] Kauf mit Stars
        [promo] Promo-Code
        [payment_reversal] Zahlung rückgängig gemacht
        [stars_refund] Stars-Erstattung
        [stars_refund_undone] Stars-Erstattung zurückgenommen
        [debt_settled] Schuld beglichen
        [link_out] per /link übertragen
        [link_in] per /link erhalten
        [erasure_close] Datenlöschung
       *[other] Sonstiges
    }  ({ $reference })
credits-none = Noch keine Credit-Bewegungen.
history-empty = Du hast noch keine Bilder erstellt.
history-item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $job_id }  { $status ->
        [queued] wartet
        [running] läuft
        [succeeded] fertig
        [failed] fehlgeschlagen
        [cancelled] abgebrochen
       *[other] unbekannt
    }  { $model_id }  „{ $prompt }“
settings-saved = Gespeichert.
settings-on = an
settings-off = aus
models-item = { $id }: { $label } – { $cost_credits ->
        [one] { $cost_credits } Credit
       *[other] { $cost_credits } Credits
    } pro Bild; Seitenverhältnisse { $aspects }; bis zu { $max_images ->
        [one] { $max_images } Bild
       *[other] { $max_images } Bilder
    }
models-seed_some_routes = ; Seed: nicht bei allen Diensten (ein Ergebnis ohne Seed zeigt keinen an)
models-seed_no_routes = ; Seed: wird von seinen Diensten nicht beachtet
models-references = ; nimmt bis zu { $max_references ->
        [one] { $max_references } Referenzbild
       *[other] { $max_references } Referenzbilder
    } (/imagine mit Bildern)
models-references_cost = ; nimmt bis zu { $max_references ->
        [one] { $max_references } Referenzbild
       *[other] { $max_references } Referenzbilder
    } (/imagine mit Bildern, je { $cost_credits ->
        [one] { $cost_credits } Credit
       *[other] { $cost_credits } Credits
    })
chat-unknown_command = Unbekannter Befehl { $command }. Tippe /help für die Liste.
link-code = Dein Verknüpfungscode: { $code } (gültig für { DURATION($minutes, unit: "minute") }, bis { DATETIME($expires_at, timeStyle: "short") } UTC). Um dein { $other }-Konto mit diesem zu verbinden, sende /link { $code } an diesen Bot auf { $other }. Beide werden ein Konto mit einem Guthaben. Gib diesen Code nie weiter.
link-code_any = Dein Verknüpfungscode: { $code } (gültig für { DURATION($minutes, unit: "minute") }, bis { DATETIME($expires_at, timeStyle: "short") } UTC). Um dein Discord- oder Telegram-Konto mit diesem zu verbinden, sende /link { $code } an diesen Bot auf Discord oder Telegram. Beide werden ein Konto mit einem Guthaben. Gib diesen Code nie weiter.
link-done = Verknüpft: { $platforms } sind jetzt ein Konto mit einem Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    } ({ $moved_credits ->
        [one] { $moved_credits } Credit
       *[other] { $moved_credits } Credits
    } übertragen).
billing-overview_debt = Du schuldest { $debt_credits ->
        [one] { $debt_credits } Credit
       *[other] { $debt_credits } Credits
    } aus einer erstatteten oder angefochtenen Zahlung; neue Bilder sind pausiert, bis ein Kauf die Schuld begleicht.
billing-overview_plan = Tarif: { $plan }.
billing-packs_header = Credit-Pakete (kaufen mit /buy PACK):
billing-pack_item = {"  "}{ $id }: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } für { $price }
billing-pack_item_stars = {"  "}{ $id }: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } für { $stars ->
        [one] { $stars } Star
       *[other] { $stars } Stars
    }
billing-plans_header = Abos (starten mit /subscribe PLAN, verwalten mit /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits ->
        [one] { $monthly_credits } Credit
       *[other] { $monthly_credits } Credits
    } jeden Monat, { $price } pro Monat
billing-not_configured = Credits kaufen ist in diesem Bot nicht möglich (Zahlungen sind nicht eingerichtet).
billing-checkout_link =
    Hier bezahlen (der Link ist persönlich und läuft in 24 Stunden ab):
    { $url }
    Deine Credits kommen in diesem Chat an, sobald die Zahlung durch ist.
billing-subscribe_link =
    Hier abonnieren (der Link ist persönlich und läuft in 24 Stunden ab):
    { $url }
    Deine monatlichen Credits kommen nach jeder Zahlung in diesem Chat an.
billing-portal_link =
    Hier kannst du dein Abo verwalten oder kündigen:
    { $url }
billing-redeemed = Promo-Code { $code } eingelöst: { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } gutgeschrieben. Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
privacy-export_ready =
    Dein Datenexport ist fertig ({ $size_kb } KB, { $images ->
        [one] { $images } Bild
       *[other] { $images } Bilder
    }). Lade ihn bis { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC herunter:
    { $url }
privacy-gallery_ready =
    Deine persönliche Galerie: alle deine Bilder auf einer privaten Seite.
    Öffne sie vor { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC und teile sie nicht: Wer den Link hat, sieht deine Bilder. Ein neuer /gallery-Link ersetzt diesen.
    { $url }
privacy-forget_done = Gelöscht am { DATETIME($finished_at, dateStyle: "medium", timeStyle: "medium") } UTC (Beleg { $erasure_id }). Entfernt: { $summary }.{ $kept } { $cancelled_jobs ->
        [one] { $cancelled_jobs } wartender Auftrag abgebrochen
       *[other] { $cancelled_jobs } wartende Aufträge abgebrochen
    }, { $refunded_credits ->
        [one] { $refunded_credits } Credit
       *[other] { $refunded_credits } Credits
    } vor dem Löschen erstattet.
privacy-forget_kept = {" "}Bewusst aufbewahrt: { $kept }.
privacy-forget_nothing = Wir haben keine Daten über dich: Es gibt nichts zu löschen.
privacy-image_deleted = Bild { $image_id } wurde gelöscht.
privacy-training_on = Deine Prompts und Bilder dürfen jetzt zur Verbesserung von Modellen genutzt werden. Ausschalten mit /settings training off.
privacy-training_off = Deine Prompts und Bilder werden nicht fürs Training genutzt.
privacy-analytics_on = Produktanalyse ist an: Der Bot sendet Nutzungsereignisse (verwendete Befehle, fertige Aufträge, Käufe) unter einer zufälligen Kennung, nie deine Prompts, Bilder oder Chat-ID. Ausschalten mit /settings analytics off.
privacy-analytics_off = Produktanalyse ist aus: Es werden keine Nutzungsereignisse über dich gesendet.
privacy-kept-other = andere Einträge
privacy-removed_nothing = nichts
privacy-kept-payment_records = Zahlungsbelege, ohne jeden Bezug zu dir (gesetzlich vorgeschrieben)
privacy-kept-abuse_prevention = ein mit geheimem Schlüssel gebildeter Hash deiner Chat-Identität, der vermerkt, ob sie die Willkommens-Credits oder einen Promo-Code schon erhalten hat, damit sie nicht doppelt vergeben werden, und wann sie gelöscht wurde, damit das Wiederherstellen einer älteren Sicherung deine Daten erneut löscht (Missbrauchsschutz und Sicherungen; er nennt weder dich noch dein Konto)
privacy-counted-accounts = { $n ->
        [one] { $n } Konto
       *[other] { $n } Konten
    }
privacy-counted-identities = { $n ->
        [one] { $n } Chat-Identität
       *[other] { $n } Chat-Identitäten
    }
privacy-counted-consents = { $n ->
        [one] { $n } Einwilligung
       *[other] { $n } Einwilligungen
    }
privacy-counted-confirmations = { $n ->
        [one] { $n } Bestätigungscode
       *[other] { $n } Bestätigungscodes
    }
privacy-counted-jobs = { $n ->
        [one] { $n } Generierung samt Prompt
       *[other] { $n } Generierungen samt Prompts
    }
privacy-counted-images = { $n ->
        [one] { $n } Bildeintrag
       *[other] { $n } Bildeinträge
    }
privacy-counted-uploads = { $n ->
        [one] { $n } von dir hochgeladenes Referenzbild
       *[other] { $n } von dir hochgeladene Referenzbilder
    }
privacy-counted-exports = { $n ->
        [one] { $n } Export
       *[other] { $n } Exporte
    }
privacy-counted-storage_objects = { $n ->
        [one] { $n } gespeicherte Datei
       *[other] { $n } gespeicherte Dateien
    }
privacy-counted-ledger_entries_deleted = { $n ->
        [one] { $n } Credit-Bewegung
       *[other] { $n } Credit-Bewegungen
    }
privacy-counted-payment_records_pseudonymised = { $n ->
        [one] { $n } Zahlungsbeleg, ohne Bezug zu dir aufbewahrt
       *[other] { $n } Zahlungsbelege, ohne Bezug zu dir aufbewahrt
    }
privacy-counted-redis_entries = { $n ->
        [one] { $n } technischer Eintrag
       *[other] { $n } technische Einträge
    }
privacy-counted-rate_windows = { $n ->
        [one] { $n } Rate-Limit-Zähler
       *[other] { $n } Rate-Limit-Zähler
    }
privacy-counted-link_codes_deleted = { $n ->
        [one] { $n } Konto-Verknüpfungscode
       *[other] { $n } Konto-Verknüpfungscodes
    }
privacy-counted-web_links_deleted = { $n ->
        [one] { $n } persönlicher Galerie-Link
       *[other] { $n } persönliche Galerie-Links
    }
buttons-vary = V{ $index }
privacy-counted-payment_customers = { $n ->
        [one] { $n } Kundeneintrag beim Zahlungsdienst
       *[other] { $n } Kundeneinträge beim Zahlungsdienst
    }
privacy-counted-redis_notice_markers = { $n ->
        [one] { $n } Zahlungshinweis-Markierung
       *[other] { $n } Zahlungshinweis-Markierungen
    }
privacy-counted-admin_audit_pseudonymised = { $n ->
        [one] { $n } Eintrag über eine Aktion eines Betreibers ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Einträge über Aktionen von Betreibern ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-payments_pseudonymised = { $n ->
        [one] { $n } Zahlung ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Zahlungen ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-stars_refunds_pseudonymised = { $n ->
        [one] { $n } Telegram-Stars-Erstattung ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Telegram-Stars-Erstattungen ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-subscriptions_pseudonymised = { $n ->
        [one] { $n } Abo ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Abos ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-credit_debts_pseudonymised = { $n ->
        [one] { $n } Eintrag zu Credit-Schulden ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Einträge zu Credit-Schulden ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-checkout_sessions_pseudonymised = { $n ->
        [one] { $n } Checkout-Eintrag ohne Verbindung zu dir aufbewahrt
       *[other] { $n } Checkout-Einträge ohne Verbindung zu dir aufbewahrt
    }
privacy-counted-promo_redemptions_deleted = { $n ->
        [one] { $n } eingelöster Promo-Code
       *[other] { $n } eingelöste Promo-Codes
    }
privacy-counted-billing_customers_deleted = { $n ->
        [one] { $n } Verknüpfung mit einem Abrechnungskunden
       *[other] { $n } Verknüpfungen mit Abrechnungskunden
    }
privacy-counted-other = { $n ->
        [one] { $n } weiterer Eintrag
       *[other] { $n } weitere Einträge
    }

# Operators (/admin dashboard on Discord and Telegram)
admin-dashboard_ready =
    Das Betreiber-Dashboard: öffne es vor { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC und teile es nicht: Wer den Link hat, kann Credits vergeben und Nutzer sperren. Ein neuer Link ersetzt diesen.
    { $url }
