# Textos do núcleo em português do Brasil: seus erros e os avisos que envia.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

error-generic = Desculpe, algo deu errado do nosso lado. Tente de novo. (ref. { $correlation_id })
error-insufficient_credits = Você precisa de { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } para isso e tem { $balance_credits }. Use /credits para ver como conseguir mais.
error-terms_not_accepted = Antes de usar o bot, leia e aceite os termos (versão { $policy_version }): digite /terms.
error-banned = Sua conta está suspensa e não pode usar o bot.
error-unknown_model = Não existe nenhum modelo chamado "{ $model_id }". Modelos disponíveis: { $available }.
error-age_restricted = O modelo { $model_id } tem restrição de idade: só pode ser usado em um canal ou chat com restrição de idade. Escolha outro modelo (/models) ou mude o seu padrão com /settings.
error-not_found = Não encontrei { $what ->
        [image] essa imagem
        [job] esse trabalho
        [queued_job] esse trabalho na fila
        [account] essa conta
        [subscription] essa assinatura
        [confirmation_code] esse código de confirmação
       *[other] o que você procura
    }.
error-rate_limited = Você está indo um pouco rápido. Tente de novo { DURATION($retry_after_s, direction: "in") }.
error-already_submitted = Este pedido já chegou até mim: é o trabalho { $job_id }, e não é cobrado de novo.
error-too_many_queued = Você já tem { $max_queued_jobs ->
        [one] { $max_queued_jobs } trabalho esperando
        [many] { $max_queued_jobs } de trabalhos esperando
       *[other] { $max_queued_jobs } trabalhos esperando
    }, o máximo que o seu plano permite. Espere um terminar ou cancele algum com /cancel.
error-prompt_refused = Este prompt não é permitido neste bot. Nada foi cobrado.
error-payments_disabled = Os pagamentos não estão ativados neste bot.
error-provider = O serviço de imagens não conseguiu criar esta imagem. Seus créditos foram devolvidos.
error-provider_refused = O serviço de imagens recusou este prompt. Seus créditos foram devolvidos.
error-provider_busy = O serviço de imagens está ocupado. Tente de novo daqui a pouco.
error-route_unsupported = Nenhum serviço de imagens pôde aceitar este pedido para este modelo (o modelo ou alguma opção não está disponível lá). Seus créditos foram devolvidos.
error-export_too_soon = Você pode pedir uma exportação de dados por hora. Tente de novo { DURATION($retry_after_s, direction: "in") }.
error-confirmation_invalid = Esse código de confirmação está errado ou expirou. Nada foi apagado. Digite /forgetme para receber um código novo.
error-not_owner = { $what ->
        [image] Essa imagem não é sua
        [job] Esse trabalho não é seu
        [queued_job] Esse trabalho na fila não é seu
        [account] Essa conta não é sua
       *[other] Isso não é seu
    }: você só pode apagar o que é seu.
error-link_too_soon = Códigos de vinculação ou tentativas demais. Tente de novo { DURATION($retry_after_s, direction: "in") }.
error-web_link_invalid = Este link é inválido, expirou ou foi substituído por um mais recente. Peça um novo ao bot com /gallery.
error-variations_unsupported = O modelo { $model_id } não consegue fazer variações de uma imagem. Nada foi cobrado.
error-source_image_gone = A imagem a variar foi apagada antes que a variação pudesse ser desenhada. Seus créditos foram devolvidos.
error-reference_image_gone = Uma imagem de referência foi apagada antes que a imagem pudesse ser desenhada. Seus créditos foram devolvidos.
error-job_deadline = Esta imagem não ficou pronta em { DURATION($deadline_min, unit: "minute") } (os serviços de imagens estavam ocupados ou falhando), então ela foi interrompida. Seus créditos foram devolvidos.
error-invalid_option-default = O valor de { $field } não é válido.
error-invalid_option-empty = Descreva a imagem que você quer, por exemplo: /imagine uma raposa vermelha na neve.
error-invalid_option-too_long = Seu prompt tem { $length ->
        [one] { $length } caractere
        [many] { $length } de caracteres
       *[other] { $length } caracteres
    }; o limite é { $max_chars }. Encurte-o, por favor.
