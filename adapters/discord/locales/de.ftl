# Die deutschen Texte des Discord-Adapters, über die des Kerns und die gemeinsamen Chat-Texte gelegt.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl (gleiche Schlüssel,
# gleiche { $variablen }); Pluralformen nach CLDR: one / *other. Befehlsnamen (discord-name-*)
# bleiben Englisch und stehen deshalb nur in en.ftl.

buttons-terms_body =
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
    Drück „Ich bin 13+ und akzeptiere“, um fortzufahren, oder „Ablehnen“.
buttons-accept = Ich bin 13+ und akzeptiere
buttons-decline = Ablehnen
buttons-reroll = Neu würfeln
buttons-delete = Löschen
discord-image_title = Bild { $index } von { $count }
discord-full_size_link = Volle Größe
discord-full_size_numbered = Volle Größe { $index }
discord-expired_note = <@{ $user_id }> hier ist dein Ergebnis (die ursprüngliche Antwort ist abgelaufen).
discord-admin_only = Dieser Befehl ist für die Betreiber des Bots.
discord-granted = { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } gutgeschrieben; Guthaben { $balance_credits }.
discord-already_granted = Schon gutgeschrieben (gleiche Referenz); Guthaben { $balance_credits }.
discord-banned = Nutzer gesperrt.
discord-unbanned = Sperre aufgehoben.
discord-stats = Konten: { $accounts } (gesperrt: { $banned_accounts }). Credits im Umlauf: { $balance_credits }. Warteschlange: { $queue_depth }. Aufträge: { $jobs }.
discord-privacy = Seedream speichert dein Konto, deine Prompts, Bilder und deinen Credit-Verlauf, um den Dienst zu erbringen, und nutzt deine Prompts nie fürs Training, außer du stimmst zu. Die vollständige Datenschutzerklärung hängt an.
discord-buy_button = { $label } kaufen
discord-forget_confirm = Das löscht dein Konto, deine Prompts, Bilder, Exporte und Credits endgültig. Drück innerhalb von { DURATION($minutes, unit: "minute") } auf Bestätigen, um fortzufahren, oder auf Abbrechen.
discord-forget_confirm_button = Bestätigen: alles löschen
discord-forget_cancel_button = Abbrechen
discord-forget_cancelled = Abgebrochen: Es wurde nichts gelöscht.
discord-settings_current = Deine Voreinstellungen: Modell { $model }, Seitenverhältnis { $aspect }, Sprache { $language }. Private Antworten: { $private }. Nutzung deiner Prompts und Bilder fürs Training: { $training }. Produktanalyse: { $analytics }.
discord-help =
    {"*"}*Seedream**: Bilder aus einem Prompt erstellen.
    /imagine `prompt` – Bilder erstellen (Optionen: model, aspect, seed, negative, count, enhance und bis zu drei Referenzbilder: image, image2, image3)
    Apps > Aus diesem Bild erstellen (an einer Nachricht mit Bildern) – Bilder aus den Bildern dieser Nachricht erstellen
    /models – Modelle und ihre Kosten
    /credits – dein Guthaben und die letzten Credit-Bewegungen
    /history – deine letzten Aufträge
    /cancel – deinen letzten wartenden Auftrag abbrechen (wird erstattet)
    /settings – deine Voreinstellungen (Optionen: model, aspect, language, private (private Antworten), training (Nutzung fürs Training), analytics (Produktanalyse))
    Bilder kommen als Vorschau, jedes mit einem Link **Volle Größe** zur Originaldatei (die Einstellung --file braucht es hier nicht)
    /buy `pack` – Credits kaufen; /subscribe `plan` – ein Monatstarif (oder ihn verwalten); /redeem `code` – ein Promo-Code
    /delete `image` – eines deiner Bilder löschen
    /gallery – deine Bilder auf einer privaten Webseite (ein persönlicher Link)
    /mydata – alles herunterladen, was wir über dich speichern
    /forgetme – alle deine Daten löschen
    /link [`code`] – dein Telegram-Konto mit diesem verknüpfen (ein Konto, ein Guthaben)
    /terms – Nutzungsbedingungen und Datenschutz in Kürze
    /privacy – die Datenschutzerklärung
    /help – diese Liste
