# Textos em português do Brasil do processo web (páginas de pagamento), sobre os do núcleo.
# Sintaxe do Project Fluent (https://projectfluent.org); traduzido de en.ftl.

billing-page_title = Seedream
billing-page_success = Obrigado! Seu pagamento está sendo confirmado. Você pode fechar esta página e voltar ao chat: seus créditos chegam lá em instantes.
billing-page_cancel = O pagamento foi cancelado e nada foi cobrado. Você pode fechar esta página e voltar ao chat.
billing-page_return = Tudo certo. Você pode fechar esta página e voltar ao chat.
web-link_invalid = Este link é inválido ou expirou. Peça um novo ao bot no seu chat.
web-file_gone = Este arquivo não está mais aqui: foi apagado ou o prazo de retenção terminou.
