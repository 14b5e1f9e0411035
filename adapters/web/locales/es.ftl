# Textos en español del proceso web (páginas de pago), sobre los del núcleo.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

billing-page_title = Seedream
billing-page_success = ¡Gracias! Estamos confirmando tu pago. Puedes cerrar esta página y volver al chat: tus créditos llegarán allí en un momento.
billing-page_cancel = El pago se canceló y no se cobró nada. Puedes cerrar esta página y volver al chat.
billing-page_return = Todo listo. Puedes cerrar esta página y volver al chat.
web-link_invalid = Este enlace no es válido o ha caducado. Pide uno nuevo al bot en tu chat.
web-file_gone = Este archivo ya no está aquí: se borró o terminó su periodo de conservación.
