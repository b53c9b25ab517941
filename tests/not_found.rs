//! The 404 page is answered by the web server for any missing address, at any depth and under
//! any sub-folder: it carries its styles and icon itself, with or without `base_url`, and asks
//! for no file of `static/`.

mod common;

use scraper::{Html, Selector};
use vitrine::site::BuildOptions;

fn not_found_page(base_url: Option<&str>) -> Html {
    let site = common::demo_site();
    let mut options = BuildOptions::new(site.path());
    options.base_url = base_url.map(str::to_string);
    common::build_with(options).expect("demo builds");
    let html = std::fs::read_to_string(site.path().join("public/404.html")).expect("404.html");
    Html::parse_document(&html)
}

fn theme_file(name: &str) -> String {
    let path = common::repo_root().join("themes/defaut/static").join(name);
    std::fs::read_to_string(path).expect("theme file")
}

#[test]
fn the_not_found_page_carries_its_styles_with_and_without_base_url() {
    let any = Selector::parse("[href], [src]").expect("selector");
    let styles = Selector::parse("head style").expect("selector");
    let icon = Selector::parse(r#"link[rel="icon"]"#).expect("selector");
    for base_url in [None, Some("https://www.ac-exemple.fr/vitrine/")] {
        let page = not_found_page(base_url);
        let requested: Vec<&str> = page
            .select(&any)
            .filter(|e| e.value().name() != "a")
            .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
            .filter(|address| !address.starts_with("data:"))
            .filter(|address| !address.ends_with("flux.xml"))
            .collect();
        assert_eq!(
            requested,
            Vec::<&str>::new(),
            "{base_url:?}: no file asked for"
        );
        // The text, not `inner_html`: the serialiser escapes `>` even inside a style element.
        let inline: Vec<String> = page.select(&styles).map(|s| s.text().collect()).collect();
        assert_eq!(
            inline,
            [theme_file("style.css"), theme_file("print.css")],
            "{base_url:?}"
        );
        let icon = page
            .select(&icon)
            .next()
            .and_then(|e| e.value().attr("href"))
            .unwrap_or_default();
        assert!(icon.starts_with("data:image/svg+xml,%3Csvg"), "{icon}");
    }
}
