#!/usr/bin/env bash
# Installs the npm tools of tools/package.json (Prism, json-schema-faker,
# Ajv) with `npm ci`, only when the installed tree is not the one
# the lock file names. Used by scripts/test.sh and the decoding benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cmp -s tools/package-lock.json tools/node_modules/.installed-from-lock 2>/dev/null; then
    npm ci --prefix tools --no-audit --no-fund
    cp tools/package-lock.json tools/node_modules/.installed-from-lock
fi
