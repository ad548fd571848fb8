#!/usr/bin/env bash
# Side-by-side measurement of oxidecomputer's progenitor (cargo-progenitor 0.15.x
# from crates.io) on an OpenAPI document (default: the vendored Tavus spec).
#
# Measures:
#   - generation time (wall seconds, median of BENCH_GEN_RUNS runs of the
#     installed cargo-progenitor binary, including its rustfmt pass);
#   - size of the output (lines of Rust under src/, `wc -l`);
#   - compile time of the output as a *rebuild of the generated crate alone*
#     with CARGO_INCREMENTAL=0: dependencies are built once first, then
#     src/lib.rs is touched and `cargo build [--release]` is timed under
#     /usr/bin/time -v (wall seconds and "Maximum resident set size", which
#     is the peak of the largest single process, i.e. rustc), plus user+sys
#     CPU seconds, which vary less than wall time on a busy machine. Median
#     of BENCH_REBUILD_RUNS runs.
#
# Usage: scripts/bench-progenitor.sh [SPEC]   (default: ../shared/specs/tavus.yaml
#        relative to the repository root)
#
# Environment:
#   BENCH_TOOLS         install root for cargo-progenitor
#                       (default: $HOME/.cache/openapi-sdks-bench)
#   BENCH_WORK          work root (default: /tmp/openapi-sdks-bench); the crate is
#                       generated into $BENCH_WORK/progenitor-<spec name>
#   BENCH_GEN_RUNS      generation repetitions (default 5)
#   BENCH_REBUILD_RUNS  rebuild repetitions per profile (default 3)
#   BENCH_NICE          command prefix for cargo/compile commands
#                       (default "nice -n 10"; set to "" to disable)
#
# Results go to stdout as key=value lines; diagnostics go to stderr.
#
# Notes:
#   - progenitor 0.15 reads OpenAPI 3.0.x through the `openapiv3` crate; the
#     Tavus document is 3.0.3, so it is fed as is (no down-conversion, the
#     vendored file is never modified).
#   - cargo-progenitor writes a standalone crate (Cargo.toml + src/lib.rs);
#     an empty [workspace] table is appended to that Cargo.toml so the crate
#     never gets attached to an enclosing workspace if BENCH_WORK lies inside one.
#   - The release build of cargo-progenitor defaults to --include-client=false,
#     so the generated crate depends on progenitor-client from crates.io.
set -euo pipefail

