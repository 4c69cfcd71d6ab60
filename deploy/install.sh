#!/usr/bin/env bash
# Install ksmart from this offline bundle: no network, no package index.
#
#   sudo ./install.sh [--prefix /opt/ksmart] [--python python3.11] [--no-switch] [--force]
#
# 1. checks every file of the bundle against SHA256SUMS (sha256sum -c);
# 2. copies app/ to PREFIX/releases/VERSION/app and creates a venv beside it,
#    bootstrapping pip from the bundle's own pip wheel (no ensurepip needed),
#    then `pip install --no-index --find-links wheels` with requirements.lock;
# 3. writes PREFIX/releases/VERSION/bin/ksmart (python -m ksmart with the
#    service's settings from /etc/ksmart/ksmart.env);
# 4. points PREFIX/current at the new release (unless --no-switch).
#
# The store is not touched: it lives outside PREFIX (/var/lib/ksmart by
# default), and the service backs it up and migrates it when it starts
# (`ksmart migrate` in deploy/ksmart@.service). Older releases stay in
# PREFIX/releases/ until removed by hand. --force installs a version that is
# already there again (stop its service first).
set -euo pipefail
umask 022  # the service user reads what root installs

prefix=/opt/ksmart
python=${PYTHON:-python3.11}
switch=1
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --no-switch) switch=0; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
say() { echo "install.sh: $*" >&2; }

say "checking SHA256SUMS"
if ! sha256sum --quiet --strict -c SHA256SUMS; then
  say "the bundle is damaged or was changed (see above); copy it again"; exit 1
fi

version=$(cat app/VERSION)
if ! "$python" -c 'import sys, platform; sys.exit(sys.version_info[:2] != (3, 11) or platform.machine() != "x86_64")'; then
  say "$python must be CPython 3.11 on x86_64 (the wheels are built for it); give another with --python"; exit 2
fi

mkdir -p "$prefix/releases"
prefix=$(cd "$prefix" && pwd)
release="$prefix/releases/$version"
if [ -e "$release" ]; then
  if [ "$force" = 1 ]; then rm -rf "$release"
  else say "$release already exists (use --force to install it again)"; exit 2
  fi
fi
trap 'rm -rf "$release"; say "failed; nothing was switched"' ERR

say "installing $version into $release"
mkdir -p "$release/bin"
cp -a app deploy "$release/"
# The bundle's wheels and nothing else: no index, no config file, no find-links of the machine.
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS="$here/wheels" PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV || true
"$python" -m venv --without-pip "$release/venv"
pip_wheel=$(ls wheels/pip-*.whl | head -1)
"$release/venv/bin/python" "$pip_wheel/pip" install --quiet --no-index --find-links wheels pip -c requirements.lock
"$release/venv/bin/python" -m pip install --quiet --no-index --find-links wheels --only-binary=:all: \
  -r app/requirements.txt -c requirements.lock
# Bytecode now: the service cannot write under PREFIX (ProtectSystem=strict).
"$release/venv/bin/python" -m compileall -q "$release/app"
# `python -m ksmart` from any directory: the app folder on the venv's path.
site=$("$release/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
echo "$release/app" > "$site/ksmart-app.pth"

cat > "$release/bin/ksmart" <<EOF
#!/bin/sh
# python -m ksmart with the service's settings (the same store as the dashboard).
env_file="\${KSMART_ENV_FILE:-/etc/ksmart/ksmart.env}"
if [ -r "\$env_file" ]; then set -a; . "\$env_file"; set +a; fi
export KSMART_DB_URL="\${KSMART_DB_URL:-sqlite:////var/lib/ksmart/ksmart.db}"
exec "$release/venv/bin/python" -m ksmart "\$@"
EOF
chmod 755 "$release/bin/ksmart"

(cd / && "$release/venv/bin/python" -c 'import ksmart.cli, streamlit, pandas, pyarrow, psycopg' \
  && "$release/venv/bin/python" -m ksmart --help >/dev/null)
trap - ERR

if [ "$switch" = 1 ]; then
  ln -sfn "releases/$version" "$prefix/current.new"
  mv -Tf "$prefix/current.new" "$prefix/current"
  say "$prefix/current -> releases/$version"
fi
say "done. Next: systemctl restart 'ksmart@*' (the service backs up and migrates the store on start)"
