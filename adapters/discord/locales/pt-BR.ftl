# Textos em português do Brasil do adaptador do Discord, sobre os do núcleo e os textos de chat comuns.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.
# Os nomes dos comandos ficam em inglês; aqui vão só as descrições.

buttons-terms_body =
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
    Toque em "Tenho 13+ e aceito" para continuar, ou em "Recusar".
buttons-accept = Tenho 13+ e aceito
buttons-decline = Recusar
buttons-reroll = Gerar de novo
buttons-delete = Apagar
discord-image_title = Imagem { $index } de { $count }
discord-full_size_link = Tamanho original
discord-full_size_numbered = Tamanho original { $index }
discord-expired_note = <@{ $user_id }> aqui está o seu resultado (a resposta original expirou).
discord-admin_only = Este comando é para quem opera o bot.
discord-granted = { $credits ->
        [one] { $credits } crédito concedido
        [many] { $credits } de créditos concedidos
       *[other] { $credits } créditos concedidos
    }; saldo { $balance_credits }.
discord-already_granted = Já concedido (mesma referência); saldo { $balance_credits }.
discord-banned = Usuário banido.
discord-unbanned = Banimento removido.
discord-stats = Contas: { $accounts } (banidas: { $banned_accounts }). Créditos em saldos: { $balance_credits }. Fila: { $queue_depth }. Trabalhos: { $jobs }.
discord-privacy = O Seedream guarda sua conta, seus prompts, suas imagens e seu histórico de créditos para prestar o serviço, e nunca usa seus prompts para treinar modelos a menos que você permita. A política de privacidade completa está em anexo.
discord-buy_button = Comprar { $label }
discord-forget_confirm = Isso apaga para sempre sua conta, seus prompts, imagens, exportações e créditos. Toque em Confirmar em até { DURATION($minutes, unit: "minute") } para continuar, ou em Cancelar.
discord-forget_confirm_button = Confirmar: apagar tudo
discord-forget_cancel_button = Cancelar
discord-forget_cancelled = Cancelado: nada foi apagado.
discord-settings_current = Seus padrões: modelo { $model }, proporção { $aspect }, idioma { $language }. Respostas privadas: { $private }. Uso dos seus prompts e imagens para treinamento: { $training }. Análise de produto: { $analytics }.
discord-help =
    {"*"}*Seedream**: crie imagens a partir de um prompt.
    /imagine `prompt` - cria imagens (opções: model, aspect, seed, negative, count, enhance e até três imagens de referência: image, image2, image3)
    Apps > Imaginar a partir desta imagem (em uma mensagem com imagens) - cria imagens a partir das imagens dessa mensagem
    /models - os modelos e quanto custam
    /credits - seu saldo e suas movimentações de créditos recentes
    /history - seus trabalhos recentes
    /cancel - cancela seu último trabalho na fila (com devolução dos créditos)
    /settings - seus padrões (opções: model, aspect, language, private (respostas privadas), training (uso para treinamento), analytics (análise de produto))
    As imagens chegam como prévias, cada uma com um link **Tamanho original** para o arquivo original (aqui a configuração --file não é necessária)
    /buy `pack` - compra créditos; /subscribe `plan` - um plano mensal (ou gerencie o seu); /redeem `code` - um código promocional
    /delete `image` - apaga uma das suas imagens
    /gallery - suas imagens numa página web privada (um link pessoal)
    /mydata - baixa tudo o que guardamos sobre você
    /forgetme - apaga todos os seus dados
    /link [`code`] - une sua conta do Telegram a esta (uma conta, um saldo)
    /terms - os termos e o resumo de privacidade
    /privacy - a política de privacidade
    /help - esta lista
discord-menu-imagine_from_image = Imaginar a partir desta imagem
discord-references-modal_title = Imaginar a partir desta imagem
discord-references-modal_label = O que criar a partir da imagem ou imagens
discord-references-modal_placeholder = Descreva a imagem que você quer
discord-references-expired = Esse formulário não está mais aberto (foi mostrado há tempo demais ou o bot reiniciou). Use "Imaginar a partir desta imagem" de novo. Nada foi cobrado.
discord-references-no_images = Essa mensagem não tem imagens anexadas. Use "Imaginar a partir desta imagem" em uma mensagem com imagens anexadas, ou anexe imagens ao /imagine (image, image2, image3).
discord-cmd-imagine = Crie imagens a partir de um texto
discord-cmd-imagine_prompt = O que desenhar
discord-cmd-imagine_model = Modelo (padrão: sua configuração)
discord-cmd-imagine_aspect = Proporção
discord-cmd-imagine_seed = Seed, para resultados repetíveis
discord-cmd-imagine_negative = O que deixar de fora
discord-cmd-imagine_count = Quantas imagens
discord-cmd-imagine_enhance = Deixe uma IA melhorar o prompt antes
discord-cmd-imagine_image = Uma imagem de referência (uma imagem para editar ou usar como base)
discord-cmd-imagine_image2 = Uma segunda imagem de referência
discord-cmd-imagine_image3 = Uma terceira imagem de referência
discord-cmd-credits = Seu saldo de créditos e movimentações recentes
discord-cmd-history = Seus trabalhos recentes
discord-cmd-cancel = Cancele seu último trabalho na fila (com devolução dos créditos)
discord-cmd-models = Modelos disponíveis e quanto custam
discord-cmd-settings = Veja ou mude seus padrões
discord-cmd-settings_model = Modelo padrão
discord-cmd-settings_aspect = Proporção padrão
discord-cmd-settings_language = Idioma das respostas
discord-cmd-settings_private = Respostas que só você vê
discord-cmd-settings_training = Permita o uso dos seus prompts e imagens para treinamento
discord-cmd-settings_analytics = Enviar eventos de uso do produto (opcional, sem prompts)
discord-cmd-buy = Compre um pacote de créditos (um link de pagamento privado)
discord-cmd-buy_pack = O pacote de créditos
discord-cmd-subscribe = Assine um plano mensal ou gerencie sua assinatura
discord-cmd-subscribe_plan = O plano, ou gerenciar
discord-cmd-subscribe_manage = Gerenciar ou cancelar minha assinatura
discord-cmd-redeem = Resgate um código promocional
discord-cmd-redeem_code = O código promocional
discord-cmd-delete = Apague uma das suas imagens
discord-cmd-delete_image = A imagem (escolha entre as recentes)
discord-cmd-mydata = Baixe tudo o que guardamos sobre você
discord-cmd-gallery = Suas imagens numa página web privada
discord-cmd-forgetme = Apague todos os seus dados
discord-cmd-link = Una sua conta do Telegram a esta: um código, ou resgate um
discord-cmd-link_code = Um código do /link no Telegram (deixe vazio para um novo)
discord-cmd-terms = Termos de uso e resumo de privacidade
discord-cmd-privacy = Como seus dados são usados
discord-cmd-help = Como usar o bot
discord-cmd-admin = Comandos de operação
discord-cmd-admin_grant = Conceder créditos (negativo para retirar)
discord-cmd-admin_ban = Banir um usuário
discord-cmd-admin_unban = Remover um banimento
discord-cmd-admin_stats = Estatísticas do bot
discord-cmd-admin_dashboard = Um link de curta duração para o painel de operação
discord-cmd-admin_user = O usuário
discord-cmd-admin_credits = Créditos inteiros
discord-cmd-admin_reason = Motivo (fica registrado no extrato)
discord-taken_back = Foram retirados { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    }; saldo { $balance_credits }.
