#!/usr/bin/env bash
# Builds the GraphiQL page's assets into src/EventStore.Api/wwwroot/graphiql (committed: the app and its Docker image
# serve them as they are, and no browser ever loads anything from a CDN). Run it after changing a version in
# eng/graphiql/package.json or a file in eng/graphiql/src; it needs npm (the registry) and nothing else.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
OUT=../../src/EventStore.Api/wwwroot/graphiql

npm ci --no-audit --no-fund
rm -rf "$OUT"
mkdir -p "$OUT"

# The page (ESM with code splitting; fonts as files) and Monaco's three workers as separate entry points, all in one
# folder so that relative URLs hold when the styles are joined below.
npx esbuild src/index.jsx \
  monaco-editor/esm/vs/editor/editor.worker.js \
  monaco-editor/esm/vs/language/json/json.worker.js \
  monaco-graphql/esm/graphql.worker.js \
  --bundle --format=esm --splitting --minify --target=es2022 \
  --outdir="$OUT" --entry-names='[name]' --chunk-names='[name]-[hash]' --asset-names='[name]-[hash]' \
  --loader:.ttf=file --loader:.woff2=file --loader:.woff=file \
  --define:process.env.NODE_ENV='"production"' --log-level=warning --legal-comments=none

# esbuild writes the styles that lazily loaded chunks import (Monaco's) beside them but never loads them: join every
# stylesheet into the one the page links.
styles=$(mktemp)
cat "$OUT/index.css" > "$styles"
for css in "$OUT"/*.css; do [ "$css" = "$OUT/index.css" ] || cat "$css" >> "$styles"; done
find "$OUT" -name '*.css' -delete
mv "$styles" "$OUT/graphiql.css"
chmod 644 "$OUT/graphiql.css"
rm -f "$OUT"/*.map

du -sh "$OUT"
