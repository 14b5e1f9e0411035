# Textos en español del adaptador de Telegram, sobre los del núcleo y los textos de chat comunes.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

telegram-terms =
    Términos de uso y resumen de privacidad de Seedream (versión { $policy_version })
    {""}
    - Debes tener 13 años o más para usar este bot.
    - Guardamos tu cuenta, tus prompts, tus imágenes y tu historial de créditos para prestar el servicio. Los prompts se envían al servicio de imágenes que los dibuja; nunca se usan para entrenar modelos salvo que tú lo permitas.
    - Las imágenes siguen el periodo de conservación de tu plan y después se borran. Consulta tus trabajos con /history y tus créditos con /credits.
    - No pidas contenido ilegal ni contenido que dañe a otras personas.
    - Analítica de producto: no se envía nada sobre ti al servicio de analítica del operador salvo que la actives con /settings analytics on (nunca tus prompts ni imágenes).
    {""}
    Toca el botón de abajo para confirmar que tienes 13 años o más y aceptar estos términos.
telegram-welcome_back = ¡Hola de nuevo! Crea una imagen con /imagine un zorro rojo en la nieve, o mira /help.
telegram-help =
    Lo que puedo hacer:
    /imagine PROMPT - crea una imagen. Opciones: --ar 16:9, --seed 7, --no TEXTO, --n 2, --model ID, --enhance
    {"  "}Para dibujar a partir de tus propias imágenes, envía una foto (o un álbum, o un archivo de imagen) con el pie /imagine PROMPT, o responde a una imagen con /imagine PROMPT.
    /credits - tu saldo y tus movimientos de créditos recientes
    /history - tus imágenes recientes
    /cancel - cancela tu última imagen en cola (se devuelven los créditos)
    /models - los modelos y lo que cuestan
    /settings - tus valores predeterminados; cámbialos con los botones de allí o con: --model ID, --ar 16:9, --lang es
    {"  "}/settings --file on|off - imágenes como archivos a resolución completa en lugar de fotos comprimidas; /settings training on|off - uso de tus prompts e imágenes para entrenar; /settings analytics on|off - analítica de producto (opcional)
    /buy - compra créditos con Telegram Stars
    /redeem CÓDIGO - canjea un código promocional
    /delete IMAGEN - borra una de tus imágenes
    /gallery - tus imágenes en una página web privada (un enlace personal)
    /mydata - descarga todos tus datos
    /forgetme - borra todos tus datos
    /link [CÓDIGO] - une tu cuenta de Discord a esta (una cuenta, un saldo)
    /privacy - cómo se tratan tus datos
    /paysupport - ayuda con los pagos
    /start - los términos de uso
telegram-paysupport = ¿Tienes dudas sobre un pago? Escribe a quien opera este bot e indica la fecha del pago. Los créditos comprados se suman a tu saldo; consulta /credits.
telegram-reference_hint = Para dibujar a partir de esta imagen, envíala de nuevo con el pie /imagine seguido de una descripción, o respóndele con /imagine y una descripción, por ejemplo: /imagine el mismo gato en acuarela.
telegram-plain_text = Para crear una imagen, envía /imagine seguido de una descripción, por ejemplo: /imagine un zorro rojo en la nieve. /help muestra todo lo que puedo hacer.
telegram-private_only = Esto lo respondo en un chat privado, para que quede entre nosotros. Toca el botón para abrirlo.
telegram-open_private = Abrir chat privado
telegram-link_code_exposed = Ese código de vinculación se publicó en un grupo, donde otros pueden leerlo, así que ya no funciona. Pide uno nuevo con /link en Discord y envíamelo en un chat privado (toca el botón).
telegram-accepting = Aceptando tu solicitud…
telegram-queued = En cola ({ $count ->
        [one] { $count } imagen
        [many] { $count } de imágenes
       *[other] { $count } imágenes
    }, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    }; saldo { $balance_credits }).
