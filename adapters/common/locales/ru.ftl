# Тексты, которые показывает каждый чат-адаптер (консоль, Discord, Telegram), на русском;
# накладываются на каталог ядра (core/text/locales) в adapters.common.catalogue.chat_messages.
# Синтаксис Project Fluent (https://projectfluent.org): { $name } — параметр; формы
# множественного числа — селекторы по категориям CLDR (для русского: one, few, many, other).

terms-accepted = Спасибо! Теперь можно создавать изображения. Попробуй: /imagine рыжая лиса на снегу
terms-accepted_welcome = Спасибо! Тебе в подарок { $credits ->
        [one] { $credits } бесплатный кредит
        [few] { $credits } бесплатных кредита
        [many] { $credits } бесплатных кредитов
       *[other] { $credits } бесплатного кредита
    }. Попробуй: /imagine рыжая лиса на снегу
terms-declined = Без проблем. Условия можно перечитать в любой момент командой /terms.
job-queued = Задание { $job_id } в очереди ({ $count ->
        [one] { $count } изображение
        [few] { $count } изображения
        [many] { $count } изображений
       *[other] { $count } изображения
    }, { $cost_credits ->
        [one] { $cost_credits } кредит
        [few] { $cost_credits } кредита
        [many] { $cost_credits } кредитов
       *[other] { $cost_credits } кредита
    }; баланс { $balance_credits }).
job-queue_position = Место в очереди: { $position }.
job-queue_position_far = Впереди в очереди больше { $jobs_ahead ->
        [one] { $jobs_ahead } задания
        [few] { $jobs_ahead } заданий
        [many] { $jobs_ahead } заданий
       *[other] { $jobs_ahead } задания
    }.
job-started = Создаю { $job_id }…
job-finished = Готово, { $job_id }:
job-enhance_skipped = Улучшение промпта было недоступно, поэтому твой промпт использован как есть.
job-failed = Задание { $job_id } не выполнено: { $reason } Возвращено: { $refunded_credits ->
        [one] { $refunded_credits } кредит
        [few] { $refunded_credits } кредита
        [many] { $refunded_credits } кредитов
       *[other] { $refunded_credits } кредита
    }.
job-cancelled = Задание { $job_id } отменено. Возвращено: { $refunded_credits ->
        [one] { $refunded_credits } кредит
        [few] { $refunded_credits } кредита
        [many] { $refunded_credits } кредитов
       *[other] { $refunded_credits } кредита
    }.
credits-balance = Баланс: { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }.
credits-entry = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $amount_credits }  { $reason ->
        [welcome] приветственные кредиты
        [spend] потрачено на изображения
        [refund] возврат
        [admin_grant] начислено оператором
        [admin_debit] списано оператором
        [purchase] покупка
        [subscription] подписка
        [stars_purchase] покупка за Stars
        [promo] промокод
        [payment_reversal] платёж отменён
        [stars_refund] возврат Stars
        [stars_refund_undone] возврат Stars отменён
        [debt_settled] долг погашен
        [link_out] перенесено через /link
        [link_in] получено через /link
        [erasure_close] удаление данных
       *[other] другое
    }  ({ $reference })
credits-none = Движений по кредитам пока нет.
history-empty = У тебя пока нет созданных изображений.
history-item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $job_id }  { $status ->
        [queued] в очереди
        [running] выполняется
        [succeeded] готово
        [failed] ошибка
        [cancelled] отменено
       *[other] неизвестно
    }  { $model_id }  «{ $prompt }»
settings-saved = Сохранено.
settings-on = вкл.
settings-off = выкл.
models-item = { $id }: { $label } — { $cost_credits ->
        [one] { $cost_credits } кредит
        [few] { $cost_credits } кредита
        [many] { $cost_credits } кредитов
       *[other] { $cost_credits } кредита
    } за изображение; соотношения сторон { $aspects }; максимум { $max_images ->
        [one] { $max_images } изображение
        [few] { $max_images } изображения
        [many] { $max_images } изображений
       *[other] { $max_images } изображения
    }
models-seed_some_routes = ; seed: не на всех маршрутах (у результата, созданного без него, seed не показан)
models-seed_no_routes = ; seed: сервисы этой модели его не учитывают
models-references = ; принимает максимум { $max_references ->
        [one] { $max_references } референсное изображение
        [few] { $max_references } референсных изображения
        [many] { $max_references } референсных изображений
       *[other] { $max_references } референсного изображения
    } (/imagine с изображениями)
