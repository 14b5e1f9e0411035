# Textos en español que muestran todos los adaptadores de chat (consola, Discord, Telegram).
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

terms-accepted = ¡Gracias! Ya puedes crear imágenes. Prueba: /imagine un zorro rojo en la nieve
terms-accepted_welcome = ¡Gracias! Recibiste { $credits ->
        [one] { $credits } crédito gratis
        [many] { $credits } de créditos gratis
       *[other] { $credits } créditos gratis
    }. Prueba: /imagine un zorro rojo en la nieve
terms-declined = No pasa nada. Puedes volver a leer los términos con /terms cuando quieras.
job-queued = En cola: { $job_id } ({ $count ->
        [one] { $count } imagen
        [many] { $count } de imágenes
       *[other] { $count } imágenes
    }, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    }; saldo { $balance_credits }).
job-queue_position = Posición en la cola: { $position }.
job-queue_position_far = Hay más de { $jobs_ahead ->
        [one] { $jobs_ahead } trabajo
        [many] { $jobs_ahead } de trabajos
       *[other] { $jobs_ahead } trabajos
    } por delante en la cola.
job-started = Generando { $job_id }…
job-finished = Listo { $job_id }:
job-enhance_skipped = La mejora del prompt no estaba disponible, así que usé tu prompt tal cual.
job-failed = El trabajo { $job_id } falló: { $reason } Te devolvimos { $refunded_credits ->
        [one] { $refunded_credits } crédito
        [many] { $refunded_credits } de créditos
       *[other] { $refunded_credits } créditos
    }.
job-cancelled = Cancelado { $job_id }. Te devolvimos { $refunded_credits ->
        [one] { $refunded_credits } crédito
        [many] { $refunded_credits } de créditos
       *[other] { $refunded_credits } créditos
    }.
credits-balance = Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
credits-entry = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $amount_credits }  { $reason ->
        [welcome] créditos de bienvenida
        [spend] gastado en imágenes
        [refund] devolución
        [admin_grant] concedido por un operador
        [admin_debit] retirado por un operador
        [purchase] compra
        [subscription] suscripción
        [stars_purchase] compra con Stars
        [promo] código promocional
        [payment_reversal] pago revertido
        [stars_refund] reembolso de Stars
        [stars_refund_undone] reembolso de Stars anulado
        [debt_settled] deuda saldada
        [link_out] trasladado con /link
        [link_in] recibido con /link
        [erasure_close] borrado de datos
       *[other] otro
    }  ({ $reference })
credits-none = Todavía no hay movimientos de créditos.
history-empty = Todavía no has creado ninguna imagen.
history-item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $job_id }  { $status ->
        [queued] en cola
        [running] en curso
        [succeeded] terminado
        [failed] fallido
        [cancelled] cancelado
       *[other] desconocido
    }  { $model_id }  "{ $prompt }"
settings-saved = Guardado.
settings-on = activado
settings-off = desactivado
models-item = { $id }: { $label } - { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } por imagen; relaciones de aspecto { $aspects }; hasta { $max_images ->
        [one] { $max_images } imagen
        [many] { $max_images } de imágenes
       *[other] { $max_images } imágenes
    }
models-seed_some_routes = ; seed: no en todas las rutas (un resultado hecho sin ella no muestra seed)
models-seed_no_routes = ; seed: sus servicios no la respetan
models-references = ; acepta hasta { $max_references ->
        [one] { $max_references } imagen de referencia
        [many] { $max_references } de imágenes de referencia
       *[other] { $max_references } imágenes de referencia
    } (/imagine con imágenes)
models-references_cost = ; acepta hasta { $max_references ->
        [one] { $max_references } imagen de referencia
        [many] { $max_references } de imágenes de referencia
       *[other] { $max_references } imágenes de referencia
    } (/imagine con imágenes, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } cada una)
chat-unknown_command = Comando desconocido: { $command }. Escribe /help para ver la lista.
link-code = Tu código de vinculación: { $code } (válido durante { DURATION($minutes, unit: "minute") }, hasta { DATETIME($expires_at, timeStyle: "short") } UTC). Para unir tu cuenta de { $other } a esta, envía /link { $code } a este bot en { $other }. Ambas pasan a ser una sola cuenta con un solo saldo. No compartas nunca este código.
link-code_any = Tu código de vinculación: { $code } (válido durante { DURATION($minutes, unit: "minute") }, hasta { DATETIME($expires_at, timeStyle: "short") } UTC). Para unir tu cuenta de Discord o Telegram a esta, envía /link { $code } a este bot en Discord o Telegram. Ambas pasan a ser una sola cuenta con un solo saldo. No compartas nunca este código.
link-done = Vinculadas: { $platforms } ahora son una sola cuenta con un solo saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    } ({ $moved_credits ->
        [one] { $moved_credits } crédito transferido
        [many] { $moved_credits } de créditos transferidos
       *[other] { $moved_credits } créditos transferidos
    }).
billing-overview_debt = Debes { $debt_credits ->
        [one] { $debt_credits } crédito
        [many] { $debt_credits } de créditos
       *[other] { $debt_credits } créditos
    } de un pago reembolsado o disputado; las imágenes nuevas quedan en pausa hasta que una compra salde la deuda.
