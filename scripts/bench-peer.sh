#!/usr/bin/env bash
# Side-by-side measurement of another OpenAPI-to-Rust generator, installed
# from crates.io, on one OpenAPI document.
#
# Peers (pinned to the versions issue #17 names):
#   progenitor       cargo-progenitor 0.15.x (oxidecomputer), default document Tavus
#   ploidy           ploidy 0.15.x, default document ElevenLabs
#   openapi-to-rust  openapi-to-rust 0.23.x, default document ElevenLabs
# Each reads the vendored document as it is: nothing is converted or
# patched, and the vendored file is never modified.
#
# Measures:
#   - generation time (wall seconds, median of BENCH_GEN_RUNS runs of the
#     installed binary into an empty directory, its own formatting included);
#   - size of the output (lines of Rust, `wc -l`);
#   - compile time of the output as a *rebuild of the generated crate alone*
#     with CARGO_INCREMENTAL=0: dependencies are built once first, then
#     src/lib.rs is touched and `cargo build [--release]` is timed under
#     /usr/bin/time -v (wall seconds and "Maximum resident set size", the
#     peak of the largest single process, i.e. rustc), plus user+sys CPU
#     seconds, which vary less than wall time on a busy machine. Median of
#     BENCH_REBUILD_RUNS runs.
# A peer that cannot read the document, or whose output does not compile,
# is reported as such (`<peer>_status=...`, with its first error line) and
# the script exits 0: that is a result, not a failure of the benchmark.
#
# Usage: scripts/bench-peer.sh PEER [SPEC]
#
# Environment:
#   BENCH_TOOLS         install root (default: $HOME/.cache/openapi-sdks-bench)
#   BENCH_WORK          work root (default: /tmp/openapi-sdks-bench); the crate is
#                       generated into $BENCH_WORK/<peer>-<spec name>
#   BENCH_GEN_RUNS      generation repetitions (default 5)
#   BENCH_REBUILD_RUNS  rebuild repetitions per profile (default 3)
#   BENCH_NICE          command prefix for cargo/compile commands
#                       (default "nice -n 10"; set to "" to disable)
#
# Results go to stdout as key=value lines; diagnostics go to stderr.
set -euo pipefail

PEER=${1:?usage: scripts/bench-peer.sh progenitor|ploidy|openapi-to-rust [SPEC]}
log() { printf '[bench-peer %s] %s\n' "$PEER" "$*" >&2; }
die() { log "error: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SPECS=$ROOT/../shared/specs

case $PEER in
progenitor)
    PACKAGE=cargo-progenitor VERSION_REQ='~0.15' BIN_NAME=cargo-progenitor
    DEFAULT_SPEC=$SPECS/tavus.yaml ;;
ploidy)
    PACKAGE=ploidy VERSION_REQ='~0.15' BIN_NAME=ploidy
    DEFAULT_SPEC=$SPECS/elevenlabs.yaml ;;
openapi-to-rust)
    PACKAGE=openapi-to-rust VERSION_REQ='~0.23' BIN_NAME=openapi-to-rust
    DEFAULT_SPEC=$SPECS/elevenlabs.yaml ;;
*) die "unknown peer '$PEER' (progenitor, ploidy or openapi-to-rust)" ;;
esac

SPEC=${2:-$DEFAULT_SPEC}
[[ -f $SPEC ]] || die "spec not found: $SPEC"
SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
SPEC_NAME=$(basename "$SPEC"); SPEC_NAME=${SPEC_NAME%.*}

TOOLS=${BENCH_TOOLS:-$HOME/.cache/openapi-sdks-bench}
WORK_ROOT=${BENCH_WORK:-/tmp/openapi-sdks-bench}
WORK=$WORK_ROOT/$PEER-$SPEC_NAME
GEN_RUNS=${BENCH_GEN_RUNS:-5}
REBUILD_RUNS=${BENCH_REBUILD_RUNS:-3}
read -r -a NICE <<<"${BENCH_NICE-nice -n 10}"
TIME=/usr/bin/time
KEY=${PEER//-/_}

[[ -x $TIME ]] || die "$TIME not found (apt-get install time)"
command -v cargo >/dev/null || die "cargo not found"

# median of numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", b-a}'; }
report() { echo "${KEY}_$1=$2"; }

# Reports a result that ends the measurement (the peer could not go on).
stop_with() {
    report status "$1"
    report spec "$SPEC"
    exit 0
}

# ---------------------------------------------------------------- install
installed_version() {
    cargo install --list --root "$TOOLS" 2>/dev/null |
        sed -n "s/^$PACKAGE v\([0-9][^:]*\):\$/\1/p"
}

BIN=$TOOLS/bin/$BIN_NAME
VERSION=$(installed_version || true)
WANT_PREFIX=${VERSION_REQ#\~}
INSTALL_S=skipped
if [[ -x $BIN && $VERSION == "$WANT_PREFIX".* ]]; then
    log "$PACKAGE $VERSION already installed in $TOOLS"
else
    log "installing $PACKAGE $VERSION_REQ into $TOOLS"
    mkdir -p "$TOOLS" "$WORK_ROOT"
    t0=$(now)
    CARGO_TARGET_DIR=$WORK_ROOT/install-target-$PEER \
        "${NICE[@]}" cargo install --locked "$PACKAGE" --version "$VERSION_REQ" --root "$TOOLS" >&2
    t1=$(now)
    rm -rf "$WORK_ROOT/install-target-$PEER"
    INSTALL_S=$(elapsed "$t0" "$t1")
    VERSION=$(installed_version)
    log "installed $PACKAGE $VERSION in ${INSTALL_S}s"
fi
[[ -x $BIN ]] || die "$BIN_NAME binary missing: $BIN"
report version "$VERSION"
report install_s "$INSTALL_S"

# ---------------------------------------------------------------- generate
mkdir -p "$WORK"
OUT=$WORK/crate
GEN_LOG=$WORK/generate.log

# The command that generates the document into $OUT (a crate, or for
# openapi-to-rust a module tree that make_crate wraps).
case $PEER in
progenitor)
    # A cargo subcommand binary gets its subcommand name as first argument;
    # it prints the whole type space on stdout.
    GENERATE=("$BIN" progenitor -i "$SPEC" -o "$OUT" -n "progenitor-$SPEC_NAME" -v 0.1.0) ;;
ploidy)
    GENERATE=("$BIN" generate rust "$SPEC" -o "$OUT" --name "ploidy-$SPEC_NAME") ;;
