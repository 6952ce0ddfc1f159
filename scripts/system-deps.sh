#!/usr/bin/env bash
# Installs the Debian packages a make target needs, only when they are missing.
#   demo: fonts that render Armenian script (PDFs)
#   test: the above, plus Chromium (browser tests), Go and x/mod (log interoperability test),
#         GNU gettext (tests/test_i18n.py extracts the marked strings)
#         and a Java runtime (ODK Validate, inside pyxform, checks the shipped forms)
#   messages: the fonts, and GNU gettext (`make messages`)
set -euo pipefail
what=${1:-test}

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing+=("$1"); }

need_pkg fonts-noto-core
need_pkg fonts-dejavu-core
need_cmd fc-list fontconfig
if [ "$what" = test ] || [ "$what" = messages ]; then
  need_cmd msgfmt gettext
fi
if [ "$what" = test ]; then
  need_cmd chromium chromium
  need_cmd go golang-go
  need_pkg golang-golang-x-mod-dev
  need_cmd java default-jre-headless
fi

check_fonts() {
  # Armenian PDFs need a font with the script: fail here rather than print empty boxes later.
  # (grep without -q reads to the end: under pipefail, an early exit would fail fc-list.)
  fc-list : family | grep -i armenian >/dev/null \
    || { echo "No installed font renders Armenian script." >&2; exit 1; }
}

[ ${#missing[@]} -eq 0 ] && { check_fonts; exit 0; }
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt=(sudo apt-get)
else
  echo "Missing Debian packages: ${missing[*]}. Install them as root (apt-get install ...)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -q >/dev/null
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null
check_fonts
