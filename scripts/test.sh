#!/usr/bin/env bash
# The full test suite: lint the hand-written crates, check the generated
# crate builds without warnings, and run every test. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

# Any warning anywhere in the workspace (generated code included) fails.
export RUSTFLAGS="${RUSTFLAGS:-} -D warnings"

echo "== rustfmt (hand-written crates)"
cargo fmt --check -p generator -p api-runtime -p openapi-sdks

echo "== clippy -D warnings (hand-written crates)"
cargo clippy --workspace --exclude api-clients --exclude api-clients-testing --all-targets -- -D warnings

echo "== docs of the generated crate and the runtime, warnings are errors"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p api-clients -p api-runtime

echo "== each feature of the generated crate builds on its own"
bash scripts/check-features.sh

echo "== test tools (tools/package.json: Prism, json-schema-faker, Ajv)"
# Installed when missing or older than the lock file; CI installs them first.
if [[ ! -f tools/node_modules/.package-lock.json || tools/package-lock.json -nt tools/node_modules/.package-lock.json ]]; then
    npm ci --prefix tools --no-audit --no-fund
fi

echo "== tests"
cargo test --workspace
