#!/usr/bin/env bash
# Set up .venv with the test extras on first use, then run the whole test suite.
# Extra arguments go to pytest (e.g. ./test.sh -k telegram -x).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv "[test]"
exec .venv/bin/python -m pytest "$@"
