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

# The operator dashboard (/dashboard); $operator is "cli", "discord:<id>" or "telegram:<id>"
dashboard-title = Panel de operación
dashboard-intro = Sesión de { $operator } hasta el { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC). Pide un enlace nuevo cuando termine; no compartas esta página.
dashboard-number = { $n }
dashboard-percent = { NUMBER($percent, maximumFractionDigits: 1) } %
dashboard-ms = { NUMBER($ms, maximumFractionDigits: 0) } ms
dashboard-seconds = ≤ { NUMBER($s, maximumFractionDigits: 1) } s
dashboard-age = { DURATION($age_s) }
dashboard-money = { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
dashboard-stars = { $stars ->
    [one] { $stars } estrella
    [many] { $stars } de estrellas
   *[other] { $stars } estrellas
}
dashboard-payments = { $count ->
    [one] { $count } pago
    [many] { $count } de pagos
   *[other] { $count } pagos
}
dashboard-jobs_title = Trabajos por hora, últimas 24 horas (UTC)
dashboard-jobs_chart = Trabajos por hora en las últimas 24 horas: { $succeeded } completados, { $failed } fallidos, { $cancelled } cancelados. Las cifras de cada hora están en la tabla siguiente.
dashboard-hour = Hora (UTC)
dashboard-succeeded = Completados
dashboard-failed = Fallidos
dashboard-cancelled = Cancelados
dashboard-queue_title = Cola
dashboard-queued = En espera
dashboard-running = En curso
dashboard-oldest = Espera más larga
dashboard-nothing_waits = nada espera
dashboard-users_title = Usuarios activos
dashboard-last_24h = Últimas 24 horas
dashboard-last_7d = Últimos 7 días
dashboard-last_30d = Últimos 30 días
dashboard-providers_title = Servicios de imagen, última hora
dashboard-providers_chart = Tasa de fallos de cada servicio de imagen en la última hora; las cifras están en la tabla siguiente.
dashboard-provider = Servicio
dashboard-requests = Llamadas
dashboard-failure_rate = Tasa de fallos
dashboard-latency_mean = Tiempo medio
dashboard-latency_p50 = Mediana
dashboard-circuit = Cortacircuitos
dashboard-circuit_open = abierto en { $workers } de { $total } workers
dashboard-circuit_closed = cerrado
dashboard-no_providers = Ninguna llamada a servicios de imagen en la última hora.
dashboard-credits_title = Créditos, últimas 24 horas
dashboard-credits_chart = Créditos vendidos, regalados, gastados, devueltos y retirados en las últimas 24 horas; las cifras están en la tabla siguiente.
dashboard-sold = Vendidos
dashboard-given = Regalados (bienvenida, promociones, concesiones)
dashboard-spent = Gastados en trabajos
dashboard-refunded = Devueltos
dashboard-reversed = Retirados (reembolsos de pagos)
dashboard-revenue_title = Ingresos
dashboard-currency = Moneda
dashboard-no_revenue = Ningún pago en los últimos 30 días.
dashboard-errors_title = Errores más frecuentes, últimas 24 horas
dashboard-error_code = Código de error
dashboard-jobs = Trabajos
dashboard-no_errors = Ningún trabajo falló en las últimas 24 horas.
dashboard-lookup_title = Buscar una cuenta
dashboard-platform = Plataforma
dashboard-user_id = Id de usuario en esa plataforma
dashboard-lookup = Buscar
dashboard-not_found = Ninguna cuenta tiene ese id de plataforma. No se cambió nada.
dashboard-user_invalid = Elige una plataforma y escribe un id de usuario. No se cambió nada.
dashboard-account_title = Cuenta { $account_id }
dashboard-balance = Saldo
dashboard-debt = Deuda
dashboard-plan = Plan de suscripción
dashboard-status = Estado
dashboard-banned = Bloqueada: { $reason }
dashboard-active = Activa
dashboard-identities = Identidades
dashboard-grant_title = Dar créditos
dashboard-credits_field = Créditos (un número entero de 1 a { $max_credits })
dashboard-grant_reason = Motivo (queda en el libro de cuentas)
dashboard-grant = Dar
dashboard-ban_title = Bloquear
dashboard-ban_reason = Motivo (solo lo ven los operadores)
dashboard-ban = Bloquear esta cuenta
dashboard-unban = Levantar el bloqueo
dashboard-granted = Se dieron los créditos.
dashboard-already_granted = Esa concesión ya se había hecho (el formulario se envió dos veces); no se dio nada más.
dashboard-banned_done = La cuenta está bloqueada.
dashboard-unbanned_done = Se levantó el bloqueo.
dashboard-amount_invalid = Los créditos deben ser un número entero de 1 a { $max_credits }. No se cambió nada.
dashboard-reason_required = Indica un motivo. No se cambió nada.
dashboard-ledger_title = Libro de cuentas (lo más reciente primero)
dashboard-when = Cuándo (UTC)
dashboard-amount = Créditos
dashboard-balance_after = Saldo después
dashboard-reason = Motivo
dashboard-note = Nota
dashboard-jobs_list_title = Trabajos (lo más reciente primero)
dashboard-job = Trabajo
dashboard-job_status = Estado
dashboard-model = Modelo
dashboard-cost = Coste
dashboard-consents_title = Consentimientos
dashboard-consent = Consentimiento
dashboard-given_label = Otorgado
dashboard-policy_version = Versión de la política
dashboard-yes = sí
dashboard-no = no
dashboard-audit_title = Acciones de los operadores
dashboard-operator = Operador
dashboard-action = Acción
dashboard-none = Nada todavía.