log() { printf '[bench-progenitor] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

SPEC=${1:-"$ROOT/../shared/specs/tavus.yaml"}
[[ -f $SPEC ]] || die "spec not found: $SPEC"
SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
SPEC_NAME=$(basename "$SPEC"); SPEC_NAME=${SPEC_NAME%.*}

TOOLS=${BENCH_TOOLS:-$HOME/.cache/openapi-sdks-bench}
WORK_ROOT=${BENCH_WORK:-/tmp/openapi-sdks-bench}
WORK=$WORK_ROOT/progenitor-$SPEC_NAME
GEN_RUNS=${BENCH_GEN_RUNS:-5}
REBUILD_RUNS=${BENCH_REBUILD_RUNS:-3}
read -r -a NICE <<<"${BENCH_NICE-nice -n 10}"
PROGENITOR_REQ='~0.15'
TIME=/usr/bin/time

[[ -x $TIME ]] || die "$TIME not found (apt-get install time)"
command -v cargo >/dev/null || die "cargo not found"
command -v rustfmt >/dev/null || die "rustfmt not found (cargo-progenitor formats its output with it)"

# median of numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", b-a}'; }

# ---------------------------------------------------------------- install
installed_version() {
    cargo install --list --root "$TOOLS" 2>/dev/null |
        sed -n 's/^cargo-progenitor v\([0-9][^:]*\):$/\1/p'
}

BIN=$TOOLS/bin/cargo-progenitor
VERSION=$(installed_version || true)
INSTALL_S=skipped
if [[ -x $BIN && $VERSION == 0.15.* ]]; then
    log "cargo-progenitor $VERSION already installed in $TOOLS"
else
    log "installing cargo-progenitor $PROGENITOR_REQ into $TOOLS"
    mkdir -p "$TOOLS" "$WORK_ROOT"
    t0=$(now)
    CARGO_TARGET_DIR=$WORK_ROOT/install-target \
        "${NICE[@]}" cargo install --locked cargo-progenitor --version "$PROGENITOR_REQ" --root "$TOOLS" >&2
    t1=$(now)
    rm -rf "$WORK_ROOT/install-target"
    INSTALL_S=$(elapsed "$t0" "$t1")
    VERSION=$(installed_version)
    log "installed cargo-progenitor $VERSION in ${INSTALL_S}s"
fi
[[ -x $BIN ]] || die "cargo-progenitor binary missing: $BIN"

# ---------------------------------------------------------------- generate
mkdir -p "$WORK"
OUT=$WORK/crate
GEN_LOG=$WORK/generate.log
gen_times=()
for ((i = 1; i <= GEN_RUNS; i++)); do
    rm -rf "$OUT"
    t0=$(now)
    # A cargo subcommand binary gets its subcommand name as first argument.
    # It prints the whole type space on stdout: keep that in the log.
    if ! "$BIN" progenitor -i "$SPEC" -o "$OUT" -n "progenitor-$SPEC_NAME" -v 0.1.0 >"$GEN_LOG" 2>&1; then
        tail -n 40 "$GEN_LOG" >&2
        die "cargo-progenitor failed on $SPEC (full log: $GEN_LOG)"
    fi
    t1=$(now)
    gen_times+=("$(elapsed "$t0" "$t1")")
done
GEN_S=$(median "${gen_times[@]}")
log "generation times (s): ${gen_times[*]} -> median $GEN_S"
TYPES=$(grep -cE '^ *[0-9]+  ' "$GEN_LOG" || true)

grep -q '^\[workspace\]' "$OUT/Cargo.toml" || printf '\n[workspace]\n' >>"$OUT/Cargo.toml"

mapfile -t RS_FILES < <(find "$OUT/src" -name '*.rs' | sort)
LINES=$(cat "${RS_FILES[@]}" | wc -l)
BYTES=$(cat "${RS_FILES[@]}" | wc -c)
log "generated ${#RS_FILES[@]} .rs file(s): ${RS_FILES[*]#"$OUT/"}"

# ---------------------------------------------------------------- compile
export CARGO_TARGET_DIR=$WORK/target
export CARGO_INCREMENTAL=0
cd "$OUT"

log "building dependencies (debug, then release)"
"${NICE[@]}" cargo build --quiet >&2
"${NICE[@]}" cargo build --quiet --release >&2
WARNINGS=$(touch src/lib.rs && "${NICE[@]}" cargo build --message-format=short 2>&1 | grep -c '^src/.*: warning' || true)

# wall clock "h:mm:ss" or "m:ss.ss" -> seconds
wall_to_s() { awk -F: '{s=0; for (i=1; i<=NF; i++) s=s*60+$i; printf "%.2f\n", s}'; }

rebuild() { # $1 = debug|release ; prints "wall_s rss_mb cpu_s"
    local profile=$1 args=() tv=$WORK/time-$1.txt
    [[ $profile == release ]] && args=(--release)
    touch src/lib.rs
    "$TIME" -v -o "$tv" "${NICE[@]}" cargo build --quiet "${args[@]}" >&2
    local wall rss cpu
    wall=$(sed -n 's/^.*Elapsed (wall clock) time.*: //p' "$tv" | wall_to_s)
    rss=$(sed -n 's/^.*Maximum resident set size (kbytes): //p' "$tv")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s+=$2} END {printf "%.2f", s}' "$tv")
    printf '%s %s %s\n' "$wall" "$(awk -v k="$rss" 'BEGIN {printf "%.0f", k/1024}')" "$cpu"
}

declare -A REB_S REB_RSS REB_CPU
for profile in debug release; do
    ts=() rs=() cs=()
    for ((i = 1; i <= REBUILD_RUNS; i++)); do
        out=$(rebuild "$profile")
        read -r s r c <<<"$out"
        ts+=("$s"); rs+=("$r"); cs+=("$c")
    done
    REB_S[$profile]=$(median "${ts[@]}")
    REB_RSS[$profile]=$(median "${rs[@]}")
    REB_CPU[$profile]=$(median "${cs[@]}")
    log "rebuild $profile: wall (s) ${ts[*]} -> ${REB_S[$profile]}; user+sys (s) ${cs[*]} -> ${REB_CPU[$profile]}; max RSS (MB) ${rs[*]} -> ${REB_RSS[$profile]}"
done

# ---------------------------------------------------------------- report
echo "progenitor_version=$VERSION"
echo "progenitor_install_s=$INSTALL_S"
echo "spec=$SPEC"
echo "spec_sha256=$(sha256sum "$SPEC" | cut -d' ' -f1)"
echo "rustc_version=$(rustc --version | cut -d' ' -f2)"
echo "progenitor_generate_s=$GEN_S"
echo "progenitor_generate_runs=${gen_times[*]}"
echo "progenitor_types=$TYPES"
echo "progenitor_files=${#RS_FILES[@]}"
echo "progenitor_lines=$LINES"
echo "progenitor_bytes=$BYTES"
echo "progenitor_warnings=$WARNINGS"
echo "progenitor_rebuild_debug_s=${REB_S[debug]}"
echo "progenitor_rebuild_debug_rss_mb=${REB_RSS[debug]}"
echo "progenitor_rebuild_debug_cpu_s=${REB_CPU[debug]}"
echo "progenitor_rebuild_release_s=${REB_S[release]}"
echo "progenitor_rebuild_release_rss_mb=${REB_RSS[release]}"
echo "progenitor_rebuild_release_cpu_s=${REB_CPU[release]}"
echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "work_dir=$WORK"
