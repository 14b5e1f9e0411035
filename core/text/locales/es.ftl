# Textos del núcleo en español: sus errores y los avisos que envía.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

error-generic = Lo siento, algo falló por nuestra parte. Inténtalo de nuevo. (ref. { $correlation_id })
error-insufficient_credits = Necesitas { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } para esto y tienes { $balance_credits }. Usa /credits para ver cómo conseguir más.
error-terms_not_accepted = Antes de usar el bot, lee y acepta los términos (versión { $policy_version }): escribe /terms.
error-banned = Tu cuenta está suspendida y no puede usar el bot.
error-unknown_model = No hay ningún modelo llamado "{ $model_id }". Modelos disponibles: { $available }.
error-age_restricted = El modelo { $model_id } tiene restricción de edad: solo se puede usar en un canal o chat con restricción de edad. Elige otro modelo (/models) o cambia el predeterminado con /settings.
error-not_found = No encontré { $what ->
        [image] esa imagen
        [job] ese trabajo
        [queued_job] ese trabajo en cola
        [account] esa cuenta
        [subscription] esa suscripción
        [confirmation_code] ese código de confirmación
       *[other] lo que buscas
    }.
error-rate_limited = Vas un poco rápido. Inténtalo de nuevo { DURATION($retry_after_s, direction: "in") }.
error-already_submitted = Esta solicitud ya me llegó: es el trabajo { $job_id } y no se cobra otra vez.
error-too_many_queued = Ya tienes { $max_queued_jobs ->
        [one] { $max_queued_jobs } trabajo en espera
        [many] { $max_queued_jobs } de trabajos en espera
       *[other] { $max_queued_jobs } trabajos en espera
    }, el máximo que permite tu plan. Espera a que termine uno o cancela alguno con /cancel.
error-prompt_refused = Este prompt no está permitido en este bot. No se cobró nada.
error-payments_disabled = Los pagos no están activados en este bot.
error-provider = El servicio de imágenes no pudo crear esta imagen. Te devolvimos los créditos.
error-provider_refused = El servicio de imágenes rechazó este prompt. Te devolvimos los créditos.
error-provider_busy = El servicio de imágenes está ocupado. Inténtalo de nuevo en un momento.
error-route_unsupported = Ningún servicio de imágenes pudo aceptar esta solicitud para este modelo (el modelo o alguna opción no está disponible allí). Te devolvimos los créditos.
error-export_too_soon = Puedes pedir una exportación de datos por hora. Inténtalo de nuevo { DURATION($retry_after_s, direction: "in") }.
error-confirmation_invalid = Ese código de confirmación es incorrecto o ha caducado. No se borró nada. Escribe /forgetme para obtener un código nuevo.
error-not_owner = { $what ->
        [image] Esa imagen no es tuya
        [job] Ese trabajo no es tuyo
        [queued_job] Ese trabajo en cola no es tuyo
        [account] Esa cuenta no es tuya
       *[other] Eso no es tuyo
    }: solo puedes borrar lo tuyo.
error-link_too_soon = Demasiados códigos de vinculación o intentos. Inténtalo de nuevo { DURATION($retry_after_s, direction: "in") }.
error-web_link_invalid = Este enlace no es válido, ha caducado o fue sustituido por uno más reciente. Pide uno nuevo al bot con /gallery.
error-variations_unsupported = El modelo { $model_id } no puede hacer variaciones de una imagen. No se cobró nada.
error-source_image_gone = La imagen que querías variar se borró antes de poder dibujar la variación. Te devolvimos los créditos.
error-reference_image_gone = Una imagen de referencia se borró antes de poder dibujar la imagen. Te devolvimos los créditos.
error-job_deadline = Esta imagen no estuvo lista en { DURATION($deadline_min, unit: "minute") } (los servicios de imágenes estaban ocupados o fallando), así que se detuvo. Te devolvimos los créditos.
error-invalid_option-default = El valor de { $field } no es válido.
error-invalid_option-empty = Describe la imagen que quieres, por ejemplo: /imagine un zorro rojo en la nieve.
error-invalid_option-too_long = Tu prompt tiene { $length ->
        [one] { $length } carácter
        [many] { $length } de caracteres
       *[other] { $length } caracteres
    }; el límite es { $max_chars }. Acórtalo, por favor.
