# Textos em português do Brasil do adaptador de console, sobre os do núcleo e os textos de chat comuns.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

terms-body =
    Termos de uso e resumo de privacidade do Seedream (versão { $policy_version })
    {""}
    - Você precisa ter 13 anos ou mais para usar este bot.
    - Guardamos sua conta, seus prompts, suas imagens e seu histórico de créditos para prestar o serviço.
    {"  "}Os prompts são enviados ao serviço de imagens que os desenha; nunca são usados para treinar modelos
    {"  "}a menos que você permita.
    - As imagens seguem o período de retenção do seu plano e depois são apagadas. Você pode ver seus trabalhos
    {"  "}e imagens com /history e suas movimentações de créditos com /credits.
    - Não peça conteúdo ilegal nem conteúdo que prejudique outras pessoas.
    - Análise de produto: nada sobre você é enviado ao serviço de análise do operador, a menos que
    {"  "}você a ative com /settings analytics on (nunca seus prompts ou imagens).
    {""}
    Digite "/accept" para confirmar que você tem 13 anos ou mais e aceitar estes termos, ou "/decline".
settings-current = Seus padrões: modelo { $model }, proporção { $aspect }, idioma { $language }; imagens como arquivos: { $as_file }, respostas privadas: { $private }, uso dos seus prompts para treinamento: { $training }, análise de produto: { $analytics }. Mude com /settings --model ID --ar 16:9 --lang pt-BR --file on --private on, /settings training on ou /settings analytics on.
console-welcome = Console do Seedream. Digite /help para ver os comandos e /quit para sair.
console-stopped_waiting = (parei de esperar { $jobs ->
        [one] { $jobs } trabalho
        [many] { $jobs } de trabalhos
       *[other] { $jobs } trabalhos
    })
console-vary_usage = Uso: /vary IMAGEM (o id da imagem no resultado ou em /history).
console-vary_hint = Variações: /vary IMAGEM, com um destes: { $image_ids }
console-preview_link = prévia: { $url }
console-image_missing = A opção --image precisa do caminho de um arquivo de imagem, por exemplo --image foto.jpg. Nada foi cobrado.
console-image_unreadable = Não consigo ler o arquivo de imagem { $path } (ele não existe, não é um arquivo ou não pode ser aberto). Nada foi cobrado.
console-image_local_only = --image aceita um arquivo deste computador, não um endereço da web ({ $path }). Nada foi cobrado.
console-help =
    Comandos:
    {"  "}/terms                 leia os termos e o resumo de privacidade
    {"  "}/accept                confirme que tem 13+ e aceite os termos
    {"  "}/decline               recuse os termos
    {"  "}/imagine PROMPT [--ar 16:9] [--seed 7] [--no TEXTO] [--n 2] [--model ID] [--enhance]
    {"                 "}[--image CAMINHO]...  desenhe a partir das suas próprias imagens (repita para várias)
    {"  "}/credits               saldo, movimentações recentes, pacotes e planos à venda
    {"  "}/buy PACOTE            um link de pagamento para um pacote de créditos
    {"  "}/subscribe PLANO       um link de pagamento para um plano mensal (/subscribe manage: mudar ou cancelar)
    {"  "}/redeem CÓDIGO         resgate um código promocional
    {"  "}/history               seus trabalhos recentes
    {"  "}/models                modelos disponíveis e quanto custam
    {"  "}/cancel [TRABALHO]     cancele um trabalho na fila (com devolução dos créditos)
    {"  "}/settings [--model ID] [--ar 16:9] [--lang pt-BR]   seus padrões para /imagine
    {"  "}/settings --file on|off     arquivos de imagem em resolução total em vez de fotos comprimidas (nas plataformas de chat)
    {"  "}/settings --private on|off  respostas privadas (nas plataformas de chat que as têm)
    {"  "}/settings training on|off  permita usar seus prompts e imagens para treinar modelos
    {"  "}/settings analytics on|off  envia eventos de uso (sem prompts nem imagens) à análise do operador
    {"  "}/privacy               a política de privacidade
    {"  "}/gallery               suas imagens numa página web privada (um link pessoal)
    {"  "}/mydata                baixe tudo o que guardamos sobre você (um link para um ZIP)
    {"  "}/delete IMAGEM         apague uma das suas imagens (ou imagens de referência: ids em /mydata)
    {"  "}/vary IMAGEM           um novo conjunto de imagens a partir de uma das suas (modelos com variações)
    {"  "}/forgetme [CÓDIGO]     apague todos os seus dados (pede um código de confirmação)
    {"  "}/link [CÓDIGO]         um código para unir sua conta do Discord/Telegram, ou resgate um
    {"  "}/help                  esta lista
    {"  "}/quit                  sair
privacy-forget_confirm = Isso apaga para sempre sua conta, seus prompts, imagens, exportações e créditos. Para confirmar, digite: /forgetme { $code } (válido por { DURATION($minutes, unit: "minute") }).
privacy-training_usage = Use /settings training on ou /settings training off.
privacy-analytics_usage = Use /settings analytics on ou /settings analytics off.
privacy-delete_usage = Use /delete IMAGEM (o id da imagem aparece em /history).
