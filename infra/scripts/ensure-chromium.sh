#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core downloads no
# browser), with a Chinese font so that screenshots show the text; the export
# tests open every DOCX and XLSX in LibreOffice, as Word and Excel users would,
# and read the printed report back with poppler's pdftotext and pdfinfo.
# Installs them when missing and this machine can (root with apt-get).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
# Writer and Calc each: one without the other prints DOCX but no XLSX (or the reverse).
for part in writer calc; do
  dpkg-query -W -f '${Status}' "libreoffice-$part" "libreoffice-$part-nogui" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("libreoffice-$part-nogui")
done
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[duban] installing ${missing[*]} (apt-get) for the browser and export tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
else
  echo "[duban] missing for the browser and export tests: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
