//! `sitemap.xml` (sitemaps.org protocol 0.9) listing every HTML page, and `robots.txt`.
//!
//! A sitemap holds absolute addresses only: without `base_url` no sitemap is written and
//! `robots.txt` does not mention one. Past [`MAX_URLS`] addresses the list is split into
//! `sitemap-1.xml`, `sitemap-2.xml`… and `sitemap.xml` becomes a sitemap index.

use chrono::NaiveDate;

use crate::publish::plan::PagePlan;
use crate::publish::urls::absolute_url;
use crate::publish::{BuildInput, OutputFile};

/// Most addresses a single sitemap file may hold (sitemaps.org).
pub const MAX_URLS: usize = 50_000;

const SITEMAP: &str = "sitemap.xml";
const XMLNS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One HTML page of the site: its site path and the date its content last changed, if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    pub path: String,
    pub lastmod: Option<NaiveDate>,
}

/// The sitemap file(s) of the pages of `plan`, and `robots.txt`.
pub fn files(input: &BuildInput, plan: &PagePlan) -> Vec<OutputFile> {
    let base_url = &input.config.base_url;
    let mut files = Vec::new();
    if !base_url.is_empty() {
        files.extend(sitemap_files(base_url, &html_pages(plan), MAX_URLS));
    }
    files.push(robots(base_url));
    files
}

/// The pages of the plan search engines should know (every page but the 404 page), in plan
/// order, with the date their content last changed.
pub fn html_pages(plan: &PagePlan) -> Vec<PageEntry> {
    plan.indexable()
        .map(|page| PageEntry {
            path: page.path.clone(),
            lastmod: page.lastmod,
        })
        .collect()
}

/// `sitemap.xml` alone, or past `limit` addresses the numbered sitemaps and their index.
pub fn sitemap_files(base_url: &str, pages: &[PageEntry], limit: usize) -> Vec<OutputFile> {
    let limit = limit.max(1);
    let urls: Vec<(String, Option<NaiveDate>)> = pages
        .iter()
        .filter_map(|p| absolute_url(base_url, &p.path).map(|url| (url, p.lastmod)))
        .collect();
    if urls.len() <= limit {
        return vec![OutputFile {
            path: SITEMAP.to_string(),
            contents: urlset(&urls).into_bytes(),
        }];
    }
    let mut files = Vec::new();
    let mut index = Vec::new();
    for (n, chunk) in urls.chunks(limit).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        if let Some(url) = absolute_url(base_url, &path) {
            index.push((url, chunk.iter().filter_map(|(_, d)| *d).max()));
        }
        files.push(OutputFile {
            path,
            contents: urlset(chunk).into_bytes(),
        });
    }
    files.push(OutputFile {
        path: SITEMAP.to_string(),
        contents: document("sitemapindex", "sitemap", &index).into_bytes(),
    });
    files
}

fn urlset(urls: &[(String, Option<NaiveDate>)]) -> String {
    document("urlset", "url", urls)
}

