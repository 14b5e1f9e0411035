# Textos em português do Brasil que todos os adaptadores de chat (console, Discord, Telegram) mostram.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

terms-accepted = Obrigado! Agora você já pode criar imagens. Experimente: /imagine uma raposa vermelha na neve
terms-accepted_welcome = Obrigado! Você ganhou { $credits ->
        [one] { $credits } crédito grátis
        [many] { $credits } de créditos grátis
       *[other] { $credits } créditos grátis
    }. Experimente: /imagine uma raposa vermelha na neve
terms-declined = Sem problema. Você pode ler os termos de novo com /terms quando quiser.
job-queued = Na fila: { $job_id } ({ $count ->
        [one] { $count } imagem
        [many] { $count } de imagens
       *[other] { $count } imagens
    }, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    }; saldo { $balance_credits }).
job-queue_position = Posição na fila: { $position }.
job-queue_position_far = Há mais de { $jobs_ahead ->
        [one] { $jobs_ahead } trabalho
        [many] { $jobs_ahead } de trabalhos
       *[other] { $jobs_ahead } trabalhos
    } à frente na fila.
job-started = Gerando { $job_id }…
job-finished = Pronto { $job_id }:
job-enhance_skipped = A melhoria do prompt não estava disponível, então usei o seu prompt do jeito que você escreveu.
job-failed = O trabalho { $job_id } falhou: { $reason } Devolvemos { $refunded_credits ->
        [one] { $refunded_credits } crédito
        [many] { $refunded_credits } de créditos
       *[other] { $refunded_credits } créditos
    }.
job-cancelled = Cancelado { $job_id }. Devolvemos { $refunded_credits ->
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
        [welcome] créditos de boas-vindas
        [spend] gasto em imagens
        [refund] reembolso
        [admin_grant] concedido por um operador
        [admin_debit] retirado por um operador
        [purchase] compra
        [subscription] assinatura
        [stars_purchase] compra com Stars
        [promo] código promocional
        [payment_reversal] pagamento estornado
        [stars_refund] reembolso de Stars
        [stars_refund_undone] reembolso de Stars desfeito
        [debt_settled] dívida quitada
        [link_out] transferido pelo /link
        [link_in] recebido pelo /link
        [erasure_close] exclusão de dados
       *[other] outro
    }  ({ $reference })
credits-none = Ainda não há movimentações de créditos.
history-empty = Você ainda não criou nenhuma imagem.
history-item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $job_id }  { $status ->
        [queued] na fila
        [running] em andamento
        [succeeded] concluído
        [failed] falhou
        [cancelled] cancelado
       *[other] desconhecido
    }  { $model_id }  "{ $prompt }"
settings-saved = Salvo.
settings-on = ativado
settings-off = desativado
models-item = { $id }: { $label } - { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } por imagem; proporções { $aspects }; até { $max_images ->
        [one] { $max_images } imagem
        [many] { $max_images } de imagens
       *[other] { $max_images } imagens
    }
models-seed_some_routes = ; seed: não em todas as rotas (um resultado feito sem ela não mostra seed)
models-seed_no_routes = ; seed: não respeitada pelos seus serviços
models-references = ; aceita até { $max_references ->
        [one] { $max_references } imagem de referência
        [many] { $max_references } de imagens de referência
       *[other] { $max_references } imagens de referência
    } (/imagine com imagens)
models-references_cost = ; aceita até { $max_references ->
        [one] { $max_references } imagem de referência
        [many] { $max_references } de imagens de referência
       *[other] { $max_references } imagens de referência
    } (/imagine com imagens, { $cost_credits ->
        [one] { $cost_credits } crédito
        [many] { $cost_credits } de créditos
       *[other] { $cost_credits } créditos
    } cada)
chat-unknown_command = Comando desconhecido: { $command }. Digite /help para ver a lista.
link-code = Seu código de vinculação: { $code } (válido por { DURATION($minutes, unit: "minute") }, até { DATETIME($expires_at, timeStyle: "short") } UTC). Para unir sua conta do { $other } a esta, envie /link { $code } para este bot no { $other }. As duas viram uma só conta com um só saldo. Nunca compartilhe este código.
link-code_any = Seu código de vinculação: { $code } (válido por { DURATION($minutes, unit: "minute") }, até { DATETIME($expires_at, timeStyle: "short") } UTC). Para unir sua conta do Discord ou do Telegram a esta, envie /link { $code } para este bot no Discord ou no Telegram. As duas viram uma só conta com um só saldo. Nunca compartilhe este código.
link-done = Vinculadas: { $platforms } agora são uma só conta com um só saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    } ({ $moved_credits ->
        [one] { $moved_credits } crédito transferido
        [many] { $moved_credits } de créditos transferidos
       *[other] { $moved_credits } créditos transferidos
    }).
billing-overview_debt = Você deve { $debt_credits ->
        [one] { $debt_credits } crédito
        [many] { $debt_credits } de créditos
       *[other] { $debt_credits } créditos
    } de um pagamento reembolsado ou contestado; novas imagens ficam pausadas até uma compra quitar a dívida.
