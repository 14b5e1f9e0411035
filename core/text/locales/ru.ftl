# Тексты ядра на русском: его ошибки и уведомления.
# Синтаксис Project Fluent (https://projectfluent.org): ключ каталога error.invalid_option.empty —
# это сообщение error-invalid_option-empty; { $name } — параметр; формы множественного числа —
# селекторы по категориям CLDR (для русского: one, few, many, other).

error-generic = Извини, у нас что-то пошло не так. Попробуй ещё раз. (код { $correlation_id })
error-insufficient_credits = Это стоит { $cost_credits ->
        [one] { $cost_credits } кредит
        [few] { $cost_credits } кредита
        [many] { $cost_credits } кредитов
       *[other] { $cost_credits } кредита
    }, а у тебя { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }. Как получить ещё — смотри в /credits.
error-terms_not_accepted = Прежде чем пользоваться ботом, прочитай и прими условия (версия { $policy_version }): набери /terms.
error-banned = Твой аккаунт заблокирован, пользоваться ботом нельзя.
error-unknown_model = Модели «{ $model_id }» нет. Доступные модели: { $available }.
error-age_restricted = У модели { $model_id } возрастное ограничение: её можно использовать только в канале или чате с возрастным ограничением. Выбери другую модель (/models) или смени модель по умолчанию в /settings.
error-not_found = Не могу найти { $what ->
        [account] этот аккаунт
        [confirmation_code] этот код подтверждения
        [image] это изображение
        [job] это задание
        [queued_job] это задание в очереди
        [subscription] эту подписку
       *[other] то, что ты ищешь
    }.
error-rate_limited = Ты немного торопишься. Попробуй снова { DURATION($retry_after_s, direction: "in") }.
error-already_submitted = Этот запрос уже дошёл до меня: это задание { $job_id }, повторно за него не списывается.
error-too_many_queued = У тебя уже { $max_queued_jobs ->
        [one] { $max_queued_jobs } задание
        [few] { $max_queued_jobs } задания
        [many] { $max_queued_jobs } заданий
       *[other] { $max_queued_jobs } задания
    } в очереди — это максимум для твоего тарифа. Дождись, пока одно завершится, или отмени одно через /cancel.
error-prompt_refused = Такой промпт в этом боте запрещён. Ничего не списано.
error-payments_disabled = В этом боте оплата не включена.
error-provider = Сервис изображений не смог создать эту картинку. Кредиты возвращены.
error-provider_refused = Сервис изображений отклонил этот промпт. Кредиты возвращены.
error-provider_busy = Сервис изображений занят. Попробуй ещё раз чуть позже.
error-route_unsupported = Ни один сервис изображений не смог принять этот запрос для этой модели (там нет этой модели или опции). Кредиты возвращены.
error-export_too_soon = Экспорт данных можно запрашивать раз в час. Попробуй снова { DURATION($retry_after_s, direction: "in") }.
error-confirmation_invalid = Код подтверждения неверный или истёк. Ничего не удалено. Набери /forgetme, чтобы получить новый код.
error-not_owner = { $what ->
        [image] Это изображение
        [job] Это задание
        [queued_job] Это задание в очереди
       *[other] Это
    } не твоё: удалять можно только своё.
error-link_too_soon = Слишком много кодов привязки или попыток. Попробуй снова { DURATION($retry_after_s, direction: "in") }.
error-web_link_invalid = Эта ссылка недействительна, истекла или заменена более новой. Попроси у бота новую командой /gallery.
error-variations_unsupported = Модель { $model_id } не умеет делать вариации изображения. Ничего не списано.
error-source_image_gone = Исходное изображение удалили раньше, чем была нарисована вариация. Кредиты возвращены.
error-reference_image_gone = Референсное изображение удалили раньше, чем была нарисована картинка. Кредиты возвращены.
error-job_deadline = Картинка не была готова в срок ({ DURATION($deadline_min, unit: "minute") }: сервисы изображений были перегружены или давали сбои), поэтому задание остановлено. Кредиты возвращены.
error-invalid_option-default = Недопустимое значение для { $field }.
error-invalid_option-empty = Опиши картинку, которую хочешь, например: /imagine рыжая лиса на снегу.
error-invalid_option-too_long = В твоём промпте { $length ->
        [one] { $length } символ
        [few] { $length } символа
        [many] { $length } символов
       *[other] { $length } символа
    }, а можно не больше { $max_chars }. Сократи его.
