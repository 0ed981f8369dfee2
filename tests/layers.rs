//! The layers of ARCHITECTURE.md, enforced: every `.rs` file under `src/` is read, its references into
//! the crate (`use crate::…`, `super::…` and inline paths such as `crate::web::serve(…)`) and into the
//! web framework crates are collected with comments and string literals left out, and each is checked
//! against the table of layers below. A forbidden edge fails the test with the file, the line and the
//! edge.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Which may use which is [`Layer::may_use`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// Stories, goals, evidence, accounts, rounds, sessions, questions, visibility …: no IO.
    Domain,
    /// sled, the source of truth.
    Store,
    /// tantivy, derived from the store.
    Index,
    /// The running bank: the core's one door.
    Bank,
    /// Bulk import and export of files.
    Files,
    /// The program's plumbing: the command line's definition and its configuration file, the typed
    /// configuration, logging, the control socket.
    Program,
    /// Texts, charts and views in words without HTTP, for the web and the command line.
    Present,
    /// HTTP and HTML.
    Web,
    /// What each command of the command line does (`commands.rs`); `serve` is the web's own.
    Cli,
    /// The binary's `main.rs` (a crate of its own) and the shared test fixtures.
    Outside,
}

/// Every top-level module of `src/` and its layer. A new module must be put here.
const LAYERS: &[(&str, Layer)] = &[
    ("accounts", Layer::Domain),
    ("audit", Layer::Domain),
    ("duplicates", Layer::Domain),
    ("evidence", Layer::Domain),
    ("goals", Layer::Domain),
    ("hearing", Layer::Domain),
    ("ids", Layer::Domain),
    ("language", Layer::Domain),
    ("media", Layer::Domain),
    ("municipality", Layer::Domain),
    ("number", Layer::Domain),
    ("patterns", Layer::Domain),
    ("questions", Layer::Domain),
    ("redact", Layer::Domain),
    ("rounds", Layer::Domain),
    ("sessions", Layer::Domain),
    ("settings", Layer::Domain),
    ("signals", Layer::Domain),
    ("source", Layer::Domain),
    ("sso", Layer::Domain),
    ("story", Layer::Domain),
    ("synonyms", Layer::Domain),
    ("tokens", Layer::Domain),
    ("valence", Layer::Domain),
    ("store", Layer::Store),
    ("index", Layer::Index),
    ("bank", Layer::Bank),
    ("import", Layer::Files),
    ("export", Layer::Files),
    ("corpus", Layer::Files),
    ("config", Layer::Program),
    ("control", Layer::Program),
    ("telemetry", Layer::Program),
    ("present", Layer::Present),
    ("web", Layer::Web),
    ("cli", Layer::Program),
    ("config_file", Layer::Program),
    ("commands", Layer::Cli),
    ("main", Layer::Outside),
    ("testing", Layer::Outside),
];

/// The web framework's crates: only the web layer may name them.
const WEB_CRATES: &[&str] = &["axum", "askama", "askama_web", "tower", "tower_http"];

impl Layer {
    fn of(module: &str) -> Option<Layer> {
        LAYERS
            .iter()
            .find(|(name, _)| *name == module)
            .map(|(_, layer)| *layer)
    }

    /// Whether code of this layer may refer to code of `other`.
    fn may_use(self, other: Layer) -> bool {
        use Layer::*;
        match self {
            Domain => matches!(other, Domain | Outside),
            Store => matches!(other, Domain | Store | Outside),
            Index => matches!(other, Domain | Store | Index | Outside),
            Bank | Files | Program => !matches!(other, Present | Web | Cli),
            Present => !matches!(other, Web | Cli),
            Web => !matches!(other, Store | Cli),
            Cli => other != Web,
            Outside => true,
        }
    }

    fn may_use_web_crates(self) -> bool {
        matches!(self, Layer::Web | Layer::Outside)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = format!("{self:?}").to_lowercase();
        f.write_str(&name)
    }
}

/// One reference found in a file: a path into the crate (resolved from the crate's root) or a path
/// into another crate.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    /// `true` for `crate::`, `super::` and `self::` paths, `false` for another crate's.
    internal: bool,
    path: Vec<String>,
}

/// Replaces comments, string literals and character literals by spaces, keeping every line break, so
/// what is left is code and its line numbers stay true.
fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
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
        } else if !ident_before
            && (c == 'r' || (c == 'b' && next == Some('r')))
            && raw_string_start(&chars, i).is_some()
        {
            let (hashes, body) = raw_string_start(&chars, i).unwrap_or((0, i));
            for _ in i..body {
                out.push(' ');
            }
            i = body;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            // An escaped character literal: '\n', '\'', '\u{41}'.
            out.push_str("  ");
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
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

/// At `r"`, `r#"`, `br"` …: the number of `#` and where the literal's body starts.
fn raw_string_start(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if chars[i] == 'b' {
        i += 1;
    }
    if chars.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    (chars.get(i) == Some(&'"')).then_some((hashes, i + 1))
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: String,
    line: usize,
}

fn tokens(code: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token {
                    text: chars[start..i].iter().collect(),
                    line: number + 1,
                });
            } else if c == ':' && chars.get(i + 1) == Some(&':') {
                out.push(Token {
                    text: "::".into(),
                    line: number + 1,
                });
                i += 2;
            } else if c.is_whitespace() {
                i += 1;
            } else {
                out.push(Token {
                    text: c.to_string(),
                    line: number + 1,
                });
                i += 1;
            }
        }
    }
    out
}