error-invalid_option-unknown_option = No conozco la opción { $option }. Opciones: --ar 16:9, --seed 7, --no texto, --n 2, --model id, --enhance.
error-invalid_option-missing_value = La opción { $option } necesita un valor, por ejemplo --ar 16:9.
error-invalid_option-not_a_number = { $field } debe ser un número entero, no "{ $value }".
error-invalid_option-not_allowed = La relación de aspecto { $value } no está disponible para este modelo. Elige una de: { $allowed }.
error-invalid_option-out_of_range = { $field } debe estar entre 1 y { $max }.
error-invalid_option-unknown_setting = No conozco el ajuste { $option }. Ajustes: --model ID, --ar 16:9, --lang es, --file on, --private on.
error-invalid_option-not_allowed_language = El idioma { $value } no está disponible. Elige uno de: { $allowed }.
error-invalid_option-age_required = Debes confirmar que tienes 13 años o más para usar este bot.
error-invalid_option-reason_required = Indica un motivo, por favor.
error-invalid_option-unsupported = El modelo { $model } no admite la opción { $field }.
error-invalid_option-promo_code_format = Un código promocional tiene de 3 a 64 letras, dígitos, guiones o guiones bajos.
error-invalid_option-promo_expiry_past = La fecha de caducidad debe ser futura.
error-invalid_option-promo_code_exists = El código promocional { $value } ya existe.
error-invalid_option-not_on_off = Responde on u off, no "{ $value }".
error-reference_image-default = Esa imagen no se puede usar como referencia. No se cobró nada.
error-reference_image-empty = Ese archivo está vacío. No se cobró nada.
error-reference_image-too_large = Esa imagen es demasiado grande: el límite es { $max_mb } MB. No se cobró nada.
error-reference_image-not_an_image = Ese archivo no es una imagen que pueda leer (PNG, JPEG, WebP o GIF). No se cobró nada.
error-reference_image-too_many_pixels = Esa imagen tiene demasiados píxeles: el límite es { $max_megapixels ->
        [one] { $max_megapixels } megapíxel
        [many] { $max_megapixels } de megapíxeles
       *[other] { $max_megapixels } megapíxeles
    }. No se cobró nada.
error-reference_image-animated = Las imágenes animadas no sirven como referencia: envía una imagen fija. No se cobró nada.
error-reference_image-unreadable = Esa imagen está dañada o no se puede leer. No se cobró nada.
error-reference_image-too_many = El modelo { $model_id } acepta como máximo { $max_images ->
        [one] { $max_images } imagen de referencia
        [many] { $max_images } de imágenes de referencia
       *[other] { $max_images } imágenes de referencia
    }. No se cobró nada.
error-reference_image-unsupported = El modelo { $model_id } no puede dibujar a partir de imágenes de referencia. Elige otro modelo (/models). No se cobró nada.
error-reference_image-disabled = Las imágenes de referencia están desactivadas en este bot. No se cobró nada.
error-reference_image-paid_plans_only = En este bot, las imágenes de referencia son para planes de pago (/subscribe). No se cobró nada.
error-reference_image-gone = Se borró una imagen de referencia de ese trabajo, así que no se puede volver a dibujar. No se cobró nada.
error-link-default = No se pudieron vincular las cuentas. No se cambió nada.
error-link-invalid_code = Ese código de vinculación es incorrecto, caducó o ya se usó. No se cambió nada. Envía /link en tu otra plataforma para obtener un código nuevo.
error-link-same_account = Ese código es de esta misma cuenta: envíalo desde tu otra plataforma.
error-link-same_platform = Ambas cuentas ya tienen una identidad de { $platform }; una cuenta puede tener una por plataforma. No se cambió nada.
error-link-banned = Una de las cuentas está suspendida o borrada, así que no se pueden vincular.
error-link-merged = Una de las cuentas ya se unió a otra. No se cambió nada.
error-link-jobs_active = Esta cuenta aún tiene imágenes en espera o dibujándose. Espéralas o cancela tus trabajos con /cancel y luego vincula.
error-link-both_subscribed = Ambas cuentas tienen una suscripción activa; cancela una primero (/subscribe manage) y luego vincula.
error-link-both_customers = Ambas cuentas tienen un perfil de pago con tarjeta guardado, que no se puede unir automáticamente. Contacta con quien opera este bot.
error-credit_debt-default = Un pago tuyo se reembolsó o se disputó tras gastar sus créditos, así que debes { $debt_credits ->
        [one] { $debt_credits } crédito
        [many] { $debt_credits } de créditos
       *[other] { $debt_credits } créditos
    }. Las imágenes nuevas quedan en pausa hasta que tu próxima compra salde la deuda (/credits).
