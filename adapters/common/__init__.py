"""What every chat adapter (console, Discord, Telegram) shares: the ``ChatContext``
protocol and the presenters that turn the core's views into texts."""
