//! The source tree shows the pipeline: files do not import each other in a
//! cycle, each stage of the generator uses only the stages before it (and
//! `support`), and no source file grows past 800 lines.
//!
//! Dependencies are read from the source text: every `crate::…` and
//! `super::…` path (in `use` items and inline), resolved to the file of the
//! longest module prefix it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LINE_LIMIT: usize = 800;

/// (`main.rs`, the command line, is a crate of its own and not read.)
///
/// The generator's stages in pipeline order; a stage may use the ones
/// before it. `support` is usable by all, `pipeline` and `workflows` use
/// the stages, and `manifest` is configuration read by `pipeline`.
const STAGES: [&str; 5] = ["load", "model", "naming", "emit", "write"];

struct Tree {
    root: PathBuf,
    /// Module path (`["emit", "operations", "call"]`) of each source file.
    modules: BTreeMap<Vec<String>, PathBuf>,
}

impl Tree {
    fn read(root: &Path) -> Tree {
        let mut modules = BTreeMap::new();
        collect(root, root, &mut modules);
        Tree {
            root: root.to_owned(),
            modules,
        }
    }

    /// The file that a module path names, by its longest known prefix.
    fn resolve(&self, path: &[String]) -> Option<&Vec<String>> {
        (0..=path.len())
            .rev()
            .find_map(|len| self.modules.get_key_value(&path[..len]).map(|(k, _)| k))
    }

    /// Each file's module and the modules its paths resolve to.
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        self.modules
            .iter()
            .map(|(module, file)| {
                let text = std::fs::read_to_string(file).unwrap();

                let targets = module_paths(&strip_comments(&text), module)
                    .iter()
                    .filter_map(|path| self.resolve(path))
                    .filter(|target| *target != module)
                    .cloned()
                    .collect();
                (module.clone(), targets)
            })
            .collect()
    }

    fn display(&self, module: &[String]) -> String {
        let file = &self.modules[module];
        file.strip_prefix(&self.root).unwrap().display().to_string()
    }
}

fn collect(root: &Path, dir: &Path, modules: &mut BTreeMap<Vec<String>, PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, modules);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("src/main.rs") {
            modules.insert(module_of(root, &path), path);
        }
    }
}

fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The text that names the file's dependencies: without `//` comments (doc
/// examples name paths too), string literals (emitted code), and the unit
/// tests at the end of the file (`#[cfg(test)] mod tests`, whose `super` is
/// the file itself).
fn strip_comments(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .map(|line| {
            let line = match line.find("//") {
                Some(at) if !line[..at].contains('"') => &line[..at],
                _ => line,
            };
            without_strings(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn without_strings(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, _) => out.push(c),
        }
    }
    out
}

/// Every absolute module path written as `crate::…`, `super::…`,
/// `self::…` or `child::…` (a module the file declares with `mod child;`),
/// with `use` groups (`crate::a::{b, c::d}`) expanded.
fn module_paths(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut roots = vec![
        "crate::".to_owned(),
        "super::".to_owned(),
        "self::".to_owned(),
    ];
    roots.extend(
        child_modules(text)
            .into_iter()
            .map(|child| format!("{child}::")),
    );
    let mut paths = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let starts_word = at == 0 || !(is_ident_char(chars[at - 1]) || chars[at - 1] == ':');
        if starts_word && roots.iter().any(|root| starts_with(&chars, at, root)) {
            let (relative, end) = parse_path(&chars, at);
            // A lone root (`crate::#module` in `quote!`) names nothing here.
            for path in relative.into_iter().filter(|path| path.len() > 1) {
                paths.extend(absolute(&path, module));
            }
            at = end.max(at + 1);
        } else {
            at += 1;
        }
    }
    paths
}

/// The modules declared as `mod name;` (with any visibility).
fn child_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_suffix(';')?;
            let name = rest.rsplit_once("mod ")?.1;
            let before = &rest[..rest.len() - name.len() - 4];
            let visibility = before.trim();
            (visibility.is_empty() || visibility.starts_with("pub")).then(|| name.trim().to_owned())
        })
        .collect()
}

fn absolute(path: &[String], module: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().map(String::as_str) == Some("super") {
        base.pop()?;
        rest = &rest[1..];
    }
    base.extend(rest.iter().filter(|s| *s != "*" && *s != "self").cloned());
    Some(base)
}

/// Parses `a::b::{c, d::e}` from `at`; returns the paths and where it ends.
fn parse_path(chars: &[char], mut at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let start = at;
        while at < chars.len() && (is_ident_char(chars[at]) || chars[at] == '*') {
            at += 1;
        }
        if at > start {
            prefix.push(chars[start..at].iter().collect::<String>());
        }
        if starts_with(chars, at, "::") {
            at += 2;
            if chars.get(at) == Some(&'{') {
                return parse_group(chars, at + 1, &prefix);
            }
        } else {
            return (vec![prefix], at);
        }
    }
}

fn parse_group(chars: &[char], mut at: usize, prefix: &[String]) -> (Vec<Vec<String>>, usize) {
    let mut paths = Vec::new();
    loop {
        while at < chars.len() && (chars[at].is_whitespace() || chars[at] == ',') {
            at += 1;
        }
        match chars.get(at) {
            None => return (paths, at),
            Some('}') => return (paths, at + 1),
            _ => {}
        }
        let (inner, end) = parse_path(chars, at);
        for path in inner {
            paths.push(prefix.iter().cloned().chain(path).collect());
        }
        at = skip_to_separator(chars, end);
    }
}

