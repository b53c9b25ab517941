//! The sanitiser: the only way HTML leaves this module.
//!
//! Authors may write raw HTML in Markdown, so the whole rendered page is cleaned once with
//! ammonia: no script or style, no event handler, only `http`, `https`, `mailto` and `tel`
//! addresses, `rel="noopener noreferrer"` on links. What the Markdown renderer itself
//! produces is kept: `id` and `class` attributes, task-list checkboxes (always disabled),
//! table cell alignment (`style` limited to `text-align`), `<details open>`.
//!
//! `<iframe>` is kept only when its `src` is an `https` address whose host is listed in the
//! configuration (exact host, case-insensitive), with a fixed set of attributes and
//! `loading="lazy"`. ammonia can filter attributes but cannot drop an element according to
//! one, so iframes from other hosts are first removed from a parsed tree (html5ever, the
//! parser ammonia itself uses); the attribute filter still drops their `src` should one
//! get through.

use std::borrow::Cow;
use std::collections::HashSet;

use html5ever::serialize::{serialize, SerializeOpts};
use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

const IFRAME_ATTRIBUTES: [&str; 7] = [
    "src",
    "title",
    "width",
    "height",
    "allow",
    "allowfullscreen",
    "loading",
];

const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The URL schemes kept in links and images; every other one is removed.
pub(crate) fn is_allowed_scheme(scheme: &str) -> bool {
    URL_SCHEMES.contains(&scheme)
}

/// Cleans a whole rendered page.
pub(crate) fn sanitize(html: &str, iframe_hosts: &[String]) -> String {
    let hosts: Vec<String> = iframe_hosts
        .iter()
        .filter_map(|h| normalize_host(h))
        .collect();
    let html: Cow<str> = if mentions_iframe(html) {
        Cow::Owned(remove_foreign_iframes(html, &hosts))
    } else {
        Cow::Borrowed(html)
    };
    builder(hosts).clean(&html).to_string()
}

