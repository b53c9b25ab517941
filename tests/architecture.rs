//! The import rule of the code base: data flows one way, so a module may use only the layers
//! below its own, never a module of its own layer nor one above. Reads every `src/**/*.rs`,
//! collects its `crate::…` paths (`use` lines, grouped `use crate::{a, b::c}`, paths inside
//! function bodies), and fails on any import from a lower layer to a higher one or between two
//! modules of one layer, and on any cycle between modules, naming the file and line.
//!
//! Test code is exempt (`#[cfg(test)]` items, `tests.rs` files, `src/testing.rs`): tests may
//! borrow fixtures from anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Layers, bottom first. Each name is a top-level module of `src/`; `pages` includes the theme
/// loader (see [`PAGE_RENDERER`]).
const LAYERS: &[&[&str]] = &[
    &["text"],
    &["diagnostics"],
    &["yaml", "vocab"],
    &["config", "schema"],
    &["content", "markdown"],
    &["publish"],
    &["index", "federation"],
    &["exports", "search_bundle", "pages"],
    &["site"],
    &[
        "serve",
        "check",
        "search",
        "new_scenario",
        "init",
        "listing",
    ],
    &["cli"],
];

/// Other modules (as `crate::` paths) counted in the unit `pages`: the theme it renders with.
const PAGE_RENDERER: &[&str] = &["theme"];

/// Files that are not part of any layer: the crate root only declares modules, the binary
/// goes through the library's public API, and test support is exempt.
const UNLAYERED: &[&str] = &["lib.rs", "main.rs", "testing.rs"];

/// One `crate::` reference: where it is written and which unit it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    unit: String,
}

/// The unit a module path (`pages::Plan`, `theme::Theme`, `config`) belongs to.
fn unit_of(path: &str) -> String {
    for renderer in PAGE_RENDERER {
        if path == *renderer || path.starts_with(&format!("{renderer}::")) {
            return "pages".to_string();
        }
    }
    path.split("::").next().unwrap_or(path).to_string()
}

/// The unit of a source file from its path relative to `src/` (`site/pages.rs`).
fn unit_of_file(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
        if last == "mod" {
            parts.pop();
        }
    }
    unit_of(&parts.join("::"))
}

fn layer_of(unit: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&unit))
}