/// Skips `as name` after a group item.
fn skip_to_separator(chars: &[char], mut at: usize) -> usize {
    while at < chars.len() && chars[at] != ',' && chars[at] != '}' {
        at += 1;
    }
    at
}

fn starts_with(chars: &[char], at: usize, text: &str) -> bool {
    text.chars()
        .enumerate()
        .all(|(i, c)| chars.get(at + i) == Some(&c))
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A cycle in the graph, as modules in order, if there is one.
fn find_cycle(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<Vec<String>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, State>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        match state.get(node) {
            Some(State::Done) => return None,
            Some(State::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node.clone(), State::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node.clone(), State::Done);
        None
    }
    let mut state = BTreeMap::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut state, &mut Vec::new()))
}

fn source_root(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

fn assert_no_cycles(krate: &str) {
    let tree = Tree::read(&source_root(krate));
    let mut edges = tree.edges();
    let mut cycles = Vec::new();
    // Every cycle, each reported once: drop its last edge and look again.
    while let Some(cycle) = find_cycle(&edges) {
        let files: Vec<String> = cycle.iter().map(|m| tree.display(m)).collect();
        cycles.push(files.join(" -> "));
        let (from, to) = (&cycle[cycle.len() - 2], &cycle[cycle.len() - 1]);
        edges.get_mut(from).unwrap().remove(to);
    }
    assert!(
        cycles.is_empty(),
        "{krate}: files import each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn generator_files_do_not_import_each_other_in_a_cycle() {
    assert_no_cycles("generator");
}

#[test]
fn runtime_files_do_not_import_each_other_in_a_cycle() {
    assert_no_cycles("runtime");
}

/// Every `from uses target` where `allowed(from, target)` is false.
fn violations(tree: &Tree, allowed: impl Fn(&[String], &[String]) -> bool) -> Vec<String> {
    let mut wrong = Vec::new();
    for (from, targets) in tree.edges() {
        for target in targets.iter().filter(|target| !allowed(&from, target)) {
            wrong.push(format!(
                "{} uses {}",
                tree.display(&from),
                tree.display(target)
            ));
        }
    }
    wrong
}

fn top(module: &[String]) -> &str {
    module.first().map(String::as_str).unwrap_or_default()
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let tree = Tree::read(&source_root("generator"));
    let rank = |module: &[String]| STAGES.iter().position(|stage| top(module) == *stage);
    let wrong = violations(&tree, |from, target| match (rank(from), rank(target)) {
        (None, _) => true,
        (Some(from_rank), Some(target_rank)) => target_rank <= from_rank,
        (Some(_), None) => top(target) == "support",
    });
    assert!(
        wrong.is_empty(),
        "a stage uses a later one:\n{}",
        wrong.join("\n")
    );
}

/// What each folder of the runtime may use besides itself: the types of
/// generated code stand alone, requests and responses build on them, and
/// only `http` sends.
const RUNTIME_LAYERS: [(&str, &[&str]); 5] = [
    ("types", &["error"]),
    ("request", &["types", "error"]),
    ("response", &["types", "error"]),
    ("http", &["request", "response", "types", "error"]),
    (
        "realtime",
        &["http", "request", "response", "types", "error"],
    ),
];

#[test]
fn runtime_layers_use_only_the_layers_below() {
    let tree = Tree::read(&source_root("runtime"));
    let wrong = violations(&tree, |from, target| {
        let layer = RUNTIME_LAYERS.iter().find(|(layer, _)| *layer == top(from));
        match layer {
            None => true,
            Some((_, allowed)) => top(target) == top(from) || allowed.contains(&top(target)),
        }
    });
    assert!(
        wrong.is_empty(),
        "a runtime layer uses one above it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_over_the_line_limit() {
    let mut long = Vec::new();
    for krate in ["generator", "runtime"] {
        let tree = Tree::read(&source_root(krate));
        for file in tree.modules.values() {
            let lines = std::fs::read_to_string(file).unwrap().lines().count();
            if lines > LINE_LIMIT {
                long.push(format!(
                    "{krate}/src/{}: {lines}",
                    tree.display(&module_of(&tree.root, file))
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "files over {LINE_LIMIT} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn paths_resolve_to_the_files_they_name() {
    let here = vec!["emit".to_owned(), "operations".to_owned()];
    let paths = module_paths(
        "use super::{cfg_attr, docs::doc_lines}; use crate::model::ir::*; x = super::super::naming::Names;",
        &here,
    );
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        shown,
        [
            "emit::cfg_attr",
            "emit::docs::doc_lines",
            "model::ir",
            "naming::Names"
        ]
    );
    let leaf = vec!["emit".to_owned(), "types".to_owned()];
    let shown: Vec<String> = module_paths("use super::*;", &leaf)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(shown, ["emit"]);
}

#[test]
fn a_cycle_is_found() {
    let module = |name: &str| vec![name.to_owned()];
    let edges = BTreeMap::from([
        (module("a"), BTreeSet::from([module("b")])),
        (module("b"), BTreeSet::from([module("c")])),
        (module("c"), BTreeSet::from([module("a")])),
    ]);
    assert_eq!(find_cycle(&edges).map(|c| c.len()), Some(4));
    let acyclic = BTreeMap::from([
        (module("a"), BTreeSet::from([module("b")])),
        (module("b"), BTreeSet::new()),
    ]);
    assert_eq!(find_cycle(&acyclic), None);
}
