//! Tests of [`render`] as a whole; the parts have their own tests beside them.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::*;

const FILE: &str = "content/scenarios/exemple.md";

/// A resolver driven by the test: destinations starting with `casse`, `brouillon` or
/// `../` fail, `interne/…` is rewritten, the rest is kept. It remembers every call.
#[derive(Default)]
struct TestResolver {
    calls: RefCell<Vec<(String, LinkKind)>>,
}

impl LinkResolver for TestResolver {
    fn resolve(&self, target: &str, kind: LinkKind) -> LinkTarget {
        self.calls.borrow_mut().push((target.to_string(), kind));
        if target.starts_with("casse") {
            LinkTarget::Broken {
                message: format!("lien cassé : « {target} » n'existe pas"),
                suggestion: Some("cas.md".to_string()),
            }
        } else if target.starts_with("brouillon") {
            LinkTarget::Draft {
                message: "ce scénario est un brouillon".to_string(),
            }
        } else if target.starts_with("../") {
            LinkTarget::Unsafe {
                message: "chemin hors du contenu".to_string(),
            }
        } else if let Some(rest) = target.strip_prefix("interne/") {
            LinkTarget::Rewrite(format!("../{rest}/"))
        } else {
            LinkTarget::Keep
        }
    }
}

fn render_with(body: &str, resolver: &dyn LinkResolver, hosts: &[String]) -> Rendered {
    let source = Source {
        file: Path::new(FILE),
        body,
        first_line: 1,
    };
    render(
        &source,
        resolver,
        &Options {
            iframe_hosts: hosts,
        },
    )
}

fn render_md(body: &str) -> Rendered {
    render_with(body, &TestResolver::default(), &[])
}

fn kinds(rendered: &Rendered) -> Vec<ErrorKind> {
    rendered.diagnostics.iter().map(|d| d.kind).collect()
}

#[test]
fn headings_get_french_deduplicated_ids_and_fill_the_toc() {
    let r = render_md(
        "## Déroulement de la séance\n\n### Objectifs\n\n### Objectifs\n\n#### Détail\n\n## Bilan {#fin .important}\n",
    );
    assert!(
        r.html.contains("<h2 id=\"deroulement-de-la-seance\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h3 id=\"objectifs\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"objectifs-2\">"), "{}", r.html);
    assert!(r.html.contains("<h4 id=\"detail\">"), "{}", r.html);
    assert!(
        r.html.contains("<h2 id=\"fin\" class=\"important\">"),
        "{}",
        r.html
    );
    let toc: Vec<(u8, &str, &str)> = r
        .toc
        .iter()
        .map(|e| (e.level, e.id.as_str(), e.title.as_str()))
        .collect();
    assert_eq!(
        toc,
        vec![
            (2, "deroulement-de-la-seance", "Déroulement de la séance"),
            (3, "objectifs", "Objectifs"),
            (3, "objectifs-2", "Objectifs"),
            (2, "fin", "Bilan"),
        ]
    );
}

#[test]
fn custom_ids_are_reserved_before_earlier_headings_take_them() {
    let r = render_md("## Objectifs\n\n## Autres {#objectifs}\n");
    assert_eq!(r.toc[0].id, "objectifs-2");
    assert_eq!(r.toc[1].id, "objectifs");
}

#[test]
fn h1_is_demoted_to_h2_and_listed() {
    let r = render_md("# Titre dans le corps\n\ntexte\n");
    assert!(!r.html.contains("<h1"), "{}", r.html);
    assert!(
        r.html.contains("<h2 id=\"titre-dans-le-corps\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("</h2>"), "{}", r.html);
    assert_eq!(r.toc.len(), 1);
    assert_eq!(r.toc[0].level, 2);
}

#[test]
fn heading_text_with_markup_is_plain_in_toc_and_slug() {
    let r = render_md("## Les `variables` en *Python*\n");
    assert_eq!(r.toc[0].title, "Les variables en Python");
    assert_eq!(r.toc[0].id, "les-variables-en-python");
}

#[test]
fn extensions_are_rendered() {
    let body = "| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n\
        ~~barré~~\n\n\
        - [x] fait\n- [ ] à faire\n\n\
        Note[^1].\n\n[^1]: La note.\n\n\
        Terme\n: Définition\n\n\
        > [!NOTE]\n> Alerte\n";
    let r = render_md(body);
    let html = &r.html;
    assert!(
        html.contains("<div class=\"table-container\"><table>"),
        "{html}"
    );
    assert!(html.contains("</table>\n</div>"), "{html}");
    assert!(html.contains("style=\"text-align:center\""), "{html}");
    assert!(html.contains("<del>barré</del>"), "{html}");
    // Task-list ticks carry an accessible name (WCAG 4.1.2).
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"fait\">"),
        "{html}"
    );
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\" aria-label=\"à faire\">"),
        "{html}"
    );
    assert!(html.contains("href=\"#fn-1\""), "{html}");
    assert!(html.contains("id=\"fn-1\""), "{html}");
    assert!(html.contains("<dt>Terme</dt>"), "{html}");
    assert!(html.contains("<dd>Définition</dd>"), "{html}");
    assert!(html.contains("class=\"markdown-alert-note\""), "{html}");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn punctuation_is_kept_as_written() {
    let r = render_md("Il a dit \"bonjour\" -- puis... 'voilà'\n");
    assert!(r.html.contains("-- puis..."), "{}", r.html);
    assert!(!r.html.contains('“') && !r.html.contains('—'), "{}", r.html);
}

