#!/usr/bin/env bash
# The figures of docs/PERFORMANCE.md, in one run: generation time and memory
# of the release generator, compile times of the generated crate (all
# features and single features, debug and release), the no-op build, and
# decoding against serde's derive (three real responses,
# scripts/bench-decode-responses.sh, and the runtime's decode bench), and
# the peers beside ours (scripts/bench-peer.sh): progenitor on the Tavus
# document, ploidy and openapi-to-rust on the ElevenLabs document, with the
# ratios of their generation and compile times to ours.
#
# Compile times are rebuilds of the generated crate alone: dependencies are
# built first, then `generated/src/lib.rs` is touched and the crate rebuilt
# with CARGO_INCREMENTAL=0 under /usr/bin/time (wall seconds, and the peak
# resident memory of the largest process, rustc). Median of BENCH_RUNS runs.
#
# Usage: scripts/bench.sh            (from anywhere; takes 15-25 minutes)
# Environment: BENCH_TARGET (target directory, default target/bench),
#              BENCH_RUNS (compile runs, default 3), BENCH_GEN_RUNS (generation
#              runs, default 5), BENCH_SKIP_PEERS=1 to skip the peers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export CARGO_TARGET_DIR=${BENCH_TARGET:-$ROOT/target/bench}
RUNS=${BENCH_RUNS:-3}
GEN_RUNS=${BENCH_GEN_RUNS:-5}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "$TIME not found (apt-get install time)" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { printf '%-58s %s\n' "$1" "$2"; }
# Our figures by name, for the ratios to the peers' at the end.
declare -A OURS

# Runs a command GEN_RUNS times under /usr/bin/time; prints "median_s peak_mb".
timed() {
    local walls=() rss=() log
    log=$(mktemp)
    for _ in $(seq "$GEN_RUNS"); do
        "$@" >/dev/null 2>"$log.err" || { cat "$log.err" >&2; exit 1; }
        $TIME -f '%e %M' -o "$log" "$@" >/dev/null 2>>"$log.err" || true
        read -r wall kb <"$log"
        walls+=("$wall")
        rss+=("$((kb / 1024))")
    done
    rm -f "$log" "$log.err"
    echo "$(median "${walls[@]}") $(median "${rss[@]}")"
}

# One timed rebuild of the generated crate: touch, then build.
rebuild() {
    touch generated/src/lib.rs
    CARGO_INCREMENTAL=0 $TIME -f '%e %M' -o "$BENCH_LOG" cargo build --quiet -p api-clients "$@"
}

# Median over RUNS rebuilds; prints "median_s peak_mb".
rebuild_figures() {
    local walls=() rss=()
    cargo build --quiet -p api-clients "$@"
    for _ in $(seq "$RUNS"); do
        rebuild "$@"
        read -r wall kb <"$BENCH_LOG"
        walls+=("$wall")
        rss+=("$((kb / 1024))")
    done
    echo "$(median "${walls[@]}") $(median "${rss[@]}")"
}
BENCH_LOG=$(mktemp)
trap 'rm -f "$BENCH_LOG"' EXIT

echo "# machine: $(nproc) cores, $(rustc --version)"
echo
echo "## generation (release binary, whole crate: load, overlays, model, emit, format, compare/write)"
cargo build --quiet --release -p generator
GEN=$CARGO_TARGET_DIR/release/generator
read -r s mb < <(timed bash -c "rm -rf '$CARGO_TARGET_DIR/generator' && '$GEN' generate")
report "both APIs (manifest, overlays; up to date), no rustfmt cache" "$s s, $mb MB"
read -r s mb < <(timed "$GEN" generate)
report "both APIs, rustfmt cache of the previous run" "$s s, $mb MB"
for api in elevenlabs tavus; do
    out=$CARGO_TARGET_DIR/gen-$api
    read -r s mb < <(timed bash -c "rm -rf '$out' && '$GEN' generate --spec ../shared/specs/$api.yaml --out '$out'")
    report "$api alone (stand-alone crate, every file written)" "$s s, $mb MB"
    OURS[generate_$api]=$s
