#!/usr/bin/env bash
# Checks `generator diff` against an independent tool (#19): generates the
# crate from two real ElevenLabs versions (the project's overlays on both
# sides, Tavus and the AsyncAPI documents as vendored), runs
# cargo-semver-checks on the pair and `generator diff` on the same
# documents, and matches the tool's findings to the diff's changes
# (scripts/semver_compare.py). Prints the figures and every difference;
# docs/DESIGN.md, "Checked against cargo-semver-checks", records the last run.
#
#   scripts/semver-check.sh                  # 2026-05-01 -> 07-18 and 07-18 -> current
#   scripts/semver-check.sh OLD:NEW ...      # other pairs of documents
#
# Slow (about 3 minutes a pair on 2 cores: two rustdoc builds of the whole
# crate) and not part of `cargo test`. Needs ../shared/specs and network
# access to crates.io the first time (to install the tool). The JSON of the
# figures goes to $SEMVER_JSON when set; $SEMVER_KEEP keeps the crates and
# both tools' output, and $SEMVER_REUSE matches such a kept run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tool's version is pinned: its lints, and so the figures, change with it.
SEMVER_CHECKS_VERSION=0.51.0
if [[ "$(cargo semver-checks --version 2>/dev/null)" != "cargo-semver-checks $SEMVER_CHECKS_VERSION" ]]; then
    cargo install --locked --version "$SEMVER_CHECKS_VERSION" cargo-semver-checks
fi

target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet -p generator

history=../shared/specs/history
pairs=("$@")
if ((${#pairs[@]} == 0)); then
    pairs=(
        "$history/elevenlabs-2026-05-01.json:$history/elevenlabs-2026-07-18.json"
        "$history/elevenlabs-2026-07-18.json:../shared/specs/elevenlabs.yaml"
    )
fi

args=(--generator "$target/release/generator" --target-dir "$target/semver-checks")
[[ -n "${SEMVER_JSON:-}" ]] && args+=(--json "$SEMVER_JSON")
[[ -n "${SEMVER_KEEP:-}" ]] && args+=(--keep "$SEMVER_KEEP")
[[ -n "${SEMVER_REUSE:-}" ]] && args+=(--reuse "$SEMVER_REUSE")
exec python3 scripts/semver_compare.py "${args[@]}" "${pairs[@]}"