/// The module path of a file under `src/`: `web/handlers/rounds.rs` is `web::handlers::rounds`,
/// `store/mod.rs` is `store`, `lib.rs` is the root.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// Every reference of a file's code, with `super::` and `self::` resolved against the module the
/// code stands in (inline `mod name { … }` blocks included).
fn references(source: &str, module: &[String]) -> Vec<Reference> {
    let tokens = tokens(&strip(source));
    let mut found = Vec::new();
    // (module path, brace depth at which the inline module's block opened)
    let mut inline: Vec<usize> = Vec::new();
    let mut current: Vec<String> = module.to_vec();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let text = tokens[i].text.as_str();
        let after = tokens.get(i + 1).map(|t| t.text.as_str());
        let before = i.checked_sub(1).map(|b| tokens[b].text.as_str());
        match text {
            "mod" if tokens.get(i + 2).map(|t| t.text.as_str()) == Some("{") => {
                if let Some(name) = after {
                    current.push(name.to_string());
                    inline.push(depth);
                }
                depth += 1;
                i += 3;
                continue;
            }
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last() == Some(&depth) {
                    inline.pop();
                    current.pop();
                }
            }
            _ => {}
        }
        let starts_path = after == Some("::") && !matches!(before, Some("::") | Some("$"));
        if starts_path && matches!(text, "crate" | "super" | "self") {
            let (paths, next) = use_tree(&tokens, i, current.clone());
            found.extend(paths.into_iter().map(|(line, path)| Reference {
                line,
                internal: true,
                path,
            }));
            i = next.max(i + 1);
            continue;
        }
        if starts_path && WEB_CRATES.contains(&text) {
            found.push(Reference {
                line: tokens[i].line,
                internal: false,
                path: vec![text.to_string()],
            });
        }
        i += 1;
    }
    found
}

/// Reads a path or a use tree (`a::b`, `a::{b, c::{d}}`, `a::*`) from `at`, starting in module
/// `base`; returns each path it names (resolved from the crate's root) and where it ends.
fn use_tree(tokens: &[Token], at: usize, base: Vec<String>) -> (Vec<(usize, Vec<String>)>, usize) {
    let mut found = Vec::new();
    let mut path = base;
    let mut i = at;
    let line = tokens[at].line;
    while let Some(token) = tokens.get(i) {
        match token.text.as_str() {
            "{" => {
                i += 1;
                while let Some(token) = tokens.get(i) {
                    match token.text.as_str() {
                        "}" => {
                            i += 1;
                            break;
                        }
                        "," => i += 1,
                        _ => {
                            let (inner, next) = use_tree(tokens, i, path.clone());
                            found.extend(inner);
                            if next == i {
                                i += 1;
                            } else {
                                i = next;
                            }
                        }
                    }
                }
                return (found, i);
            }
            "*" => {
                found.push((line, path));
                return (found, i + 1);
            }
            word if word.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                match word {
                    "crate" => path.clear(),
                    "super" => {
                        path.pop();
                    }
                    "self" => {}
                    _ => path.push(word.to_string()),
                }
                i += 1;
                if tokens.get(i).map(|t| t.text.as_str()) == Some("::") {
                    i += 1;
                    continue;
                }
                found.push((line, path));
                return (found, i);
            }
            _ => {
                found.push((line, path));
                return (found, i);
            }
        }
    }
    found.push((line, path));
    (found, i)
}

/// The handler module a module path lies in: `web::handlers::rounds::gather` is `rounds`; the
/// router (`web::handlers` itself) is none.
fn handler_module(path: &[String]) -> Option<&str> {
    match path {
        [web, handlers, name, ..] if web == "web" && handlers == "handlers" => Some(name),
        _ => None,
    }
}