error-invalid_option-unknown_option = Não conheço a opção { $option }. Opções: --ar 16:9, --seed 7, --no texto, --n 2, --model id, --enhance.
error-invalid_option-missing_value = A opção { $option } precisa de um valor, por exemplo --ar 16:9.
error-invalid_option-not_a_number = { $field } deve ser um número inteiro, não "{ $value }".
error-invalid_option-not_allowed = A proporção { $value } não está disponível para este modelo. Escolha uma destas: { $allowed }.
error-invalid_option-out_of_range = { $field } deve estar entre 1 e { $max }.
error-invalid_option-unknown_setting = Não conheço a configuração { $option }. Configurações: --model ID, --ar 16:9, --lang pt-BR, --file on, --private on.
error-invalid_option-not_allowed_language = O idioma { $value } não está disponível. Escolha um destes: { $allowed }.
error-invalid_option-age_required = Você precisa confirmar que tem 13 anos ou mais para usar este bot.
error-invalid_option-reason_required = Informe um motivo, por favor.
error-invalid_option-unsupported = O modelo { $model } não aceita a opção { $field }.
error-invalid_option-promo_code_format = Um código promocional tem de 3 a 64 letras, dígitos, hifens ou sublinhados.
error-invalid_option-promo_expiry_past = A data de validade precisa estar no futuro.
error-invalid_option-promo_code_exists = O código promocional { $value } já existe.
error-invalid_option-not_on_off = Responda on ou off, não "{ $value }".
error-reference_image-default = Essa imagem não pode ser usada como referência. Nada foi cobrado.
error-reference_image-empty = Esse arquivo está vazio. Nada foi cobrado.
error-reference_image-too_large = Essa imagem é grande demais: o limite é { $max_mb } MB. Nada foi cobrado.
error-reference_image-not_an_image = Esse arquivo não é uma imagem que eu consiga ler (PNG, JPEG, WebP ou GIF). Nada foi cobrado.
error-reference_image-too_many_pixels = Essa imagem tem pixels demais: o limite é { $max_megapixels ->
        [one] { $max_megapixels } megapixel
        [many] { $max_megapixels } de megapixels
       *[other] { $max_megapixels } megapixels
    }. Nada foi cobrado.
error-reference_image-animated = Imagens animadas não podem ser usadas como referência: envie uma imagem estática. Nada foi cobrado.
error-reference_image-unreadable = Essa imagem está danificada ou não pode ser lida. Nada foi cobrado.
error-reference_image-too_many = O modelo { $model_id } aceita no máximo { $max_images ->
        [one] { $max_images } imagem de referência
        [many] { $max_images } de imagens de referência
       *[other] { $max_images } imagens de referência
    }. Nada foi cobrado.
error-reference_image-unsupported = O modelo { $model_id } não consegue desenhar a partir de imagens de referência. Escolha outro modelo (/models). Nada foi cobrado.
error-reference_image-disabled = As imagens de referência estão desativadas neste bot. Nada foi cobrado.
error-reference_image-paid_plans_only = Neste bot, imagens de referência são para planos pagos (/subscribe). Nada foi cobrado.
error-reference_image-gone = Uma imagem de referência desse trabalho foi apagada, então ele não pode ser desenhado de novo. Nada foi cobrado.
error-link-default = Não foi possível vincular as contas. Nada foi alterado.
error-link-invalid_code = Esse código de vinculação está errado, expirou ou já foi usado. Nada foi alterado. Envie /link na sua outra plataforma para receber um código novo.
error-link-same_account = Esse código é desta mesma conta: envie-o da sua outra plataforma.
error-link-same_platform = As duas contas já têm uma identidade no { $platform }; uma conta pode ter uma por plataforma. Nada foi alterado.
error-link-banned = Uma das contas está suspensa ou apagada, então elas não podem ser vinculadas.
error-link-merged = Uma das contas já foi unida a outra. Nada foi alterado.
error-link-jobs_active = Esta conta ainda tem imagens esperando ou sendo desenhadas. Espere por elas ou cancele seus trabalhos com /cancel e depois vincule.
error-link-both_subscribed = As duas contas têm uma assinatura ativa; cancele uma delas primeiro (/subscribe manage) e depois vincule.
error-link-both_customers = As duas contas têm um perfil de pagamento com cartão salvo, que não pode ser unido automaticamente. Fale com quem opera este bot.
error-credit_debt-default = Um pagamento seu foi reembolsado ou contestado depois de gastos os créditos, então você deve { $debt_credits ->
        [one] { $debt_credits } crédito
        [many] { $debt_credits } de créditos
       *[other] { $debt_credits } créditos
    }. Novas imagens ficam pausadas até sua próxima compra quitar a dívida (/credits).
