//! Markdown: turns a scenario or page body into safe HTML, a table of contents and plain
//! text, and reports what is wrong in it as located diagnostics.
//!
//! The dialect is CommonMark with tables, footnotes, strikethrough, task lists, definition
//! lists, GitHub alerts (`> [!NOTE]`), heading attributes (`## Titre {#mon-id .classe}`),
//! and some MkDocs habits: admonitions (`!!! note "Titre"`, `??? tip`), content tabs
//! (`=== "Énoncé"`), both described in the `admonition` submodule, and attribute lists
//! after a link or image (`{: .center}`, `{:target="_blank"}`), which are dropped.
//! Punctuation is kept as the author typed it (no smart quotes).
//!
//! - Headings get ids: the French slug of their text (« Déroulement de la séance » →
//!   `deroulement-de-la-seance`), numbered from `-2` when repeated; a custom `{#id}` is
//!   kept. **An h1 in the body becomes an h2**: the page template owns the single h1 (the
//!   title of the scenario). The table of contents lists h2 and h3 after that demotion.
//! - Relative link and image destinations go to the [`LinkResolver`]; external ones
//!   (`https:`, `mailto:`…) and anchors (`#…`) are left as written. A destination that
//!   cannot be used becomes its text in `<span class="lien-casse">` (or
//!   `<span class="image-cassee">` for an image) and a diagnostic.
//! - Images must have an alternative text, and load lazily.
//! - Tables are wrapped in `<div class="table-container">` so they can scroll on phones.
//! - The whole HTML is sanitised once at the end (`sanitize` submodule), raw HTML included.
//!
//! This module depends on `diagnostics` and `text` only: the caller knows the site and
//! gives what is needed through [`Source`], [`LinkResolver`] and [`Options`].

mod admonition;
mod footnotes;
mod sanitize;
mod toc;

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::text::BodyText;

use admonition::Prepared;
use footnotes::Footnotes;
use toc::HeadingIds;
pub use toc::TocEntry;

/// The Markdown to render and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Relative to the site root, for diagnostics.
    pub file: &'a Path,
    /// Markdown text (front matter already removed).
    pub body: &'a str,
    /// 1-based line of `body` in the file, to report real line numbers.
    pub first_line: usize,
}

/// What a destination is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

/// What to do with a relative destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// External or anchor link: leave as written.
    Keep,
    /// Internal: replace href/src with this (already relative to the output page).
    Rewrite(String),
    /// Nothing there. French message.
    Broken {
        message: String,
        suggestion: Option<String>,
    },
    /// Link to a draft scenario.
    Draft { message: String },
    /// `..` outside content, absolute path…
    Unsafe { message: String },
}

/// Decides what relative destinations point to; implemented by the caller, who knows
/// the site.
pub trait LinkResolver {
    /// `target` is the destination exactly as written (may include `#fragment`).
    fn resolve(&self, target: &str, kind: LinkKind) -> LinkTarget;
}

/// A resolver that keeps every destination as written (previews, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _target: &str, _kind: LinkKind) -> LinkTarget {
        LinkTarget::Keep
    }
}

/// Settings from the site configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Hosts whose `<iframe>` are kept (`iframes_autorisees`).
    pub iframe_hosts: &'a [String],
}

/// The result of [`render`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// Sanitised HTML, without h1: read with [`Rendered::html`], replaced with
    /// [`Rendered::set_html`], which keeps [`Rendered::html_digest`] true to it.
    html: BodyText,
    /// BLAKE3 of `html`, made with it: a rebuild tells a page whose body did not change
    /// without hashing every body again (the reading cache keeps it). All zeros when unknown
    /// (a value made by hand).
    html_digest: [u8; 32],
    /// h2 and h3 only, in order.
    pub toc: Vec<TocEntry>,
    /// Text for the search index and excerpts: no markup, code kept, blocks on their own
    /// lines. Not escaped: it is text, not HTML.
    pub plain_text: BodyText,
    /// BLAKE3 of `plain_text`, made with it: the search index tells a changed document from
    /// its hash, and a rebuild then hashes no text it did not render again (the reading cache
    /// keeps it). All zeros when unknown (a value made by hand): see [`Rendered::text_digest`].
    pub plain_text_digest: [u8; 32],
    /// Words of `plain_text` (tokens with at least one letter or digit).
    pub word_count: usize,
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
    /// Links with a `#fragment` to a page of the site (or to the page itself), as written, for
    /// `vitrine check` to verify the anchors once every page is rendered.
    pub anchor_links: Vec<AnchorLink>,
}