#[test]
fn admonitions_become_asides_with_markdown_inside() {
    let body = "!!! note \"À retenir\"\n    Du **gras**.\n\n    - un\n    - deux\n\nAprès.\n\n??? tip\n    Caché\n";
    let r = render_md(body);
    let html = &r.html;
    assert!(html.contains("<aside class=\"admonition note\">"), "{html}");
    assert!(
        html.contains("<p class=\"admonition-title\">À retenir</p>"),
        "{html}"
    );
    assert!(html.contains("<strong>gras</strong>"), "{html}");
    assert!(html.contains("<li>deux</li>"), "{html}");
    assert!(!html.contains("<pre>"), "{html}");
    let close = html.find("</aside>").expect("closed");
    assert!(close < html.find("Après").expect("after"), "{html}");
    assert!(
        html.contains("<details class=\"admonition tip\">"),
        "{html}"
    );
    assert!(html.contains("<summary>Astuce</summary>"), "{html}");
    assert!(r.plain_text.contains("À retenir"), "{}", r.plain_text);
    assert!(r.plain_text.contains("Astuce"), "{}", r.plain_text);
}

#[test]
fn relative_links_are_resolved_and_rewritten() {
    let resolver = TestResolver::default();
    let body = "[a](interne/cycle-3) [b](https://exemple.fr) [c](#objectifs) \
        [d](mailto:a@b.fr) [e](fichier.pdf#page=2) <https://auto.fr> <moi@ac.fr>\n\n\
        ![carte](interne/carte)\n";
    let r = render_with(body, &resolver, &[]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.html.contains("href=\"../cycle-3/\""), "{}", r.html);
    assert!(r.html.contains("src=\"../carte/\""), "{}", r.html);
    assert!(r.html.contains("href=\"https://exemple.fr\""), "{}", r.html);
    assert!(r.html.contains("href=\"#objectifs\""), "{}", r.html);
    assert!(r.html.contains("href=\"fichier.pdf#page=2\""), "{}", r.html);
    assert!(r.html.contains("href=\"mailto:moi@ac.fr\""), "{}", r.html);
    assert_eq!(
        *resolver.calls.borrow(),
        vec![
            ("interne/cycle-3".to_string(), LinkKind::Link),
            ("fichier.pdf#page=2".to_string(), LinkKind::Link),
            ("interne/carte".to_string(), LinkKind::Image),
        ]
    );
}