fn document(root: &str, item: &str, entries: &[(String, Option<NaiveDate>)]) -> String {
    let mut xml =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{XMLNS}\">\n");
    for (loc, lastmod) in entries {
        xml.push_str(&format!(
            "  <{item}>\n    <loc>{}</loc>\n",
            quick_xml::escape::escape(loc)
        ));
        if let Some(date) = lastmod {
            xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
        }
        xml.push_str(&format!("  </{item}>\n"));
    }
    xml.push_str(&format!("</{root}>\n"));
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap address when it is known.
fn robots(base_url: &str) -> OutputFile {
    let mut text = String::from("# robots.txt généré par vitrine\nUser-agent: *\nDisallow:\n");
    if let Some(url) = absolute_url(base_url, SITEMAP) {
        text.push_str(&format!("\nSitemap: {url}\n"));
    }
    OutputFile {
        path: "robots.txt".to_string(),
        contents: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::urls;

    fn entries(n: usize) -> Vec<PageEntry> {
        (0..n)
            .map(|i| PageEntry {
                path: urls::scenario(&format!("s{i}")),
                lastmod: NaiveDate::from_ymd_opt(2024, 1, 1 + (i as u32 % 28)),
            })
            .collect()
    }

    fn text(file: &OutputFile) -> &str {
        std::str::from_utf8(&file.contents).unwrap()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let files = sitemap_files("https://x.fr/vitrine", &entries(3), 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        let xml = text(&files[0]);
        assert!(xml.contains("<urlset"));
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("<loc>https://x.fr/vitrine/scenarios/s0/</loc>"));
        assert!(xml.contains("<lastmod>2024-01-01</lastmod>"));
    }

    #[test]
    fn past_the_limit_sitemaps_are_split_under_an_index() {
        let files = sitemap_files("https://x.fr/", &entries(7), 3);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let counts: Vec<usize> = files[..3]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .collect();
        assert_eq!(counts, [3, 3, 1]);
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(index.contains("<loc>https://x.fr/sitemap-3.xml</loc>"));
        // The newest date of the second chunk (entries 3..6 → days 4..6).
        assert!(index.contains("<lastmod>2024-01-06</lastmod>"));
    }

    #[test]
    fn the_sitemap_lists_the_indexable_pages_of_the_plan_and_only_them() {
        use crate::config::Config;
        use crate::content::{Origine, Scenario, SiteContent};
        use crate::vocab::Vocabularies;

        let mut harvested = Scenario::example("ailleurs");
        harvested.origine = Some(Origine {
            source: "Académie de Lyon".to_string(),
            url: "https://vitrine.ac-lyon.fr/scenarios/ailleurs/".to_string(),
        });
        let mut newest = Scenario::example("recent");
        newest.meta.mise_a_jour = NaiveDate::from_ymd_opt(2025, 6, 1);
        newest.meta.disciplines.push("svt".to_string());
        let scenarios = vec![newest, Scenario::example("ancien"), harvested];
        let content = SiteContent::with_scenarios(scenarios);
        let config = Config::parse("titre: T\nscenarios_par_page: 1\nbase_url: https://x.fr/v/\n")
            .expect("config");
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let input = BuildInput::bare(&config, &vocabs, &content);
        let plan = PagePlan::new(&input).expect("plan");
        let files = files(&input, &plan);
        let xml = text(&files[0]);
        let listed: Vec<(String, Option<String>)> = xml
            .split("<url>")
            .skip(1)
            .map(|entry| {
                let between = |open: &str, close: &str| {
                    let start = entry.find(open)? + open.len();
                    let end = entry[start..].find(close)? + start;
                    Some(entry[start..end].to_string())
                };
                (
                    between("<loc>", "</loc>").expect("loc"),
                    between("<lastmod>", "</lastmod>"),
                )
            })
            .collect();
        let expected: Vec<(String, Option<String>)> = plan
            .indexable()
            .map(|p| {
                let url = absolute_url(&config.base_url, &p.path).expect("absolute");
                (url, p.lastmod.map(|d| d.to_string()))
            })
            .collect();
        assert_eq!(listed, expected);
        // The plan is the whole site: every page but the 404 page, three listing pages, no
        // page for the harvested scenario.
        assert_eq!(listed.len() + 1, plan.pages.len());
        let urls: Vec<&str> = listed.iter().map(|(u, _)| u.as_str()).collect();
        assert!(urls.contains(&"https://x.fr/v/scenarios/page/3/"));
        assert!(urls.contains(&"https://x.fr/v/disciplines/svt/"));
        assert!(!urls
            .iter()
            .any(|u| u.contains("404") || u.contains("ailleurs")));
        assert!(listed.contains(&(
            "https://x.fr/v/disciplines/svt/".to_string(),
            Some("2025-06-01".to_string())
        )));
    }

    #[test]
    fn robots_points_to_the_sitemap_only_with_a_base_url() {
        assert!(text(&robots("https://x.fr/v/")).contains("Sitemap: https://x.fr/v/sitemap.xml"));
        assert!(!text(&robots("")).contains("Sitemap"));
    }

    #[test]
    fn addresses_are_escaped() {
        let pages = [PageEntry {
            // What the URL parser leaves unencoded in a path: `<`, `>` and `"` are.
            path: "a&b'/".to_string(),
            lastmod: None,
        }];
        let xml = text(&sitemap_files("https://x.fr/", &pages, 3)[0]).to_string();
        assert!(
            xml.contains("<loc>https://x.fr/a&amp;b&apos;/</loc>"),
            "{xml}"
        );
    }
}
