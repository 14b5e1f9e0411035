# Textos en español del adaptador de Discord, sobre los del núcleo y los textos de chat comunes.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.
# Los nombres de los comandos se quedan en inglés; aquí solo van sus descripciones.

buttons-terms_body =
    Términos de uso y resumen de privacidad de Seedream (versión { $policy_version })
    {""}
    - Debes tener 13 años o más para usar este bot.
    - Guardamos tu cuenta, tus prompts, tus imágenes y tu historial de créditos para prestar el servicio.
    {"  "}Los prompts se envían al servicio de imágenes que los dibuja; nunca se usan para entrenar modelos
    {"  "}salvo que tú lo permitas.
    - Las imágenes siguen el periodo de conservación de tu plan y después se borran. Puedes ver tus trabajos
    {"  "}e imágenes con /history y tus movimientos de créditos con /credits.
    - No pidas contenido ilegal ni contenido que dañe a otras personas.
    - Analítica de producto: no se envía nada sobre ti al servicio de analítica del operador salvo
    {"  "}que la actives con /settings analytics on (nunca tus prompts ni imágenes).
    {""}
    Pulsa "Tengo 13+ y acepto" para continuar, o "Rechazar".
buttons-accept = Tengo 13+ y acepto
buttons-decline = Rechazar
buttons-reroll = Otra vez
buttons-delete = Borrar
discord-image_title = Imagen { $index } de { $count }
discord-full_size_link = Tamaño completo
discord-full_size_numbered = Tamaño completo { $index }
discord-expired_note = <@{ $user_id }> aquí tienes tu resultado (la respuesta original caducó).
discord-admin_only = Este comando es para quienes operan el bot.
discord-granted = { $credits ->
        [one] Se otorgó { $credits } crédito
        [many] Se otorgaron { $credits } de créditos
       *[other] Se otorgaron { $credits } créditos
    }; saldo { $balance_credits }.
discord-already_granted = Ya se otorgó (misma referencia); saldo { $balance_credits }.
discord-banned = Usuario bloqueado.
discord-unbanned = Bloqueo levantado.
discord-stats = Cuentas: { $accounts } (bloqueadas: { $banned_accounts }). Créditos en saldos: { $balance_credits }. Cola: { $queue_depth }. Trabajos: { $jobs }.
discord-privacy = Seedream guarda tu cuenta, tus prompts, tus imágenes y tu historial de créditos para prestar el servicio, y nunca usa tus prompts para entrenar modelos salvo que tú lo permitas. Adjuntamos la política de privacidad completa.
discord-buy_button = Comprar { $label }
discord-forget_confirm = Esto borra para siempre tu cuenta, tus prompts, imágenes, exportaciones y créditos. Tienes { DURATION($minutes, unit: "minute") } para pulsar Confirmar y seguir; si no, pulsa Cancelar.
discord-forget_confirm_button = Confirmar: borrar todo
discord-forget_cancel_button = Cancelar
discord-forget_cancelled = Cancelado: no se borró nada.
discord-settings_current = Tus valores predeterminados: modelo { $model }, relación de aspecto { $aspect }, idioma { $language }. Respuestas privadas: { $private }. Uso de tus prompts e imágenes para entrenar: { $training }. Analítica de producto: { $analytics }.
discord-help =
    {"*"}*Seedream**: crea imágenes a partir de un prompt.
    /imagine `prompt` - crea imágenes (opciones: model, aspect, seed, negative, count, enhance y hasta tres imágenes de referencia: image, image2, image3)
    Aplicaciones > Imaginar desde esta imagen (en un mensaje con imágenes) - crea imágenes a partir de las imágenes de ese mensaje
    /models - los modelos y su coste
    /credits - tu saldo y tus movimientos de créditos recientes
    /history - tus trabajos recientes
    /cancel - cancela tu último trabajo en cola (se devuelven los créditos)
    /settings - tus valores predeterminados (opciones: model, aspect, language, private (respuestas privadas), training (uso para entrenar), analytics (analítica de producto))
    Las imágenes llegan como vistas previas, cada una con un enlace **Tamaño completo** a su archivo original (aquí no hace falta el ajuste --file)
    /buy `pack` - compra créditos; /subscribe `plan` - un plan mensual (o gestiónalo); /redeem `code` - un código promocional
    /delete `image` - borra una de tus imágenes
    /gallery - tus imágenes en una página web privada (un enlace personal)
    /mydata - descarga todo lo que guardamos sobre ti
    /forgetme - borra todos tus datos
    /link [`code`] - une tu cuenta de Telegram a esta (una cuenta, un saldo)
    /terms - los términos y el resumen de privacidad
    /privacy - la política de privacidad
    /help - esta lista