#[test]
fn broken_link_is_located_in_the_file() {
    // The body starts on line 8 of the file (after the front matter); the link is on
    // the third line of the body, after « Voir é » (7 characters, 8 bytes).
    let body = "Introduction.\n\nVoir é [la suite](casse.md) ici.\n";
    let source = Source {
        file: Path::new(FILE),
        body,
        first_line: 8,
    };
    let r = render(&source, &TestResolver::default(), &Options::default());
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.kind, ErrorKind::BrokenLink);
    assert_eq!(d.file, PathBuf::from(FILE));
    assert_eq!((d.line, d.column), (10, 8));
    assert_eq!(d.message, "lien cassé : « casse.md » n'existe pas");
    assert_eq!(d.suggestion.as_deref(), Some("cas.md"));
    assert!(
        r.html
            .contains("<span class=\"lien-casse\">la suite</span>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("casse.md"), "{}", r.html);
}

#[test]
fn link_inside_an_admonition_is_located_in_the_file() {
    let body = "!!! note\n    Texte [x](casse.md)\n";
    let r = render_md(body);
    let d = &r.diagnostics[0];
    assert_eq!((d.line, d.column), (2, 11));
}

#[test]
fn draft_and_unsafe_targets_are_reported() {
    let r = render_md("[a](brouillon.md)\n\n[b](../../etc/passwd)\n\n![c](../x.png)\n");
    assert_eq!(
        kinds(&r),
        vec![
            ErrorKind::DraftLinked,
            ErrorKind::UnsafePath,
            ErrorKind::UnsafePath
        ]
    );
    assert_eq!(r.diagnostics[1].line, 3);
    assert_eq!(r.diagnostics[2].line, 5);
    assert!(!r.html.contains("passwd"), "{}", r.html);
    assert!(
        r.html.contains("<span class=\"image-cassee\">c</span>"),
        "{}",
        r.html
    );
}

#[test]
fn forbidden_schemes_in_markdown_links_are_reported_and_removed() {
    let r = render_md(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) ![d](data:image/png;base64,AAAA)\n",
    );
    assert_eq!(kinds(&r), vec![ErrorKind::UnsafePath; 4]);
    assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
    assert!(!r.html.contains("data:"), "{}", r.html);
}

#[test]
fn empty_destinations_are_broken_links() {
    let r = render_md("[vide]()\n");
    assert_eq!(kinds(&r), vec![ErrorKind::BrokenLink]);
}

#[test]
fn image_without_alt_is_an_error_and_images_load_lazily() {
    let r = render_md("Texte\n\n![](photo.jpg)\n\n![  ](autre.jpg)\n\n![Une carte](carte.png)\n");
    assert_eq!(
        kinds(&r),
        vec![ErrorKind::MissingAlt, ErrorKind::MissingAlt]
    );
    assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (3, 1));
    assert!(r.diagnostics[0].message.contains("texte alternatif"));
    assert!(
        r.html
            .contains("<img src=\"carte.png\" alt=\"Une carte\" loading=\"lazy\">"),
        "{}",
        r.html
    );
}

#[test]
fn attribute_lists_after_links_and_images_are_dropped() {
    let r = render_md(
        "![Carte](carte.png){: .center width=40%} [site](https://a.fr){:target=\"_blank\"} puis \
         [b](https://b.fr){. target=\"_blank\"}, ![c](c.png){width=50%} et {: .center} seul.\n",
    );
    assert!(!r.html.contains("center width"), "{}", r.html);
    assert!(!r.html.contains("_blank"), "{}", r.html);
    assert!(!r.html.contains("width=50%"), "{}", r.html);
    assert!(r.html.contains("</a> puis"), "{}", r.html);
    // Not after a link: the author's text is kept.
    assert!(r.html.contains("et {: .center} seul."), "{}", r.html);
    assert!(!r.plain_text.contains("_blank"), "{}", r.plain_text);
}

#[test]
fn braces_that_are_not_attribute_lists_are_kept() {
    for text in ["{x}", "{ a, b }", "{}", "{: pas fermé"] {
        let r = render_md(&format!("[lien](https://a.fr){text} fin\n"));
        assert!(r.html.contains(text), "{text} → {}", r.html);
    }
}

#[test]
fn hostile_html_is_sanitised() {
    let cases = [
        ("<script>alert(1)</script>", "alert"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript"),
        ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "javascript"),
        (
            "<a href=\"&#106;&#97;vascript:alert(1)\">x</a>",
            "avascript",
        ),
        ("<svg onload=alert(1)><circle/></svg>", "onload"),
        ("<style>body{display:none}</style>", "display"),
        ("<iframe src=\"https://evil.example/\"></iframe>", "iframe"),
        ("<p onmouseover=\"alert(1)\">survol</p>", "onmouseover"),
        (
            "<form action=\"https://evil.example\"><button>x</button></form>",
            "form",
        ),
        ("<object data=\"x.swf\"></object>", "object"),
    ];
    for (input, forbidden) in cases {
        for body in [input.to_string(), format!("Texte {input} en ligne.\n")] {
            let r = render_md(&body);
            assert!(
                !r.html.to_lowercase().contains(forbidden),
                "{body:?} → {}",
                r.html
            );
        }
    }
}

