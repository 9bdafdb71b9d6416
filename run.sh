#!/usr/bin/env bash
# Quick start: set up .venv on first use, then run the bot.
# Starts every platform whose token is set (TELEGRAM_TOKEN, DISCORD_TOKEN; environment or .env),
# or the console chat when none is. Extra arguments go to `natobot run`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv ""
exec .venv/bin/natobot run "$@"
