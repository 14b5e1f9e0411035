# Textos em português do Brasil do adaptador do Telegram, sobre os do núcleo e os textos de chat comuns.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

telegram-terms =
    Termos de uso e resumo de privacidade do Seedream (versão { $policy_version })
    {""}
    - Você precisa ter 13 anos ou mais para usar este bot.
    - Guardamos sua conta, seus prompts, suas imagens e seu histórico de créditos para prestar o serviço. Os prompts são enviados ao serviço de imagens que os desenha; nunca são usados para treinar modelos a menos que você permita.
    - As imagens seguem o período de retenção do seu plano e depois são apagadas. Veja seus trabalhos com /history e seus créditos com /credits.
    - Não peça conteúdo ilegal nem conteúdo que prejudique outras pessoas.
    - Análise de produto: nada sobre você é enviado ao serviço de análise do operador, a menos que você a ative com /settings analytics on (nunca seus prompts ou imagens).
    {""}
    Toque no botão abaixo para confirmar que você tem 13 anos ou mais e aceitar estes termos.
telegram-welcome_back = Que bom ter você de volta! Crie uma imagem com /imagine uma raposa vermelha na neve, ou veja /help.
telegram-help =
    O que eu sei fazer:
    /imagine PROMPT - cria uma imagem. Opções: --ar 16:9, --seed 7, --no TEXTO, --n 2, --model ID, --enhance
    {"  "}Para desenhar a partir das suas próprias imagens, envie uma foto (ou um álbum, ou um arquivo de imagem) com a legenda /imagine PROMPT, ou responda a uma imagem com /imagine PROMPT.
    /credits - seu saldo e suas movimentações de créditos recentes
    /history - suas imagens recentes
    /cancel - cancela sua última imagem na fila (com devolução dos créditos)
    /models - os modelos e quanto custam
    /settings - seus padrões; mude-os com os botões de lá ou com: --model ID, --ar 16:9, --lang pt-BR
    {"  "}/settings --file on|off - imagens como arquivos em resolução total em vez de fotos comprimidas; /settings training on|off - uso dos seus prompts e imagens para treinamento; /settings analytics on|off - análise de produto (opcional)
    /buy - compra créditos com Telegram Stars
    /redeem CÓDIGO - resgata um código promocional
    /delete IMAGEM - apaga uma das suas imagens
    /gallery - suas imagens numa página web privada (um link pessoal)
    /mydata - baixa todos os seus dados
    /forgetme - apaga todos os seus dados
    /link [CÓDIGO] - une sua conta do Discord a esta (uma conta, um saldo)
    /privacy - como seus dados são tratados
    /paysupport - ajuda com pagamentos
    /start - os termos de uso
telegram-paysupport = Dúvidas sobre um pagamento? Escreva para quem opera este bot e informe a data do pagamento. Os créditos comprados são somados ao seu saldo; veja /credits.
telegram-reference_hint = Para desenhar a partir desta imagem, envie-a de novo com a legenda /imagine seguida de uma descrição, ou responda a ela com /imagine e uma descrição, por exemplo: /imagine o mesmo gato em aquarela.
telegram-plain_text = Para criar uma imagem, envie /imagine seguido de uma descrição, por exemplo: /imagine uma raposa vermelha na neve. O /help lista tudo o que eu sei fazer.
telegram-private_only = Respondo isso em um chat privado, para ficar só entre nós. Toque no botão para abri-lo.
telegram-open_private = Abrir chat privado
telegram-link_code_exposed = Esse código de vinculação foi postado em um grupo, onde outras pessoas podem lê-lo, então ele não funciona mais. Peça um novo com /link no Discord e me envie em um chat privado (toque no botão).
telegram-accepting = Aceitando seu pedido…
telegram-queued = Na fila ({ $count ->
        [one] { $count } imagem
        [many] { $count } de imagens
       *[other] { $count } imagens
    }, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    }; saldo { $balance_credits }).
telegram-generating = Gerando sua imagem…
telegram-done = Pronto.
telegram-full_size_link = Imagem em tamanho original
telegram-settings = Seus padrões: modelo { $model }, proporção { $aspect }, idioma { $language }, arquivos em resolução total { $as_file }, uso para treinamento { $training }, análise de produto { $analytics }. Toque para mudar, ou digite /settings --model ID --ar 16:9 --lang pt-BR --file on.
telegram-history_item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $status ->
        [queued] na fila
        [running] em andamento
        [succeeded] concluído
        [failed] falhou
        [cancelled] cancelado
       *[other] desconhecido
    }  { $model_id }  "{ $prompt }"
telegram-buy = Escolha um pacote de créditos. Você paga com Telegram Stars, aqui mesmo no chat.
telegram-invoice = { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } para gerar suas imagens ({ $label }).
telegram-card_link = Pague com cartão na página de pagamento (o link é pessoal e expira em 24 horas). Seus créditos chegam neste chat assim que o pagamento for concluído.
telegram-payment_seen = Este pagamento já foi creditado. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
telegram-redeem_usage = Use /redeem CÓDIGO para resgatar um código promocional.
telegram-delete_usage = Use /delete IMAGEM (o id da imagem aparece em /history), ou toque em Apagar embaixo de uma imagem.
telegram-forget_confirm = Isso apaga para sempre sua conta, seus prompts, imagens, exportações e créditos. Toque em Confirmar, ou digite /forgetme { $code } (válido por { DURATION($minutes, unit: "minute") }).
telegram-training_usage = Use /settings training on ou /settings training off, ou toque no botão em /settings.
telegram-analytics_usage = Use /settings analytics on ou /settings analytics off, ou toque no botão em /settings.
telegram-button-accept = Tenho 13+ e aceito
telegram-button-decline = Recusar
telegram-button-reroll = Gerar de novo
telegram-button-cancel = Cancelar
telegram-button-as_file_on = Arquivos em resolução total: sim
telegram-button-as_file_off = Arquivos em resolução total: não
telegram-button-training_on = Uso para treinamento: sim
telegram-button-training_off = Uso para treinamento: não
telegram-button-analytics_on = Análise de produto: sim
telegram-button-analytics_off = Análise de produto: não
telegram-button-delete = Apagar
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
    } por { $price } no cartão
telegram-button-pay = Pagar com cartão
telegram-button-forget_confirm = Confirmar: apagar tudo
telegram-cmd-start = Termos de uso e primeiros passos
telegram-cmd-imagine = Crie uma imagem a partir de um prompt
telegram-cmd-credits = Seu saldo e movimentações de créditos recentes
telegram-cmd-history = Suas imagens recentes
telegram-cmd-cancel = Cancele sua última imagem na fila
telegram-cmd-models = Modelos e quanto custam
telegram-cmd-settings = Seus padrões para /imagine
telegram-cmd-help = O que este bot sabe fazer
telegram-cmd-privacy = Como seus dados são tratados
telegram-cmd-paysupport = Ajuda com pagamentos
telegram-cmd-buy = Compre créditos com Telegram Stars
telegram-cmd-redeem = Resgate um código promocional
telegram-cmd-delete = Apague uma das suas imagens
telegram-cmd-mydata = Baixe todos os seus dados
telegram-cmd-gallery = Suas imagens numa página web privada
telegram-cmd-forgetme = Apague todos os seus dados
telegram-cmd-link = Una sua conta do Discord (um só saldo)

# /admin (operators only, SEEDREAM_TELEGRAM_ADMIN_IDS)
telegram-admin_private_only = Peça links de operação no seu chat privado com o bot, nunca num grupo.
telegram-admin_usage = Comandos de operação aqui: /admin dashboard (um link de curta duração para o painel).