fn digest(text: &str) -> [u8; 32] {
    *blake3::hash(text.as_bytes()).as_bytes()
}

/// `known`, or the digest of `text` when all zeros (unknown: a value made by hand). A text
/// kept in the reading cache is read only in that case.
fn known_or_made(known: [u8; 32], text: &BodyText) -> [u8; 32] {
    if known == [0; 32] {
        digest(text)
    } else {
        known
    }
}

/// A link to a heading anchor, located in its source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchorLink {
    pub target: String,
    pub line: usize,
    pub column: usize,
}

impl Rendered {
    /// A body of `html` alone (tests, pages made by hand).
    pub fn with_html(html: impl Into<String>) -> Rendered {
        let mut rendered = Rendered::default();
        rendered.set_html(html.into());
        rendered
    }

    /// The sanitised HTML of the body.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// Replaces the HTML, and its digest with it.
    pub fn set_html(&mut self, html: String) {
        self.html_digest = digest(&html);
        self.html = BodyText::from(html);
    }

    /// The HTML and the plain text, and the body without them (texts emptied, digests kept):
    /// for a store that keeps the texts apart, and gives them back with [`Rendered::with_texts`].
    pub fn texts_apart(&self) -> (&BodyText, &BodyText, Rendered) {
        let rest = Rendered {
            html: BodyText::default(),
            html_digest: self.html_digest,
            toc: self.toc.clone(),
            plain_text: BodyText::default(),
            plain_text_digest: self.plain_text_digest,
            word_count: self.word_count,
            diagnostics: self.diagnostics.clone(),
            anchor_links: self.anchor_links.clone(),
        };
        (&self.html, &self.plain_text, rest)
    }

    /// This body (as [`Rendered::texts_apart`] left it) with its texts back. The digests kept
    /// are those of these texts when the store gives back what it was given.
    pub fn with_texts(self, html: BodyText, plain_text: BodyText) -> Rendered {
        Rendered {
            html,
            plain_text,
            ..self
        }
    }

    /// BLAKE3 of the HTML: the one made with it, or made now when there is none.
    pub fn html_digest(&self) -> [u8; 32] {
        known_or_made(self.html_digest, &self.html)
    }

    /// BLAKE3 of `plain_text`: the one made with it, or made now when there is none.
    pub fn text_digest(&self) -> [u8; 32] {
        known_or_made(self.plain_text_digest, &self.plain_text)
    }

    /// The `id` attributes of the rendered HTML (heading anchors, footnotes).
    pub fn ids(&self) -> Vec<String> {
        self.html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect()
    }
}

/// Renders a body. Never fails: problems are in `diagnostics`, and the HTML is always
/// usable.
pub fn render(source: &Source, resolver: &dyn LinkResolver, options: &Options) -> Rendered {
    let prepared = admonition::prepare(source.body);
    let events = coalesce_text(Parser::new_ext(&prepared.text, cmark_options()).into_offset_iter());
    let mut transformer = Transformer::new(source, &prepared, resolver, &events);
    let output = transformer.run(&events);

    let mut raw = String::with_capacity(prepared.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, output.into_iter());
    let html = sanitize::sanitize(&raw, options.iframe_hosts);
    let plain_text = tidy(&transformer.plain);
    let word_count = count_words(&plain_text);
    let plain_text_digest = digest(&plain_text);
    let html_digest = digest(&html);
    Rendered {
        html: BodyText::from(html),
        html_digest,
        toc: transformer.toc,
        plain_text: BodyText::from(plain_text),
        plain_text_digest,
        word_count,
        diagnostics: transformer.diagnostics,
        anchor_links: transformer.anchor_links,
    }
}

/// The Markdown given to pulldown-cmark for `body`: admonitions and tabs rewritten as raw HTML
/// around their dedented Markdown body (see the `admonition` submodule). For tools and tests
/// that must see the same blocks as [`render`].
pub fn prepared_markdown(body: &str) -> String {
    admonition::prepare(body).text
}

