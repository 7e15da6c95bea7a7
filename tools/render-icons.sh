#!/usr/bin/env bash
# Renders the application icon's PNG sizes (hicolor theme) from its SVG master. The PNGs are
# committed, so a build needs no SVG renderer; run this after editing the SVG (needs
# librsvg2-bin for rsvg-convert).
set -euo pipefail
cd "$(dirname "$0")/.."
id=io.github.certdash.CertDash
for size in 16 22 24 32 48 64 128 256; do
    dir=resources/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    rsvg-convert -w "$size" -h "$size" "resources/icons/$id.svg" -o "$dir/$id.png"
done
