//! The shape of the code, checked: no import cycle between top-level modules, no source file
//! over 800 lines, no function over 150 lines outside tests. A newcomer reads one layer at a
//! time, and finds each piece small enough to change in an afternoon.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_FUNCTION_LINES: usize = 150;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("the sources can be listed");
        if entry.path().extension().is_some_and(|e| e == "rs") {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

/// The code of a source file, without its tests and its comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file reads");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules of the crate, each with its files.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(src()).expect("src/ lists") {
        let path = entry.expect("an entry of src/").path();
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            modules.insert(name, rust_files(&path));
        } else if !matches!(name.as_str(), "lib" | "main" | "layout_tests")
            && path.extension().is_some_and(|e| e == "rs")
        {
            modules.insert(name, vec![path]);
        }
    }
    modules
}

/// The top-level modules `text` names through `crate::`.
fn uses(text: &str, known: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: each path's first segment.
            let group = group.split('}').next().unwrap_or_default();
            for part in group.split(',') {
                found.insert(ident(part.trim()));
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|m| known.contains(m.as_str()));
    found
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, files) in &modules {
        let mut to = BTreeSet::new();
        for file in files {
            to.extend(uses(&code(file), &known));
        }
        to.remove(name.as_str());
        edges.insert(name, to);
    }
    // Depth-first search for a path back to a module being visited.
    fn visit<'a>(
        m: &'a str,
        edges: &'a BTreeMap<&'a str, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for next in edges.get(m).into_iter().flatten() {
            if let Some((key, _)) = edges.get_key_value(next.as_str())
                && let Some(cycle) = visit(key, edges, path, done)
            {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(cycle) = visit(m, &edges, &mut Vec::new(), &mut done) {
            panic!(
                "the modules import each other in a cycle: {}\nedges: {edges:#?}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines() {
    let big: Vec<String> = rust_files(&src())
        .into_iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(&f).ok()?.lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(big.is_empty(), "split these by concern: {big:#?}");
}

/// The functions of `text` (rustfmt-formatted) over the limit: from a line opening `fn` to the
/// line closing it at the same indentation.
fn long_functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let after_pub = trimmed
            .strip_prefix("pub(crate) ")
            .or_else(|| trimmed.strip_prefix("pub(super) "))
            .or_else(|| trimmed.strip_prefix("pub "))
            .unwrap_or(trimmed);
        let after_const = after_pub.strip_prefix("const ").unwrap_or(after_pub);
        let Some(rest) = after_const.strip_prefix("fn ") else {
            continue;
        };
        if line.trim_end().ends_with(';') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            let length = end + 2;
            if length > MAX_FUNCTION_LINES {
                out.push((name, length));
            }
        }
    }
    out
}

#[test]
fn no_function_is_over_150_lines() {
    let mut long = Vec::new();
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).expect("a source file reads");
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (name, lines) in long_functions(text) {
            long.push(format!("{}: fn {name} ({lines} lines)", file.display()));
        }
    }
    assert!(long.is_empty(), "name the steps of these: {long:#?}");
}

#[test]
fn the_checks_see_what_they_check() {
    let known: BTreeSet<&str> = ["yaml", "model"].into_iter().collect();
    assert_eq!(
        uses(
            "use crate::{yaml::Node, model};\nlet x = crate::yaml::parse(t);",
            &known
        ),
        ["model", "yaml"].into_iter().map(String::from).collect()
    );
    let body = "    x();\n".repeat(MAX_FUNCTION_LINES);
    let text = format!("fn short() {{\n}}\n\npub fn long() {{\n{body}}}\n");
    assert_eq!(
        long_functions(&text),
        [("long".to_string(), MAX_FUNCTION_LINES + 2)]
    );
}
