#!/usr/bin/env bash
# Rebuild benchmarks/realdocs/files/ (git-ignored third-party documents) from local bare
# mirrors of the repositories listed in sources.md.
#   bash benchmarks/realdocs/rebuild.sh MIRROR_DIR
# MIRROR_DIR holds one directory per repository named OWNER+NAME, each a bare git
# repository, a work tree, or a folder holding one (e.g. OWNER+NAME/repo, OWNER+NAME/repo/.git).
# Files already present are kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mirrors="${1:?usage: rebuild.sh MIRROR_DIR}"
out="$here/files"
mkdir -p "$out"
missing=0
while IFS='|' read -r _ file repo commit path _; do
    file="$(echo "$file" | xargs)"; repo="$(echo "$repo" | xargs)"
    commit="$(echo "$commit" | xargs)"; path="$(echo "$path" | sed 's/^ *//; s/ *$//')"
    [[ "$file" == "" || "$file" == "file" || "$file" == ---* ]] && continue
    [[ -s "$out/$file" ]] && continue
    dir="$mirrors/${repo/\//+}"
    gitdir=""
    for candidate in "$dir" "$dir/.git" "$dir"/* "$dir"/*/.git; do
        if git --git-dir="$candidate" rev-parse --git-dir >/dev/null 2>&1; then gitdir="$candidate"; break; fi
    done
    if [[ -z "$gitdir" ]] || ! git --git-dir="$gitdir" show "$commit:$path" > "$out/$file.part" 2>/dev/null; then
        echo "missing: $file ($repo $commit:$path)" >&2
        rm -f "$out/$file.part"; missing=$((missing + 1)); continue
    fi
    mv "$out/$file.part" "$out/$file"
done < <(grep '^| ' "$here/sources.md")
echo "$(ls "$out" | wc -l) files in $out; $missing missing"
[[ $missing -eq 0 ]]
