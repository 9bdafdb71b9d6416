# Sourced by run.sh and test.sh: create .venv and install the project into it when needed.
ensure_venv() {
  local extras="$1"
  local stamp=".venv/.installed${extras}"
  if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv 2>/dev/null; then
      # Debian's python3 ships venv separately.
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        rm -rf .venv && python3 -m venv .venv
      else
        echo "python3 -m venv failed: install the python3-venv package (sudo apt-get install python3-venv)" >&2
        exit 1
      fi
    fi
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
    echo "Installing NATO Status Bot into .venv ..." >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    # requirements.lock holds the exact versions last tested: the same ones here, in CI and in Docker.
    .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements.lock -e ".${extras}"
    touch "$stamp"
  fi
}
