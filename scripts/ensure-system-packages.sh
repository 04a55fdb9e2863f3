#!/usr/bin/env bash
# Install the Debian packages the tests use (Chromium for browser tests, fonts and poppler for
# documents) when they are missing and we are root. Otherwise say what will be skipped.
set -euo pipefail

packages=(chromium fonts-liberation2 poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "chibo: missing Debian packages: ${missing[*]}."
  echo "chibo: browser and document tests will be skipped; as root, 'make test' installs them."
  exit 0
fi
echo "chibo: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
