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
# Leaflet, for the map (positions/): its stylesheet finds its images beside it.
leaflet=src/ceasefire/positions/static/vendor/leaflet
mkdir -p "$leaflet/images"
# The source map too: leaflet.js names it, and collectstatic refuses a missing reference.
cp "$work/node_modules/leaflet/dist/leaflet.js" "$work/node_modules/leaflet/dist/leaflet.js.map" \
  "$work/node_modules/leaflet/dist/leaflet.css" \
  "$work/node_modules/leaflet/LICENSE" "$leaflet/"
cp "$work/node_modules/leaflet/dist/images/"*.png "$leaflet/images/"
echo "Vendored Leaflet $(version leaflet) into $leaflet"
# @noble/ed25519 and @noble/hashes (ES modules), for the verify page (ledger/) where Web Crypto is
# missing: only the files that sha2.js imports, keeping their relative imports.
noble=src/ceasefire/ledger/static/vendor
rm -rf "$noble"/noble-*
mkdir -p "$noble/noble-ed25519-$(version @noble/ed25519)" "$noble/noble-hashes-$(version @noble/hashes)"
cp "$work/node_modules/@noble/ed25519/"{index.js,LICENSE} "$noble/noble-ed25519-$(version @noble/ed25519)/"
cp "$work/node_modules/@noble/hashes/"{sha2.js,_md.js,_u64.js,utils.js,LICENSE} \
  "$noble/noble-hashes-$(version @noble/hashes)/"
echo "Vendored @noble/ed25519 and @noble/hashes into $noble"
