#!/usr/bin/env bash
# Checks that every Cargo feature of the generated crate compiles on its own
# (default features off), and with none at all. Two lanes run side by side,
# each with its own target directory (cargo locks one per build). Prints the
# time of each check.
#
# With --docs, the first lane first builds the documentation of the
# generated crate and the runtime with warnings as errors, on the dependency
# metadata already in the main target directory, while the second lane
# compiles that metadata into its own; the two largest features then swap
# lanes, so that the second one takes the largest.
set -euo pipefail
cd "$(dirname "$0")/.."

docs=false
[[ ${1:-} == --docs ]] && docs=true

# Feature names, from the `[features]` table of the generated manifest. The
# two largest (all of ElevenLabs, and its conversational-ai group) come first
# so that they land in different lanes.
features=$(sed -n '/^\[features\]/,/^\[/p' generated/Cargo.toml |
    sed -n 's/^\([a-z0-9-]*\) = \[.*/\1/p' | grep -v '^default$' |
    awk '{ rank = ($0 == "elevenlabs") ? 0 : ($0 == "elevenlabs-conversational-ai" ? 1 : 2); print rank, $0 }' |
    sort -k1,1n -k2 | cut -d' ' -f2)

target=${CARGO_TARGET_DIR:-target}

check() {
    local start=$SECONDS
    cargo check --quiet -p api-clients --no-default-features "$@"
    echo "  ${*:-(no features)}: $((SECONDS - start)) s"
}

docs() {
    local start=$SECONDS
    RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" cargo doc --quiet --no-deps -p api-clients -p api-runtime
    echo "  docs of api-clients and api-runtime: $((SECONDS - start)) s"
}

# The lane (0 or 1) of the feature at `index` in the list.
lane_of() {
    local index=$1
    if $docs && ((index < 2)); then
        echo $(((index + 1) % 2))
    else
        echo $((index % 2))
    fi
}

lane() {
    local lane=$1 index=0
    export CARGO_TARGET_DIR=$2
    if [[ $lane == 0 ]]; then
        if $docs; then docs; fi
        check
    fi
    for feature in $features; do
        if (($(lane_of "$index") == lane)); then
            check --features "$feature"
        fi
        index=$((index + 1))
    done
}

lane 0 "$target" &
first=$!
lane 1 "$target/features-lane" &
second=$!
status=0
wait "$first" || status=1
wait "$second" || status=1
# The second lane's directory and each feature's metadata of the generated
# crate are used by nothing after this check.
rm -rf "$target/features-lane"
rm -f "$target"/debug/deps/libapi_clients-*.rmeta "$target"/debug/deps/api_clients-*.d
exit "$status"