discord-menu-imagine_from_image = Imaginar desde esta imagen
discord-references-modal_title = Imaginar desde esta imagen
discord-references-modal_label = Qué crear a partir de la imagen o imágenes
discord-references-modal_placeholder = Describe la imagen que quieres
discord-references-expired = Ese formulario ya no está abierto (se mostró hace demasiado tiempo o el bot se reinició). Vuelve a usar "Imaginar desde esta imagen". No se cobró nada.
discord-references-no_images = Ese mensaje no tiene imágenes adjuntas. Usa "Imaginar desde esta imagen" en un mensaje con imágenes adjuntas, o adjunta imágenes a /imagine (image, image2, image3).
discord-cmd-imagine = Crea imágenes a partir de un texto
discord-cmd-imagine_prompt = Qué dibujar
discord-cmd-imagine_model = Modelo (predeterminado: tu ajuste)
discord-cmd-imagine_aspect = Relación de aspecto
discord-cmd-imagine_seed = Semilla, para resultados repetibles
discord-cmd-imagine_negative = Qué dejar fuera
discord-cmd-imagine_count = Cuántas imágenes
discord-cmd-imagine_enhance = Deja que una IA mejore antes el prompt
discord-cmd-imagine_image = Una imagen de referencia (una imagen para editar o de la que partir)
discord-cmd-imagine_image2 = Una segunda imagen de referencia
discord-cmd-imagine_image3 = Una tercera imagen de referencia
discord-cmd-credits = Tu saldo de créditos y movimientos recientes
discord-cmd-history = Tus trabajos recientes
discord-cmd-cancel = Cancela tu último trabajo en cola (se devuelven los créditos)
discord-cmd-models = Modelos disponibles y su coste
discord-cmd-settings = Muestra o cambia tus valores predeterminados
discord-cmd-settings_model = Modelo predeterminado
discord-cmd-settings_aspect = Relación de aspecto predeterminada
discord-cmd-settings_language = Idioma de las respuestas
discord-cmd-settings_private = Respuestas que solo tú puedes ver
discord-cmd-settings_training = Permite usar tus prompts e imágenes para entrenar
discord-cmd-settings_analytics = Enviar eventos de uso del producto (opcional, sin prompts)
discord-cmd-buy = Compra un paquete de créditos (un enlace de pago privado)
discord-cmd-buy_pack = El paquete de créditos
discord-cmd-subscribe = Suscríbete a un plan mensual o gestiona tu suscripción
discord-cmd-subscribe_plan = El plan, o gestionar
discord-cmd-subscribe_manage = Gestionar o cancelar mi suscripción
discord-cmd-redeem = Canjea un código promocional
discord-cmd-redeem_code = El código promocional
discord-cmd-delete = Borra una de tus imágenes
discord-cmd-delete_image = La imagen (elige entre las recientes)
discord-cmd-mydata = Descarga todo lo que guardamos sobre ti
discord-cmd-gallery = Tus imágenes en una página web privada
discord-cmd-forgetme = Borra todos tus datos
discord-cmd-link = Une tu cuenta de Telegram a esta: un código, o canjea uno
discord-cmd-link_code = Un código de /link en Telegram (déjalo vacío para uno nuevo)
discord-cmd-terms = Términos de uso y resumen de privacidad
discord-cmd-privacy = Cómo se usan tus datos
discord-cmd-help = Cómo usar el bot
discord-cmd-admin = Comandos de operación
discord-cmd-admin_grant = Otorga créditos (negativo para retirarlos)
discord-cmd-admin_ban = Bloquea a un usuario
discord-cmd-admin_unban = Levanta un bloqueo
discord-cmd-admin_stats = Estadísticas del bot
discord-cmd-admin_dashboard = Un enlace breve al panel de operación
discord-cmd-admin_user = El usuario
discord-cmd-admin_credits = Créditos enteros
discord-cmd-admin_reason = Motivo (queda en el registro contable)
discord-taken_back = Se retiraron { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    }; saldo { $balance_credits }.