billing-overview_plan = Plano: { $plan }.
billing-packs_header = Pacotes de créditos (compre com /buy PACOTE):
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
billing-plans_header = Assinaturas (comece com /subscribe PLANO, gerencie com /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits ->
        [one] { $monthly_credits } crédito
        [many] { $monthly_credits } de créditos
       *[other] { $monthly_credits } créditos
    } todo mês, { $price } por mês
billing-not_configured = Comprar créditos não está disponível neste bot (os pagamentos não estão configurados).
billing-checkout_link =
    Pague aqui (o link é pessoal e expira em 24 horas):
    { $url }
    Seus créditos chegam neste chat assim que o pagamento for concluído.
billing-subscribe_link =
    Assine aqui (o link é pessoal e expira em 24 horas):
    { $url }
    Seus créditos mensais chegam neste chat depois de cada pagamento.
billing-portal_link =
    Gerencie ou cancele sua assinatura aqui:
    { $url }
billing-redeemed = Código promocional { $code } resgatado: { $credits ->
        [one] { $credits } crédito adicionado
        [many] { $credits } de créditos adicionados
       *[other] { $credits } créditos adicionados
    }. Saldo: { $balance_credits ->
        [one] { $balance_credits } crédito
        [many] { $balance_credits } de créditos
       *[other] { $balance_credits } créditos
    }.
