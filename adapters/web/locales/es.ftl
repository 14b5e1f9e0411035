# Textos en español del proceso web (páginas de pago), sobre los del núcleo.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

billing-page_title = Seedream
billing-page_success = ¡Gracias! Estamos confirmando tu pago. Puedes cerrar esta página y volver al chat: tus créditos llegarán allí en un momento.
billing-page_cancel = El pago se canceló y no se cobró nada. Puedes cerrar esta página y volver al chat.
billing-page_return = Todo listo. Puedes cerrar esta página y volver al chat.
web-link_invalid = Este enlace no es válido o ha caducado. Pide uno nuevo al bot en tu chat.
web-file_gone = Este archivo ya no está aquí: se borró o terminó su periodo de conservación.

# The personal gallery (/gallery)
gallery-title = Tu galería
gallery-intro = Tus imágenes, las más recientes primero. Esta página es solo para ti y funciona hasta el { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC); pide /gallery al bot otra vez para obtener un enlace nuevo.
gallery-filter_model = Modelo
gallery-filter_all = Todos los modelos
gallery-search = Buscar en las descripciones
gallery-apply = Mostrar
gallery-model = Modelo
gallery-created = Creada
gallery-created_at = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") } UTC
gallery-size_label = Tamaño
gallery-dimensions = { $width } × { $height } píxeles
gallery-size = { NUMBER($size_mb, maximumFractionDigits: 1) } MB
gallery-open_original = Abrir el original a tamaño completo
gallery-delete = Eliminar…
gallery-delete_confirm = ¿Eliminar esta imagen para siempre? No se puede deshacer.
gallery-delete_yes = Sí, eliminarla
gallery-deleted = La imagen se eliminó.
gallery-missing = Esa imagen ya estaba eliminada.
gallery-empty = No hay imágenes que mostrar. Crea alguna con /imagine o cambia el filtro.
gallery-pages = Páginas
gallery-newest = Imágenes más recientes
gallery-older = Imágenes anteriores
gallery-refused_title = Este enlace no funciona
