# Тексты адаптера Telegram на русском; накладываются на тексты ядра и общие тексты чатов.
# Синтаксис Project Fluent (https://projectfluent.org): { $name } — параметр; формы
# множественного числа — селекторы по категориям CLDR (для русского: one, few, many, other).

telegram-terms =
    Условия использования Seedream и кратко о конфиденциальности (версия { $policy_version })
    {""}
    - Пользоваться ботом можно только с 13 лет.
    - Мы храним твой аккаунт, промпты, изображения и историю кредитов, чтобы сервис работал. Промпты отправляются сервису изображений, который их рисует; для обучения моделей они используются только с твоего согласия.
    - Изображения хранятся столько, сколько предусматривает твой тариф, а потом удаляются. Свои задания смотри в /history, кредиты — в /credits.
    - Не проси незаконный контент или контент, который вредит другим.
    - Продуктовая аналитика: о тебе ничего не отправляется в сервис аналитики оператора, пока ты сам не включишь её командой /settings analytics on (промпты и изображения — никогда).
    {""}
    Нажми кнопку ниже, чтобы подтвердить, что тебе есть 13 лет, и принять условия.
telegram-welcome_back = С возвращением! Создай изображение командой /imagine рыжая лиса на снегу или загляни в /help.
telegram-help =
    Что я умею:
    /imagine ПРОМПТ — создать изображение. Опции: --ar 16:9, --seed 7, --no ТЕКСТ, --n 2, --model ID, --enhance
    {"  "}Чтобы рисовать по своим картинкам, отправь фото (альбом или файл изображения) с подписью /imagine ПРОМПТ или ответь на картинку командой /imagine ПРОМПТ.
    /credits — твой баланс и последние движения по кредитам
    /history — твои последние изображения
    /cancel — отменить последнее изображение в очереди (с возвратом кредитов)
    /models — модели и их цена
    /settings — твои настройки по умолчанию; меняй их кнопками там или так: --model ID, --ar 16:9, --lang ru
    {"  "}/settings --file on|off — изображения файлами в полном разрешении, а не сжатыми фото; /settings training on|off — использование твоих промптов и изображений для обучения; /settings analytics on|off — продуктовая аналитика (по желанию)
    /buy — купить кредиты за Telegram Stars
    /redeem КОД — активировать промокод
    /delete ИЗОБРАЖЕНИЕ — удалить одно из твоих изображений
    /gallery — твои изображения на личной веб-странице (персональная ссылка)
    /mydata — скачать все твои данные
    /forgetme — стереть все твои данные
    /link [КОД] — привязать к этому аккаунту свой аккаунт Discord (один аккаунт, один баланс)
    /privacy — как обрабатываются твои данные
    /paysupport — помощь с платежами
    /start — условия использования
