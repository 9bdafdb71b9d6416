#!/usr/bin/env bash
# The guard rails: ruff (lint and format) and mypy, as .ci/run and the pre-commit hooks run them.
# Sets up .venv with the test extras on first use (like test.sh). Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv "[test]"
status=0
echo "ruff check bot tests bench" >&2
.venv/bin/ruff check bot tests bench || status=1
echo "ruff format --check bot tests bench" >&2
.venv/bin/ruff format --check bot tests bench || status=1
echo "mypy bot" >&2
.venv/bin/mypy bot || status=1
exit "$status"
