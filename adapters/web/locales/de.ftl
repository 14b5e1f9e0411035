# Die deutschen Texte des Web-Prozesses (Bezahlseiten), über die des Kerns gelegt.
# Project-Fluent-Syntax (https://projectfluent.org); übersetzt aus en.ftl.

billing-page_title = Seedream
billing-page_success = Danke! Deine Zahlung wird gerade bestätigt. Du kannst diese Seite schließen und zum Chat zurückkehren: Deine Credits kommen dort gleich an.
billing-page_cancel = Die Zahlung wurde abgebrochen, und es wurde nichts berechnet. Du kannst diese Seite schließen und zum Chat zurückkehren.
billing-page_return = Alles erledigt. Du kannst diese Seite schließen und zum Chat zurückkehren.
web-link_invalid = Dieser Link ist ungültig oder abgelaufen. Lass dir im Chat vom Bot einen neuen geben.
web-file_gone = Diese Datei gibt es nicht mehr: Sie wurde gelöscht oder ihre Aufbewahrungszeit ist abgelaufen.
