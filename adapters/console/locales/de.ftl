# Die deutschen Texte des Konsolen-Adapters, über die des Kerns und die gemeinsamen Chat-Texte gelegt.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl (gleiche Schlüssel,
# gleiche { $variablen }); Pluralformen nach CLDR: one / *other.

terms-body =
    Seedream: Nutzungsbedingungen und Datenschutz in Kürze (Version { $policy_version })
    {""}
    - Du musst mindestens 13 Jahre alt sein, um diesen Bot zu nutzen.
    - Wir speichern dein Konto, deine Prompts, deine Bilder und deinen Credit-Verlauf, um den Dienst zu erbringen.
    {"  "}Prompts gehen an den Bilddienst, der sie zeichnet; sie werden nie zum Trainieren von Modellen genutzt,
    {"  "}außer du stimmst zu.
    - Bilder werden gemäß der Aufbewahrungsdauer deines Tarifs gespeichert und dann gelöscht. Deine Aufträge und Bilder
    {"  "}siehst du mit /history, deine Credit-Bewegungen mit /credits.
    - Bitte nichts Illegales und nichts, was anderen schadet.
    - Produktanalyse: Über dich wird nichts an den Analysedienst des Betreibers gesendet, außer du
    {"  "}schaltest sie mit /settings analytics on ein (nie deine Prompts oder Bilder).
    {""}
    Tippe "/accept", um zu bestätigen, dass du mindestens 13 bist und diese Bedingungen akzeptierst, oder "/decline".
settings-current = Deine Voreinstellungen: Modell { $model }, Seitenverhältnis { $aspect }, Sprache { $language }; Bilder als Dateien: { $as_file }, private Antworten: { $private }, Nutzung deiner Prompts fürs Training: { $training }, Produktanalyse: { $analytics }. Ändern mit /settings --model ID --ar 16:9 --lang de --file on --private on, /settings training on oder /settings analytics on.
console-welcome = Seedream-Konsole. Tippe /help für die Befehle, /quit zum Beenden.
console-stopped_waiting = (Warten auf { $jobs ->
        [one] { $jobs } Auftrag
       *[other] { $jobs } Aufträge
    } abgebrochen)
console-vary_usage = Verwendung: /vary IMAGE (die Bild-ID aus dem Ergebnis oder aus /history).
console-vary_hint = Variationen: /vary IMAGE, mit einer von { $image_ids }
console-preview_link = Vorschau: { $url }
console-image_missing = Die Option --image braucht den Pfad einer Bilddatei, zum Beispiel --image photo.jpg. Es wurde nichts berechnet.
console-image_unreadable = Ich kann die Bilddatei { $path } nicht lesen (sie existiert nicht, ist keine Datei oder lässt sich nicht öffnen). Es wurde nichts berechnet.
console-image_local_only = --image nimmt eine Datei auf diesem Computer, keine Webadresse ({ $path }). Es wurde nichts berechnet.
console-help =
    Befehle:
    {"  "}/terms                 Nutzungsbedingungen und Datenschutz in Kürze lesen
    {"  "}/accept                bestätigen, dass du 13+ bist, und die Bedingungen akzeptieren
    {"  "}/decline               die Bedingungen ablehnen
    {"  "}/imagine PROMPT [--ar 16:9] [--seed 7] [--no TEXT] [--n 2] [--model ID] [--enhance]
    {"                 "}[--image PATH]...  nach deinen eigenen Bildern zeichnen (für mehrere wiederholen)
    {"  "}/credits               Guthaben, letzte Credit-Bewegungen, Pakete und Tarife zum Kauf
    {"  "}/buy PACK              ein Bezahllink für ein Credit-Paket
    {"  "}/subscribe PLAN        ein Bezahllink für einen Monatstarif (/subscribe manage: ändern oder kündigen)
    {"  "}/redeem CODE           einen Promo-Code einlösen
    {"  "}/history               deine letzten Aufträge
    {"  "}/models                verfügbare Modelle und ihre Kosten
    {"  "}/cancel [JOB]          einen wartenden Auftrag abbrechen (wird erstattet)
    {"  "}/settings [--model ID] [--ar 16:9] [--lang en]   deine Voreinstellungen für /imagine
    {"  "}/settings --file on|off     Bilder als Dateien in voller Auflösung statt komprimierter Fotos (auf Chat-Plattformen)
    {"  "}/settings --private on|off  private Antworten (auf Chat-Plattformen, die das können)
    {"  "}/settings training on|off   Nutzung deiner Prompts und Bilder fürs Training erlauben
    {"  "}/settings analytics on|off   Nutzungsereignisse (ohne Prompts und Bilder) an die Analyse des Betreibers senden
    {"  "}/privacy               die Datenschutzerklärung
    {"  "}/gallery               deine Bilder auf einer privaten Webseite (ein persönlicher Link)
    {"  "}/mydata                alles herunterladen, was wir über dich speichern (ein ZIP-Link)
    {"  "}/delete IMAGE          eines deiner Bilder löschen (oder Referenzbilder: IDs in /mydata)
    {"  "}/vary IMAGE            neue Bilder nach einem deiner Bilder (Modelle mit Variationen)
    {"  "}/forgetme [CODE]       alle deine Daten löschen (fragt nach einem Bestätigungscode)
    {"  "}/link [CODE]           ein Code, um dein Discord-/Telegram-Konto zu verknüpfen, oder einen einlösen
    {"  "}/help                  diese Liste
    {"  "}/quit                  beenden
privacy-forget_confirm = Das löscht dein Konto, deine Prompts, Bilder, Exporte und Credits endgültig. Zum Bestätigen tippe: /forgetme { $code } (gültig für { DURATION($minutes, unit: "minute") }).
privacy-training_usage = Verwende /settings training on oder /settings training off.
privacy-analytics_usage = Verwende /settings analytics on oder /settings analytics off.
privacy-delete_usage = Verwende /delete IMAGE (die Bild-ID steht in /history).
