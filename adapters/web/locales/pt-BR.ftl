# Textos em português do Brasil do processo web (páginas de pagamento), sobre os do núcleo.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

billing-page_title = Seedream
billing-page_success = Obrigado! Seu pagamento está sendo confirmado. Você pode fechar esta página e voltar ao chat: seus créditos chegam lá em instantes.
billing-page_cancel = O pagamento foi cancelado e nada foi cobrado. Você pode fechar esta página e voltar ao chat.
billing-page_return = Tudo certo. Você pode fechar esta página e voltar ao chat.
web-link_invalid = Este link é inválido ou expirou. Peça um novo ao bot no seu chat.
web-file_gone = Este arquivo não está mais aqui: foi apagado ou o prazo de retenção terminou.

# The personal gallery (/gallery)
gallery-title = Sua galeria
gallery-intro = Suas imagens, das mais recentes para as mais antigas. Esta página é só sua e funciona até { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC); peça /gallery ao bot de novo para receber um link novo.
gallery-filter_model = Modelo
gallery-filter_all = Todos os modelos
gallery-search = Buscar nos prompts
gallery-apply = Mostrar
gallery-model = Modelo
gallery-created = Criada
gallery-created_at = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") } UTC
gallery-size_label = Tamanho
gallery-dimensions = { $width } × { $height } pixels
gallery-size = { NUMBER($size_mb, maximumFractionDigits: 1) } MB
gallery-open_original = Abrir o original em tamanho real
gallery-delete = Apagar…
gallery-delete_confirm = Apagar esta imagem para sempre? Não dá para desfazer.
gallery-delete_yes = Sim, apagar
gallery-deleted = A imagem foi apagada.
gallery-missing = Essa imagem já tinha sido apagada.
gallery-empty = Nenhuma imagem para mostrar. Crie algumas com /imagine ou mude o filtro.
gallery-pages = Páginas
gallery-newest = Imagens mais recentes
gallery-older = Imagens mais antigas
gallery-refused_title = Este link não funciona

# The operator dashboard (/dashboard); $operator is "cli", "discord:<id>" or "telegram:<id>"
dashboard-title = Painel de operação
dashboard-intro = Sessão de { $operator } até { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC). Peça um novo link quando acabar; não compartilhe esta página.
dashboard-number = { $n }
dashboard-percent = { NUMBER($percent, maximumFractionDigits: 1) }%
dashboard-ms = { NUMBER($ms, maximumFractionDigits: 0) } ms
dashboard-seconds = ≤ { NUMBER($s, maximumFractionDigits: 1) } s
dashboard-age = { DURATION($age_s) }
dashboard-money = { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
dashboard-stars = { $stars ->
    [one] { $stars } estrela
    [many] { $stars } de estrelas
   *[other] { $stars } estrelas
}
dashboard-payments = { $count ->
    [one] { $count } pagamento
    [many] { $count } de pagamentos
   *[other] { $count } pagamentos
}
dashboard-jobs_title = Tarefas por hora, últimas 24 horas (UTC)
dashboard-jobs_chart = Tarefas por hora nas últimas 24 horas: { $succeeded } concluídas, { $failed } com falha, { $cancelled } canceladas. Os números de cada hora estão na tabela a seguir.
dashboard-hour = Hora (UTC)
dashboard-succeeded = Concluídas
dashboard-failed = Com falha
dashboard-cancelled = Canceladas
dashboard-queue_title = Fila
dashboard-queued = Aguardando
dashboard-running = Em execução
dashboard-oldest = Espera mais longa
dashboard-nothing_waits = nada aguarda
dashboard-users_title = Usuários ativos
dashboard-last_24h = Últimas 24 horas
dashboard-last_7d = Últimos 7 dias
dashboard-last_30d = Últimos 30 dias
dashboard-providers_title = Serviços de imagem, última hora
dashboard-providers_chart = Taxa de falhas de cada serviço de imagem na última hora; os números estão na tabela a seguir.
dashboard-provider = Serviço
dashboard-requests = Chamadas
dashboard-failure_rate = Taxa de falhas
dashboard-latency_mean = Tempo médio
dashboard-latency_p50 = Mediana
dashboard-circuit = Disjuntor
dashboard-circuit_open = aberto em { $workers } de { $total } workers
dashboard-circuit_closed = fechado
dashboard-no_providers = Nenhuma chamada a serviços de imagem na última hora.
dashboard-credits_title = Créditos, últimas 24 horas
dashboard-credits_chart = Créditos vendidos, dados, gastos, devolvidos e estornados nas últimas 24 horas; os números estão na tabela a seguir.
dashboard-sold = Vendidos
dashboard-given = Dados (boas-vindas, promoções, concessões)
dashboard-spent = Gastos em tarefas
dashboard-refunded = Devolvidos
dashboard-reversed = Estornados (reembolsos de pagamentos)
dashboard-revenue_title = Receita
dashboard-currency = Moeda
dashboard-no_revenue = Nenhum pagamento nos últimos 30 dias.
dashboard-errors_title = Erros mais comuns, últimas 24 horas
dashboard-error_code = Código de erro
dashboard-jobs = Tarefas
dashboard-no_errors = Nenhuma tarefa falhou nas últimas 24 horas.
dashboard-lookup_title = Procurar uma conta
dashboard-platform = Plataforma
dashboard-user_id = Id do usuário nessa plataforma
dashboard-lookup = Procurar
dashboard-not_found = Nenhuma conta tem esse id de plataforma. Nada foi alterado.
dashboard-user_invalid = Escolha uma plataforma e digite um id de usuário. Nada foi alterado.
dashboard-account_title = Conta { $account_id }
dashboard-balance = Saldo
dashboard-debt = Dívida
dashboard-plan = Plano
dashboard-status = Situação
dashboard-banned = Banida: { $reason }
dashboard-active = Ativa
dashboard-identities = Identidades
dashboard-grant_title = Dar créditos
dashboard-credits_field = Créditos (um número inteiro de 1 a { $max_credits })
dashboard-grant_reason = Motivo (fica no livro-razão)
dashboard-grant = Dar
dashboard-ban_title = Banir
dashboard-ban_reason = Motivo (só os operadores veem)
dashboard-ban = Banir esta conta
dashboard-unban = Suspender o banimento
dashboard-granted = Os créditos foram dados.
dashboard-already_granted = Essa concessão já tinha sido feita (o formulário foi enviado duas vezes); nada mais foi dado.
dashboard-banned_done = A conta está banida.
dashboard-unbanned_done = O banimento foi suspenso.
dashboard-amount_invalid = Os créditos devem ser um número inteiro de 1 a { $max_credits }. Nada foi alterado.
dashboard-reason_required = Informe um motivo. Nada foi alterado.
dashboard-ledger_title = Livro-razão (mais recentes primeiro)
dashboard-when = Quando (UTC)
dashboard-amount = Créditos
dashboard-balance_after = Saldo depois
dashboard-reason = Motivo
dashboard-note = Nota
dashboard-jobs_list_title = Tarefas (mais recentes primeiro)
dashboard-job = Tarefa
dashboard-job_status = Situação
dashboard-model = Modelo
dashboard-cost = Custo
dashboard-consents_title = Consentimentos
dashboard-consent = Consentimento
dashboard-given_label = Dado
dashboard-policy_version = Versão da política
dashboard-yes = sim
dashboard-no = não
dashboard-audit_title = Ações dos operadores
dashboard-operator = Operador
dashboard-action = Ação
dashboard-none = Nada ainda.
