//! The module graph has no cycle: data flows one way (content → sections →
//! index → query stages → hits → JSON). This test reads `src/`, finds which
//! modules each file names (`crate::x`, `super::x`, `use crate::{x, y}`)
//! and fails on a cycle between top-level modules, or between the files of
//! one folder, naming the modules in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`search::query`) of every `.rs` file under `src/`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == ["lib"] || parts == ["main"] || parts.is_empty() {
            continue;
        }
        out.insert(parts.join("::"), path.to_path_buf());
    }
    out
}

/// Code without comments (line comments and doc comments), which may name
/// modules without using them.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file refers to, resolved against `known` modules
/// (the longest known prefix wins).
fn references(module: &str, code: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent: Vec<&str> = {
        let mut parts: Vec<&str> = module.split("::").collect();
        parts.pop();
        parts
    };
    let mut paths: Vec<Vec<String>> = Vec::new();
    let bytes = code.as_bytes();
    for (anchor, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
        let mut from = 0;
        while let Some(at) = code[from..].find(anchor) {
            let start = from + at + anchor.len();
            from = start;
            let before = code[..start - anchor.len()].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if bytes.get(start) == Some(&b'{') {
                // `use crate::{a, b::c, d::{e, f}}`: the first segment of each.
                let end = code[start..].find(';').map_or(code.len(), |e| start + e);
                let group = &code[start + 1..end];
                let mut depth = 0;
                let mut item = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            paths.push(prefixed(&base, &item));
                            item.clear();
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        item.push(c);
                    }
                }
                paths.push(prefixed(&base, &item));
            } else {
                let tail: String = code[start..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                paths.push(prefixed(&base, &tail));
            }
        }
    }
    for path in paths {
        for len in (1..=path.len()).rev() {
            let candidate = path[..len].join("::");
            if known.contains_key(&candidate) {
                if candidate != module {
                    out.insert(candidate);
                }
                break;
            }
        }
    }
    out
}

fn prefixed(base: &[&str], tail: &str) -> Vec<String> {
    let mut out: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    out.extend(
        tail.trim()
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "self")
            .map(str::to_string),
    );
    out
}

/// A cycle in `graph`, if there is one, as the list of its nodes.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                0 => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

/// Edges between modules, grouped by `group` (both ends mapped by it; edges
/// inside one group dropped).
fn graph_by(
    edges: &[(String, String)],
    group: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges {
        if let (Some(a), Some(b)) = (group(from), group(to)) {
            if a != b {
                graph.entry(a).or_default().insert(b);
            }
        }
    }
    graph
}

fn edges() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    let mut edges = Vec::new();
    for (module, path) in &known {
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        for target in references(module, &code, &known) {
            edges.push((module.clone(), target));
        }
    }
    assert!(edges.len() > 20, "too few references found: {edges:?}");
    edges
}

#[test]
fn top_level_modules_form_no_cycle() {
    let edges = edges();
    let top = |m: &str| Some(m.split("::").next().unwrap().to_string());
    let graph = graph_by(&edges, top);
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle between top-level modules: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn files_of_one_folder_form_no_cycle() {
    let edges = edges();
    let folders: BTreeSet<String> = edges
        .iter()
        .filter_map(|(m, _)| m.rsplit_once("::").map(|(folder, _)| folder.to_string()))
        .collect();
    for folder in folders {
        let prefix = format!("{folder}::");
        let sibling = |m: &str| {
            m.strip_prefix(&prefix)
                .map(|rest| format!("{prefix}{}", rest.split("::").next().unwrap()))
        };
        if let Some(cycle) = find_cycle(&graph_by(&edges, sibling)) {
            panic!("import cycle in {folder}/: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn indexing_does_not_depend_on_searching() {
    for (from, to) in edges() {
        let layer = from.split("::").next().unwrap();
        if [
            "index", "ingest", "analysis", "codes", "model", "text", "urls", "error",
        ]
        .contains(&layer)
        {
            assert!(
                !to.starts_with("search") && !to.starts_with("http"),
                "{from} imports {to}: what builds the index must not depend on search or HTTP"
            );
        }
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let known: BTreeMap<String, PathBuf> = ["search", "search::query", "index", "codes"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    let found = references(
        "search::query",
        "use crate::{codes, index::Fields};\nuse super::fuzzy;\nlet x = crate::index::open();",
        &known,
    );
    assert_eq!(
        found,
        ["codes", "index", "search"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}
