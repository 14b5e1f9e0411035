"""Money from outside: checkout, subscriptions, payment webhooks, Telegram Stars, promo
codes, the payments port."""