fn builder(hosts: Vec<String>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(&["iframe", "input"])
        .add_generic_attributes(&["id", "class"])
        .add_tag_attributes("iframe", &IFRAME_ATTRIBUTES)
        .add_tag_attributes("input", &["checked", "disabled", "aria-label"])
        .add_tag_attribute_values("input", "type", &["checkbox"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .add_tag_attributes("details", &["open"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .url_schemes(HashSet::from(URL_SCHEMES))
        .link_rel(Some("noopener noreferrer"))
        // One forced attribute per element: ammonia adds them in hash order.
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" && !iframe_allowed(value, &hosts) {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        });
    builder
}

/// Whether `src` may be embedded: `https` and a listed host.
fn iframe_allowed(src: &str, hosts: &[String]) -> bool {
    let Ok(url) = url::Url::parse(src.trim()) else {
        return false;
    };
    url.scheme() == "https"
        && url
            .host_str()
            .is_some_and(|host| hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
}

/// A host from the configuration; an address (`https://tube.fr/`) is accepted too.
fn normalize_host(entry: &str) -> Option<String> {
    let entry = entry.trim();
    let host = match url::Url::parse(entry) {
        Ok(url) => url.host_str()?.to_string(),
        Err(_) => entry.trim_end_matches('/').to_string(),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// An `<iframe>` element can only come from the literal tag name (case-insensitive), so
/// pages without it skip the extra parse.
fn mentions_iframe(html: &str) -> bool {
    html.as_bytes()
        .windows(b"<iframe".len())
        .any(|w| w.eq_ignore_ascii_case(b"<iframe"))
}

/// Removes the iframes whose `src` is not allowed, with their content.
/// On a serialisation failure returns nothing rather than unfiltered HTML.
fn remove_foreign_iframes(html: &str, hosts: &[String]) -> String {
    let context = QualName::new(None, ns!(html), local_name!("div"));
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        context,
        vec![],
        false,
    )
    .one(html);
    let Some(root) = dom.document.children.borrow().first().cloned() else {
        return String::new();
    };
    // An explicit stack: a hostile page may nest elements deeply.
    let mut stack: Vec<Handle> = vec![root.clone()];
    while let Some(node) = stack.pop() {
        if is_iframe(&node) {
            // Its content is raw text that browsers never show: keep none of it.
            node.children.borrow_mut().clear();
            continue;
        }
        node.children
            .borrow_mut()
            .retain(|child| !is_foreign_iframe(child, hosts));
        stack.extend(node.children.borrow().iter().cloned());
    }
    let mut out = Vec::with_capacity(html.len());
    let handle: SerializableHandle = root.into();
    if serialize(&mut out, &handle, SerializeOpts::default()).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

fn is_iframe(node: &Handle) -> bool {
    matches!(&node.data, NodeData::Element { name, .. } if str::eq_ignore_ascii_case(&name.local, "iframe"))
}

fn is_foreign_iframe(node: &Handle, hosts: &[String]) -> bool {
    let NodeData::Element { attrs, .. } = &node.data else {
        return false;
    };
    if !is_iframe(node) {
        return false;
    }
    let attrs = attrs.borrow();
    let src = attrs.iter().find(|a| &*a.name.local == "src");
    !src.is_some_and(|a| iframe_allowed(&a.value, hosts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        sanitize(html, &["www.youtube-nocookie.com".to_string()])
    }

    #[test]
    fn scripts_styles_and_handlers_are_removed() {
        let out = clean(
            "<p onclick=\"x()\">a</p><script>alert(1)</script><style>p{}</style>\
             <img src=\"a.png\" alt=\"a\" onerror=\"alert(1)\">\
             <svg onload=\"alert(1)\"><circle/></svg>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("style"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("onload"), "{out}");
        assert!(!out.contains("<svg"), "{out}");
        assert!(out.contains("<p>a</p>"), "{out}");
    }

    #[test]
    fn javascript_urls_are_removed_whatever_their_spelling() {
        for href in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;&#x61;vascript:alert(1)",
            "java&#x09;script:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
        ] {
            let out = clean(&format!("<a href=\"{href}\">x</a>"));
            assert!(!out.contains("href"), "{href} → {out}");
        }
    }

    #[test]
    fn generated_markup_is_kept() {
        let html = "<h2 id=\"objectifs\" class=\"x\">O</h2>\
            <input disabled=\"\" type=\"checkbox\" checked=\"\"/>\
            <table><tr><td style=\"text-align: center\">c</td></tr></table>\
            <aside class=\"admonition note\"><p class=\"admonition-title\">T</p></aside>\
            <details class=\"admonition tip\" open><summary>S</summary></details>";
        let out = clean(html);
        for expected in [
            "<h2 id=\"objectifs\" class=\"x\">",
            "type=\"checkbox\"",
            "checked=\"\"",
            "disabled=\"\"",
            "style=\"text-align:center\"",
            "<aside class=\"admonition note\">",
            "<details class=\"admonition tip\" open=\"\">",
        ] {
            assert!(out.contains(expected), "{expected} missing in {out}");
        }
    }

    #[test]
    fn styles_other_than_alignment_are_dropped() {
        let out = clean(
            "<td style=\"text-align: left; background: url(x)\">c</td><p style=\"color:red\">p</p>",
        );
        assert!(!out.contains("background"), "{out}");
        assert!(!out.contains("color"), "{out}");
    }

    #[test]
    fn links_get_rel_and_images_lazy_loading() {
        let out = clean("<a href=\"https://e.fr\">e</a><img src=\"a.png\" alt=\"a\">");
        assert!(out.contains("rel=\"noopener noreferrer\""), "{out}");
        assert!(out.contains("loading=\"lazy\""), "{out}");
    }

    #[test]
    fn iframe_from_an_allowed_host_is_kept_with_safe_attributes() {
        let out = clean(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Vidéo\" \
             width=\"560\" onload=\"alert(1)\" srcdoc=\"<script>\" allowfullscreen></iframe>",
        );
        assert!(out.contains("<iframe"), "{out}");
        assert!(
            out.contains("src=\"https://www.youtube-nocookie.com/embed/x\""),
            "{out}"
        );
        assert!(out.contains("title=\"Vidéo\""), "{out}");
        assert!(out.contains("loading=\"lazy\""), "{out}");
        assert!(!out.contains("onload"), "{out}");
        assert!(!out.contains("srcdoc"), "{out}");
    }

    #[test]
    fn iframe_content_is_dropped() {
        let out = clean(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"><a href=\"javascript:x\">repli</a></iframe>",
        );
        assert!(out.contains("<iframe"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("repli"), "{out}");
    }

    #[test]
    fn iframes_from_other_hosts_or_without_https_are_removed() {
        for src in [
            "https://evil.example/embed",
            "http://www.youtube-nocookie.com/embed/x",
            "https://www.youtube-nocookie.com.evil.example/x",
            "https://evil.example/?www.youtube-nocookie.com",
            "javascript:alert(1)",
            "",
        ] {
            let out = clean(&format!(
                "<p>a</p><IFRAME SRC=\"{src}\">repli</IFRAME><p>b</p>"
            ));
            assert!(!out.to_lowercase().contains("<iframe"), "{src} → {out}");
            assert!(
                out.contains("<p>a</p>") && out.contains("<p>b</p>"),
                "{out}"
            );
        }
        let out = clean("<iframe>sans src</iframe>");
        assert!(!out.contains("<iframe"), "{out}");
    }

    #[test]
    fn configured_hosts_are_normalised() {
        assert_eq!(
            normalize_host(" https://Tube.Example.fr/ "),
            Some("tube.example.fr".to_string())
        );
        assert_eq!(normalize_host("Tube.fr."), Some("tube.fr".to_string()));
        assert_eq!(normalize_host("  "), None);
        let out = sanitize(
            "<iframe src=\"https://TUBE.fr/v\"></iframe>",
            &["tube.fr".to_string()],
        );
        assert!(out.contains("<iframe"), "{out}");
    }
}
