#!/usr/bin/env bash
# Refreshes the vendored front-end files from the npm registry at the versions in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund >/dev/null)
version() { node -p "require('$work/node_modules/$1/package.json').version"; }
vendor=src/ceasefire/core/static/vendor
mkdir -p "$vendor"
cp "$work/node_modules/htmx.org/dist/htmx.min.js" "$vendor/htmx-$(version htmx.org).min.js"
echo "Vendored into $vendor:"; ls "$vendor"