error-payments_unavailable-default = Não dá para acessar o serviço de pagamentos agora, e nada foi cobrado. Tente de novo em alguns minutos.
error-unknown_pack-default = Não existe nenhum pacote de créditos chamado "{ $pack_id }". Pacotes: { $available }.
error-unknown_plan-default = Não existe nenhum plano chamado "{ $plan_id }" para assinar. Planos: { $available }.
error-promo-default = Este código promocional não pode ser resgatado.
error-promo-unknown = Não existe o código promocional "{ $code }". Confira a grafia.
error-promo-expired = O código promocional "{ $code }" expirou.
error-promo-exhausted = O código promocional "{ $code }" já se esgotou.
error-promo-already_redeemed = Você já resgatou o código promocional "{ $code }".
error-payment-default = Este pagamento não corresponde a nenhuma oferta deste bot. Nada foi cobrado.
error-payment-bad_payload = Esta fatura não é mais válida. Peça uma nova com /buy.
error-payment-wrong_amount = O preço deste pacote mudou. Peça uma fatura nova com /buy.
error-payment-unknown_pack = Este pacote de créditos não é mais vendido. Veja os pacotes atuais em /credits.
error-payment-wrong_account = Esta fatura foi feita para outra conta. Peça a sua com /buy.
error-payment-not_found = Esse pagamento não existe.
error-payment-already_refunded = Este pagamento já foi reembolsado.
error-payment-stars_unavailable = Reembolsos de Telegram Stars não estão disponíveis neste processo.
error-payment-stars_only = No Telegram, os créditos são vendidos por Telegram Stars: use /buy para receber uma fatura.
billing-purchase_landed = Pagamento recebido: { $credits ->
        [one] { $credits } crédito adicionado
        [many] { $credits } de créditos adicionados
       *[other] { $credits } créditos adicionados
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-purchase_landed_debt = Pagamento recebido: { $credits ->
        [one] { $credits } crédito adicionado
        [many] { $credits } de créditos adicionados
       *[other] { $credits } créditos adicionados
    }; { $settled_credits ->
        [one] { $settled_credits } foi para quitar sua dívida
        [many] { $settled_credits } foram para quitar sua dívida
       *[other] { $settled_credits } foram para quitar sua dívida
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-subscription_credits = Seu plano { $plan } foi renovado: { $credits ->
        [one] { $credits } crédito adicionado
        [many] { $credits } de créditos adicionados
       *[other] { $credits } créditos adicionados
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
billing-subscription_ended = Sua assinatura { $plan } terminou; você voltou ao plano gratuito.
billing-payment_failed = Seu pagamento não foi concluído, e nada foi cobrado. Você pode tentar de novo com /buy.
billing-payment_reversed = Um pagamento foi reembolsado ou contestado: tiramos { $taken_credits ->
        [one] { $taken_credits } crédito
        [many] { $taken_credits } de créditos
       *[other] { $taken_credits } créditos
    } de você.
billing-payment_restored = Um pagamento contestado foi resolvido a seu favor: devolvemos { $credits ->
        [one] { $credits } crédito
        [many] { $credits } de créditos
       *[other] { $credits } créditos
    } para você.
billing-payment_reversed_debt = Um pagamento foi reembolsado ou contestado: tiramos { $taken_credits ->
        [one] { $taken_credits } crédito
        [many] { $taken_credits } de créditos
       *[other] { $taken_credits } créditos
    } de você, e você deve { $debt_credits ->
        [one] { $debt_credits } crédito que já tinha sido gasto
        [many] { $debt_credits } de créditos que já tinham sido gastos
       *[other] { $debt_credits } créditos que já tinham sido gastos
    }. Novas imagens ficam pausadas até uma compra quitar a dívida.
error-model_unavailable = O modelo "{ $model_id }" não está disponível neste bot. Modelos disponíveis: { $available }.
error-invalid_option-negative_too_long = Seu prompt negativo (--no) tem { $length } caracteres; o limite é { $max_chars }. Encurte-o, por favor.
error-invalid_option-seed_range = A semente deve ser um número inteiro de { $min } a { $max }, não "{ $value }".
error-invalid_option-count_range = O número de imagens (--n) deve ser um número inteiro de 1 a { $max } para este modelo, não "{ $value }".
error-debit_exceeds_balance = A conta tem { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }, então não dá para retirar { $debit_credits }. Nada foi alterado.
error-not_cancellable-default = O trabalho { $job_id } não está mais esperando na fila, então não pode ser cancelado.
error-not_cancellable-running = O trabalho { $job_id } já está sendo desenhado, então não pode mais ser cancelado.
error-not_cancellable-ended = O trabalho { $job_id } já terminou, então não há nada para cancelar.
error-invalid_option-admin_credits = Os créditos devem ser um número inteiro de -{ $max_credits } a { $max_credits }, diferente de 0. Nada foi alterado.
error-invalid_option-promo_code_missing = Digite o código promocional depois do comando, por exemplo /redeem WELCOME10.
