#!/usr/bin/env bash
# Set up everything the kiosk needs on a Debian machine.
#
#   installer/setup.sh          system packages + .venv with the kiosk (runtime)
#   installer/setup.sh --dev    the same plus test/dev tools (pytest, ruff, mypy, ...)
#
# Safe to re-run: it installs only what is missing, and skips pip when
# pyproject.toml has not changed since the last successful install.
#
# Environment:
#   PYTHON                    interpreter to build .venv with (default: python3 on PATH, >= 3.11)
#   KIOSK_EXTRA_APT_PACKAGES  extra Debian packages to require (space separated)
set -euo pipefail

usage() {
    echo "usage: installer/setup.sh [--dev]"
}

mode=runtime
for arg in "$@"; do
    case "$arg" in
        --dev) mode=dev ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

trap 'echo "installer/setup.sh: failed (line $LINENO, exit $?)" >&2' ERR

say() { echo "==> $*"; }
die() { echo "installer/setup.sh: $*" >&2; exit 1; }

min_python="3.11"
venv=".venv"

# ------------------------------------------------------------------ python
# Print the first interpreter that is Python >= 3.11 ($PYTHON if set).
find_python() {
    local candidates=()
    if [[ -n "${PYTHON:-}" ]]; then
        candidates=("$PYTHON")
    else
        candidates=(python3 python3.13 python3.12 python3.11)
    fi
    local py
    for py in "${candidates[@]}"; do
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
        then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

# ------------------------------------------------------------------ apt
# Package names from a list file: '#' starts a comment, any whitespace separates.
read_list() {
    sed -e 's/#.*//' "$1" | tr -s ' \t' '\n\n' | sed -e '/^$/d'
}

is_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

wanted=()
while IFS= read -r pkg; do wanted+=("$pkg"); done < <(read_list "$here/apt-packages.txt")
if [[ "$mode" == dev ]]; then
    while IFS= read -r pkg; do wanted+=("$pkg"); done < <(read_list "$here/apt-packages-dev.txt")
fi
for pkg in ${KIOSK_EXTRA_APT_PACKAGES:-}; do wanted+=("$pkg"); done

python="$(find_python || true)"
if [[ -z "$python" ]]; then
    [[ -z "${PYTHON:-}" ]] || die "PYTHON=$PYTHON is not a Python >= $min_python"
    wanted+=(python3 python3-venv)          # Debian 12's python3 is 3.11
elif ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    wanted+=(python3-venv)                  # Debian keeps ensurepip out of python3
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${wanted[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
else
    echo "installer/setup.sh: no dpkg-query (not Debian?); not checking system packages:" >&2
    echo "    ${wanted[*]}" >&2
fi

if ((${#missing[@]})); then
    apt_install=(apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}")
    if [[ "$(id -u)" -eq 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        {
            echo
            echo "installer/setup.sh: these Debian packages are missing and installing them needs root:"
            echo
            echo "    ${missing[*]}"
            echo
            echo "Run this once as root (or with sudo), then run this script again as yourself:"
            echo
            echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
            echo
        } >&2
        exit 1
    fi
    say "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update </dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt_install[@]}" </dev/null
else
    say "system packages: all ${#wanted[@]} present"
fi

if [[ -z "$python" ]]; then
    python="$(find_python || true)"
    [[ -n "$python" ]] || die "no Python >= $min_python found (set PYTHON=/path/to/python3.11)"
fi

# ------------------------------------------------------------------ venv
if [[ -x "$venv/bin/python" ]] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    say "$venv is broken (its interpreter is gone); recreating it"
    rm -rf "$venv"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    say "creating $venv with $("$python" -c 'import platform, sys; print(sys.executable, platform.python_version())')"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi

# A stamp per (pyproject.toml, mode): present = that install finished with this pyproject.toml.
stamp_for() {
    local hash
    hash="$({ cat pyproject.toml; echo "mode=$1"; } | sha256sum | cut -c1-16)"
    echo "$venv/.installed-$hash"
}
stamp="$(stamp_for "$mode")"
# A dev install includes the runtime one.
if [[ -e "$stamp" || ("$mode" == runtime && -e "$(stamp_for dev)") ]]; then
    say "python packages: up to date ($mode)"
else
    if [[ "$mode" == dev ]]; then target=".[dev]"; else target="."; fi
    say "installing python packages: pip install -e \"$target\""
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    pip_opts=()
    [[ -t 1 ]] || pip_opts+=(--progress-bar off)
    rm -f "$venv"/.installed-*
    "$venv/bin/python" -m pip install "${pip_opts[@]}" -e "$target" </dev/null
    touch "$stamp"
fi

# ------------------------------------------------------------------ translations
shopt -s nullglob
ts_files=(i18n/*.ts)
shopt -u nullglob
if ((${#ts_files[@]})); then
    lrelease="$venv/bin/pyside6-lrelease"
    [[ -x "$lrelease" ]] || die "$lrelease not found (PySide6 install incomplete?)"
    built=0
    for ts in "${ts_files[@]}"; do
        qm="${ts%.ts}.qm"
        if [[ ! -e "$qm" || "$ts" -nt "$qm" ]]; then
            say "translations: $ts -> $qm"
            "$lrelease" -silent "$ts" -qm "$qm"
            built=$((built + 1))
        fi
    done
    ((built)) || say "translations: ${#ts_files[@]} .qm up to date"
else
    say "translations: no i18n/*.ts yet, nothing to build"
fi

say "ready ($mode): $venv"