/// The source with comments, string and character literals blanked (newlines kept, so line
/// numbers stay right): a `crate::` inside a message or a doc link is not an import, and a
/// brace inside a string must not upset the brace counting of [`without_test_items`].
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && is_raw_start(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            let mut j = i + 2 + hashes;
            while j < chars.len() {
                if chars[j] == '"' && chars[j + 1..].iter().take(hashes).all(|&h| h == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|&c| blank(c)));
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                out.extend(
                    chars[i..(i + step).min(chars.len())]
                        .iter()
                        .map(|&c| blank(c)),
                );
                i += step;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            // Escaped character literal: '\n', '\'', '\u{7b}'.
            let end = chars[i + 2..]
                .iter()
                .position(|&q| q == '\'')
                .map_or(chars.len(), |p| i + 3 + p);
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
            i = end;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            out.push_str("   ");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the `r` at `i` opens a raw string (`r"…"`, `r#"…"#`) rather than ending a name.
fn is_raw_start(chars: &[char], i: usize) -> bool {
    let after_name = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
    !after_name && chars.get(i + 1 + hashes) == Some(&'"')
}

/// The code with every `#[cfg(test)]` item blanked (a `mod tests { … }` block, a `use`, a
/// function), newlines kept.
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(start) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..start]);
        let item = &rest[start..];
        let end = test_item_end(item);
        out.extend(
            item[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Length of the item an attribute starts: up to its first `;` at brace depth 0, or to the
/// brace closing its first block.
fn test_item_end(item: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in item.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            ';' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    item.len()
}

/// Every `crate::` reference of a source file, test code left out.
fn references(source: &str) -> Vec<Reference> {
    let code = without_test_items(&code_only(source));
    let mut found = Vec::new();
    for (index, _) in code.match_indices("crate::") {
        let before = code[..index].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `mycrate::` is another path
        }
        let line = code[..index].matches('\n').count() + 1;
        let after = &code[index + "crate::".len()..];
        for path in paths_after(after) {
            found.push(Reference {
                line,
                unit: unit_of(&path),
            });
        }
    }
    found
}

/// The module paths named right after `crate::`: one (`pages::Plan`), or one per item of
/// a group (`{exports::lom, text::{fold, slugify}}`).
fn paths_after(after: &str) -> Vec<String> {
    let trimmed = after.trim_start();
    let Some(group) = trimmed.strip_prefix('{') else {
        return vec![leading_path(trimmed)];
    };
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in group.chars() {
        match c {
            '{' => {
                depth += 1;
                current.push(c);
            }
            '}' if depth == 0 => break,
            '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .iter()
        .map(|item| leading_path(item.trim()))
        .filter(|p| !p.is_empty() && p != "self")
        .collect()
}

/// `pages::Plan;` → `pages::Plan`: the `::`-joined names at the start.
fn leading_path(text: &str) -> String {
    let mut names = Vec::new();
    let mut rest = text;
    loop {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        names.push(name);
        match rest.strip_prefix("::") {
            Some(r) if r.starts_with(|c: char| c.is_alphanumeric() || c == '_') => rest = r,
            _ => break,
        }
    }
    names.join("::")
}

/// An import that breaks the rule.
#[derive(Debug)]
struct Edge {
    file: String,
    line: usize,
    from: String,
    to: String,
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("lecture de {} : {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every cross-unit import of the crate, with where it is written.
fn crate_imports(src: &Path) -> Vec<Edge> {
    let mut files = Vec::new();
    source_files(src, &mut files);
    let mut edges = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let name = relative.to_string_lossy().replace('\\', "/");
        if UNLAYERED.contains(&name.as_str()) || name.ends_with("/tests.rs") {
            continue;
        }
        let source = fs::read_to_string(&file).expect("source file");
        let from = unit_of_file(relative);
        for reference in references(&source) {
            if reference.unit != from {
                edges.push(Edge {
                    file: format!("src/{name}"),
                    line: reference.line,
                    from: from.clone(),
                    to: reference.unit,
                });
            }
        }
    }
    edges
}

/// The imports that go up or sideways, and units missing from [`LAYERS`].
fn layer_violations(edges: &[Edge]) -> Vec<String> {
    let mut problems = Vec::new();
    for edge in edges {
        match (layer_of(&edge.from), layer_of(&edge.to)) {
            (Some(from), Some(to)) if to < from => {}
            (Some(from), Some(to)) => problems.push(format!(
                "{}:{} : « {} » (couche {}) importe « {} » (couche {}) : une couche n'importe que des couches inférieures",
                edge.file,
                edge.line,
                edge.from,
                from + 1,
                edge.to,
                to + 1
            )),
            (None, _) => problems.push(format!(
                "{}:{} : le module « {} » n'a pas de couche : ajoutez-le à LAYERS dans tests/architecture.rs",
                edge.file, edge.line, edge.from
            )),
            (_, None) => problems.push(format!(
                "{}:{} : le module « {} » n'a pas de couche : ajoutez-le à LAYERS dans tests/architecture.rs",
                edge.file, edge.line, edge.to
            )),
        }
    }
    problems
}

/// Every cycle between units, each as the list of its units (smallest first), found by a
/// depth-first search from each unit.
fn cycles(edges: &[Edge]) -> BTreeSet<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        graph
            .entry(edge.from.as_str())
            .or_default()
            .insert(edge.to.as_str());
    }
    let mut found = BTreeSet::new();
    for &start in graph.keys() {
        let mut path = vec![start];
        walk(&graph, start, &mut path, &mut found);
    }
    found
}

fn walk<'a>(
    graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
    start: &'a str,
    path: &mut Vec<&'a str>,
    found: &mut BTreeSet<Vec<String>>,
) {
    let Some(&last) = path.last() else { return };
    for &next in graph.get(last).into_iter().flatten() {
        if next == start {
            // Report each cycle once, rotated to start at its smallest unit.
            let mut cycle: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            let smallest = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
            cycle.rotate_left(smallest);
            found.insert(cycle);
        } else if next > start && !path.contains(&next) {
            path.push(next);
            walk(graph, start, path, found);
            path.pop();
        }
    }
}

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_imports_one_above_it_or_beside_it() {
    let edges = crate_imports(&src_dir());
    assert!(
        edges.len() > 100,
        "trop peu d'imports trouvés ({}) : la lecture des sources est cassée",
        edges.len()
    );
    let problems = layer_violations(&edges);
    assert!(
        problems.is_empty(),
        "imports contraires à l'ordre des couches :\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_import_cycle_between_modules() {
    let edges = crate_imports(&src_dir());
    let found = cycles(&edges);
    let listed: Vec<String> = found
        .iter()
        .map(|c| format!("{} → {}", c.join(" → "), c[0]))
        .collect();
    assert!(
        found.is_empty(),
        "cycles d'imports :\n{}",
        listed.join("\n")
    );
}

#[test]
fn every_source_module_has_a_layer() {
    let mut files = Vec::new();
    source_files(&src_dir(), &mut files);
    let src = src_dir();
    let missing: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&src).ok())
        .filter(|r| !UNLAYERED.contains(&r.to_string_lossy().as_ref()))
        .map(unit_of_file)
        .filter(|u| layer_of(u).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules sans couche dans tests/architecture.rs : {missing:?}"
    );
}

