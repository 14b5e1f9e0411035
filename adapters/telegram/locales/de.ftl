# Die deutschen Texte des Telegram-Adapters, über die des Kerns und die gemeinsamen Chat-Texte gelegt.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl (gleiche Schlüssel,
# gleiche { $variablen }); Pluralformen nach CLDR: one / *other.

telegram-terms =
    Seedream: Nutzungsbedingungen und Datenschutz in Kürze (Version { $policy_version })
    {""}
    - Du musst mindestens 13 Jahre alt sein, um diesen Bot zu nutzen.
    - Wir speichern dein Konto, deine Prompts, deine Bilder und deinen Credit-Verlauf, um den Dienst zu erbringen. Prompts gehen an den Bilddienst, der sie zeichnet; sie werden nie zum Trainieren von Modellen genutzt, außer du stimmst zu.
    - Bilder werden gemäß der Aufbewahrungsdauer deines Tarifs gespeichert und dann gelöscht. Deine Aufträge siehst du mit /history, deine Credits mit /credits.
    - Bitte nichts Illegales und nichts, was anderen schadet.
    - Produktanalyse: Über dich wird nichts an den Analysedienst des Betreibers gesendet, außer du schaltest sie mit /settings analytics on ein (nie deine Prompts oder Bilder).
    {""}
    Tippe auf den Button unten, um zu bestätigen, dass du mindestens 13 bist und diese Bedingungen akzeptierst.
telegram-welcome_back = Willkommen zurück! Erstelle ein Bild mit /imagine ein roter Fuchs im Schnee, oder schau in /help.
telegram-help =
    Das kann ich:
    /imagine PROMPT – ein Bild erstellen. Optionen: --ar 16:9, --seed 7, --no TEXT, --n 2, --model ID, --enhance
    {"  "}Um nach deinen eigenen Bildern zu zeichnen, schick ein Foto (oder ein Album oder eine Bilddatei) mit der Bildunterschrift /imagine PROMPT, oder antworte auf ein Bild mit /imagine PROMPT.
    /credits – dein Guthaben und die letzten Credit-Bewegungen
    /history – deine letzten Bilder
    /cancel – dein letztes wartendes Bild abbrechen (wird erstattet)
    /models – die Modelle und was sie kosten
    /settings – deine Standardwerte; ändere sie dort per Knopf oder mit: --model ID, --ar 16:9, --lang de
    {"  "}/settings --file on|off – Bilder als Dateien in voller Auflösung statt komprimierter Fotos; /settings training on|off – Nutzung deiner Prompts und Bilder fürs Training; /settings analytics on|off – Produktanalyse (freiwillig)
    /buy – Credits mit Telegram Stars kaufen
    /redeem CODE – einen Promo-Code einlösen
    /delete IMAGE – eines deiner Bilder löschen
    /gallery – deine Bilder auf einer privaten Webseite (ein persönlicher Link)
    /mydata – alle deine Daten herunterladen
    /forgetme – alle deine Daten löschen
    /link [CODE] – dein Discord-Konto mit diesem verknüpfen (ein Konto, ein Guthaben)
    /privacy – wie deine Daten behandelt werden
    /paysupport – Hilfe bei Zahlungen
    /start – die Nutzungsbedingungen
telegram-paysupport = Fragen zu einer Zahlung? Schreib dem Betreiber dieses Bots und gib das Datum der Zahlung an. Gekaufte Credits werden deinem Guthaben gutgeschrieben; siehe /credits.
telegram-reference_hint = Um nach diesem Bild zu zeichnen, schick es noch einmal mit der Bildunterschrift /imagine und einer Beschreibung, oder antworte darauf mit /imagine und einer Beschreibung, zum Beispiel: /imagine dieselbe Katze als Aquarell.
telegram-plain_text = Um ein Bild zu erstellen, sende /imagine und eine Beschreibung, zum Beispiel: /imagine ein roter Fuchs im Schnee. /help zeigt alles, was ich kann.
telegram-private_only = Darauf antworte ich in einem privaten Chat, damit es unter uns bleibt. Tippe auf den Button, um ihn zu öffnen.
telegram-open_private = Privaten Chat öffnen
telegram-link_code_exposed = Dieser Verknüpfungscode wurde in einer Gruppe gepostet, wo andere ihn lesen können, daher funktioniert er nicht mehr. Hol dir mit /link auf Discord einen neuen und schick ihn mir in einem privaten Chat (tippe auf den Button).
telegram-accepting = Deine Anfrage wird angenommen…
telegram-queued = Eingereiht ({ $count ->
        [one] { $count } Bild
       *[other] { $count } Bilder
    }, { $cost_credits ->
        [one] { $cost_credits } Credit
       *[other] { $cost_credits } Credits
    }; Guthaben { $balance_credits }).
