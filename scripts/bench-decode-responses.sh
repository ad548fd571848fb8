#!/usr/bin/env bash
# Decoding three real responses of the ElevenLabs document (an agent's
# configuration, a conversation with its transcript, a page of voices) into
# the generated types and into a twin whose structs derive serde's
# `Deserialize`, in one criterion run (issue #17 target 2).
#
#   bash scripts/bench-decode-responses.sh [criterion arguments]
#
# Steps:
#   1. the release generator writes two stand-alone crates of the vendored
#      document into target/bench-decode-responses/: `ours` as the committed
#      crate is generated, `derived` with `--derive-serde`;
#   2. tools/response-instances.js draws 20 valid instances of each of the
#      three response schemas (fixed seed, BENCH_DECODE_ITEMS items per list
#      where the schema allows, default 4), and the largest of each is kept;
#   3. `cargo bench` in benches/decode-responses (its own workspace, offline
#      against this workspace's lock file) checks that both crates read
#      each instance to the same JSON, then times both;
#   4. criterion's medians go to stdout as key=value lines with the ratio
#      (runtime / derive); everything else goes to stderr;
#   5. the `paired` benchmark times both crates in alternating batches
#      (201 rounds per response) and prints the median of the per-round
#      ratios with its quartiles: the figure a noisy machine moves least.
set -euo pipefail
cd "$(dirname "$0")/.."

work=target/bench-decode-responses
spec=../shared/specs/elevenlabs.yaml
seed=${BENCH_DECODE_SEED:-17}
mkdir -p "$work/instances"

echo "== generating both crates from $spec" >&2
cargo build --quiet --release -p generator
generator=${CARGO_TARGET_DIR:-target}/release/generator
"$generator" generate --spec "$spec" --out "$work/ours" --name elevenlabs >/dev/null
"$generator" generate --spec "$spec" --out "$work/derived" --name elevenlabs-derived --derive-serde >/dev/null

echo "== drawing response instances (seed $seed)" >&2
bash scripts/install-tools.sh >&2
# YAML to JSON with the js-yaml that json-schema-faker brings (3.x).
node -e 'const fs = require("fs"); const [, module, from, to] = process.argv;
    fs.writeFileSync(to, JSON.stringify(require(module).load(fs.readFileSync(from, "utf8"))));' \
    "$PWD/tools/node_modules/js-yaml" "$spec" "$work/instances/elevenlabs.json"
# The responses, by the name benches/decode-responses gives each: the
# largest of 20 valid instances of each is written to NAME.json.
responses=(
    'agent=/paths/~1v1~1convai~1agents~1{agent_id}/get/responses/200/content/application~1json/schema'
    'conversation=/paths/~1v1~1convai~1conversations~1{conversation_id}/get/responses/200/content/application~1json/schema'
    'voices=/paths/~1v2~1voices/get/responses/200/content/application~1json/schema'
)
pointers=$(printf '%s\n' "${responses[@]}" | cut -d= -f2- | paste -sd,)
RESPONSE_INSTANCES_FULL=${BENCH_DECODE_ITEMS:-4} RESPONSE_INSTANCES_ONLY="$pointers" \
    node tools/response-instances.js "$work/instances/elevenlabs.json" "$seed" 20 >"$work/instances/drawn.jsonl"
node - "$work/instances" "${responses[@]}" <<'JS'
const fs = require('fs');
const [dir, ...responses] = process.argv.slice(2);
const lines = fs.readFileSync(`${dir}/drawn.jsonl`, 'utf8').trim().split('\n').map(JSON.parse);
for (const response of responses) {
  const [name, pointer] = [response.slice(0, response.indexOf('=')), response.slice(response.indexOf('=') + 1)];
  const line = lines.find((l) => l.pointers.includes(pointer));
  const texts = (line ? line.instances : []).map((instance) => JSON.stringify(instance));
  if (texts.length === 0) {
    console.error(`no valid instance of ${pointer}`);
    process.exit(1);
  }
  const largest = texts.reduce((a, b) => (b.length > a.length ? b : a));
  fs.writeFileSync(`${dir}/${name}.json`, largest);
  console.error(`  ${name}.json: ${largest.length} bytes, the largest of ${texts.length}`);
}
JS

echo "== cargo bench" >&2
cp Cargo.lock benches/decode-responses/Cargo.lock
rm -rf "$work/target/criterion"
export CARGO_TARGET_DIR="$PWD/$work/target" DECODE_RESPONSES_DIR="$PWD/$work/instances"
cargo bench --offline --manifest-path benches/decode-responses/Cargo.toml --bench decode -- "$@" >&2

# criterion's medians, as key=value lines (microseconds) with the ratio.
node - "$work/target/criterion" "${responses[@]%%=*}" <<'JS'
const fs = require('fs');
const [dir, ...groups] = process.argv.slice(2);
const median = (group, bench) =>
  JSON.parse(fs.readFileSync(`${dir}/${group}/${bench}/new/estimates.json`, 'utf8')).median.point_estimate / 1000;
for (const group of groups) {
  const [derive, runtime] = [median(group, 'derive'), median(group, 'runtime')];
  console.log(`decode_${group}_derive_us=${derive.toFixed(1)}`);
  console.log(`decode_${group}_runtime_us=${runtime.toFixed(1)}`);
  console.log(`decode_${group}_ratio=${(runtime / derive).toFixed(2)}`);
}
JS

cargo bench --quiet --offline --manifest-path benches/decode-responses/Cargo.toml --bench paired