error-invalid_option-unknown_option = Я не знаю опцию { $option }. Опции: --ar 16:9, --seed 7, --no текст, --n 2, --model id, --enhance.
error-invalid_option-missing_value = Опции { $option } нужно значение, например --ar 16:9.
error-invalid_option-not_a_number = Значение { $field } должно быть целым числом, а не «{ $value }».
error-invalid_option-not_allowed = Соотношение сторон { $value } недоступно для этой модели. Выбери одно из: { $allowed }.
error-invalid_option-out_of_range = Значение { $field } должно быть от 1 до { $max }.
error-invalid_option-unknown_setting = Я не знаю настройку { $option }. Настройки: --model ID, --ar 16:9, --lang ru, --file on, --private on.
error-invalid_option-not_allowed_language = Язык { $value } недоступен. Выбери один из: { $allowed }.
error-invalid_option-age_required = Чтобы пользоваться ботом, подтверди, что тебе уже есть 13 лет.
error-invalid_option-reason_required = Укажи причину.
error-invalid_option-unsupported = Модель { $model } не поддерживает опцию { $field }.
error-invalid_option-promo_code_format = Промокод — это от 3 до 64 букв, цифр, дефисов или подчёркиваний.
error-invalid_option-promo_expiry_past = Дата окончания должна быть в будущем.
error-invalid_option-promo_code_exists = Промокод { $value } уже существует.
error-invalid_option-not_on_off = Ответь on или off, а не «{ $value }».
error-reference_image-default = Это изображение нельзя использовать как референс. Ничего не списано.
error-reference_image-empty = Этот файл пустой. Ничего не списано.
error-reference_image-too_large = Изображение слишком большое: максимум { $max_mb } МБ. Ничего не списано.
error-reference_image-not_an_image = Этот файл — не изображение, которое я умею читать (PNG, JPEG, WebP или GIF). Ничего не списано.
error-reference_image-too_many_pixels = В изображении слишком много пикселей: максимум { $max_megapixels } Мп. Ничего не списано.
error-reference_image-animated = Анимированные изображения не подходят как референс: пришли статичное. Ничего не списано.
error-reference_image-unreadable = Изображение повреждено или не читается. Ничего не списано.
error-reference_image-too_many = Модель { $model_id } принимает максимум { $max_images ->
        [one] { $max_images } референсное изображение
        [few] { $max_images } референсных изображения
        [many] { $max_images } референсных изображений
       *[other] { $max_images } референсного изображения
    }. Ничего не списано.
error-reference_image-unsupported = Модель { $model_id } не умеет рисовать по референсным изображениям. Выбери другую модель (/models). Ничего не списано.
error-reference_image-disabled = Референсные изображения в этом боте отключены. Ничего не списано.
error-reference_image-paid_plans_only = Референсные изображения в этом боте доступны только на платных тарифах (/subscribe). Ничего не списано.
error-reference_image-gone = Референсное изображение этого задания удалено, поэтому повторить его нельзя. Ничего не списано.
error-link-default = Не удалось связать аккаунты. Ничего не изменено.
error-link-invalid_code = Код привязки неверный, истёк или уже использован. Ничего не изменено. Отправь /link на другой платформе, чтобы получить новый код.
error-link-same_account = Этот код от этого же аккаунта: отправь его с другой платформы.
error-link-same_platform = У обоих аккаунтов уже есть профиль { $platform }, а у аккаунта может быть только один профиль на платформу. Ничего не изменено.
error-link-banned = Один из аккаунтов заблокирован или удалён, поэтому связать их нельзя.
error-link-merged = Один из аккаунтов уже объединён с другим. Ничего не изменено.
error-link-jobs_active = В этом аккаунте ещё есть изображения в очереди или в работе. Дождись их или отмени задания через /cancel, а потом связывай.
error-link-both_subscribed = У обоих аккаунтов есть активная подписка: сначала отмени одну из них (/subscribe manage), а потом связывай.
error-link-both_customers = У обоих аккаунтов сохранён платёжный профиль для оплаты картой, а такие профили нельзя объединить автоматически. Напиши оператору этого бота.
error-credit_debt-default = Твой платёж вернули или оспорили, когда его кредиты уже были потрачены, поэтому за тобой долг: { $debt_credits ->
        [one] { $debt_credits } кредит
        [few] { $debt_credits } кредита
        [many] { $debt_credits } кредитов
       *[other] { $debt_credits } кредита
    }. Новые изображения на паузе, пока следующая покупка не погасит долг (/credits).