fn cmark_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES
        | O::ENABLE_FOOTNOTES
        | O::ENABLE_STRIKETHROUGH
        | O::ENABLE_TASKLISTS
        | O::ENABLE_HEADING_ATTRIBUTES
        | O::ENABLE_DEFINITION_LIST
        | O::ENABLE_GFM
}

/// What becomes of a link or image destination.
enum Outcome {
    Keep,
    Rewrite(String),
    /// Not usable: render the text without the link or image.
    Drop,
}

/// Walks the parser events once, rewriting them and collecting the rest of [`Rendered`].
struct Transformer<'s> {
    source: &'s Source<'s>,
    prepared: &'s Prepared,
    resolver: &'s dyn LinkResolver,
    ids: HeadingIds,
    toc: Vec<TocEntry>,
    plain: String,
    diagnostics: Vec<Diagnostic>,
    anchor_links: Vec<AnchorLink>,
    /// For each open link (image), whether it was replaced by a `<span>`.
    links: Vec<bool>,
    images: Vec<bool>,
    footnotes: Footnotes,
}

impl<'s> Transformer<'s> {
    fn new(
        source: &'s Source<'s>,
        prepared: &'s Prepared,
        resolver: &'s dyn LinkResolver,
        events: &[(Event, Range<usize>)],
    ) -> Self {
        let reserved = events
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .chain(Footnotes::reserved_ids(events));
        Transformer {
            source,
            prepared,
            resolver,
            ids: HeadingIds::new(reserved),
            toc: Vec::new(),
            plain: String::new(),
            diagnostics: Vec::new(),
            anchor_links: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            footnotes: Footnotes::new(events),
        }
    }

