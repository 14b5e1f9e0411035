"""What the adapters share. For the chat adapters (console, Discord, Telegram): the
``ChatContext`` protocol, the presenters that turn the core's views into texts, the shared
flows and locale texts. For every adapter that reads HTTP: request bodies with a size
limit (``body``)."""