error-payments_unavailable-default = No se puede contactar con el servicio de pagos ahora mismo y no se cobró nada. Inténtalo de nuevo en unos minutos.
error-unknown_pack-default = No hay ningún paquete de créditos llamado "{ $pack_id }". Paquetes: { $available }.
error-unknown_plan-default = No hay ningún plan llamado "{ $plan_id }" al que suscribirse. Planes: { $available }.
error-promo-default = Este código promocional no se puede canjear.
error-promo-unknown = No existe el código promocional "{ $code }". Revisa cómo está escrito.
error-promo-expired = El código promocional "{ $code }" ha caducado.
error-promo-exhausted = El código promocional "{ $code }" ya se agotó.
error-promo-already_redeemed = Ya canjeaste el código promocional "{ $code }".
error-payment-default = Este pago no corresponde a ninguna oferta de este bot. No se cobró nada.
error-payment-bad_payload = Esta factura ya no es válida. Pide una nueva con /buy.
error-payment-wrong_amount = El precio de este paquete cambió. Pide una factura nueva con /buy.
error-payment-unknown_pack = Este paquete de créditos ya no se vende. Mira los paquetes actuales en /credits.
error-payment-wrong_account = Esta factura se hizo para otra cuenta. Pide la tuya con /buy.
error-payment-not_found = No existe ese pago.
error-payment-already_refunded = Este pago ya se reembolsó.
error-payment-stars_unavailable = Los reembolsos de Telegram Stars no están disponibles en este proceso.
error-payment-stars_only = En Telegram, los créditos se venden por Telegram Stars: usa /buy para obtener una factura.
billing-purchase_landed = Pago recibido: { $credits ->
        [one] { $credits } crédito añadido
        [many] { $credits } de créditos añadidos
       *[other] { $credits } créditos añadidos
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-purchase_landed_debt = Pago recibido: { $credits ->
        [one] { $credits } crédito añadido
        [many] { $credits } de créditos añadidos
       *[other] { $credits } créditos añadidos
    }; { $settled_credits ->
        [one] { $settled_credits } fue para saldar tu deuda
        [many] { $settled_credits } fueron para saldar tu deuda
       *[other] { $settled_credits } fueron para saldar tu deuda
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-subscription_credits = Tu plan { $plan } se renovó: { $credits ->
        [one] { $credits } crédito añadido
        [many] { $credits } de créditos añadidos
       *[other] { $credits } créditos añadidos
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-subscription_ended = Tu suscripción { $plan } terminó; vuelves al plan gratuito.
billing-payment_failed = Tu pago no se completó y no se cobró nada. Puedes intentarlo de nuevo con /buy.
billing-payment_reversed = Un pago se reembolsó o se disputó: te retiramos { $taken_credits ->
        [one] { $taken_credits } crédito
        [many] { $taken_credits } de créditos
       *[other] { $taken_credits } créditos
    }.
billing-payment_restored = Un pago disputado se resolvió a tu favor: te devolvimos { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    }.
billing-payment_reversed_debt = Un pago se reembolsó o se disputó: te retiramos { $taken_credits ->
        [one] { $taken_credits } crédito
        [many] { $taken_credits } de créditos
       *[other] { $taken_credits } créditos
    } y debes { $debt_credits ->
        [one] { $debt_credits } crédito que ya se había gastado
        [many] { $debt_credits } de créditos que ya se habían gastado
       *[other] { $debt_credits } créditos que ya se habían gastado
    }. Las imágenes nuevas quedan en pausa hasta que una compra salde la deuda.
error-model_unavailable = El modelo "{ $model_id }" no está disponible en este bot. Modelos disponibles: { $available }.
error-invalid_option-negative_too_long = Tu prompt negativo (--no) tiene { $length } caracteres; el límite es { $max_chars }. Acórtalo, por favor.
error-invalid_option-seed_range = La semilla debe ser un número entero de { $min } a { $max }, no "{ $value }".
error-invalid_option-count_range = El número de imágenes (--n) debe ser un número entero de 1 a { $max } para este modelo, no "{ $value }".
error-debit_exceeds_balance = La cuenta tiene { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }, así que no se pueden retirar { $debit_credits }. No se cambió nada.
error-not_cancellable-default = El trabajo { $job_id } ya no está esperando en la cola, así que no se puede cancelar.
error-not_cancellable-running = El trabajo { $job_id } ya se está dibujando, así que ya no se puede cancelar.
error-not_cancellable-ended = El trabajo { $job_id } ya terminó, así que no hay nada que cancelar.
error-invalid_option-admin_credits = Los créditos deben ser un número entero de -{ $max_credits } a { $max_credits }, distinto de 0. No se cambió nada.
error-invalid_option-promo_code_missing = Escribe el código promocional después del comando, por ejemplo /redeem WELCOME10.