    fn run<'e>(&mut self, events: &[(Event<'e>, Range<usize>)]) -> Vec<Event<'e>> {
        let mut out = Vec::with_capacity(events.len() + 8);
        let mut after_link = false;
        for (index, (event, range)) in events.iter().enumerate() {
            let stripped = match event {
                Event::Text(text) if after_link => strip_attribute_list(text),
                _ => None,
            };
            let event = match &stripped {
                Some(rest) => &Event::Text(rest.to_string().into()),
                None => event,
            };
            after_link = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
            self.collect_plain_text(event, range);
            match event {
                Event::Start(tag) => self.start(tag, index, events, range.start, &mut out),
                Event::End(end) => self.end(*end, &mut out),
                Event::FootnoteReference(name) => {
                    // An image kept as such takes its description as plain text.
                    let in_image = self.images.iter().any(|replaced| !replaced);
                    out.push(self.footnotes.reference(name, in_image));
                }
                // A checkbox needs an accessible name (WCAG 4.1.2): say what its tick means.
                Event::TaskListMarker(done) => out.push(Event::InlineHtml(
                    if *done {
                        r#"<input disabled="" type="checkbox" checked="" aria-label="fait"> "#
                    } else {
                        r#"<input disabled="" type="checkbox" aria-label="à faire"> "#
                    }
                    .into(),
                )),
                other => out.push(other.clone()),
            }
        }
        out
    }

    fn start<'e>(
        &mut self,
        tag: &Tag<'e>,
        index: usize,
        events: &[(Event<'e>, Range<usize>)],
        offset: usize,
        out: &mut Vec<Event<'e>>,
    ) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let title = inline_text(events, index);
                let level = toc::demote(*level);
                let id = match id {
                    Some(id) if !id.trim().is_empty() => id.to_string(),
                    _ => self.ids.generate(&title),
                };
                if let Some(toc_level) = toc::toc_level(level) {
                    self.toc.push(TocEntry {
                        level: toc_level,
                        id: id.clone(),
                        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
                    });
                }
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                // An email autolink (`<a@b.fr>`) has no scheme yet: the renderer adds it.
                let outcome = if *link_type == LinkType::Email {
                    Outcome::Keep
                } else {
                    self.check_destination(dest_url, LinkKind::Link, offset)
                };
                let dest_url = match outcome {
                    Outcome::Keep => dest_url.clone(),
                    Outcome::Rewrite(url) => url.into(),
                    Outcome::Drop => {
                        self.links.push(true);
                        out.push(Event::InlineHtml(r#"<span class="lien-casse">"#.into()));
                        return;
                    }
                };
                self.links.push(false);
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                if inline_text(events, index).trim().is_empty() {
                    self.report(
                        ErrorKind::MissingAlt,
                        offset,
                        "image sans texte alternatif : décrivez-la entre les crochets ![…](…)"
                            .to_string(),
                        None,
                    );
                }
                let dest_url = match self.check_destination(dest_url, LinkKind::Image, offset) {
                    Outcome::Keep => dest_url.clone(),
                    Outcome::Rewrite(url) => url.into(),
                    Outcome::Drop => {
                        self.images.push(true);
                        out.push(Event::InlineHtml(r#"<span class="image-cassee">"#.into()));
                        return;
                    }
                };
                self.images.push(false);
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Tag::FootnoteDefinition(name) => out.push(self.footnotes.note_start(name)),
            Tag::Table(_) => {
                out.push(Event::Html(r#"<div class="table-container">"#.into()));
                out.push(Event::Start(tag.clone()));
            }
            other => out.push(Event::Start(other.clone())),
        }
    }

    fn end(&mut self, end: TagEnd, out: &mut Vec<Event>) {
        let replaced = match end {
            TagEnd::Link => self.links.pop().unwrap_or(false),
            TagEnd::Image => self.images.pop().unwrap_or(false),
            _ => false,
        };
        match end {
            _ if replaced => out.push(Event::InlineHtml(CowStr::from("</span>"))),
            TagEnd::Heading(level) => out.push(Event::End(TagEnd::Heading(toc::demote(level)))),
            TagEnd::Table => {
                out.push(Event::End(end));
                out.push(Event::Html("</div>\n".into()));
            }
            TagEnd::FootnoteDefinition => out.push(Footnotes::note_end()),
            _ => out.push(Event::End(end)),
        }
    }

    /// Classifies a destination and reports why it cannot be used.
    fn check_destination(&mut self, dest: &str, kind: LinkKind, offset: usize) -> Outcome {
        if dest.trim().is_empty() {
            let message = match kind {
                LinkKind::Link => "lien sans destination : écrivez l'adresse entre les parenthèses [texte](adresse)",
                LinkKind::Image => "image sans fichier : écrivez son chemin entre les parenthèses ![description](chemin)",
            };
            self.report(ErrorKind::BrokenLink, offset, message.to_string(), None);
            return Outcome::Drop;
        }
        if kind == LinkKind::Link
            && dest.contains('#')
            && !dest.starts_with("//")
            && url_scheme(dest).is_none()
        {
            let (line, column) = self.locate(offset);
            self.anchor_links.push(AnchorLink {
                target: dest.to_string(),
                line,
                column,
            });
        }
        if dest.starts_with('#') || dest.starts_with("//") {
            return Outcome::Keep;
        }
        if let Some(scheme) = url_scheme(dest) {
            if sanitize::is_allowed_scheme(&scheme) {
                return Outcome::Keep;
            }
            let message = format!(
                "adresse refusée : « {scheme}: » n'est pas autorisé (seuls http, https, mailto et tel le sont)"
            );
            self.report(ErrorKind::UnsafePath, offset, message, None);
            return Outcome::Drop;
        }
        match self.resolver.resolve(dest, kind) {
            LinkTarget::Keep => Outcome::Keep,
            LinkTarget::Rewrite(url) => Outcome::Rewrite(url),
            LinkTarget::Broken {
                message,
                suggestion,
            } => {
                self.report(ErrorKind::BrokenLink, offset, message, suggestion);
                Outcome::Drop
            }
            LinkTarget::Draft { message } => {
                self.report(ErrorKind::DraftLinked, offset, message, None);
                Outcome::Drop
            }
            LinkTarget::Unsafe { message } => {
                self.report(ErrorKind::UnsafePath, offset, message, None);
                Outcome::Drop
            }
        }
    }

    /// Line and column in the source file of a byte offset of the prepared text.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.prepared.locate(offset);
        (line + self.source.first_line.max(1) - 1, column)
    }

    /// Records a diagnostic at a byte offset of the prepared text.
    fn report(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        message: String,
        suggestion: Option<String>,
    ) {
        let (line, column) = self.locate(offset);
        self.diagnostics.push(
            Diagnostic::new(kind, self.source.file, message)
                .at(line, column)
                .suggest(suggestion),
        );
    }

    fn collect_plain_text(&mut self, event: &Event, range: &Range<usize>) {
        match event {
            Event::Text(text) | Event::Code(text) => self.plain.push_str(text),
            Event::SoftBreak | Event::End(TagEnd::TableCell) => self.plain.push(' '),
            Event::Start(Tag::TableCell) => self.separate(' '),
            Event::InlineHtml(html) if is_line_break(html) => self.separate(' '),
            Event::Start(tag) if !is_inline(tag) => self.separate('\n'),
            Event::HardBreak | Event::Rule => self.end_line(),
            Event::Html(_) => {
                // Raw HTML is not text, but the admonition titles we generated are.
                // `titles` is in text order (offsets only grow), so a binary search keeps a
                // body of 10,000 admonitions linear.
                let titles = &self.prepared.titles;
                if let Ok(i) = titles.binary_search_by_key(&range.start, |(at, _)| *at) {
                    let title = &titles[i].1;
                    self.plain.push_str(title);
                    self.end_line();
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => self.end_line(),
            _ => {}
        }
    }

    /// Puts `separator` between the text so far and what follows, unless a space or line break
    /// is already there. Needed where a block starts without the one before it ending, as in a
    /// tight list item (`- alpha` then its sub-item `- beta`: no paragraph, « alphabeta »).
    fn separate(&mut self, separator: char) {
        if self
            .plain
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace())
        {
            self.plain.push(separator);
        }
    }

    /// Ends the current line of the plain text; a code block's text already ends one.
    fn end_line(&mut self) {
        if !self.plain.ends_with('\n') {
            self.plain.push('\n');
        }
    }
}

/// Tags inside a line of text: they do not separate words (`**al**pha` is one word).
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

/// `<br>`, `<br/>`, `<br />`: a line break written in HTML, common in table cells.
fn is_line_break(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase();
    tag.strip_prefix("<br")
        .is_some_and(|rest| matches!(rest.trim_end_matches('>').trim(), "" | "/"))
}

/// Merges consecutive text events: pulldown-cmark splits text at characters that might
/// have been markup, and attribute lists must be seen whole.
fn coalesce_text<'e>(
    events: impl Iterator<Item = (Event<'e>, Range<usize>)>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut out: Vec<(Event<'e>, Range<usize>)> = Vec::new();
    // One growing buffer per run keeps a long run of fragments linear.
    let mut run: Option<(String, Range<usize>)> = None;
    for (event, range) in events {
        if let Event::Text(text) = &event {
            match &mut run {
                Some((buffer, run_range)) => {
                    buffer.push_str(text);
                    run_range.end = range.end;
                }
                None => run = Some((text.to_string(), range)),
            }
            continue;
        }
        if let Some((buffer, run_range)) = run.take() {
            out.push((Event::Text(buffer.into()), run_range));
        }
        out.push((event, range));
    }
    if let Some((buffer, run_range)) = run {
        out.push((Event::Text(buffer.into()), run_range));
    }
    out
}

/// The text after an attribute list written right after a link or image:
/// `{: .center width=40%}`, `{:target="_blank"}` (MkDocs attr_list), `{width=50%}`
/// (Pandoc). They are dropped rather than shown as text.
fn strip_attribute_list(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('{')?;
    let end = rest.find('}')?;
    let inner = &rest[..end];
    let key_value = inner.split_once('=').is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let looks_like_attributes = inner.starts_with([':', '.', '#']) || key_value;
    (looks_like_attributes && !inner.contains(['{', '\n'])).then(|| &rest[end + 1..])
}

/// The text inside the element started at `events[start]` (heading text, image alt).
fn inline_text(events: &[(Event, Range<usize>)], start: usize) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for (event, _) in events.iter().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The lower-case scheme of an absolute URL (`https`, `javascript`…), `None` when relative.
/// Tabs and newlines are ignored as browsers do (`java\tscript:`).
fn url_scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        // `C:\…` is a Windows path, left to the resolver.
        && scheme.len() > 1;
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Trailing spaces removed, at most one blank line in a row, no blank start or end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}