privacy-export_ready =
    Sua exportação de dados está pronta ({ $size_kb } KB, { $images ->
        [one] { $images } imagem
        [many] { $images } de imagens
       *[other] { $images } imagens
    }). Baixe antes de { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC:
    { $url }
privacy-gallery_ready =
    Sua galeria pessoal: todas as suas imagens numa página privada.
    Abra antes de { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC e não compartilhe: quem tiver o link vê suas imagens. Um novo link de /gallery substitui este.
    { $url }
privacy-forget_done = Apagado em { DATETIME($finished_at, dateStyle: "medium", timeStyle: "medium") } UTC (comprovante { $erasure_id }). Removido: { $summary }.{ $kept } { $cancelled_jobs ->
        [one] { $cancelled_jobs } trabalho na fila foi cancelado
        [many] { $cancelled_jobs } de trabalhos na fila foram cancelados
       *[other] { $cancelled_jobs } trabalhos na fila foram cancelados
    } e { $refunded_credits ->
        [one] { $refunded_credits } crédito foi devolvido
        [many] { $refunded_credits } de créditos foram devolvidos
       *[other] { $refunded_credits } créditos foram devolvidos
    } antes de apagar.
privacy-forget_kept = {" "}Mantido de propósito: { $kept }.
privacy-forget_nothing = Não temos nenhum dado seu: não há nada para apagar.
privacy-image_deleted = A imagem { $image_id } foi apagada.
privacy-training_on = Seus prompts e imagens agora podem ser usados para melhorar modelos. Desative com /settings training off.
privacy-training_off = Seus prompts e imagens não serão usados para treinar modelos.
privacy-analytics_on = A análise de produto está ativada: o bot envia eventos de uso (comandos usados, trabalhos concluídos, compras) com um identificador aleatório, nunca seus prompts, imagens ou seu id de chat. Desative com /settings analytics off.
privacy-analytics_off = A análise de produto está desativada: nenhum evento de uso é enviado sobre você.
privacy-kept-other = outros registros
privacy-removed_nothing = nada
privacy-kept-payment_records = registros de pagamento, sem nenhum vínculo com você (a lei exige)
privacy-kept-abuse_prevention = um hash com chave da sua identidade de chat indicando se ela já recebeu os créditos de boas-vindas ou um código promocional, para não recebê-los duas vezes, e quando foi apagada, para que a restauração de um backup mais antigo apague seus dados de novo (prevenção de abusos e backups; não identifica você nem a sua conta)
privacy-counted-accounts = { $n ->
        [one] { $n } conta
        [many] { $n } de contas
       *[other] { $n } contas
    }
privacy-counted-identities = { $n ->
        [one] { $n } identidade de chat
        [many] { $n } de identidades de chat
       *[other] { $n } identidades de chat
    }
privacy-counted-consents = { $n ->
        [one] { $n } registro de consentimento
        [many] { $n } de registros de consentimento
       *[other] { $n } registros de consentimento
    }
privacy-counted-confirmations = { $n ->
        [one] { $n } código de confirmação
        [many] { $n } de códigos de confirmação
       *[other] { $n } códigos de confirmação
    }
privacy-counted-jobs = { $n ->
        [one] { $n } geração com seu prompt
        [many] { $n } de gerações com seus prompts
       *[other] { $n } gerações com seus prompts
    }
privacy-counted-images = { $n ->
        [one] { $n } registro de imagem
        [many] { $n } de registros de imagens
       *[other] { $n } registros de imagens
    }
privacy-counted-uploads = { $n ->
        [one] { $n } imagem de referência que você enviou
        [many] { $n } de imagens de referência que você enviou
       *[other] { $n } imagens de referência que você enviou
    }
privacy-counted-exports = { $n ->
        [one] { $n } exportação
        [many] { $n } de exportações
       *[other] { $n } exportações
    }
privacy-counted-storage_objects = { $n ->
        [one] { $n } arquivo armazenado
        [many] { $n } de arquivos armazenados
       *[other] { $n } arquivos armazenados
    }
privacy-counted-ledger_entries_deleted = { $n ->
        [one] { $n } movimentação de créditos
        [many] { $n } de movimentações de créditos
       *[other] { $n } movimentações de créditos
    }
privacy-counted-payment_records_pseudonymised = { $n ->
        [one] { $n } registro de pagamento mantido sem nenhum vínculo com você
        [many] { $n } de registros de pagamento mantidos sem nenhum vínculo com você
       *[other] { $n } registros de pagamento mantidos sem nenhum vínculo com você
    }
privacy-counted-redis_entries = { $n ->
        [one] { $n } registro técnico
        [many] { $n } de registros técnicos
       *[other] { $n } registros técnicos
    }
privacy-counted-rate_windows = { $n ->
        [one] { $n } contador de limite de uso
        [many] { $n } de contadores de limite de uso
       *[other] { $n } contadores de limite de uso
    }
privacy-counted-link_codes_deleted = { $n ->
        [one] { $n } código de vinculação de contas
        [many] { $n } de códigos de vinculação de contas
       *[other] { $n } códigos de vinculação de contas
    }
privacy-counted-web_links_deleted = { $n ->
        [one] { $n } link pessoal da galeria
        [many] { $n } de links pessoais da galeria
       *[other] { $n } links pessoais da galeria
    }
buttons-vary = V{ $index }
privacy-counted-payment_customers = { $n ->
        [one] { $n } registro de cliente no serviço de pagamento
        [many] { $n } de registros de cliente no serviço de pagamento
       *[other] { $n } registros de cliente no serviço de pagamento
    }
privacy-counted-redis_notice_markers = { $n ->
        [one] { $n } marcador de aviso de pagamento
        [many] { $n } de marcadores de aviso de pagamento
       *[other] { $n } marcadores de aviso de pagamento
    }
privacy-counted-admin_audit_pseudonymised = { $n ->
        [one] { $n } registro de uma ação de operador mantido sem nenhum vínculo com você
        [many] { $n } de registros de ações de operadores mantidos sem nenhum vínculo com você
       *[other] { $n } registros de ações de operadores mantidos sem nenhum vínculo com você
    }
privacy-counted-payments_pseudonymised = { $n ->
        [one] { $n } pagamento mantido sem nenhum vínculo com você
        [many] { $n } de pagamentos mantidos sem nenhum vínculo com você
       *[other] { $n } pagamentos mantidos sem nenhum vínculo com você
    }
privacy-counted-stars_refunds_pseudonymised = { $n ->
        [one] { $n } reembolso de Telegram Stars mantido sem nenhum vínculo com você
        [many] { $n } de reembolsos de Telegram Stars mantidos sem nenhum vínculo com você
       *[other] { $n } reembolsos de Telegram Stars mantidos sem nenhum vínculo com você
    }
privacy-counted-subscriptions_pseudonymised = { $n ->
        [one] { $n } assinatura mantida sem nenhum vínculo com você
        [many] { $n } de assinaturas mantidas sem nenhum vínculo com você
       *[other] { $n } assinaturas mantidas sem nenhum vínculo com você
    }
privacy-counted-credit_debts_pseudonymised = { $n ->
        [one] { $n } registro de dívida de créditos mantido sem nenhum vínculo com você
        [many] { $n } de registros de dívida de créditos mantidos sem nenhum vínculo com você
       *[other] { $n } registros de dívida de créditos mantidos sem nenhum vínculo com você
    }
privacy-counted-checkout_sessions_pseudonymised = { $n ->
        [one] { $n } registro de checkout mantido sem nenhum vínculo com você
        [many] { $n } de registros de checkout mantidos sem nenhum vínculo com você
       *[other] { $n } registros de checkout mantidos sem nenhum vínculo com você
    }
privacy-counted-promo_redemptions_deleted = { $n ->
        [one] { $n } resgate de código promocional
        [many] { $n } de resgates de códigos promocionais
       *[other] { $n } resgates de códigos promocionais
    }
privacy-counted-billing_customers_deleted = { $n ->
        [one] { $n } vínculo com cliente de cobrança
        [many] { $n } de vínculos com clientes de cobrança
       *[other] { $n } vínculos com clientes de cobrança
    }
privacy-counted-other = { $n ->
        [one] { $n } outro registro
        [many] { $n } de outros registros
       *[other] { $n } outros registros
    }

# Operators (/admin dashboard on Discord and Telegram)
admin-dashboard_ready =
    O painel de operação: abra antes de { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC e não compartilhe: quem tiver o link pode dar créditos e banir usuários. Um novo link substitui este.
    { $url }
