# Textos en español del adaptador de consola, sobre los del núcleo y los textos de chat comunes.
# Sintaxis de Project Fluent (https://projectfluent.org); traducido de en.ftl.

terms-body =
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
    Escribe "/accept" para confirmar que tienes 13 años o más y aceptar estos términos, o "/decline".
settings-current = Tus valores por defecto: modelo { $model }, relación de aspecto { $aspect }, idioma { $language }; imágenes como archivos: { $as_file }, respuestas privadas: { $private }, uso de tus prompts para entrenamiento: { $training }, analítica de producto: { $analytics }. Cámbialos con /settings --model ID --ar 16:9 --lang es --file on --private on, /settings training on o /settings analytics on.
console-welcome = Consola de Seedream. Escribe /help para ver los comandos y /quit para salir.
console-stopped_waiting = (dejé de esperar { $jobs ->
        [one] { $jobs } trabajo
        [many] { $jobs } de trabajos
       *[other] { $jobs } trabajos
    })
console-vary_usage = Uso: /vary IMAGEN (el id de la imagen del resultado o de /history).
console-vary_hint = Variaciones: /vary IMAGEN, con uno de { $image_ids }
console-preview_link = vista previa: { $url }
console-image_missing = La opción --image necesita la ruta de un archivo de imagen, por ejemplo --image foto.jpg. No se cobró nada.
console-image_unreadable = No puedo leer el archivo de imagen { $path } (no existe, no es un archivo o no se puede abrir). No se cobró nada.
console-image_local_only = --image acepta un archivo de este ordenador, no una dirección web ({ $path }). No se cobró nada.
console-help =
    Comandos:
    {"  "}/terms                 lee los términos y el resumen de privacidad
    {"  "}/accept                confirma que tienes 13+ y acepta los términos
    {"  "}/decline               rechaza los términos
    {"  "}/imagine PROMPT [--ar 16:9] [--seed 7] [--no TEXTO] [--n 2] [--model ID] [--enhance]
    {"                 "}[--image RUTA]...  dibuja a partir de tus propias imágenes (repítelo para varias)
    {"  "}/credits               saldo, movimientos recientes, paquetes y planes a la venta
    {"  "}/buy PAQUETE           un enlace de pago para un paquete de créditos
    {"  "}/subscribe PLAN        un enlace de pago para un plan mensual (/subscribe manage: cambiarlo o cancelarlo)
    {"  "}/redeem CÓDIGO         canjea un código promocional
    {"  "}/history               tus trabajos recientes
    {"  "}/models                modelos disponibles y su coste
    {"  "}/cancel [TRABAJO]      cancela un trabajo en cola (se devuelven los créditos)
    {"  "}/settings [--model ID] [--ar 16:9] [--lang es]   tus valores predeterminados para /imagine
    {"  "}/settings --file on|off     archivos de imagen a resolución completa en lugar de fotos comprimidas (en las plataformas de chat)
    {"  "}/settings --private on|off  respuestas privadas (en las plataformas de chat que las tienen)
    {"  "}/settings training on|off  permite usar tus prompts e imágenes para entrenar modelos
    {"  "}/settings analytics on|off  envía eventos de uso (sin prompts ni imágenes) a la analítica del operador
    {"  "}/privacy               la política de privacidad
    {"  "}/gallery               tus imágenes en una página web privada (un enlace personal)
    {"  "}/mydata                descarga todo lo que guardamos sobre ti (un enlace a un ZIP)
    {"  "}/delete IMAGEN         borra una de tus imágenes (o imágenes de referencia: ids en /mydata)
    {"  "}/vary IMAGEN           un nuevo grupo de imágenes a partir de una tuya (modelos con variaciones)
    {"  "}/forgetme [CÓDIGO]     borra todos tus datos (pide un código de confirmación)
    {"  "}/link [CÓDIGO]         un código para unir tu cuenta de Discord/Telegram, o canjea uno
    {"  "}/help                  esta lista
    {"  "}/quit                  salir
privacy-forget_confirm = Esto borra para siempre tu cuenta, tus prompts, imágenes, exportaciones y créditos. Para confirmar, escribe: /forgetme { $code } (válido durante { DURATION($minutes, unit: "minute") }).
privacy-training_usage = Usa /settings training on o /settings training off.
privacy-analytics_usage = Usa /settings analytics on o /settings analytics off.
privacy-delete_usage = Usa /delete IMAGEN (el id de la imagen aparece en /history).