#[test]
fn iframe_from_an_allowed_host_is_kept() {
    let hosts = vec!["tube.ac-exemple.fr".to_string()];
    let body = "Vidéo :\n\n<iframe src=\"https://tube.ac-exemple.fr/videos/embed/1\" title=\"Démo\" width=\"560\" onload=\"x()\" allowfullscreen></iframe>\n\n<iframe src=\"https://autre.example/embed\"></iframe>\n";
    let r = render_with(body, &TestResolver::default(), &hosts);
    assert_eq!(r.html.matches("<iframe").count(), 1, "{}", r.html);
    assert!(
        r.html
            .contains("src=\"https://tube.ac-exemple.fr/videos/embed/1\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("loading=\"lazy\""), "{}", r.html);
    assert!(!r.html.contains("onload"), "{}", r.html);
    assert!(!r.html.contains("autre.example"), "{}", r.html);
}

#[test]
fn plain_text_and_word_count() {
    let r = render_md(
        "## Titre\n\nUn *premier* paragraphe.\n\n```python\nprint(\"code\")\n```\n\n<div>brut</div>\n\n- liste\n",
    );
    assert_eq!(
        r.plain_text,
        "Titre\nUn premier paragraphe.\nprint(\"code\")\nliste"
    );
    assert_eq!(r.word_count, 6);
    assert!(!r.plain_text.contains('<'));
}

#[test]
fn every_block_starts_its_own_line_in_the_plain_text() {
    let r = render_md(
        "- alpha\n  - beta\n- item\n  > citation\n\n| a<br>b | c |\n|---|---|\n| d | e |\n",
    );
    assert_eq!(r.plain_text, "alpha\nbeta\nitem\ncitation\na b c\nd e");
}

#[test]
fn output_is_deterministic() {
    let body = "# A\n\n<input><iframe src=\"https://t.fr/v\" width=\"1\" title=\"t\"></iframe>\n\n![a](b.png \"titre\")\n\n| x |\n|---|\n| y |\n";
    let hosts = vec!["t.fr".to_string()];
    let first = render_with(body, &KeepLinks, &hosts);
    for _ in 0..20 {
        assert_eq!(render_with(body, &KeepLinks, &hosts), first);
    }
}

#[test]
fn long_runs_of_text_fragments_are_merged() {
    // Thousands of `_` split the text into fragments that are merged again.
    let body = "a_".repeat(50_000);
    let r = render_md(&body);
    assert_eq!(r.word_count, 1);
}

#[test]
fn odd_inputs_do_not_panic() {
    let long_nesting = "> ".repeat(500) + "fin";
    let deep_html = "<div>".repeat(2000);
    let bodies = [
        "",
        "\n\n\n",
        "\u{feff}# BOM",
        "[x](",
        "![",
        "!!! note \"\"\n",
        "!!!",
        "???+ x\n\t```\n\tcode",
        "\r\n!!! note\r\n    crlf\r\n",
        "## \n## {#}\n",
        "[^1]\n\n[^1]: [^1]",
        "<iframe",
        "|a|\n|-|\n|<iframe src=x>|",
        long_nesting.as_str(),
        deep_html.as_str(),
        "é\u{0}\u{202e}",
    ];
    for body in bodies {
        let r = render_with(body, &TestResolver::default(), &["t.fr".to_string()]);
        // Raw HTML may legitimately vanish (an unfinished `<iframe` tag).
        if !body.trim().is_empty() && !body.contains('<') {
            assert!(!r.html.is_empty(), "{body:?}");
        }
    }
}

/// Random documents made of Markdown-significant pieces (fixed seed, so reproducible).
#[test]
fn random_markdown_does_not_panic() {
    const PIECES: [&str; 30] = [
        "!!! note \"T\"",
        "??? tip",
        "=== \"O\"",
        "\n",
        "\n\n",
        "    ",
        "\t",
        "```",
        "~~~",
        "[a](",
        ")",
        "![",
        "](x.png)",
        "]",
        "<iframe src=\"https://t.fr/\">",
        "</iframe>",
        "# ",
        "## é",
        "|",
        "-",
        "{: .c}",
        "{#id}",
        "[^1]",
        "[^1]: n",
        "> ",
        "<script>",
        "é",
        "<a href=\"javascript:x\">",
        "casse.md",
        "* ",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        // xorshift64: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..400 {
        let length = (next() % 40) as usize;
        let body: String = (0..length)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let r = render_with(&body, &TestResolver::default(), &["t.fr".to_string()]);
        assert_eq!(unsafe_markup(&r.html), None, "{body:?}");
        for d in &r.diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "{body:?}: {d:?}");
        }
    }
}

