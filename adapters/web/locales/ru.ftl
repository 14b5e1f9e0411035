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

# The operator dashboard (/dashboard); $operator is "cli", "discord:<id>" or "telegram:<id>"
dashboard-title = Панель оператора
dashboard-intro = Вход как { $operator } до { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } (UTC). Когда срок выйдет, запроси новую ссылку; никому не показывай эту страницу.
dashboard-number = { $n }
dashboard-percent = { NUMBER($percent, maximumFractionDigits: 1) } %
dashboard-ms = { NUMBER($ms, maximumFractionDigits: 0) } мс
dashboard-seconds = ≤ { NUMBER($s, maximumFractionDigits: 1) } с
dashboard-age = { DURATION($age_s) }
dashboard-money = { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
dashboard-stars = { $stars ->
    [one] { $stars } звезда
    [few] { $stars } звезды
    [many] { $stars } звёзд
   *[other] { $stars } звезды
}
dashboard-payments = { $count ->
    [one] { $count } платёж
    [few] { $count } платежа
    [many] { $count } платежей
   *[other] { $count } платежа
}
dashboard-jobs_title = Задания по часам, последние 24 часа (UTC)
dashboard-jobs_chart = Задания по часам за последние 24 часа: успешно { $succeeded }, с ошибкой { $failed }, отменено { $cancelled }. Числа по каждому часу — в таблице ниже.
dashboard-hour = Час (UTC)
dashboard-succeeded = Успешно
dashboard-failed = С ошибкой
dashboard-cancelled = Отменено
dashboard-queue_title = Очередь
dashboard-queued = Ожидают
dashboard-running = Выполняются
dashboard-oldest = Дольше всех ждёт
dashboard-nothing_waits = никто не ждёт
dashboard-users_title = Активные пользователи
dashboard-last_24h = За 24 часа
dashboard-last_7d = За 7 дней
dashboard-last_30d = За 30 дней
dashboard-providers_title = Сервисы изображений, последний час
dashboard-providers_chart = Доля ошибок каждого сервиса изображений за последний час; числа — в таблице ниже.
dashboard-provider = Сервис
dashboard-requests = Вызовы
dashboard-failure_rate = Доля ошибок
dashboard-latency_mean = Среднее время
dashboard-latency_p50 = Медиана
dashboard-circuit = Предохранитель
dashboard-circuit_open = разомкнут у { $workers } из { $total } воркеров
dashboard-circuit_closed = замкнут
dashboard-no_providers = За последний час сервисы изображений не вызывались.
dashboard-credits_title = Кредиты, последние 24 часа
dashboard-credits_chart = Кредиты, проданные, подаренные, потраченные, возвращённые и списанные за последние 24 часа; числа — в таблице ниже.
dashboard-sold = Продано
dashboard-given = Подарено (приветствие, промокоды, начисления)
dashboard-spent = Потрачено на задания
dashboard-refunded = Возвращено
dashboard-reversed = Списано (возвраты платежей)
dashboard-revenue_title = Выручка
dashboard-currency = Валюта
dashboard-no_revenue = За последние 30 дней платежей не было.
dashboard-errors_title = Частые ошибки, последние 24 часа
dashboard-error_code = Код ошибки
dashboard-jobs = Задания
dashboard-no_errors = За последние 24 часа ни одно задание не завершилось ошибкой.
dashboard-lookup_title = Найти аккаунт
dashboard-platform = Платформа
dashboard-user_id = Id пользователя на этой платформе
dashboard-lookup = Найти
dashboard-not_found = Ни у одного аккаунта нет такого id. Ничего не изменено.
dashboard-user_invalid = Выбери платформу и введи id пользователя. Ничего не изменено.
dashboard-account_title = Аккаунт { $account_id }
dashboard-balance = Баланс
dashboard-debt = Долг
dashboard-plan = Тариф
dashboard-status = Состояние
dashboard-banned = Заблокирован: { $reason }
dashboard-active = Активен
dashboard-identities = Учётные записи
dashboard-grant_title = Начислить кредиты
dashboard-credits_field = Кредиты (целое число от 1 до { $max_credits })
dashboard-grant_reason = Причина (сохраняется в журнале)
dashboard-grant = Начислить
dashboard-ban_title = Блокировка
dashboard-ban_reason = Причина (видят только операторы)
dashboard-ban = Заблокировать аккаунт
dashboard-unban = Снять блокировку
dashboard-granted = Кредиты начислены.
dashboard-already_granted = Это начисление уже было сделано (форма отправлена дважды); больше ничего не начислено.
dashboard-banned_done = Аккаунт заблокирован.
dashboard-unbanned_done = Блокировка снята.
dashboard-amount_invalid = Кредиты — целое число от 1 до { $max_credits }. Ничего не изменено.
dashboard-reason_required = Укажи причину. Ничего не изменено.
dashboard-ledger_title = Журнал (сначала новые)
dashboard-when = Когда (UTC)
dashboard-amount = Кредиты
dashboard-balance_after = Баланс после
dashboard-reason = Причина
dashboard-note = Заметка
dashboard-jobs_list_title = Задания (сначала новые)
dashboard-job = Задание
dashboard-job_status = Состояние
dashboard-model = Модель
dashboard-cost = Стоимость
dashboard-consents_title = Согласия
dashboard-consent = Согласие
dashboard-given_label = Дано
dashboard-policy_version = Версия политики
dashboard-yes = да
dashboard-no = нет
dashboard-audit_title = Действия операторов
dashboard-operator = Оператор
dashboard-action = Действие
dashboard-none = Пока ничего.