discord-menu-imagine_from_image = Aus diesem Bild erstellen
discord-references-modal_title = Aus diesem Bild erstellen
discord-references-modal_label = Was soll aus dem Bild werden?
discord-references-modal_placeholder = Beschreib das Bild, das du möchtest
discord-references-expired = Dieses Formular ist nicht mehr offen (es wurde vor zu langer Zeit gezeigt, oder der Bot wurde neu gestartet). Nutze bitte noch einmal „Aus diesem Bild erstellen“. Es wurde nichts berechnet.
discord-references-no_images = Diese Nachricht hat keine Bildanhänge. Nutze „Aus diesem Bild erstellen“ an einer Nachricht mit angehängten Bildern, oder hänge Bilder an /imagine an (image, image2, image3).
discord-cmd-imagine = Bilder aus einem Text-Prompt erstellen
discord-cmd-imagine_prompt = Was gezeichnet werden soll
discord-cmd-imagine_model = Modell (Standard: deine Einstellung)
discord-cmd-imagine_aspect = Seitenverhältnis
discord-cmd-imagine_seed = Seed, für wiederholbare Ergebnisse
discord-cmd-imagine_negative = Was weggelassen werden soll
discord-cmd-imagine_count = Wie viele Bilder
discord-cmd-imagine_enhance = Den Prompt vorher von einer KI verbessern lassen
discord-cmd-imagine_image = Ein Referenzbild (ein Bild zum Bearbeiten oder als Vorlage)
discord-cmd-imagine_image2 = Ein zweites Referenzbild
discord-cmd-imagine_image3 = Ein drittes Referenzbild
discord-cmd-credits = Dein Credit-Guthaben und die letzten Bewegungen
discord-cmd-history = Deine letzten Aufträge
discord-cmd-cancel = Deinen letzten wartenden Auftrag abbrechen (wird erstattet)
discord-cmd-models = Verfügbare Modelle und ihre Kosten
discord-cmd-settings = Deine Voreinstellungen anzeigen oder ändern
discord-cmd-settings_model = Standardmodell
discord-cmd-settings_aspect = Standard-Seitenverhältnis
discord-cmd-settings_language = Sprache der Antworten
discord-cmd-settings_private = Antworten, die nur du siehst
discord-cmd-settings_training = Nutzung deiner Prompts und Bilder fürs Training erlauben
discord-cmd-settings_analytics = Nutzungsereignisse senden (freiwillig, ohne Prompts)
discord-cmd-buy = Ein Credit-Paket kaufen (ein privater Bezahllink)
discord-cmd-buy_pack = Das Credit-Paket
discord-cmd-subscribe = Einen Monatstarif abonnieren oder dein Abo verwalten
discord-cmd-subscribe_plan = Der Tarif, oder verwalten
discord-cmd-subscribe_manage = Mein Abo verwalten oder kündigen
discord-cmd-redeem = Einen Promo-Code einlösen
discord-cmd-redeem_code = Der Promo-Code
discord-cmd-delete = Eines deiner Bilder löschen
discord-cmd-delete_image = Das Bild (wähle aus deinen letzten)
discord-cmd-mydata = Alles herunterladen, was wir über dich speichern
discord-cmd-gallery = Deine Bilder auf einer privaten Webseite
discord-cmd-forgetme = Alle deine Daten löschen
discord-cmd-link = Dein Telegram-Konto mit diesem verknüpfen: ein Code, oder einen einlösen
discord-cmd-link_code = Ein Code von /link auf Telegram (leer lassen für einen neuen Code)
discord-cmd-terms = Nutzungsbedingungen und Datenschutz in Kürze
discord-cmd-privacy = Wie deine Daten genutzt werden
discord-cmd-help = So nutzt du den Bot
discord-cmd-admin = Befehle für Betreiber
discord-cmd-admin_grant = Credits gutschreiben (negativ zieht ab)
discord-cmd-admin_ban = Einen Nutzer sperren
discord-cmd-admin_unban = Eine Sperre aufheben
discord-cmd-admin_stats = Statistiken des Bots
discord-cmd-admin_dashboard = Ein kurzlebiger Link zum Betreiber-Dashboard
discord-cmd-admin_user = Der Nutzer
discord-cmd-admin_credits = Ganze Credits
discord-cmd-admin_reason = Grund (wird im Hauptbuch vermerkt)
discord-taken_back = { $credits ->
        [one] { $credits } Credit
       *[other] { $credits } Credits
    } zurückgenommen; Guthaben { $balance_credits }.
