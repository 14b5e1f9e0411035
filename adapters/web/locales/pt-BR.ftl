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