telegram-generating = Dein Bild wird erstellt…
telegram-done = Fertig.
telegram-full_size_link = Bild in voller Größe
telegram-settings = Deine Voreinstellungen: Modell { $model }, Seitenverhältnis { $aspect }, Sprache { $language }, Dateien in voller Auflösung { $as_file }, Nutzung fürs Training { $training }, Produktanalyse { $analytics }. Tippe zum Ändern, oder schreib /settings --model ID --ar 16:9 --lang en --file on.
telegram-history_item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $status ->
        [queued] wartet
        [running] läuft
        [succeeded] fertig
        [failed] fehlgeschlagen
        [cancelled] abgebrochen
       *[other] unbekannt
    }  { $model_id }  „{ $prompt }“
telegram-buy = Wähle ein Credit-Paket. Du bezahlst mit Telegram Stars, direkt hier im Chat.
telegram-invoice = { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } für deine Bildgenerierungen ({ $label }).
telegram-card_link = Bezahl per Karte auf der Zahlungsseite (der Link ist persönlich und läuft in 24 Stunden ab). Deine Credits kommen in diesem Chat an, sobald die Zahlung durch ist.
telegram-payment_seen = Diese Zahlung wurde schon gutgeschrieben. Guthaben: { $balance_credits ->
        [one] { $balance_credits } Credit
       *[other] { $balance_credits } Credits
    }.
telegram-redeem_usage = Verwende /redeem CODE, um einen Promo-Code einzulösen.
telegram-delete_usage = Verwende /delete IMAGE (die Bild-ID steht in /history), oder tippe unter einem Bild auf Löschen.
telegram-forget_confirm = Das löscht dein Konto, deine Prompts, Bilder, Exporte und Credits endgültig. Tippe auf Bestätigen, oder schreib /forgetme { $code } (gültig für { DURATION($minutes, unit: "minute") }).
telegram-training_usage = Verwende /settings training on oder /settings training off, oder tippe auf den Button in /settings.
telegram-analytics_usage = Verwende /settings analytics on oder /settings analytics off, oder tippe auf den Button in /settings.
telegram-button-accept = Ich bin 13+ und akzeptiere
telegram-button-decline = Ablehnen
telegram-button-reroll = Neu würfeln
telegram-button-cancel = Abbrechen
telegram-button-as_file_on = Volle Auflösung: an
telegram-button-as_file_off = Volle Auflösung: aus
telegram-button-training_on = Fürs Training: an
telegram-button-training_off = Fürs Training: aus
telegram-button-analytics_on = Produktanalyse: an
telegram-button-analytics_off = Produktanalyse: aus
telegram-button-delete = Löschen
telegram-button-buy_stars = { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } für { $stars ->
        [one] { $stars } Star
       *[other] { $stars } Stars
    }
telegram-button-buy_card = { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } für { $price } per Karte
telegram-button-pay = Per Karte bezahlen
telegram-button-forget_confirm = Bestätigen: alles löschen
telegram-cmd-start = Nutzungsbedingungen und Einstieg
telegram-cmd-imagine = Ein Bild aus einem Prompt erstellen
telegram-cmd-credits = Dein Guthaben und die letzten Credit-Bewegungen
telegram-cmd-history = Deine letzten Bilder
telegram-cmd-cancel = Dein letztes wartendes Bild abbrechen
telegram-cmd-models = Modelle und ihre Kosten
telegram-cmd-settings = Deine Voreinstellungen für /imagine
telegram-cmd-help = Was dieser Bot kann
telegram-cmd-privacy = Wie deine Daten behandelt werden
telegram-cmd-paysupport = Hilfe bei Zahlungen
telegram-cmd-buy = Credits mit Telegram Stars kaufen
telegram-cmd-redeem = Einen Promo-Code einlösen
telegram-cmd-delete = Eines deiner Bilder löschen
telegram-cmd-mydata = Alle deine Daten herunterladen
telegram-cmd-gallery = Deine Bilder auf einer privaten Webseite
telegram-cmd-forgetme = Alle deine Daten löschen
telegram-cmd-link = Dein Discord-Konto verknüpfen (ein Guthaben)

# /admin (operators only, SEEDREAM_TELEGRAM_ADMIN_IDS)
telegram-admin_private_only = Frag nach Betreiber-Links im privaten Chat mit dem Bot, nie in einer Gruppe.
telegram-admin_usage = Betreiberbefehle hier: /admin dashboard (ein kurzlebiger Link zum Dashboard).