telegram-generating = Generando tu imagen…
telegram-done = Listo.
telegram-full_size_link = Imagen a tamaño completo
telegram-settings = Tus valores predeterminados: modelo { $model }, relación de aspecto { $aspect }, idioma { $language }, archivos en resolución completa { $as_file }, uso para entrenar { $training }, analítica de producto { $analytics }. Toca para cambiarlos, o escribe /settings --model ID --ar 16:9 --lang es --file on.
telegram-history_item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $status ->
        [queued] en cola
        [running] en curso
        [succeeded] terminado
        [failed] fallido
        [cancelled] cancelado
       *[other] desconocido
    }  { $model_id }  "{ $prompt }"
telegram-buy = Elige un paquete de créditos. Pagas con Telegram Stars, aquí mismo en el chat.
telegram-invoice = { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } para tus imágenes ({ $label }).
telegram-card_link = Paga con tarjeta en la página de pago (el enlace es personal y caduca en 24 horas). Tus créditos llegan a este chat en cuanto se complete el pago.
telegram-payment_seen = Este pago ya se acreditó. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
telegram-redeem_usage = Usa /redeem CÓDIGO para canjear un código promocional.
telegram-delete_usage = Usa /delete IMAGEN (el id de la imagen aparece en /history), o toca Borrar debajo de una imagen.
telegram-forget_confirm = Esto borra para siempre tu cuenta, tus prompts, imágenes, exportaciones y créditos. Toca Confirmar, o escribe /forgetme { $code } (válido durante { DURATION($minutes, unit: "minute") }).
telegram-training_usage = Usa /settings training on o /settings training off, o toca el botón en /settings.
telegram-analytics_usage = Usa /settings analytics on o /settings analytics off, o toca el botón en /settings.
telegram-button-accept = Tengo 13+ y acepto
telegram-button-decline = Rechazar
telegram-button-reroll = Otra vez
telegram-button-cancel = Cancelar
telegram-button-as_file_on = Archivos en resolución completa: sí
telegram-button-as_file_off = Archivos en resolución completa: no
telegram-button-training_on = Uso para entrenar: sí
telegram-button-training_off = Uso para entrenar: no
telegram-button-analytics_on = Analítica de producto: sí
telegram-button-analytics_off = Analítica de producto: no
telegram-button-delete = Borrar
telegram-button-buy_stars = { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } por { $stars ->
        [one] { $stars } Star
        [many] { $stars } de Stars
       *[other] { $stars } Stars
    }
telegram-button-buy_card = { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } por { $price } con tarjeta
telegram-button-pay = Pagar con tarjeta
telegram-button-forget_confirm = Confirmar: borrar todo
telegram-cmd-start = Términos de uso y primeros pasos
telegram-cmd-imagine = Crea una imagen a partir de un prompt
telegram-cmd-credits = Tu saldo y tus movimientos de créditos recientes
telegram-cmd-history = Tus imágenes recientes
telegram-cmd-cancel = Cancela tu última imagen en cola
telegram-cmd-models = Modelos y lo que cuestan
telegram-cmd-settings = Tus valores predeterminados para /imagine
telegram-cmd-help = Lo que puede hacer este bot
telegram-cmd-privacy = Cómo se tratan tus datos
telegram-cmd-paysupport = Ayuda con los pagos
telegram-cmd-buy = Compra créditos con Telegram Stars
telegram-cmd-redeem = Canjea un código promocional
telegram-cmd-delete = Borra una de tus imágenes
telegram-cmd-mydata = Descarga todos tus datos
telegram-cmd-gallery = Tus imágenes en una página web privada
telegram-cmd-forgetme = Borra todos tus datos
telegram-cmd-link = Une tu cuenta de Discord (un solo saldo)

# /admin (operators only, SEEDREAM_TELEGRAM_ADMIN_IDS)
telegram-admin_private_only = Pide los enlaces de operación en tu chat privado con el bot, nunca en un grupo.
telegram-admin_usage = Comandos de operación aquí: /admin dashboard (un enlace breve al panel).