/// Every Markdown file of the shared corpora renders, with nothing dangerous left.
#[test]
fn corpora_render_safely() {
    let Some(root) = crate::testing::shared("corpora") else {
        return;
    };
    let mut count = 0;
    for entry in walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Ok(body) = std::fs::read_to_string(path) else {
            continue;
        };
        let source = Source {
            file: path,
            body: &body,
            first_line: 1,
        };
        let r = render(&source, &KeepLinks, &Options::default());
        if !body.trim().is_empty() {
            assert!(!r.html.trim().is_empty(), "{}", path.display());
        }
        // `<script`, ` on…=` and `javascript:` in markup; the same words in text (code
        // samples about JavaScript) are fine.
        assert_eq!(unsafe_markup(&r.html), None, "{}", path.display());
        count += 1;
    }
    assert!(count > 0, "no Markdown file under {}", root.display());
}

/// A tag of the sanitised output: name and attributes (name, value).
type ParsedTag = (String, Vec<(String, String)>);

/// The tags of sanitised HTML. Relies on the serialiser's normal form (text `<` escaped,
/// attribute values in double quotes), so that code samples shown as text, such as
/// `&lt;button onclick="…"&gt;`, are not mistaken for markup.
fn parse_tags(html: &str) -> Vec<ParsedTag> {
    let stop = |c: char| c.is_whitespace() || c == '>' || c == '/' || c == '=';
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let name_end = rest.find(stop).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let attribute_end = rest.find(stop).unwrap_or(rest.len()).max(1);
            let attribute = rest[..attribute_end].to_ascii_lowercase();
            rest = &rest[attribute_end..];
            let mut value = String::new();
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let value_end = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..value_end].to_string();
                rest = quoted.get(value_end + 1..).unwrap_or("");
            }
            attributes.push((attribute, value));
        }
        tags.push((name, attributes));
    }
    tags
}

