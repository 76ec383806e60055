#!/usr/bin/env bash
# Renders the first page of each document the ledger issues (督查通报, 督查报告, 汇总报告) as a PNG for
# docs/documents.md: the document tests run with LEDGER_DOCUMENT_SAMPLES set and keep the .docx files they
# download; LibreOffice turns each into a PDF and pdftoppm its first page into docs/documents/<name>.png.
# Installs libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk with apt when missing. Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
samples=$(mktemp -d /tmp/ledger-documents.XXXXXX)
trap 'rm -rf "$samples"' EXIT
LEDGER_DOCUMENT_SAMPLES="$samples" ./test.sh --filter "FullyQualifiedName~Ledger.Tests.Documents" | tail -1
mkdir -p docs/documents
for docx in "$samples"/*.docx; do
  name=$(basename "$docx" .docx)
  soffice --headless --convert-to pdf --outdir "$samples" "$docx" >/dev/null
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$samples/$name.pdf" "docs/documents/$name"
  echo "docs/documents/$name.png"
done