// The checker itself, on written sources: each case would let a wrong import through if the
// reading were broken.

fn units(source: &str) -> Vec<(usize, String)> {
    references(source)
        .into_iter()
        .map(|r| (r.line, r.unit))
        .collect()
}

#[test]
fn grouped_and_inline_paths_are_read() {
    let source = "use crate::{exports::lom, text::{fold, slugify}, self};\nfn f() {\n    crate::pages::licence(\"x\");\n    let _ = crate::theme::Theme::load;\n}\n";
    assert_eq!(
        units(source),
        [
            (1, "exports".to_string()),
            (1, "text".to_string()),
            (3, "pages".to_string()),
            (4, "pages".to_string()),
        ]
    );
}

#[test]
fn test_code_comments_and_strings_are_not_imports() {
    let source = "use crate::config::Config;\n// crate::site::build\n/// [`x`](crate::cli::run)\nconst A: &str = \"crate::serve::{\";\nconst B: &str = r#\"crate::check\"#;\nconst C: char = '{';\n#[cfg(test)]\nmod tests {\n    use crate::exports::lom;\n    fn f() { let _ = \"}\"; }\n}\n#[cfg(test)]\nuse crate::site::session;\nfn g() { crate::text::fold(\"\"); }\n";
    assert_eq!(
        units(source),
        [(1, "config".to_string()), (14, "text".to_string())]
    );
}

#[test]
fn an_import_from_below_is_reported_with_its_place() {
    let edges = [
        Edge {
            file: "src/content/mod.rs".into(),
            line: 7,
            from: "content".into(),
            to: "site".into(),
        },
        Edge {
            file: "src/exports/csv.rs".into(),
            line: 3,
            from: "exports".into(),
            to: "pages".into(),
        },
        Edge {
            file: "src/site/build.rs".into(),
            line: 9,
            from: "site".into(),
            to: "exports".into(),
        },
    ];
    let problems = layer_violations(&edges);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("src/content/mod.rs:7 : « content »"));
    assert!(problems[1].starts_with("src/exports/csv.rs:3 : « exports »"));
}

#[test]
fn cycles_are_found_once_each() {
    let edge = |from: &str, to: &str| Edge {
        file: String::new(),
        line: 1,
        from: from.into(),
        to: to.into(),
    };
    let edges = [
        edge("site", "exports"),
        edge("exports", "pages"),
        edge("pages", "site"),
        edge("config", "content"),
        edge("content", "config"),
        edge("cli", "site"),
    ];
    let found: Vec<Vec<String>> = cycles(&edges).into_iter().collect();
    assert_eq!(
        found,
        [
            vec!["config".to_string(), "content".to_string()],
            vec![
                "exports".to_string(),
                "pages".to_string(),
                "site".to_string()
            ],
        ]
    );
}

#[test]
fn files_map_to_their_unit() {
    assert_eq!(unit_of_file(Path::new("pages/mod.rs")), "pages");
    assert_eq!(unit_of_file(Path::new("pages/dashboard.rs")), "pages");
    assert_eq!(unit_of_file(Path::new("theme.rs")), "pages");
    assert_eq!(unit_of_file(Path::new("site/build.rs")), "site");
    assert_eq!(unit_of_file(Path::new("publish/mod.rs")), "publish");
    assert_eq!(unit_of_file(Path::new("exports/lom.rs")), "exports");
    assert_eq!(unit_of("site::BuildOptions"), "site");
    assert_eq!(unit_of("renderer::x"), "renderer");
}
