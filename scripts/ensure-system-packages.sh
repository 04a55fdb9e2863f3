#!/usr/bin/env bash
# Install the Debian packages chibo uses, when they are missing and we are root. For the pages
# (`run`): LibreOffice's writer without its GUI (PDF documents) and fonts with every Vietnamese
# letter. For the tests (`test`, the default), also Chromium (browser tests), poppler (reading
# the PDFs back) and the PostgreSQL client (pg_dump/pg_restore/psql for `chibo backup` and
# `chibo restore` on PostgreSQL; any version's will do). Otherwise say what is skipped.
set -euo pipefail

packages=(libreoffice-writer-nogui fonts-liberation2)
if [ "${1:-test}" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${1:-test}" = "test" ] && ! command -v pg_dump >/dev/null; then
  missing+=(postgresql-client)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "chibo: missing Debian packages: ${missing[*]}."
  echo "chibo: without them PDF documents are not offered and their tests and the browser"
  echo "chibo: tests are skipped; as root, make installs them (or: apt-get install"
  echo "chibo: --no-install-recommends ${missing[*]})."
  exit 0
fi
echo "chibo: installing ${missing[*]} with apt-get (a few minutes, once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Without the recommends LibreOffice is a few hundred megabytes instead of a desktop suite.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
