# Die deutschen Texte des Web-Prozesses (Bezahlseiten), über die des Kerns gelegt.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl.

billing-page_title = Seedream
billing-page_success = Danke! Deine Zahlung wird gerade bestätigt. Du kannst diese Seite schließen und zum Chat zurückkehren: Deine Credits kommen dort gleich an.
billing-page_cancel = Die Zahlung wurde abgebrochen, und es wurde nichts berechnet. Du kannst diese Seite schließen und zum Chat zurückkehren.
billing-page_return = Alles erledigt. Du kannst diese Seite schließen und zum Chat zurückkehren.
web-link_invalid = Dieser Link ist ungültig oder abgelaufen. Lass dir im Chat vom Bot einen neuen geben.
web-file_gone = Diese Datei gibt es nicht mehr: Sie wurde gelöscht oder ihre Aufbewahrungszeit ist abgelaufen.

# The personal gallery (/gallery)
gallery-title = Deine Galerie
gallery-intro = Deine Bilder, die neuesten zuerst. Diese Seite ist nur für dich und funktioniert bis { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC); hol dir mit /gallery beim Bot einen neuen Link.
gallery-filter_model = Modell
gallery-filter_all = Alle Modelle
gallery-search = In Prompts suchen
gallery-apply = Anzeigen
gallery-model = Modell
gallery-created = Erstellt
gallery-created_at = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") } UTC
gallery-size_label = Größe
gallery-dimensions = { $width } × { $height } Pixel
gallery-size = { NUMBER($size_mb, maximumFractionDigits: 1) } MB
gallery-open_original = Original in voller Größe öffnen
gallery-delete = Löschen…
gallery-delete_confirm = Dieses Bild endgültig löschen? Das lässt sich nicht rückgängig machen.
gallery-delete_yes = Ja, löschen
gallery-deleted = Das Bild wurde gelöscht.
gallery-missing = Dieses Bild war schon gelöscht.
gallery-empty = Keine Bilder zum Anzeigen. Erstelle welche mit /imagine oder ändere den Filter.
gallery-pages = Seiten
gallery-newest = Neueste Bilder
gallery-older = Ältere Bilder
gallery-refused_title = Dieser Link funktioniert nicht