models-references_cost = ; принимает максимум { $max_references ->
        [one] { $max_references } референсное изображение
        [few] { $max_references } референсных изображения
        [many] { $max_references } референсных изображений
       *[other] { $max_references } референсного изображения
    } (/imagine с изображениями, { $cost_credits ->
        [one] { $cost_credits } кредит
        [few] { $cost_credits } кредита
        [many] { $cost_credits } кредитов
       *[other] { $cost_credits } кредита
    } за каждое)
chat-unknown_command = Неизвестная команда { $command }. Список команд — в /help.
link-code = Твой код привязки: { $code } (срок действия: { DURATION($minutes, unit: "minute") }, до { DATETIME($expires_at, timeStyle: "short") } UTC). Чтобы присоединить к этому аккаунту свой аккаунт в { $other }, отправь /link { $code } этому боту в { $other }. Они станут одним аккаунтом с общим балансом. Никому не показывай этот код.
link-code_any = Твой код привязки: { $code } (срок действия: { DURATION($minutes, unit: "minute") }, до { DATETIME($expires_at, timeStyle: "short") } UTC). Чтобы присоединить к этому аккаунту свой аккаунт в Discord или Telegram, отправь /link { $code } этому боту в Discord или Telegram. Они станут одним аккаунтом с общим балансом. Никому не показывай этот код.
link-done = Готово: { $platforms } теперь один аккаунт с общим балансом: { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    } (перенесено: { $moved_credits ->
        [one] { $moved_credits } кредит
        [few] { $moved_credits } кредита
        [many] { $moved_credits } кредитов
       *[other] { $moved_credits } кредита
    }).
billing-overview_debt = За тобой долг { $debt_credits ->
        [one] { $debt_credits } кредит
        [few] { $debt_credits } кредита
        [many] { $debt_credits } кредитов
       *[other] { $debt_credits } кредита
    } из-за возвращённого или оспоренного платежа; новые изображения на паузе, пока покупка его не погасит.
billing-overview_plan = Тариф: { $plan }.
billing-packs_header = Пакеты кредитов (купить: /buy ПАКЕТ):
billing-pack_item = {"  "}{ $id }: { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    } за { $price }
billing-pack_item_stars = {"  "}{ $id }: { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    } за { $stars } Stars
billing-plans_header = Подписки (оформить: /subscribe ТАРИФ, управлять: /subscribe manage):
billing-plan_item = {"  "}{ $id }: { $label }, { $monthly_credits ->
        [one] { $monthly_credits } кредит
        [few] { $monthly_credits } кредита
        [many] { $monthly_credits } кредитов
       *[other] { $monthly_credits } кредита
    } каждый месяц, { $price } в месяц
billing-not_configured = Покупка кредитов в этом боте недоступна (платежи не настроены).
billing-checkout_link =
    Оплатить можно здесь (ссылка личная и действует 24 часа):
    { $url }
    Кредиты придут в этот чат, как только платёж пройдёт.
billing-subscribe_link =
    Оформить подписку можно здесь (ссылка личная и действует 24 часа):
    { $url }
    Кредиты за каждый месяц будут приходить в этот чат после каждого платежа.
billing-portal_link =
    Управлять подпиской или отменить её можно здесь:
    { $url }
