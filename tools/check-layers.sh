#!/usr/bin/env bash
# Every #include inside app/ must point down the layer order written in docs/ARCHITECTURE.md
# (between the "layers:begin" and "layers:end" markers, top layer first). A folder may include
# itself and folders on lower lines, never one on its own line or above; app/ never includes
# ui/. ctest runs this as check_layers; run it by hand with: bash tools/check-layers.sh [ROOT]
set -euo pipefail

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
doc="$root/docs/ARCHITECTURE.md"
[[ -f $doc ]] || { echo "check-layers: $doc not found" >&2; exit 2; }

declare -A rank
mapfile -t lines < <(sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$doc" |
    grep -v -e '<!--' -e '^```' -e '^[[:space:]]*$')
if ((${#lines[@]} == 0)); then
    echo "check-layers: no layer order between the layers:begin/end markers in $doc" >&2
    exit 2
fi
# Top line first: the bottom line gets rank 0.
n=${#lines[@]}
for ((i = 0; i < n; ++i)); do
    for folder in ${lines[i]}; do
        rank[$folder]=$((n - 1 - i))
    done
done

status=0
for dir in "$root"/app/*/; do
    folder=$(basename "$dir")
    if [[ -z ${rank[$folder]+x} ]]; then
        echo "app/$folder is not in the layer order of docs/ARCHITECTURE.md: add it there" >&2
        status=1
    fi
done

while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    target=$(sed -E 's/^[^"]*"([^"]*)".*/\1/' <<<"${rest#*:}")
    [[ $target == */* ]] || continue # same folder
    to=${target%%/*}
    rel=${file#"$root"/}
    from=$(cut -d/ -f2 <<<"$rel")
    [[ $to == "$from" ]] && continue
    [[ -z ${rank[$from]+x} ]] && continue # an unlisted folder: said above
    if [[ -z ${rank[$to]+x} ]]; then
        if [[ -d $root/ui/$to && ! -d $root/app/$to ]]; then
            echo "$rel:$line: includes $target: app/ never includes ui/" >&2
            status=1
        fi
        continue
    fi
    if ((rank[$to] >= rank[$from])); then
        echo "$rel:$line: includes $target: app/$from (layer ${rank[$from]}) may not include" \
            "app/$to (layer ${rank[$to]}); see the layer order in docs/ARCHITECTURE.md" >&2
        status=1
    fi
done < <(grep -rn --include='*.h' --include='*.cpp' -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
    "$root/app")

if ((status == 0)); then
    echo "check-layers: every include in app/ points down the layer order (${#rank[@]} folders)"
fi
exit $status