telegram-paysupport = Вопрос по платежу? Напиши оператору этого бота и укажи дату платежа. Купленные кредиты зачисляются на баланс — смотри /credits.
telegram-reference_hint = Чтобы рисовать по этой картинке, отправь её ещё раз с подписью /imagine и описанием или ответь на неё командой /imagine с описанием, например: /imagine тот же кот акварелью.
telegram-plain_text = Чтобы создать изображение, отправь /imagine и описание, например: /imagine рыжая лиса на снегу. Всё, что я умею, — в /help.
telegram-private_only = На это я отвечу в личном чате, чтобы это видел только ты. Нажми кнопку, чтобы его открыть.
telegram-open_private = Открыть личный чат
telegram-link_code_exposed = Этот код привязки был опубликован в группе, где его могут прочитать другие, поэтому он больше не действует. Получи новый командой /link в Discord и отправь его мне в личном чате (нажми кнопку).
telegram-accepting = Принимаю запрос…
telegram-queued = В очереди ({ $count ->
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
telegram-generating = Создаю изображение…
telegram-done = Готово.
telegram-full_size_link = Изображение в полном размере
telegram-settings = Твои настройки: модель { $model }, соотношение сторон { $aspect }, язык { $language }, файлы в полном разрешении: { $as_file }, использование для обучения: { $training }, продуктовая аналитика: { $analytics }. Нажми, чтобы изменить, или набери /settings --model ID --ar 16:9 --lang ru --file on.
telegram-history_item = { DATETIME($created_at, dateStyle: "medium", timeStyle: "short") }  { $status ->
        [queued] в очереди
        [running] выполняется
        [succeeded] готово
        [failed] ошибка
        [cancelled] отменено
       *[other] неизвестно
    }  { $model_id }  «{ $prompt }»
telegram-buy = Выбери пакет кредитов. Оплата в Telegram Stars прямо здесь, в чате.
telegram-invoice = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    } для генерации изображений ({ $label }).
telegram-card_link = Оплата картой на странице оплаты (ссылка личная и действует 24 часа). Кредиты придут в этот чат, как только платёж пройдёт.
telegram-payment_seen = Этот платёж уже зачислен. Баланс: { $balance_credits ->
        [one] { $balance_credits } кредит
        [few] { $balance_credits } кредита
        [many] { $balance_credits } кредитов
       *[other] { $balance_credits } кредита
    }.
telegram-redeem_usage = Набери /redeem КОД, чтобы активировать промокод.
telegram-delete_usage = Набери /delete ИЗОБРАЖЕНИЕ (id изображения есть в /history) или нажми «Удалить» под изображением.
telegram-forget_confirm = Это навсегда сотрёт твой аккаунт, промпты, изображения, экспорты и кредиты. Нажми «Подтвердить» или набери /forgetme { $code } (срок действия кода: { DURATION($minutes, unit: "minute") }).
telegram-training_usage = Набери /settings training on или /settings training off либо нажми кнопку в /settings.
telegram-analytics_usage = Набери /settings analytics on или /settings analytics off либо нажми кнопку в /settings.
telegram-button-accept = Мне есть 13, принимаю
telegram-button-decline = Отказаться
telegram-button-reroll = Ещё раз
telegram-button-cancel = Отмена
telegram-button-as_file_on = Файлы в полном разрешении: вкл.
telegram-button-as_file_off = Файлы в полном разрешении: выкл.
telegram-button-training_on = Для обучения: вкл.
telegram-button-training_off = Для обучения: выкл.
telegram-button-analytics_on = Аналитика: вкл.
telegram-button-analytics_off = Аналитика: выкл.
telegram-button-delete = Удалить
telegram-button-buy_stars = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    } за { $stars } Stars
telegram-button-buy_card = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    } за { $price } картой
telegram-button-pay = Оплатить картой
telegram-button-forget_confirm = Подтвердить: стереть всё
telegram-cmd-start = Условия использования и начало работы
telegram-cmd-imagine = Создать изображение по промпту
telegram-cmd-credits = Твой баланс и последние движения по кредитам
telegram-cmd-history = Твои последние изображения
telegram-cmd-cancel = Отменить последнее изображение в очереди
telegram-cmd-models = Модели и их цена
telegram-cmd-settings = Твои настройки для /imagine
telegram-cmd-help = Что умеет этот бот
telegram-cmd-privacy = Как обрабатываются твои данные
telegram-cmd-paysupport = Помощь с платежами
telegram-cmd-buy = Купить кредиты за Telegram Stars
telegram-cmd-redeem = Активировать промокод
telegram-cmd-delete = Удалить одно из твоих изображений
telegram-cmd-mydata = Скачать все твои данные
telegram-cmd-gallery = Твои изображения на личной веб-странице
telegram-cmd-forgetme = Стереть все твои данные
telegram-cmd-link = Привязать аккаунт Discord (общий баланс)

# /admin (operators only, SEEDREAM_TELEGRAM_ADMIN_IDS)
telegram-admin_private_only = Запрашивай ссылки оператора в личном чате с ботом, никогда в группе.
telegram-admin_usage = Команды оператора здесь: /admin dashboard (ссылка на панель, действует недолго).
