#!/usr/bin/env bash
# Refreshes the vendored front-end files from the npm registry. Versions are pinned here on purpose:
# a refresh is a reviewed change (bump a version, run this, run `make test`, commit).
set -euo pipefail
HDS_CORE=5.2.2
HTMX=2.0.11
AXE_CORE=4.14.1

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "hds-core@$HDS_CORE" "htmx.org@$HTMX" "axe-core@$AXE_CORE" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done

static="$root/src/polku/static/vendor"
rm -rf "$static/hds-core" "$static/htmx"
mkdir -p "$static/hds-core" "$static/htmx"
hds="hds-core-$HDS_CORE/package"
# The Helsinki Grotesk web font is licensed to the City of Helsinki only, so fonts.css is left out
# and the stack falls back to Arial/sans-serif.
cp "$hds/lib/base.min.css" "$hds/lib/components/all.min.css" "$hds/lib/utils/helpers.min.css" "$static/hds-core/"
mv "$static/hds-core/all.min.css" "$static/hds-core/components.min.css"
cp "$hds/LICENSE" "$static/hds-core/LICENSE"
echo "hds-core $HDS_CORE" > "$static/hds-core/VERSION"
cp "htmx.org-$HTMX/package/dist/htmx.min.js" "htmx.org-$HTMX/package/LICENSE" "$static/htmx/"
echo "htmx.org $HTMX" > "$static/htmx/VERSION"

e2e="$root/tests/e2e/vendor"
rm -rf "$e2e" && mkdir -p "$e2e"
cp "axe-core-$AXE_CORE/package/axe.min.js" "axe-core-$AXE_CORE/package/LICENSE" "$e2e/"
echo "axe-core $AXE_CORE" > "$e2e/VERSION"
echo "Vendored hds-core $HDS_CORE, htmx.org $HTMX, axe-core $AXE_CORE"
