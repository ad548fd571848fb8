//! `self-profile-summary <profile stem>`: the queries of a rustc
//! self-profile (`-Z self-profile -Z self-profile-events=default,args`)
//! summed by name, then the per-item queries summed by the kind of item
//! they ran for, then the most expensive single items. Durations are
//! inclusive of nested queries.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// The per-item queries worth attributing to generated code.
const PER_ITEM: [&str; 5] = [
    "typeck",
    "mir_borrowck",
    "mir_built",
    "optimized_mir",
    "check_well_formed",
];

/// Function names that say what generated item a query ran for.
const NAMED: [&str; 17] = [
    "decode",
    "deserialize",
    "serialize",
    "fmt",
    "clone",
    "eq",
    "from",
    "into_future",
    "send",
    "connect",
    "new",
    "as_str",
    "from_wire",
    "hash",
    "cmp",
    "partial_cmp",
    "from_str",
];

#[derive(Default)]
struct Total {
    time: Duration,
    count: usize,
}

impl Total {
    fn add(&mut self, time: Duration) {
        self.time += time;
        self.count += 1;
    }
}

/// `types decode`, `operations method`, ...: where the item is and what it is.
fn item_kind(path: &str) -> String {
    let module = ["types", "operations"]
        .into_iter()
        .find(|module| path.contains(&format!("::{module}::")))
        .unwrap_or("other");
    let last = path.rsplit("::").next().unwrap_or(path);
    let what = if last.ends_with("_null") {
        "null setter"
    } else if let Some(name) = NAMED.iter().find(|name| **name == last) {
        name
    } else if last.starts_with("{{impl}}") {
        "impl"
    } else if last.contains("closure") {
        "closure"
    } else if last.contains('{') {
        "other"
    } else {
        "method"
    };
    format!("{module} {what}")
}

fn print_sorted(title: &str, totals: HashMap<String, Total>, limit: usize) {
    let mut totals: Vec<_> = totals.into_iter().collect();
    totals.sort_by_key(|(_, total)| std::cmp::Reverse(total.time));
    println!("== {title}");
    for (name, total) in totals.into_iter().take(limit) {
        println!(
            "{:8.3} s {:7} {name}",
            total.time.as_secs_f64(),
            total.count
        );
    }
}

fn main() {
    let Some(stem) = std::env::args().nth(1) else {
        eprintln!("usage: self-profile-summary <profile stem, without .mm_profdata>");
        std::process::exit(2);
    };
    let data = analyzeme::ProfilingData::new(Path::new(&stem)).unwrap_or_else(|error| {
        eprintln!("{stem}: {error}");
        std::process::exit(1);
    });
    let mut queries: HashMap<String, Total> = HashMap::new();
    let mut by_query_and_kind: HashMap<String, Total> = HashMap::new();
    let mut by_kind: HashMap<String, Total> = HashMap::new();
    let mut items: Vec<(Duration, String)> = Vec::new();
    for event in data.iter_full() {
        let Some(time) = event.duration() else {
            continue;
        };
        if event.event_kind != "Query" && event.event_kind != "GenericActivity" {
            continue;
        }
        queries.entry(event.label.to_string()).or_default().add(time);
        if !PER_ITEM.contains(&&*event.label) {
            continue;
        }
        let path = event.additional_data.first().map_or("", |arg| arg);
        let kind = item_kind(path);
        by_query_and_kind
            .entry(format!("{} {kind}", event.label))
            .or_default()
            .add(time);
        by_kind.entry(kind).or_default().add(time);
        items.push((time, format!("{} {path}", event.label)));
    }
    print_sorted("queries", queries, 25);
    print_sorted("items by kind, the per-item queries together", by_kind, 20);
    print_sorted("items by query and kind", by_query_and_kind, 30);
    items.sort_by_key(|(time, _)| std::cmp::Reverse(*time));
    println!("== single items");
    for (time, item) in items.into_iter().take(15) {
        println!("{:8.4} s {item}", time.as_secs_f64());
    }
}
