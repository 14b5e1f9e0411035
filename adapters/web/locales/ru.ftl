# Тексты веб-процесса (страницы оплаты) на русском; накладываются на тексты ядра.
# Синтаксис Project Fluent (https://projectfluent.org): { $name } — параметр.

billing-page_title = Seedream
billing-page_success = Спасибо! Платёж подтверждается. Можешь закрыть эту страницу и вернуться в чат: кредиты скоро придут туда.
billing-page_cancel = Платёж отменён, ничего не списано. Можешь закрыть эту страницу и вернуться в чат.
billing-page_return = Готово. Можешь закрыть эту страницу и вернуться в чат.
web-link_invalid = Ссылка недействительна или устарела. Попроси у бота новую в чате.
web-file_gone = Этого файла больше нет: его удалили или истёк срок хранения.

# The personal gallery (/gallery)
gallery-title = Твоя галерея
gallery-intro = Твои изображения, сначала новые. Эта страница только для тебя и работает до { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC); чтобы получить новую ссылку, снова набери /gallery в чате с ботом.
gallery-filter_model = Модель
gallery-filter_all = Все модели
gallery-search = Поиск по запросам
gallery-apply = Показать
gallery-model = Модель
gallery-created = Создано
gallery-created_at = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") } UTC
gallery-size_label = Размер
gallery-dimensions = { $width } × { $height } пикс.
gallery-size = { NUMBER($size_mb, maximumFractionDigits: 1) } МБ
gallery-open_original = Открыть оригинал в полном размере
gallery-delete = Удалить…
gallery-delete_confirm = Удалить это изображение навсегда? Это нельзя отменить.
gallery-delete_yes = Да, удалить
gallery-deleted = Изображение удалено.
gallery-missing = Это изображение уже было удалено.
gallery-empty = Здесь пока нет изображений. Создай их через /imagine или измени фильтр.
gallery-pages = Страницы
gallery-newest = Самые новые
gallery-older = Более ранние
gallery-refused_title = Эта ссылка не работает
