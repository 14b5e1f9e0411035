# Тексты адаптера Discord на русском; накладываются на тексты ядра и общие тексты чатов.
# Синтаксис Project Fluent (https://projectfluent.org): { $name } — параметр; формы
# множественного числа — селекторы по категориям CLDR (для русского: one, few, many, other).
# Названия команд (discord-name-*) остаются английскими и здесь не переводятся.

buttons-terms_body =
    Условия использования Seedream и кратко о конфиденциальности (версия { $policy_version })
    {""}
    - Пользоваться ботом можно только с 13 лет.
    - Мы храним твой аккаунт, промпты, изображения и историю кредитов, чтобы сервис работал.
    {"  "}Промпты отправляются сервису изображений, который их рисует; для обучения моделей
    {"  "}они используются только с твоего согласия.
    - Изображения хранятся столько, сколько предусматривает твой тариф, а потом удаляются.
    {"  "}Свои задания и изображения смотри в /history, движения по кредитам — в /credits.
    - Не проси незаконный контент или контент, который вредит другим.
    - Продуктовая аналитика: о тебе ничего не отправляется в сервис аналитики оператора, пока ты
    {"  "}сам не включишь её командой /settings analytics on (промпты и изображения — никогда).
    {""}
    Нажми «Мне есть 13, принимаю», чтобы продолжить, или «Отказаться».
buttons-accept = Мне есть 13, принимаю
buttons-decline = Отказаться
buttons-reroll = Ещё раз
buttons-delete = Удалить
discord-image_title = Изображение { $index } из { $count }
discord-full_size_link = Полный размер
discord-full_size_numbered = Полный размер { $index }
discord-expired_note = <@{ $user_id }>, вот твой результат (исходный ответ устарел).
discord-admin_only = Эта команда — для операторов бота.
discord-granted = Начислено: { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    }; баланс { $balance_credits }.
discord-already_granted = Уже начислено (тот же идентификатор операции); баланс { $balance_credits }.
discord-banned = Пользователь заблокирован.
discord-unbanned = Блокировка снята.
discord-stats = Аккаунтов: { $accounts } (заблокировано: { $banned_accounts }). Кредитов на балансах: { $balance_credits }. Очередь: { $queue_depth }. Заданий: { $jobs }.
discord-privacy = Seedream хранит твой аккаунт, промпты, изображения и историю кредитов, чтобы сервис работал, и использует твои промпты для обучения только с твоего согласия. Полная политика конфиденциальности — во вложении.
discord-buy_button = Купить { $label }
discord-forget_confirm = Это навсегда сотрёт твой аккаунт, промпты, изображения, экспорты и кредиты. Чтобы продолжить, нажми «Подтвердить» (у тебя { DURATION($minutes, unit: "minute") }) или «Отмена».
discord-forget_confirm_button = Подтвердить: стереть всё
discord-forget_cancel_button = Отмена
discord-forget_cancelled = Отменено: ничего не стёрто.
discord-settings_current = Твои настройки: модель { $model }, соотношение сторон { $aspect }, язык { $language }. Личные ответы: { $private }. Использование промптов и изображений для обучения: { $training }. Продуктовая аналитика: { $analytics }.
discord-help =
    {"*"}*Seedream**: изображения по текстовому описанию.
    /imagine `prompt` — создать изображения (опции: model, aspect, seed, negative, count, enhance и до трёх референсных изображений: image, image2, image3)
    Приложения > Создать по этому изображению (на сообщении с изображениями) — создать изображения по картинкам из этого сообщения
    /models — модели и их цена
    /credits — твой баланс и последние движения по кредитам
    /history — твои последние задания
    /cancel — отменить последнее задание в очереди (с возвратом кредитов)
    /settings — твои настройки (опции: model, aspect, language, private (личные ответы), training (использование для обучения), analytics (продуктовая аналитика))
    Изображения приходят превью, у каждого есть ссылка **Полный размер** на исходный файл (настройка --file здесь не нужна)
    /buy `pack` — купить кредиты; /subscribe `plan` — тариф на месяц (или управление им); /redeem `code` — промокод
    /delete `image` — удалить одно из твоих изображений
    /gallery — твои изображения на личной веб-странице (персональная ссылка)
    /mydata — скачать всё, что мы о тебе храним
    /forgetme — стереть все твои данные
    /link [`code`] — привязать к этому аккаунту свой аккаунт Telegram (один аккаунт, один баланс)
    /terms — условия и кратко о конфиденциальности
    /privacy — политика конфиденциальности
    /help — этот список