done

echo
echo "## compile time of generated/ (rebuild of the crate alone, CARGO_INCREMENTAL=0)"
lines=$(find generated/src -name '*.rs' -print0 | xargs -0 cat | wc -l)
report "lines of Rust in generated/src" "$lines"
for profile in dev release; do
    flag=(); [[ $profile == release ]] && flag=(--release)
    read -r s mb < <(rebuild_figures "${flag[@]}" --all-features)
    report "all features, $profile" "$s s, $mb MB"
done
for feature in tavus elevenlabs elevenlabs-text-to-speech elevenlabs-voices elevenlabs-conversational-ai; do
    read -r s mb < <(rebuild_figures --no-default-features --features "$feature")
    report "--features $feature, dev" "$s s, $mb MB"
    OURS[debug_$feature]=$s
done
for api in tavus elevenlabs; do
    read -r s mb < <(rebuild_figures --release --no-default-features --features "$api")
    report "--features $api, release" "$s s, $mb MB"
    OURS[release_$api]=$s
done

echo
echo "## no-op build of the workspace root (build.rs must not run)"
cargo build --quiet
start=$(date +%s.%N)
out=$(cargo build -vv 2>&1)
end=$(date +%s.%N)
report "second cargo build" "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f s", b-a}')"
if grep -q 'Running `.*build-script-build' <<<"$out"; then
    report "build script" "RAN (not a no-op)"
else
    report "build script" "not run (Fresh)"
fi

echo
echo "## decoding three real responses, ours / serde's derive (scripts/bench-decode-responses.sh)"
while IFS='=' read -r key value; do
    report "$key" "$value"
done < <(bash scripts/bench-decode-responses.sh --warm-up-time 1 --measurement-time 3 2>/dev/null)
echo
echo "## decoding 200 voice-like objects, ours / serde's derive in paired rounds (cargo bench -p api-runtime --bench decode)"
while IFS='=' read -r key value; do
    report "$key" "$value"
done < <(cargo bench --quiet -p api-runtime --bench decode -- --warm-up-time 1 --measurement-time 3 2>/dev/null | grep '^paired_')

if [[ ${BENCH_SKIP_PEERS:-} != 1 ]]; then
    echo
    echo "## peers (scripts/bench-peer.sh; ratio = peer / ours, above 1 ours is faster)"
    ratio() { awk -v p="$1" -v o="$2" 'BEGIN {if (p == "" || o == "" || o == 0) print "n/a"; else printf "%.2fx", p / o}'; }
    for run in "progenitor tavus" "ploidy elevenlabs" "openapi-to-rust elevenlabs" "ploidy tavus"; do
        read -r peer api <<<"$run"
        key=${peer//-/_}
        results=$(BENCH_NICE="" BENCH_REBUILD_RUNS=$RUNS BENCH_GEN_RUNS=$GEN_RUNS \
            bash scripts/bench-peer.sh "$peer" "../shared/specs/$api.yaml")
        value() { sed -n "s/^${key}_$1=//p" <<<"$results"; }
        status=$(value status)
        echo "### $peer $(value version) on $api"
        if [[ $status != ok ]]; then
            report "status" "$status"
            continue
        fi
        report "generation (ours: $api alone)" "$(value generate_s) s, $(value generate_rss_mb) MB; ratio $(ratio "$(value generate_s)" "${OURS[generate_$api]}")"
        report "lines of Rust" "$(value lines)"
        report "rebuild, debug (ours: --features $api)" "$(value rebuild_debug_s) s, $(value rebuild_debug_rss_mb) MB; ratio $(ratio "$(value rebuild_debug_s)" "${OURS[debug_$api]}")"
        report "rebuild, release (ours: --features $api)" "$(value rebuild_release_s) s, $(value rebuild_release_rss_mb) MB; ratio $(ratio "$(value rebuild_release_s)" "${OURS[release_$api]}")"
    done
fi