billing-redeemed = Промокод { $code } активирован: +{ $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    }. Баланс: { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }.
privacy-export_ready =
    Экспорт твоих данных готов ({ $size_kb } КБ, { $images ->
        [one] { $images } изображение
        [few] { $images } изображения
        [many] { $images } изображений
       *[other] { $images } изображения
    }). Скачай его до { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC:
    { $url }
privacy-gallery_ready =
    Твоя личная галерея: все твои изображения на одной закрытой странице.
    Открой её до { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC и никому не пересылай: по ссылке видны твои изображения. Новая ссылка /gallery заменяет эту.
    { $url }
privacy-forget_done = Данные стёрты { DATETIME($finished_at, dateStyle: "medium", timeStyle: "medium") } UTC (квитанция { $erasure_id }). Удалено: { $summary }.{ $kept } Отменено { $cancelled_jobs ->
        [one] { $cancelled_jobs } задание в очереди
        [few] { $cancelled_jobs } задания в очереди
        [many] { $cancelled_jobs } заданий в очереди
       *[other] { $cancelled_jobs } задания в очереди
    }, до удаления вернули { $refunded_credits ->
        [one] { $refunded_credits } кредит
        [few] { $refunded_credits } кредита
        [many] { $refunded_credits } кредитов
       *[other] { $refunded_credits } кредита
    }.
privacy-forget_kept = {" "}Сохранено намеренно: { $kept }.
privacy-forget_nothing = У нас нет никаких данных о тебе: стирать нечего.
privacy-image_deleted = Изображение { $image_id } удалено.
privacy-training_on = Теперь твои промпты и изображения могут использоваться для улучшения моделей. Отключить: /settings training off.
privacy-training_off = Твои промпты и изображения не будут использоваться для обучения.
privacy-analytics_on = Продуктовая аналитика включена: бот отправляет события использования (команды, завершённые задания, покупки) под случайным идентификатором — никогда твои промпты, изображения или id в чате. Отключить: /settings analytics off.
privacy-analytics_off = Продуктовая аналитика выключена: события использования о тебе не отправляются.
privacy-kept-other = другие записи
privacy-removed_nothing = ничего
privacy-kept-payment_records = платёжные записи без какой-либо связи с тобой (их требует закон)
privacy-kept-abuse_prevention = хеш твоего профиля в чате (с секретным ключом) с пометкой, получал ли он приветственные кредиты или промокод, чтобы их не выдали дважды, и когда он был удалён, чтобы после восстановления старой резервной копии твои данные снова удалились (защита от злоупотреблений и резервные копии; по нему не узнать ни тебя, ни твой аккаунт)
privacy-counted-accounts = { $n ->
        [one] { $n } аккаунт
        [few] { $n } аккаунта
        [many] { $n } аккаунтов
       *[other] { $n } аккаунта
    }
privacy-counted-identities = { $n ->
        [one] { $n } профиль в чате
        [few] { $n } профиля в чатах
        [many] { $n } профилей в чатах
       *[other] { $n } профиля в чатах
    }
privacy-counted-consents = { $n ->
        [one] { $n } запись о согласии
        [few] { $n } записи о согласии
        [many] { $n } записей о согласии
       *[other] { $n } записи о согласии
    }
privacy-counted-confirmations = { $n ->
        [one] { $n } код подтверждения
        [few] { $n } кода подтверждения
        [many] { $n } кодов подтверждения
       *[other] { $n } кода подтверждения
    }
privacy-counted-jobs = { $n ->
        [one] { $n } генерация с промптом
        [few] { $n } генерации с промптами
        [many] { $n } генераций с промптами
       *[other] { $n } генерации с промптами
    }
privacy-counted-images = { $n ->
        [one] { $n } запись об изображении
        [few] { $n } записи об изображениях
        [many] { $n } записей об изображениях
       *[other] { $n } записи об изображениях
    }
privacy-counted-uploads = { $n ->
        [one] { $n } твоё референсное изображение
        [few] { $n } твоих референсных изображения
        [many] { $n } твоих референсных изображений
       *[other] { $n } твоего референсного изображения
    }
privacy-counted-exports = { $n ->
        [one] { $n } экспорт
        [few] { $n } экспорта
        [many] { $n } экспортов
       *[other] { $n } экспорта
    }
privacy-counted-storage_objects = { $n ->
        [one] { $n } сохранённый файл
        [few] { $n } сохранённых файла
        [many] { $n } сохранённых файлов
       *[other] { $n } сохранённого файла
    }
privacy-counted-ledger_entries_deleted = { $n ->
        [one] { $n } движение по кредитам
        [few] { $n } движения по кредитам
        [many] { $n } движений по кредитам
       *[other] { $n } движения по кредитам
    }
privacy-counted-payment_records_pseudonymised = { $n ->
        [one] { $n } платёжная запись, оставленная без связи с тобой
        [few] { $n } платёжные записи, оставленные без связи с тобой
        [many] { $n } платёжных записей, оставленных без связи с тобой
       *[other] { $n } платёжной записи, оставленной без связи с тобой
    }
privacy-counted-redis_entries = { $n ->
        [one] { $n } техническая запись
        [few] { $n } технические записи
        [many] { $n } технических записей
       *[other] { $n } технической записи
    }
privacy-counted-rate_windows = { $n ->
        [one] { $n } счётчик лимита запросов
        [few] { $n } счётчика лимита запросов
        [many] { $n } счётчиков лимита запросов
       *[other] { $n } счётчика лимита запросов
    }
privacy-counted-link_codes_deleted = { $n ->
        [one] { $n } код привязки аккаунта
        [few] { $n } кода привязки аккаунта
        [many] { $n } кодов привязки аккаунта
       *[other] { $n } кода привязки аккаунта
    }
privacy-counted-web_links_deleted = { $n ->
        [one] { $n } личная ссылка на галерею
        [few] { $n } личные ссылки на галерею
        [many] { $n } личных ссылок на галерею
       *[other] { $n } личной ссылки на галерею
    }
buttons-vary = V{ $index }
privacy-counted-payment_customers = { $n ->
        [one] { $n } запись клиента в платёжном сервисе
        [few] { $n } записи клиента в платёжном сервисе
        [many] { $n } записей клиента в платёжном сервисе
       *[other] { $n } записи клиента в платёжном сервисе
    }
privacy-counted-redis_notice_markers = { $n ->
        [one] { $n } отметка об уведомлении об оплате
        [few] { $n } отметки об уведомлениях об оплате
        [many] { $n } отметок об уведомлениях об оплате
       *[other] { $n } отметки об уведомлениях об оплате
    }
privacy-counted-admin_audit_pseudonymised = { $n ->
        [one] { $n } запись о действии оператора сохранена без связи с тобой
        [few] { $n } записи о действиях операторов сохранены без связи с тобой
        [many] { $n } записей о действиях операторов сохранены без связи с тобой
       *[other] { $n } записи о действиях операторов сохранены без связи с тобой
    }
privacy-counted-payments_pseudonymised = { $n ->
        [one] { $n } платёж сохранён без связи с тобой
        [few] { $n } платежа сохранены без связи с тобой
        [many] { $n } платежей сохранены без связи с тобой
       *[other] { $n } платежа сохранены без связи с тобой
    }
privacy-counted-stars_refunds_pseudonymised = { $n ->
        [one] { $n } возврат Telegram Stars сохранён без связи с тобой
        [few] { $n } возврата Telegram Stars сохранены без связи с тобой
        [many] { $n } возвратов Telegram Stars сохранены без связи с тобой
       *[other] { $n } возврата Telegram Stars сохранены без связи с тобой
    }
privacy-counted-subscriptions_pseudonymised = { $n ->
        [one] { $n } подписка сохранена без связи с тобой
        [few] { $n } подписки сохранены без связи с тобой
        [many] { $n } подписок сохранены без связи с тобой
       *[other] { $n } подписки сохранены без связи с тобой
    }
privacy-counted-credit_debts_pseudonymised = { $n ->
        [one] { $n } запись о долге по кредитам сохранена без связи с тобой
        [few] { $n } записи о долге по кредитам сохранены без связи с тобой
        [many] { $n } записей о долге по кредитам сохранены без связи с тобой
       *[other] { $n } записи о долге по кредитам сохранены без связи с тобой
    }
privacy-counted-checkout_sessions_pseudonymised = { $n ->
        [one] { $n } запись об оформлении оплаты сохранена без связи с тобой
        [few] { $n } записи об оформлении оплаты сохранены без связи с тобой
        [many] { $n } записей об оформлении оплаты сохранены без связи с тобой
       *[other] { $n } записи об оформлении оплаты сохранены без связи с тобой
    }
privacy-counted-promo_redemptions_deleted = { $n ->
        [one] { $n } активация промокода
        [few] { $n } активации промокодов
        [many] { $n } активаций промокодов
       *[other] { $n } активации промокодов
    }
privacy-counted-billing_customers_deleted = { $n ->
        [one] { $n } связь с платёжным профилем
        [few] { $n } связи с платёжными профилями
        [many] { $n } связей с платёжными профилями
       *[other] { $n } связи с платёжными профилями
    }
privacy-counted-other = { $n ->
        [one] { $n } другая запись
        [few] { $n } другие записи
        [many] { $n } других записей
       *[other] { $n } другие записи
    }

# Operators (/admin dashboard on Discord and Telegram)
admin-dashboard_ready =
    Панель оператора: открой её до { DATETIME($expires_at, dateStyle: "medium", timeStyle: "short") } UTC и никому не пересылай: по ссылке можно начислять кредиты и блокировать пользователей. Новая ссылка заменяет эту.
    { $url }
