//! MkDocs-style admonitions, and the map from the text given to pulldown-cmark back to the
//! lines and columns the author wrote.
//!
//! ```markdown
//! !!! note "Pour aller plus loin"
//!     Contenu **indenté** de quatre espaces.
//!
//! ??? tip "Repliable"
//!     Rendu comme `<details>` ; `???+` le déplie par défaut.
//!
//! === "Onglet"
//!     pymdownx.tabbed : chaque onglet devient `<div class="onglet">` avec son titre
//!     `<p class="onglet-titre">`, affichés l'un après l'autre.
//! ```
//!
//! An aside is `<aside class="admonition TYPE"><p class="admonition-title">…`, like MkDocs,
//! so its stylesheets apply. A header with no title gets a French one (`!!! warning` →
//! « Attention »); `!!! note ""` has none.
//!
//! pulldown-cmark does not know admonitions: their indented body would become a code block.
//! Before parsing, each admonition is rewritten as raw HTML around its dedented body, which
//! pulldown-cmark then renders as ordinary Markdown (the sanitiser sees the whole result).
//! Because the rewrite moves text, every line of the rewritten text remembers the body line
//! it comes from and how many characters of indentation were removed, so that diagnostics
//! still point at what the author wrote.

/// The body rewritten for pulldown-cmark, with the way back to the original positions.
pub(crate) struct Prepared {
    pub text: String,
    /// Byte offset in `text` of each line.
    line_starts: Vec<usize>,
    /// Where each line of `text` comes from, same indices as `line_starts`.
    origins: Vec<Origin>,
    /// Byte offset in `text` of each generated admonition opening, with its title, so the
    /// title (raw HTML for pulldown-cmark) can still go into the plain text. Sorted by offset.
    pub titles: Vec<(usize, String)>,
}

#[derive(Debug, Clone, Copy)]
struct Origin {
    /// 0-based line of the body.
    line: usize,
    /// Characters of indentation removed from the start of the line.
    shift: usize,
}

/// An open fenced code block: inside it `!!!` is text, and it must be closed with its
/// admonition or the closing HTML would become code.
#[derive(Debug, Clone, Copy)]
struct Fence {
    marker: char,
    length: usize,
    /// Admonition depth at which it was opened.
    depth: usize,
}

/// The kind of block a header line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// `!!!`: always visible.
    Aside,
    /// `???` (closed) or `???+` (open): collapsible.
    Details { open: bool },
    /// `=== "Titre"` (pymdownx.tabbed): shown one after the other, each with its title.
    Tab,
}

/// A parsed header line: `!!! type "Titre"`, `???+ type`, `=== "Titre"`.
#[derive(Debug, PartialEq, Eq)]
struct Header {
    block: Block,
    /// Admonition types (`note`, `tip`…); empty for a tab.
    classes: Vec<String>,
    title: String,
}