error-payments_unavailable-default = Платёжный сервис сейчас недоступен, ничего не списано. Попробуй снова через несколько минут.
error-unknown_pack-default = Пакета кредитов «{ $pack_id }» нет. Пакеты: { $available }.
error-unknown_plan-default = Тарифа «{ $plan_id }» для подписки нет. Тарифы: { $available }.
error-promo-default = Этот промокод нельзя активировать.
error-promo-unknown = Промокода «{ $code }» нет. Проверь, правильно ли он написан.
error-promo-expired = Срок действия промокода «{ $code }» истёк.
error-promo-exhausted = Промокод «{ $code }» уже израсходован.
error-promo-already_redeemed = Промокод «{ $code }» у тебя уже активирован.
error-payment-default = Этот платёж не подходит ни к одному предложению этого бота. Ничего не списано.
error-payment-bad_payload = Этот счёт больше не действует. Запроси новый через /buy.
error-payment-wrong_amount = Цена этого пакета изменилась. Запроси новый счёт через /buy.
error-payment-unknown_pack = Этот пакет кредитов больше не продаётся. Актуальные пакеты — в /credits.
error-payment-wrong_account = Этот счёт выставлен другому аккаунту. Запроси свой через /buy.
error-payment-not_found = Такого платежа нет.
error-payment-already_refunded = Этот платёж уже возвращён.
error-payment-stars_unavailable = Возврат Telegram Stars в этом процессе недоступен.
error-payment-stars_only = В Telegram кредиты продаются за Telegram Stars: набери /buy, чтобы получить счёт.
billing-purchase_landed = Платёж получен: +{ $credits ->
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
billing-purchase_landed_debt = Платёж получен: +{ $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    }, из них на погашение долга ушло: { $settled_credits ->
        [one] { $settled_credits } кредит
        [few] { $settled_credits } кредита
        [many] { $settled_credits } кредитов
       *[other] { $settled_credits } кредита
    }. Баланс: { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }.
billing-subscription_credits = Тариф { $plan } продлён: +{ $credits ->
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
billing-subscription_ended = Подписка { $plan } закончилась: ты снова на бесплатном тарифе.
billing-payment_failed = Платёж не прошёл, ничего не списано. Можно попробовать снова через /buy.
billing-payment_reversed = Платёж вернули или оспорили, поэтому мы забрали { $taken_credits ->
        [one] { $taken_credits } кредит
        [few] { $taken_credits } кредита
        [many] { $taken_credits } кредитов
       *[other] { $taken_credits } кредита
    }.
billing-payment_restored = Спор по платежу решён в твою пользу: тебе вернули { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    }.
billing-payment_reversed_debt = Платёж вернули или оспорили: мы забрали { $taken_credits ->
        [one] { $taken_credits } кредит
        [few] { $taken_credits } кредита
        [many] { $taken_credits } кредитов
       *[other] { $taken_credits } кредита
    }, а уже потраченное стало долгом: { $debt_credits ->
        [one] { $debt_credits } кредит
        [few] { $debt_credits } кредита
        [many] { $debt_credits } кредитов
       *[other] { $debt_credits } кредита
    }. Новые изображения на паузе, пока покупка не погасит долг.
error-model_unavailable = Модель «{ $model_id }» недоступна в этом боте. Доступные модели: { $available }.
error-invalid_option-negative_too_long = Негативный промпт (--no) слишком длинный: { $length } симв., максимум { $max_chars }. Сократи его, пожалуйста.
error-invalid_option-seed_range = Сид должен быть целым числом от { $min } до { $max }, а не «{ $value }».
error-invalid_option-count_range = Число изображений (--n) для этой модели должно быть целым от 1 до { $max }, а не «{ $value }».
error-debit_exceeds_balance = На счёте { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }, поэтому списать { $debit_credits } нельзя. Ничего не изменено.
error-not_cancellable-default = Задание { $job_id } уже не ждёт в очереди, поэтому его нельзя отменить.
error-not_cancellable-running = Задание { $job_id } уже рисуется, поэтому его больше нельзя отменить.
error-not_cancellable-ended = Задание { $job_id } уже завершено, отменять нечего.
error-invalid_option-admin_credits = Кредиты должны быть целым числом от -{ $max_credits } до { $max_credits }, но не 0. Ничего не изменено.
error-invalid_option-promo_code_missing = Напиши промокод после команды, например /redeem WELCOME10.
