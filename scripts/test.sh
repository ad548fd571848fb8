#!/usr/bin/env bash
# The full test suite: lint the hand-written crates, check the generated
# crate builds without warnings, and run every test. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

# Any warning anywhere in the workspace (generated code included) fails.
# Added once: `.ci/run` sets the same flags before its own build, so that
# the builds here reuse what it compiled.
case " ${RUSTFLAGS:-} " in
*" -D warnings "*) ;;
*) export RUSTFLAGS="${RUSTFLAGS:-} -D warnings" ;;
esac
# Every build here starts from what the generator just wrote: incremental
# state would only be written, never reused, and is most of the disk a
# per-feature check leaves behind.
export CARGO_INCREMENTAL=0

echo "== tools the tests need (tools/package.json: Prism, json-schema-faker, Ajv)"
bash scripts/install-tools.sh

echo "== rustfmt (hand-written crates)"
cargo fmt --check -p generator -p api-runtime -p openapi-sdks

echo "== clippy -D warnings (hand-written crates)"
cargo clippy --workspace --exclude api-clients --exclude api-clients-testing --all-targets -- -D warnings

echo "== each feature of the generated crate builds on its own, and the docs of"
echo "   the generated crate and the runtime build with warnings as errors"
bash scripts/check-features.sh --docs

echo "== tests"
cargo test --workspace