impl Prepared {
    /// 1-based (line, column) in the body of a byte offset of `text`; the column counts
    /// characters, not bytes.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (Some(start), Some(origin)) = (self.line_starts.get(index), self.origins.get(index))
        else {
            return (1, 1);
        };
        let before = self
            .text
            .get(*start..offset)
            .map_or(0, |s| s.chars().count());
        (origin.line + 1, origin.shift + before + 1)
    }

    fn push_line(&mut self, line: &str, origin: Origin) {
        self.line_starts.push(self.text.len());
        self.origins.push(origin);
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// Rewrites the admonitions of `body` (see the module documentation).
pub(crate) fn prepare(body: &str) -> Prepared {
    let mut rewriter = Rewriter {
        out: Prepared {
            text: String::with_capacity(body.len() + 64),
            line_starts: Vec::new(),
            origins: Vec::new(),
            titles: Vec::new(),
        },
        open: Vec::new(),
        fence: None,
    };
    let mut last = 0;
    for (index, line) in body.split('\n').enumerate() {
        rewriter.line(index, line);
        last = index;
    }
    rewriter.close_to(0, last);
    rewriter.out
}

struct Rewriter {
    out: Prepared,
    /// Closing tags of the open admonitions, innermost last.
    open: Vec<&'static str>,
    fence: Option<Fence>,
}

impl Rewriter {
    fn line(&mut self, index: usize, line: &str) {
        let (depth, rest, removed) = dedent(line, self.open.len());
        let origin = Origin {
            line: index,
            shift: removed,
        };
        // A blank line never closes an admonition: its body may have several paragraphs.
        if line.trim().is_empty() {
            self.out.push_line(rest, origin);
            return;
        }
        self.close_to(depth, index);
        if self.fence.is_none() {
            if let Some(header) = parse_header(rest) {
                self.open_admonition(header, origin);
                return;
            }
        }
        self.track_fence(rest);
        self.out.push_line(rest, origin);
    }

    fn open_admonition(&mut self, header: Header, origin: Origin) {
        let title = crate::text::escape_html(&header.title);
        let class = format!("admonition {}", header.classes.join(" "));
        let (opening, title_line, closing) = match header.block {
            Block::Aside => (
                format!("<aside class=\"{class}\">"),
                format!("<p class=\"admonition-title\">{title}</p>"),
                "</aside>",
            ),
            Block::Details { open } => (
                format!(
                    "<details class=\"{class}\"{}>",
                    if open { " open" } else { "" }
                ),
                format!("<summary>{title}</summary>"),
                "</details>",
            ),
            Block::Tab => (
                "<div class=\"onglet\">".to_string(),
                format!("<p class=\"onglet-titre\">{title}</p>"),
                "</div>",
            ),
        };
        self.out.push_line("", origin);
        self.out
            .titles
            .push((self.out.text.len(), header.title.clone()));
        self.out.push_line(&opening, origin);
        // `!!! note ""` asks for no title; a summary is needed to open a details block.
        if !header.title.is_empty() || matches!(header.block, Block::Details { .. }) {
            self.out.push_line(&title_line, origin);
        }
        // The blank line ends the HTML block so that the body is parsed as Markdown.
        self.out.push_line("", origin);
        self.open.push(closing);
    }

    /// Closes the admonitions deeper than `depth`, and a code fence left open inside them.
    fn close_to(&mut self, depth: usize, index: usize) {
        let origin = Origin {
            line: index,
            shift: 0,
        };
        while self.open.len() > depth {
            if let Some(fence) = self.fence.filter(|f| f.depth >= self.open.len()) {
                let closer: String = std::iter::repeat_n(fence.marker, fence.length).collect();
                self.out.push_line(&closer, origin);
                self.fence = None;
            }
            let closing = self.open.pop().unwrap_or("</aside>");
            self.out.push_line("", origin);
            self.out.push_line(closing, origin);
            self.out.push_line("", origin);
        }
    }

    fn track_fence(&mut self, line: &str) {
        let Some((marker, length, info)) = fence_marker(line) else {
            return;
        };
        match self.fence {
            Some(open) => {
                if marker == open.marker && length >= open.length && info.trim().is_empty() {
                    self.fence = None;
                }
            }
            None => {
                // A backtick fence's info string cannot contain a backtick (CommonMark).
                if marker == '~' || !info.contains('`') {
                    self.fence = Some(Fence {
                        marker,
                        length,
                        depth: self.open.len(),
                    });
                }
            }
        }
    }
}

/// Removes up to `max` indentation units (four spaces or a tab) from `line`.
/// Returns the number removed, the rest, and the characters removed.
fn dedent(line: &str, max: usize) -> (usize, &str, usize) {
    let mut rest = line;
    let mut units = 0;
    let mut removed = 0;
    while units < max {
        if let Some(r) = rest.strip_prefix("    ") {
            rest = r;
            removed += 4;
        } else if let Some(r) = rest.strip_prefix('\t') {
            rest = r;
            removed += 1;
        } else {
            break;
        }
        units += 1;
    }
    (units, rest, removed)
}

/// `(marker, run length, info string)` when `line` starts a code fence (``` or ~~~).
fn fence_marker(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = rest.len() - rest.trim_start_matches(marker).len();
    (length >= 3).then(|| (marker, length, &rest[length..]))
}

/// Parses a header line (see [`Block`]); `None` for any other line.
fn parse_header(line: &str) -> Option<Header> {
    let line = line.trim_end();
    let (block, rest) = if let Some(r) = line.strip_prefix("!!!") {
        (Block::Aside, r)
    } else if let Some(r) = line.strip_prefix("???+") {
        (Block::Details { open: true }, r)
    } else if let Some(r) = line.strip_prefix("???") {
        (Block::Details { open: false }, r)
    } else if let Some(r) = line
        .strip_prefix("===+")
        .or_else(|| line.strip_prefix("==="))
    {
        (Block::Tab, r)
    } else {
        return None;
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    // MkDocs wants double quotes; single ones are accepted as the intent is clear.
    let (types, title) = match rest.find(['"', '\'']) {
        Some(at) => {
            let quote = rest[at..].chars().next()?;
            let title = rest[at..].strip_prefix(quote)?.strip_suffix(quote)?;
            (&rest[..at], Some(title.trim().to_string()))
        }
        None => (rest, None),
    };
    let classes: Vec<String> = types
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if block == Block::Tab {
        // A tab is only a title: `=== "Énoncé"`.
        return match (classes.is_empty(), title) {
            (true, Some(title)) => Some(Header {
                block,
                classes,
                title,
            }),
            _ => None,
        };
    }
    let valid = |c: &String| {
        c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    };
    if classes.is_empty() || !classes.iter().all(valid) {
        return None;
    }
    let title = title.unwrap_or_else(|| default_title(&classes[0]));
    Some(Header {
        block,
        classes,
        title,
    })
}

/// The French title shown when the author gives none (`!!! warning`).
fn default_title(kind: &str) -> String {
    let title = match kind {
        "note" | "seealso" => "Note",
        "abstract" | "summary" | "tldr" => "Résumé",
        "info" | "todo" => "Information",
        "tip" | "hint" | "important" => "Astuce",
        "success" | "check" | "done" => "Réussite",
        "question" | "help" | "faq" => "Question",
        "warning" | "caution" | "attention" => "Attention",
        "failure" | "fail" | "missing" => "Échec",
        "danger" | "error" => "Danger",
        "bug" => "Bogue",
        "example" => "Exemple",
        "quote" | "cite" => "Citation",
        other => {
            let mut chars = other.chars();
            return match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
        }
    };
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_title_and_several_types() {
        let h = parse_header("!!! note inline \"Pour aller plus loin\"").expect("header");
        assert_eq!(h.classes, vec!["note", "inline"]);
        assert_eq!(h.title, "Pour aller plus loin");
        assert_eq!(h.block, Block::Aside);
        let h = parse_header("!!! abstract 'DS02'").expect("header");
        assert_eq!(h.title, "DS02");
        assert_eq!(parse_header("!!! note \"mixed'"), None);
    }

    #[test]
    fn header_without_title_gets_a_french_default() {
        assert_eq!(
            parse_header("!!! warning").map(|h| h.title),
            Some("Attention".to_string())
        );
        assert_eq!(
            parse_header("!!! custom").map(|h| h.title),
            Some("Custom".to_string())
        );
    }

    #[test]
    fn collapsible_headers() {
        let h = parse_header("???+ tip").expect("header");
        assert_eq!(h.block, Block::Details { open: true });
        let h = parse_header("??? tip \"Solution\"").expect("header");
        assert_eq!(h.block, Block::Details { open: false });
    }

    #[test]
    fn tab_headers_need_only_a_title() {
        let h = parse_header("=== \"Énoncé\"").expect("header");
        assert_eq!((h.block, h.title.as_str()), (Block::Tab, "Énoncé"));
        assert!(parse_header("===+ \"Correction\"").is_some());
        assert_eq!(parse_header("==="), None);
        assert_eq!(parse_header("=== note"), None);
        assert_eq!(parse_header("=== note \"T\""), None);
    }

    #[test]
    fn tabs_inside_an_admonition() {
        let body = "!!! example \"Exercice\"\n    === \"Énoncé\"\n        Question\n\n    === \"Correction\"\n        Réponse\n";
        let p = prepare(body);
        assert_eq!(p.text.matches("<div class=\"onglet\">").count(), 2);
        assert_eq!(p.text.matches("</div>").count(), 2);
        assert!(p.text.contains("\nQuestion\n"));
        assert!(p.text.contains("\nRéponse\n"));
        assert_eq!(p.titles.len(), 3);
    }

    #[test]
    fn not_headers() {
        assert_eq!(parse_header("!!!note"), None);
        assert_eq!(parse_header("!!! "), None);
        assert_eq!(parse_header("!!! no<te"), None);
        assert_eq!(parse_header("!!! note \"unterminated"), None);
        assert_eq!(parse_header("Quoi ??? vraiment"), None);
    }

    #[test]
    fn body_is_dedented_and_positions_map_back() {
        let body = "Avant\n\n!!! note \"T\"\n    Ligne *un*\n\n    Ligne deux\nAprès\n";
        let p = prepare(body);
        assert!(p.text.contains("<aside class=\"admonition note\">"));
        assert!(p.text.contains("\nLigne *un*\n"));
        let closing = p.text.find("</aside>").expect("closed");
        let apres = p.text.find("Après").expect("kept");
        assert!(closing < apres);
        // "deux" is on body line 6, after 4 spaces of indentation and "Ligne ".
        let deux = p.text.find("deux").expect("kept");
        assert_eq!(p.locate(deux), (6, 11));
        assert_eq!(p.locate(apres), (7, 1));
    }

    #[test]
    fn admonitions_nest_and_ignore_code_fences() {
        let body =
            "!!! note\n    ```\n    !!! pas une admonition\n    ```\n    !!! tip\n        Dedans\n";
        let p = prepare(body);
        assert_eq!(p.text.matches("<aside").count(), 2);
        assert_eq!(p.text.matches("</aside>").count(), 2);
        assert!(p.text.contains("\n!!! pas une admonition\n"));
        assert_eq!(p.titles.len(), 2);
    }

    #[test]
    fn fence_left_open_is_closed_with_its_admonition() {
        let p = prepare("!!! note\n    ```\n    code\nFin\n");
        let fence_close = p.text.rfind("```").expect("fence");
        let aside_close = p.text.find("</aside>").expect("closed");
        assert!(fence_close < aside_close);
    }

    #[test]
    fn text_without_admonition_maps_identically() {
        let body = "Un\n  Deux é\n";
        let p = prepare(body);
        assert!(p.text.starts_with(body));
        assert_eq!(p.locate(body.find('é').expect("é")), (2, 8));
    }

    #[test]
    fn title_is_escaped() {
        let p = prepare("!!! note \"<b>&</b>\"\n    x\n");
        assert!(p.text.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
    }
}
