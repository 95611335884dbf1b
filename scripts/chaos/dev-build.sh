#!/bin/sh
# Private build for developing the chaos scripts while other people rebuild dist/ or have
# half-written code in the tree: builds the committed HEAD (git archive) into node_modules/.cache.
#   sh scripts/chaos/dev-build.sh [worktree]
#   CHAOS_APP_DIST=node_modules/.cache/chaos-dev/app node node_modules/.cache/chaos-dev/chaos/scripts/chaos/<scenario>.js
set -e
cd "$(dirname "$0")/../.."
out=${CHAOS_DEV_OUT:-node_modules/.cache/chaos-dev}
rm -rf "$out/app" "$out/chaos" "$out/head"
if [ "$1" = "worktree" ]; then src=.; else mkdir -p "$out/head" && git archive HEAD src tsconfig.json tsconfig.build.json | tar -x -C "$out/head" && src="$out/head"; fi
npx tsc -p "$src/tsconfig.build.json" --outDir "$out/app" || echo "app build reported type errors (emitted anyway)" >&2
npx tsc -p scripts/chaos/tsconfig.json --outDir "$out/chaos"