billing-overview_plan = Plan: { $plan }.
billing-packs_header = Paquetes de créditos (cómpralos con /buy PAQUETE):
billing-pack_item = {"  "}{ $id }: { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } por { $price }
billing-pack_item_stars = {"  "}{ $id }: { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } por { $stars ->
        [one] { $stars } Star
        [many] { $stars } de Stars
       *[other] { $stars } Stars
    }
billing-plans_header = Suscripciones (empieza con /subscribe PLAN, gestiónalas con /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits ->
        [one] { $monthly_credits } crédito
        [many] { $monthly_credits } de créditos
       *[other] { $monthly_credits } créditos
    } cada mes, { $price } al mes
billing-not_configured = Comprar créditos no está disponible en este bot (los pagos no están configurados).
billing-checkout_link =
    Paga aquí (el enlace es personal y caduca en 24 horas):
    { $url }
    Tus créditos llegan a este chat en cuanto se complete el pago.
billing-subscribe_link =
    Suscríbete aquí (el enlace es personal y caduca en 24 horas):
    { $url }
    Tus créditos mensuales llegan a este chat después de cada pago.
billing-portal_link =
    Gestiona o cancela tu suscripción aquí:
    { $url }
billing-redeemed = Código promocional { $code } canjeado: { $credits ->
        [one] { $credits } crédito añadido
        [many] { $credits } de créditos añadidos
       *[other] { $credits } créditos añadidos
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
privacy-export_ready =
    Tu exportación de datos está lista ({ $size_kb } KB, { $images ->
        [one] { $images } imagen
        [many] { $images } de imágenes
       *[other] { $images } imágenes
    }). Descárgala antes del { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC:
    { $url }
privacy-gallery_ready =
    Tu galería personal: todas tus imágenes en una página privada.
    Ábrela antes del { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC y no la compartas: quien tenga el enlace ve tus imágenes. Un nuevo enlace de /gallery sustituye a este.
    { $url }
privacy-forget_done = Borrado el { DATETIME($finished_at, dateStyle: "medium", timeStyle: "medium") } UTC (comprobante { $erasure_id }). Eliminado: { $summary }.{ $kept } Se { $cancelled_jobs ->
        [one] canceló { $cancelled_jobs } trabajo en cola
        [many] cancelaron { $cancelled_jobs } de trabajos en cola
       *[other] cancelaron { $cancelled_jobs } trabajos en cola
    } y se { $refunded_credits ->
        [one] devolvió { $refunded_credits } crédito
        [many] devolvieron { $refunded_credits } de créditos
       *[other] devolvieron { $refunded_credits } créditos
    } antes del borrado.
privacy-forget_kept = {" "}Conservado a propósito: { $kept }.
privacy-forget_nothing = No tenemos ningún dato tuyo: no hay nada que borrar.
privacy-image_deleted = Se borró la imagen { $image_id }.
privacy-training_on = Tus prompts e imágenes ahora se pueden usar para mejorar modelos. Desactívalo con /settings training off.
privacy-training_off = Tus prompts e imágenes no se usarán para entrenar modelos.
privacy-analytics_on = La analítica de producto está activada: el bot envía eventos de uso (comandos usados, trabajos terminados, compras) con un identificador aleatorio, nunca tus prompts, imágenes ni tu id de chat. Desactívala con /settings analytics off.
privacy-analytics_off = La analítica de producto está desactivada: no se envían eventos de uso sobre ti.
privacy-kept-other = otros registros
privacy-removed_nothing = nada
privacy-kept-payment_records = registros de pago, sin ningún vínculo contigo (la ley los exige)
privacy-kept-abuse_prevention = un hash con clave de tu identidad de chat que indica si ya recibió los créditos de bienvenida o un código promocional, para no darlos dos veces, y cuándo se borró, para que al restaurar una copia de seguridad anterior tus datos se borren de nuevo (prevención de abusos y copias de seguridad; no te nombra ni a ti ni a tu cuenta)
privacy-counted-accounts = { $n ->
        [one] { $n } cuenta
        [many] { $n } de cuentas
       *[other] { $n } cuentas
    }
privacy-counted-identities = { $n ->
        [one] { $n } identidad de chat
        [many] { $n } de identidades de chat
       *[other] { $n } identidades de chat
    }
privacy-counted-consents = { $n ->
        [one] { $n } registro de consentimiento
        [many] { $n } de registros de consentimiento
       *[other] { $n } registros de consentimiento
    }
privacy-counted-confirmations = { $n ->
        [one] { $n } código de confirmación
        [many] { $n } de códigos de confirmación
       *[other] { $n } códigos de confirmación
    }
privacy-counted-jobs = { $n ->
        [one] { $n } generación con su prompt
        [many] { $n } de generaciones con sus prompts
       *[other] { $n } generaciones con sus prompts
    }
privacy-counted-images = { $n ->
        [one] { $n } registro de imagen
        [many] { $n } de registros de imágenes
       *[other] { $n } registros de imágenes
    }
privacy-counted-uploads = { $n ->
        [one] { $n } imagen de referencia que aportaste
        [many] { $n } de imágenes de referencia que aportaste
       *[other] { $n } imágenes de referencia que aportaste
    }
privacy-counted-exports = { $n ->
        [one] { $n } exportación
        [many] { $n } de exportaciones
       *[other] { $n } exportaciones
    }
privacy-counted-storage_objects = { $n ->
        [one] { $n } archivo almacenado
        [many] { $n } de archivos almacenados
       *[other] { $n } archivos almacenados
    }
privacy-counted-ledger_entries_deleted = { $n ->
        [one] { $n } movimiento de créditos
        [many] { $n } de movimientos de créditos
       *[other] { $n } movimientos de créditos
    }
privacy-counted-payment_records_pseudonymised = { $n ->
        [one] { $n } registro de pago conservado sin ningún vínculo contigo
        [many] { $n } de registros de pago conservados sin ningún vínculo contigo
       *[other] { $n } registros de pago conservados sin ningún vínculo contigo
    }
privacy-counted-redis_entries = { $n ->
        [one] { $n } registro técnico
        [many] { $n } de registros técnicos
       *[other] { $n } registros técnicos
    }
privacy-counted-rate_windows = { $n ->
        [one] { $n } contador de límite de uso
        [many] { $n } de contadores de límite de uso
       *[other] { $n } contadores de límite de uso
    }
privacy-counted-link_codes_deleted = { $n ->
        [one] { $n } código de vinculación de cuentas
        [many] { $n } de códigos de vinculación de cuentas
       *[other] { $n } códigos de vinculación de cuentas
    }
privacy-counted-web_links_deleted = { $n ->
        [one] { $n } enlace personal a la galería
        [many] { $n } de enlaces personales a la galería
       *[other] { $n } enlaces personales a la galería
    }
buttons-vary = V{ $index }
privacy-counted-payment_customers = { $n ->
        [one] { $n } registro de cliente en el servicio de pago
        [many] { $n } de registros de cliente en el servicio de pago
       *[other] { $n } registros de cliente en el servicio de pago
    }
privacy-counted-redis_notice_markers = { $n ->
        [one] { $n } marca de aviso de pago
        [many] { $n } de marcas de aviso de pago
       *[other] { $n } marcas de aviso de pago
    }
privacy-counted-admin_audit_pseudonymised = { $n ->
        [one] { $n } registro de una acción de un operador conservado sin ningún vínculo contigo
        [many] { $n } de registros de acciones de operadores conservados sin ningún vínculo contigo
       *[other] { $n } registros de acciones de operadores conservados sin ningún vínculo contigo
    }
privacy-counted-payments_pseudonymised = { $n ->
        [one] { $n } pago conservado sin ningún vínculo contigo
        [many] { $n } de pagos conservados sin ningún vínculo contigo
       *[other] { $n } pagos conservados sin ningún vínculo contigo
    }
privacy-counted-stars_refunds_pseudonymised = { $n ->
        [one] { $n } reembolso de Telegram Stars conservado sin ningún vínculo contigo
        [many] { $n } de reembolsos de Telegram Stars conservados sin ningún vínculo contigo
       *[other] { $n } reembolsos de Telegram Stars conservados sin ningún vínculo contigo
    }
privacy-counted-subscriptions_pseudonymised = { $n ->
        [one] { $n } suscripción conservada sin ningún vínculo contigo
        [many] { $n } de suscripciones conservadas sin ningún vínculo contigo
       *[other] { $n } suscripciones conservadas sin ningún vínculo contigo
    }
privacy-counted-credit_debts_pseudonymised = { $n ->
        [one] { $n } registro de deuda de créditos conservado sin ningún vínculo contigo
        [many] { $n } de registros de deuda de créditos conservados sin ningún vínculo contigo
       *[other] { $n } registros de deuda de créditos conservados sin ningún vínculo contigo
    }
privacy-counted-checkout_sessions_pseudonymised = { $n ->
        [one] { $n } registro de pago conservado sin ningún vínculo contigo
        [many] { $n } de registros de pago conservados sin ningún vínculo contigo
       *[other] { $n } registros de pago conservados sin ningún vínculo contigo
    }
privacy-counted-promo_redemptions_deleted = { $n ->
        [one] { $n } canje de código promocional
        [many] { $n } de canjes de códigos promocionales
       *[other] { $n } canjes de códigos promocionales
    }
privacy-counted-billing_customers_deleted = { $n ->
        [one] { $n } vínculo con un cliente de facturación
        [many] { $n } de vínculos con clientes de facturación
       *[other] { $n } vínculos con clientes de facturación
    }
privacy-counted-other = { $n ->
        [one] { $n } registro más
        [many] { $n } de registros más
       *[other] { $n } registros más
    }

# Operators (/admin dashboard on Discord and Telegram)
admin-dashboard_ready =
    El panel de operación: ábrelo antes del { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC y no lo compartas: quien tenga el enlace puede dar créditos y bloquear usuarios. Un nuevo enlace sustituye a este.
    { $url }
