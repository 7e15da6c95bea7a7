#!/usr/bin/env bash
# The handbook names only what exists: every path, class, function, constant and test suite that
# docs/ARCHITECTURE.md and CONTRIBUTING.md name in `backticks` (and every relative link) must be
# in the tree. A renamed file or class fails this until the documents follow it.
# ctest runs this as check_docs; by hand: bash tools/check-docs.sh [ROOT [DOC...]]
#
# What a backticked name is taken for:
#   app/x/Y.h, tools/*.sh, CMakeLists.txt      a path (globs allowed) from the root, or a file
#                                              name found anywhere in the tree
#   Class, Class::member, function()           a word of the sources (app/, ui/, tests/, fuzz/,
#                                              bench/), so a renamed class or function fails
#   kConstant, CERTDASH_OPTION                 a word of the sources, CMake files or tools/
#   tst_name, check_name, fuzz_name            a test suite that exists (tst_: a tests/ source)
#   fuzz/fuzz_NAME.cpp, tests/unit/AREA/       a placeholder: the folder before it must exist
# Commands in backticks or code blocks are checked for the paths and suites they name. Plain
# lower-case words (statuses, keys: `expired`, `trust_level`) and Qt's classes are not checked.
set -uo pipefail

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
shift || true
docs=("$@")
((${#docs[@]})) || docs=(docs/ARCHITECTURE.md CONTRIBUTING.md)

cd "$root" || exit 2
status=0
checked=0

# Every searchable file once, so that each name costs one grep over a list.
mapfile -t sources < <(find app ui tests fuzz bench -type f \( -name '*.h' -o -name '*.cpp' \) | sort)
mapfile -t buildfiles < <(find . -path ./build -prune -o -path './build-*' -prune -o -path ./.git -prune \
    -o -type f \( -name CMakeLists.txt -o -name '*.sh' -o -name '*.cmake' -o -name run \) -print)
tree=$(mktemp)
trap 'rm -f "$tree"' EXIT
find . -path ./build -prune -o -path './build-*' -prune -o -path ./.git -prune -o -print |
    sed 's|^\./||' >"$tree"

fail() {
    echo "$1:$2: $3" >&2
    status=1
}

in_sources() { grep -qw -F -e "$1" "${sources[@]}"; }
in_build_files() { grep -qw -F -e "$1" "${buildfiles[@]}"; }

top_dirs='app|ui|tests|tools|docs|fuzz|bench|translations|installer|resources|examples|\.ci'

check_path() { # doc line path
    local doc=$1 line=$2 p=${3#./}
    # A placeholder (fuzz/fuzz_NAME.cpp, tests/unit/AREA/): the folder before it must exist.
    if [[ $p =~ ^(.*/)?[^/]*(NAME|AREA) ]]; then
        p=${BASH_REMATCH[1]:-.}
    fi
    if [[ -e $p ]]; then
        :
    elif [[ $p == *'*'* ]]; then
        compgen -G "$p" >/dev/null || fail "$doc" "$line" "no file matches $p"
    elif [[ $p == */* ]]; then
        [[ -e $p ]] || fail "$doc" "$line" "$p does not exist"
    else
        awk -v name="$p" '$0 == name || substr($0, length($0) - length(name)) == "/" name \
            { found = 1; exit } END { exit !found }' "$tree" ||
            fail "$doc" "$line" "no file named $p in the tree"
    fi
    ((checked++))
}

check_suite() { # doc line name
    local doc=$1 line=$2 name=$3
    case $name in
    tst_*)
        grep -q -E "^tests/.*/$name\.cpp\$" "$tree" ||
            fail "$doc" "$line" "no test suite $name (tests/.../$name.cpp)"
        ;;
    check_*)
        grep -q -E "NAME $name( |\$)" tests/unit/docs/CMakeLists.txt ||
            fail "$doc" "$line" "no ctest $name in tests/unit/docs/CMakeLists.txt"
        ;;
    fuzz_*)
        local harness=${name#fuzz_}
        harness=${harness%_replay}
        [[ -e fuzz/fuzz_$harness.cpp ]] || fail "$doc" "$line" "no fuzz harness fuzz/$name.cpp"
        ;;
    esac
    ((checked++))
}

declare -A found # words already found: each is looked up once
check_word() { # doc line word
    local doc=$1 line=$2 w=$3
    if [[ -n ${found[$w]+x} ]]; then
        ((checked++))
        return
    fi
    if in_sources "$w" || in_build_files "$w"; then
        found[$w]=1
    else
        fail "$doc" "$line" "$w is not found in the sources"
    fi
    ((checked++))
}

is_path() {
    [[ $1 =~ ^(\./)?($top_dirs)/ ]] && return 0
    [[ $1 =~ ^[A-Za-z0-9_.*-]+\.(h|cpp|sh|md|txt|ts|supp|dict|py)$ ]] && return 0
    [[ $1 == .clang-format || $1 == .gitignore ]] && return 0
    return 1
}

check_token() { # doc line token
    local doc=$1 line=$2 t=$3
    t=${t%[,.;:]}
    [[ -z $t ]] && return
    case $t in
    build/* | build-* | http* | ~/* | /* | -*) return ;;
    esac
    if [[ $t =~ ^(tst|check|fuzz)_[a-z0-9_]+$ ]]; then
        check_suite "$doc" "$line" "$t"
    elif is_path "$t"; then
        check_path "$doc" "$line" "$t"
    elif [[ $t =~ ^([A-Z][A-Za-z0-9]+)::(~?[A-Za-z_][A-Za-z0-9_]*)(\(\))?$ ]]; then
        check_word "$doc" "$line" "${BASH_REMATCH[1]}"
        check_word "$doc" "$line" "${BASH_REMATCH[2]#\~}"
    elif [[ $t =~ ^([a-z]+::)?([a-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*|[a-z]+)\(\)$ ]]; then
        check_word "$doc" "$line" "${BASH_REMATCH[2]}"
    elif [[ $t =~ ^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$ && ! $t =~ ^Q[A-Z] ]]; then
        check_word "$doc" "$line" "$t" # a class, struct, enum or enumerator of ours
    elif [[ $t =~ ^k[A-Z][A-Za-z0-9]+$ || $t =~ ^[A-Z][A-Z0-9]*_[A-Z0-9_]+$ ]]; then
        check_word "$doc" "$line" "$t"
    fi
}

for doc in "${docs[@]}"; do
    [[ -f $doc ]] || { fail "$doc" 0 "the document itself is missing"; continue; }
    dir=$(dirname "$doc")
    n=0
    fenced=0
    while IFS= read -r text || [[ -n $text ]]; do
        ((n++))
        if [[ $text =~ ^[[:space:]]*\`\`\` ]]; then
            fenced=$((1 - fenced))
            continue
        fi
        if ((fenced)); then
            # A command line: the paths and suites it names.
            for word in $text; do
                if [[ $word =~ ^(tst|check|fuzz)_[a-z0-9_]+$ ]] || is_path "$word"; then
                    check_token "$doc" "$n" "$word"
                fi
            done
            continue
        fi
        # A span that runs over a line break would be read wrongly (or not at all).
        ticks=${text//[^\`]/}
        if ((${#ticks} % 2)); then
            fail "$doc" "$n" "a \`span\` runs over the line break: keep each one on one line"
        fi
        # Relative links: [text](path#anchor).
        while read -r link; do
            [[ -z $link || $link == http* || $link == \#* || $link == mailto:* ]] && continue
            target=${link%%#*}
            [[ -e $dir/$target ]] || fail "$doc" "$n" "link to $target: no such file"
            ((checked++))
        done < <(grep -o -E '\]\([^) ]+\)' <<<"$text" | sed -E 's/^\]\((.*)\)$/\1/')
        # Backticked names.
        while IFS= read -r span; do
            span=${span:1:${#span}-2}
            if [[ $span == *' '* ]]; then
                for word in $span; do
                    if [[ $word =~ ^(tst|check|fuzz)_[a-z0-9_]+$ ]] || is_path "$word"; then
                        check_token "$doc" "$n" "$word"
                    fi
                done
            else
                check_token "$doc" "$n" "$span"
            fi
        done < <(grep -o -E '`[^`]+`' <<<"$text")
    done <"$doc"
done

if ((status == 0)); then
    echo "check-docs: $checked names in ${docs[*]} exist in the tree"
fi
exit $status
