"""NATO Status Bot: sourced, bilingual answers about NATO for Discord, Telegram and the console."""

__version__ = "0.1.0"
