//! Text extraction: every block boundary (list items, nested lists, table cells, headings,
//! admonitions, footnotes, line breaks, HTML blocks) separates words in the plain text used for
//! the search index and the excerpts. Our words are compared with a reference made here
//! straight from pulldown-cmark's events, with a space at every block start and end: a word of
//! ours the reference lacks is two words glued together (« alpha » + « beta » → « alphabeta »).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use vitrine::markdown::{prepared_markdown, render, KeepLinks, Source};

/// The Markdown body of a file: the front matter, when there is one, removed.
fn body(text: &str) -> (&str, usize) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (text, 1);
    };
    match rest.find("\n---\n") {
        Some(end) => {
            let body = &rest[end + "\n---\n".len()..];
            (body, text[..text.len() - body.len()].lines().count() + 1)
        }
        None => (text, 1),
    }
}

/// Inline elements do not separate words (`**al**pha` is one word); every other tag does.
fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// `<br>`, `<br/>`, `<br />`: a line break written in HTML.
fn is_line_break(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase();
    tag.strip_prefix("<br")
        .is_some_and(|rest| matches!(rest.trim_end_matches('>').trim(), "" | "/"))
}

/// `html` with every tag replaced by a space.
fn outside_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The reference plain text: the text of every event, a space at every block boundary.
fn reference_text(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM;
    let mut text = String::new();
    // Admonitions rewritten as `render` does, so that both read the same blocks.
    let prepared = prepared_markdown(markdown);
    for event in Parser::new_ext(&prepared, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Start(tag) if !is_inline(&tag) => text.push(' '),
            Event::End(end) if !is_inline_end(&end) => text.push(' '),
            Event::InlineHtml(html) if is_line_break(&html) => text.push(' '),
            // Raw HTML: its text between tags (the admonition titles are there).
            Event::Html(html) => text.push_str(&format!(" {} ", outside_tags(&html))),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::TaskListMarker(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Our words that the reference lacks, for the Markdown file `path`.
fn glued_words(path: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(path) else {
        return Vec::new();
    };
    let (markdown, first_line) = body(&text);
    let source = Source {
        file: path,
        body: markdown,
        first_line,
    };
    let ours = render(&source, &KeepLinks, &Default::default()).plain_text;
    let reference = words(&reference_text(markdown));
    words(&ours)
        .into_iter()
        .filter(|w| !reference.contains(w))
        .map(|w| format!("{} : « {w} »", path.display()))
        .collect()
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect()
}

fn assert_no_glued_words(files: &[PathBuf]) {
    assert!(!files.is_empty(), "no Markdown file to check");
    let glued: Vec<String> = files.iter().flat_map(|f| glued_words(f)).collect();
    assert!(
        glued.is_empty(),
        "{} glued words, e.g.:\n{}",
        glued.len(),
        glued[..glued.len().min(30)].join("\n")
    );
}

#[test]
fn the_reference_separates_blocks_and_keeps_inline_words_whole() {
    let reference = words(&reference_text(
        "- al**ph**a\n  - beta<br>gamma\n\n| x | y |\n|---|---|\n\n!!! note \"Titre\"\n    corps\n",
    ));
    let expected: BTreeSet<String> = ["alpha", "beta", "gamma", "x", "y", "titre", "corps"]
        .map(String::from)
        .into();
    assert_eq!(reference, expected);
}

#[test]
fn the_fixture_of_every_block_kind_has_no_glued_words() {
    let fixture = common::repo_root().join("tests/fixtures/texte-brut");
    assert_no_glued_words(&markdown_files(&fixture));
}

#[test]
fn the_demo_content_has_no_glued_words() {
    assert_no_glued_words(&markdown_files(&common::repo_root().join("content")));
}

#[test]
fn the_shared_corpora_have_no_glued_words() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("IGNORÉ : ../shared/corpora est absent, mots collés non vérifiés sur les corpus");
        return;
    };
    assert_no_glued_words(&markdown_files(&shared.join("corpora")));
}