openapi-to-rust)
    GENERATE=("$BIN" generate "$SPEC" --output-dir "$OUT/src/api") ;;
esac

# Wraps output that is a module rather than a crate.
make_crate() {
    if [[ $PEER == openapi-to-rust ]]; then
        {
            printf '[package]\nname = "openapi-to-rust-%s"\nversion = "0.1.0"\nedition = "2021"\n\n' "$SPEC_NAME"
            sed -n '/^\[dependencies\]/,$p' "$OUT/src/api/REQUIRED_DEPS.toml"
        } >"$OUT/Cargo.toml"
        echo 'pub mod api;' >"$OUT/src/lib.rs"
    fi
    # Never attached to an enclosing workspace if BENCH_WORK lies inside one.
    grep -q '^\[workspace\]' "$OUT/Cargo.toml" || printf '\n[workspace]\n' >>"$OUT/Cargo.toml"
}

gen_times=() rss=()
for ((i = 1; i <= GEN_RUNS; i++)); do
    rm -rf "$OUT"
    t0=$(now)
    if ! "$TIME" -f '%M' -o "$WORK/gen-rss.txt" "${GENERATE[@]}" >"$GEN_LOG" 2>&1; then
        tail -n 20 "$GEN_LOG" >&2
        # The place in the document when the peer names one, else its first error.
        # (messages wrapped over lines are joined up to the next blank one)
        first=$(awk 'NF == 0 || /-->/ {exit} {printf "%s ", $0}' "$GEN_LOG" | tr -s ' ' |
            grep -oE 'line [0-9]+ column [0-9]+: .*' || grep -m1 -iE 'error|invalid|failed' "$GEN_LOG" || true)
        first=$(cut -c1-200 <<<"$first" | sed 's/ *$//')
        stop_with "cannot read the document: ${first:-exit status non-zero} (log: $GEN_LOG)"
    fi
    t1=$(now)
    gen_times+=("$(elapsed "$t0" "$t1")")
    rss+=("$(awk '{printf "%.0f", $1/1024}' "$WORK/gen-rss.txt")")
done
GEN_S=$(median "${gen_times[@]}")
log "generation times (s): ${gen_times[*]} -> median $GEN_S"
make_crate

mapfile -t RS_FILES < <(find "$OUT/src" -name '*.rs' | sort)
LINES=$(cat "${RS_FILES[@]}" | wc -l)
report spec "$SPEC"
report spec_sha256 "$(sha256sum "$SPEC" | cut -d' ' -f1)"
report rustc_version "$(rustc --version | cut -d' ' -f2)"
report generate_s "$GEN_S"
report generate_runs "${gen_times[*]}"
report generate_rss_mb "$(median "${rss[@]}")"
report files "${#RS_FILES[@]}"
report lines "$LINES"

# ---------------------------------------------------------------- compile
export CARGO_TARGET_DIR=$WORK/target
export CARGO_INCREMENTAL=0
cd "$OUT"

log "building dependencies and the crate (debug, then release)"
if ! "${NICE[@]}" cargo build --quiet 2>"$WORK/build.log"; then
    tail -n 20 "$WORK/build.log" >&2
    first=$(grep -m1 '^error' "$WORK/build.log" | cut -c1-200 || true)
    stop_with "generated, but the output does not compile: ${first:-see $WORK/build.log}"
fi
"${NICE[@]}" cargo build --quiet --release >&2

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

for profile in debug release; do
    ts=() rs=() cs=()
    for ((i = 1; i <= REBUILD_RUNS; i++)); do
        read -r s r c < <(rebuild "$profile")
        ts+=("$s"); rs+=("$r"); cs+=("$c")
    done
    log "rebuild $profile: wall (s) ${ts[*]}; user+sys (s) ${cs[*]}; max RSS (MB) ${rs[*]}"
    report "rebuild_${profile}_s" "$(median "${ts[@]}")"
    report "rebuild_${profile}_rss_mb" "$(median "${rs[@]}")"
    report "rebuild_${profile}_cpu_s" "$(median "${cs[@]}")"
done
report status ok
report loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
report work_dir "$WORK"