discord-menu-imagine_from_image = Создать по этому изображению
discord-references-modal_title = Создать по этому изображению
discord-references-modal_label = Что создать на основе изображений
discord-references-modal_placeholder = Опиши картинку, которую хочешь
discord-references-expired = Эта форма уже закрыта (её открыли слишком давно или бот перезапустился). Снова выбери «Создать по этому изображению». Ничего не списано.
discord-references-no_images = В этом сообщении нет прикреплённых изображений. Выбери «Создать по этому изображению» на сообщении с изображениями или прикрепи изображения к /imagine (image, image2, image3).
discord-cmd-imagine = Создать изображения по текстовому промпту
discord-cmd-imagine_prompt = Что нарисовать
discord-cmd-imagine_model = Модель (по умолчанию — из твоих настроек)
discord-cmd-imagine_aspect = Соотношение сторон
discord-cmd-imagine_seed = Seed для повторяемых результатов
discord-cmd-imagine_negative = Чего не должно быть на картинке
discord-cmd-imagine_count = Сколько изображений
discord-cmd-imagine_enhance = Сначала улучшить промпт с помощью ИИ
discord-cmd-imagine_image = Референсное изображение (картинка, которую надо изменить или взять за основу)
discord-cmd-imagine_image2 = Второе референсное изображение
discord-cmd-imagine_image3 = Третье референсное изображение
discord-cmd-credits = Твой баланс кредитов и последние движения
discord-cmd-history = Твои последние задания
discord-cmd-cancel = Отменить последнее задание в очереди (с возвратом кредитов)
discord-cmd-models = Доступные модели и их цена
discord-cmd-settings = Показать или изменить твои настройки
discord-cmd-settings_model = Модель по умолчанию
discord-cmd-settings_aspect = Соотношение сторон по умолчанию
discord-cmd-settings_language = Язык ответов
discord-cmd-settings_private = Ответы, которые видишь только ты
discord-cmd-settings_training = Разрешить использовать твои промпты и изображения для обучения
discord-cmd-settings_analytics = Отправлять события использования (по желанию, без промптов)
discord-cmd-buy = Купить пакет кредитов (личная ссылка на оплату)
discord-cmd-buy_pack = Пакет кредитов
discord-cmd-subscribe = Оформить подписку на месяц или управлять подпиской
discord-cmd-subscribe_plan = Тариф или управление
discord-cmd-subscribe_manage = Изменить или отменить мою подписку
discord-cmd-redeem = Активировать промокод
discord-cmd-redeem_code = Промокод
discord-cmd-delete = Удалить одно из твоих изображений
discord-cmd-delete_image = Изображение (выбери из последних)
discord-cmd-mydata = Скачать всё, что мы о тебе храним
discord-cmd-gallery = Твои изображения на личной веб-странице
discord-cmd-forgetme = Стереть все твои данные
discord-cmd-link = Привязать к этому аккаунту свой аккаунт Telegram: получить код или ввести его
discord-cmd-link_code = Код из /link в Telegram (оставь пустым, чтобы получить новый код)
discord-cmd-terms = Условия использования и кратко о конфиденциальности
discord-cmd-privacy = Как используются твои данные
discord-cmd-help = Как пользоваться ботом
discord-cmd-admin = Команды оператора
discord-cmd-admin_grant = Начислить кредиты (отрицательное число — забрать)
discord-cmd-admin_ban = Заблокировать пользователя
discord-cmd-admin_unban = Снять блокировку
discord-cmd-admin_stats = Статистика бота
discord-cmd-admin_dashboard = Ссылка на панель оператора (действует недолго)
discord-cmd-admin_user = Пользователь
discord-cmd-admin_credits = Целое число кредитов
discord-cmd-admin_reason = Причина (сохраняется в журнале операций)
discord-taken_back = Списано: { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
        [many] { $credits } кредитов
       *[other] { $credits } кредита
    }; баланс { $balance_credits }.