/// Why `html` is unsafe: a script element, an `on…=` event handler, a `javascript:`
/// address; `None` when it is clean. Text in other attributes is only text.
fn unsafe_markup(html: &str) -> Option<String> {
    for (name, attributes) in parse_tags(html) {
        if name == "script" {
            return Some("<script>".to_string());
        }
        for (attribute, value) in attributes {
            let handler = attribute.len() > 2
                && attribute.starts_with("on")
                && attribute.chars().all(|c| c.is_ascii_lowercase());
            let url_attribute = matches!(
                attribute.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "poster"
            );
            let compact: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            let script_url =
                url_attribute && compact.to_ascii_lowercase().starts_with("javascript:");
            if handler || script_url {
                return Some(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
    }
    None
}

#[test]
fn unsafe_markup_detector_works() {
    assert!(unsafe_markup("<p onclick=\"x\">").is_some());
    assert!(unsafe_markup("<p class=\"a\"><img src=\"a\" onerror=\"x\"></p>").is_some());
    assert!(unsafe_markup("<a href=\"JavaScript:x\">").is_some());
    assert!(unsafe_markup("<SCRIPT>").is_some());
    assert!(unsafe_markup("<p title=\"a onclick=b <b onclick=c>\">x</p>").is_none());
    assert!(unsafe_markup("<code>&lt;b onclick=\"javascript:x\"&gt;</code>").is_none());
    assert!(unsafe_markup("<p>bonjour</p>").is_none());
    assert!(unsafe_markup("<img alt=\"javascript:x\">").is_none());
    assert!(unsafe_markup("<a href=\" java\tscript:x\">").is_some());
    assert!(unsafe_markup("<a href=\"a%20href=%22javascript:x%22\">").is_none());
}

/// A footnote reference says « note » to a screen reader (a link whose whole text is « 1 » is
/// not explicit, RGAA 6.1), its first one has an id, and the note's number links back to it.
#[test]
fn footnotes_are_explicit_links_with_a_way_back() {
    let body = "Texte[^a] et encore[^a]. Autre[^2].\n\n\
        \
        [^2]: Deuxième.\n[^a]: Première.\n[^seule]: Sans appel.\n";
    let r = render_md(body);
    let html = &r.html;
    let first = "<sup class=\"footnote-reference\"><a href=\"#fn-a\" id=\"fnref-a\" rel=\"noopener noreferrer\">\
        <span class=\"visuellement-cache\">note </span>1</a></sup>";
    assert!(html.contains(first), "{html}");
    // The second reference to the same note: same number, no second id.
    assert_eq!(html.matches("id=\"fnref-a\"").count(), 1, "{html}");
    assert_eq!(html.matches("href=\"#fn-a\"").count(), 2, "{html}");
    assert!(
        html.contains("<span class=\"visuellement-cache\">note </span>2</a>"),
        "{html}"
    );
    // Each note links back to its first reference, numbered as in the text.
    assert!(
        html.contains("<div class=\"footnote-definition\" id=\"fn-a\"><sup class=\"footnote-definition-label\">\
            <a href=\"#fnref-a\" rel=\"noopener noreferrer\"><span class=\"visuellement-cache\">retour au texte, note </span>1</a></sup>"),
        "{html}"
    );
    assert!(html.contains("href=\"#fnref-2\""), "{html}");
    // A note without reference has no link back (it would lead nowhere).
    assert!(
        html.contains("id=\"fn-seule\"><sup class=\"footnote-definition-label\">3</sup>"),
        "{html}"
    );
    assert!(!html.contains("fnref-seule"), "{html}");
    // Every id is unique, and the notes' text stays searchable.
    let ids = r.ids();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(r.plain_text.contains("Première."), "{}", r.plain_text);
}

/// A heading named like a reference's id does not take it.
#[test]
fn a_heading_does_not_take_a_footnote_reference_id() {
    let r = render_md("## fnref a\n\nTexte[^a].\n\n[^a]: Note.\n");
    assert!(r.html.contains("id=\"fnref-a\""), "{}", r.html);
    assert_eq!(r.html.matches("id=\"fnref-a\"").count(), 1, "{}", r.html);
}

/// The digest made with the plain text is its BLAKE3 (the index compares documents by it);
/// a value made by hand, without one, gets it computed.
#[test]
fn the_plain_text_digest_is_the_hash_of_the_plain_text() {
    let r = render_md("Des **bandes** de papier.\n");
    assert_eq!(
        r.plain_text_digest,
        *blake3::hash(r.plain_text.as_bytes()).as_bytes()
    );
    assert_eq!(r.text_digest(), r.plain_text_digest);
    let by_hand = Rendered {
        plain_text: "Autre.".into(),
        ..Rendered::default()
    };
    assert_eq!(by_hand.text_digest(), *blake3::hash(b"Autre.").as_bytes());
}

/// The digest of the HTML (what a rebuild compares pages by) follows the HTML: made with it,
/// made again when it is replaced, computed for a value made by hand.
#[test]
fn the_html_digest_follows_the_html() {
    let hash = |html: &str| *blake3::hash(html.as_bytes()).as_bytes();
    let mut r = render_md("Des **bandes** de papier.\n");
    assert_eq!(r.html_digest, hash(r.html()));
    r.set_html("<p>Autre</p>".to_string());
    assert_eq!(r.html_digest(), hash("<p>Autre</p>"));
    let by_hand = Rendered {
        html: "<p>Main</p>".into(),
        ..Rendered::default()
    };
    assert_eq!(by_hand.html_digest(), hash("<p>Main</p>"));
}

/// A store that refuses every read and counts the attempts.
#[derive(Default)]
struct Unread {
    reads: std::sync::atomic::AtomicUsize,
}

impl crate::text::TextStore for Unread {
    fn read(&self, _: Range<u64>) -> Option<Vec<u8>> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        None
    }

    fn damaged(&self) {}
}

/// A body taken from the reading cache keeps its texts on disk: a rebuild compares pages and
/// index documents by the digests it stored, without reading a single text.
#[test]
fn the_digests_of_stored_texts_are_read_without_the_texts() {
    let r = render_md("Des **bandes** de papier.\n");
    let store = std::sync::Arc::new(Unread::default());
    let stored = |digest| BodyText::stored(store.clone(), 0..10, digest);
    let (_, _, rest) = r.texts_apart();
    let kept = rest.with_texts(stored(r.html_digest), stored(r.plain_text_digest));
    assert_eq!(kept.html_digest(), r.html_digest());
    assert_eq!(kept.text_digest(), r.text_digest());
    assert_eq!(kept.word_count, r.word_count);
    assert_eq!(store.reads.load(std::sync::atomic::Ordering::SeqCst), 0);
}