/// Every forbidden edge in one file, as `file:line: what`.
fn violations(file: &str, source: &str, module: &[String]) -> Vec<String> {
    let Some(from) = module
        .first()
        .map_or(Some(Layer::Outside), |top| Layer::of(top))
    else {
        return vec![format!(
            "{file}: module `{}` has no layer: add it to LAYERS in tests/layers.rs and to ARCHITECTURE.md",
            module.join("::")
        )];
    };
    let from_handler = handler_module(module);
    let mut out = Vec::new();
    for reference in references(source, module) {
        let shown = reference.path.join("::");
        if !reference.internal {
            if !from.may_use_web_crates() {
                out.push(format!(
                    "{file}:{}: {from} → {shown}: only the web layer knows HTTP and templates",
                    reference.line
                ));
            }
            continue;
        }
        let Some(to) = reference.path.first().and_then(|top| Layer::of(top)) else {
            continue;
        };
        if !from.may_use(to) {
            out.push(format!(
                "{file}:{}: {from} → {to} (`crate::{shown}`)",
                reference.line
            ));
        }
        if let (Some(own), Some(other)) = (from_handler, handler_module(&reference.path))
            && own != other
        {
            out.push(format!(
                "{file}:{}: handler `{own}` → handler `{other}` (`crate::{shown}`): share it through a web module",
                reference.line
            ));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_keeps_to_its_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 100,
        "found only {} files in src/",
        files.len()
    );
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("under src/");
        let source = std::fs::read_to_string(path).expect("readable source");
        let module = module_of(relative);
        if let Some(top) = module.first() {
            modules.insert(top.clone());
        }
        let shown = format!("src/{}", relative.display());
        problems.extend(violations(&shown, &source, &module));
    }
    assert!(
        problems.is_empty(),
        "{} forbidden edge(s) between layers (see ARCHITECTURE.md, \"Layers\"):\n{}",
        problems.len(),
        problems.join("\n")
    );
    let stale: Vec<_> = LAYERS
        .iter()
        .filter(|(name, _)| !modules.contains(*name))
        .map(|(name, _)| *name)
        .collect();
    assert!(
        stale.is_empty(),
        "LAYERS names modules src/ no longer has: {stale:?}"
    );
}

fn module(path: &str) -> Vec<String> {
    path.split("::").map(str::to_string).collect()
}

#[test]
fn a_forbidden_use_fails_with_its_line() {
    let source = "//! Accounts.\n\nuse crate::ids::ProviderId;\nuse crate::index::Scope;\n";
    assert_eq!(
        violations("src/accounts.rs", source, &module("accounts")),
        ["src/accounts.rs:4: domain → index (`crate::index::Scope`)"]
    );
}

#[test]
fn comments_strings_and_characters_do_not_count() {
    let source = r###"
// use crate::index::Scope;
/* crate::web::serve(bank) /* nested */ crate::bank::Bank */
/// Like `crate::store::Store`.
const A: &str = "crate::store::Store";
const B: &str = r#"use crate::bank::Bank; "quoted""#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { x }
const D: &[u8] = b"axum::Router";
use crate::ids::ProviderId;
"###;
    assert_eq!(
        violations("src/story/mod.rs", source, &module("story")),
        Vec::<String>::new()
    );
}

#[test]
fn inline_paths_groups_and_super_count() {
    let source =
        "fn run() {\n    crate::web::serve(bank);\n}\nuse crate::{ids::X, web::{self, i18n}};\n";
    assert_eq!(
        violations("src/commands.rs", source, &module("commands")),
        [
            "src/commands.rs:2: cli → web (`crate::web::serve`)",
            "src/commands.rs:4: cli → web (`crate::web`)",
            "src/commands.rs:4: cli → web (`crate::web::i18n`)",
        ]
    );
    let handler = "use super::sessions::full_url;\nuse super::super::links::full_url;\n";
    assert_eq!(
        violations(
            "src/web/handlers/rounds.rs",
            handler,
            &module("web::handlers::rounds")
        ),
        [
            "src/web/handlers/rounds.rs:1: handler `rounds` → handler `sessions` (`crate::web::handlers::sessions::full_url`): share it through a web module"
        ]
    );
}

#[test]
fn an_inline_test_module_resolves_super_to_its_file() {
    let source = "mod tests {\n    use super::*;\n    use super::super::tell::store;\n}\n";
    // `super` in `rounds::tests` is `rounds`; `super::super::tell` is the handler `tell`.
    assert_eq!(
        violations(
            "src/web/handlers/rounds.rs",
            source,
            &module("web::handlers::rounds")
        ),
        [
            "src/web/handlers/rounds.rs:3: handler `rounds` → handler `tell` (`crate::web::handlers::tell::store`): share it through a web module"
        ]
    );
}

#[test]
fn only_the_web_names_the_web_framework() {
    let source = "use axum::Router;\nfn f() -> tower::ServiceBuilder { todo!() }\n";
    assert_eq!(
        violations("src/bank/mod.rs", source, &module("bank")),
        [
            "src/bank/mod.rs:1: bank → axum: only the web layer knows HTTP and templates",
            "src/bank/mod.rs:2: bank → tower: only the web layer knows HTTP and templates",
        ]
    );
    assert!(violations("src/web/mod.rs", source, &module("web")).is_empty());
}
