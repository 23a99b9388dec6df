# Sourced by scripts/demo and scripts/test: make (once) and activate the project's own
# virtual environment, .venv, so nothing is installed into the system's or the user's Python.
# A stock Debian/Ubuntu python3 refuses pip installs (PEP 668) and may lack the venv module;
# pyenv's python3, or a python3 that is itself a venv, works the same way.

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

make_venv() {
  local here="$1" python="${GUARDRAILS_PYTHON:-python3}"
  if [ -x "$here/.venv/bin/python" ] && "$here/.venv/bin/python" -c 'import sys' 2>/dev/null; then
    return 0
  fi
  rm -rf "$here/.venv"
  if ! "$python" -m venv "$here/.venv" 2>/dev/null; then
    # Debian ships the venv module (and ensurepip) in a package of its own.
    rm -rf "$here/.venv"
    local version
    version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    echo "Installing python${version}-venv (Debian) to make a virtual environment..."
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends \
      "python${version}-venv" >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    "$python" -m venv "$here/.venv"
  fi
  "$here/.venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
}

activate_venv() {
  local here="$1"
  make_venv "$here"
  export VIRTUAL_ENV="$here/.venv"
  export PATH="$VIRTUAL_ENV/bin:$PATH"
  unset PYTHONHOME
}
