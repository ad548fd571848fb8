//! The event-stream parser is linear in the line length (issue #13): one
//! `data:` line of 1, 2, 4 and 8 MiB, arriving in 16 KiB chunks as from a
//! network, should take time in proportion (the parser it replaced took
//! 0.5, 1.5, 5.9 and 23.8 s).

use api_runtime::sse::SseParser;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

const MIB: usize = 1024 * 1024;
const CHUNK: usize = 16 * 1024;

fn one_long_event(size: usize) -> Vec<u8> {
    let mut body = b"data: ".to_vec();
    body.resize(size, b'x');
    body.extend_from_slice(b"\n\n");
    body
}

fn parse(body: &[u8]) -> usize {
    let mut parser = SseParser::new(16 * MIB);
    let mut total = 0;
    for chunk in body.chunks(CHUNK) {
        parser.push(chunk).expect("under the limit");
        while let Some(event) = parser.next_event() {
            total += event.len();
        }
    }
    total
}

fn long_lines(c: &mut Criterion) {
    let mut group = c.benchmark_group("sse_one_line");
    group.sample_size(10);
    for mib in [1, 2, 4, 8] {
        let body = one_long_event(mib * MIB);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{mib}MiB")),
            &body,
            |b, body| b.iter(|| parse(black_box(body))),
        );
    }
    group.finish();
}

criterion_group!(benches, long_lines);
criterion_main!(benches);
