//! Markdown rendering (placeholder with the final API until the markdown module lands).

use std::path::Path;

use crate::diagnostics::Diagnostic;

pub struct Source<'a> {
    pub file: &'a Path,
    pub body: &'a str,
    pub first_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    Keep,
    Rewrite(String),
    Broken {
        message: String,
        suggestion: Option<String>,
    },
    Draft {
        message: String,
    },
    Unsafe {
        message: String,
    },
}

pub trait LinkResolver {
    fn resolve(&self, target: &str, kind: LinkKind) -> LinkTarget;
}

pub struct Options<'a> {
    pub iframe_hosts: &'a [String],
}

/// Rendered body of a scenario or page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub plain_text: String,
    pub word_count: usize,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

pub fn render(source: &Source, _resolver: &dyn LinkResolver, _options: &Options) -> Rendered {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(source.body));
    Rendered {
        plain_text: source.body.to_string(),
        word_count: source.body.split_whitespace().count(),
        html,
        ..Rendered::default()
    }
}
