//! The output layout: where each page lives, and relative links between pages.
//!
//! Every internal link is relative to the page it appears on, so the output works unchanged
//! under any sub-path (`https://www.ac-exemple.fr/vitrine/`) and from a copied folder. Paths
//! here are "site paths": relative to the output root, `/`-separated, directories ending in `/`.

use crate::config::Config;
use crate::content::Facet;

pub fn home() -> String {
    String::new()
}

pub fn scenario(slug: &str) -> String {
    format!("scenarios/{slug}/")
}

/// Listing of all scenarios; page 1 is the listing root.
pub fn scenarios_listing(page: usize) -> String {
    paginated("scenarios/".to_string(), page)
}

pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

pub fn search() -> String {
    "recherche/".to_string()
}

/// The address parameter of a facet on the search page (`?discipline=…`): the search bundle's
/// manifest gives it to the page script, and links into the search page use it.
pub fn search_parameter(facet: Facet) -> &'static str {
    match facet {
        Facet::Subjects => "discipline",
        Facet::Levels => "niveau",
        Facet::Cycles => "cycle",
        Facet::Academies => "academie",
        Facet::Types => "type",
        Facet::Modes => "modalite",
        Facet::DigitalSkills => "competence",
        Facet::Tools => "outil",
    }
}

/// The search page filtered on facet values: `recherche/?discipline=maths&outil=tableur`.
pub fn filtered_search(filters: &[(Facet, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (facet, key) in filters {
        query.append_pair(search_parameter(*facet), key);
    }
    format!("{}?{}", search(), query.finish())
}

/// The dashboard: counts of scenarios per discipline, niveau, académie…
pub fn dashboard() -> String {
    "tableau-de-bord/".to_string()
}

pub fn facet_index(facet: Facet) -> String {
    format!("{}/", facet.slug())
}

pub fn facet_value(facet: Facet, key: &str, page: usize) -> String {
    paginated(format!("{}/{}/", facet.slug(), key), page)
}

/// A file published beside a scenario page (bundle image or attachment).
pub fn scenario_file(slug: &str, file: &str) -> String {
    format!("scenarios/{slug}/{file}")
}

/// The Moodle / m@gistère package of a scenario (`exports::imscc`), beside its page.
pub fn scenario_package(slug: &str) -> String {
    scenario_file(slug, &format!("{slug}.imscc"))
}

pub fn static_file(path: &str) -> String {
    format!("static/{path}")
}

fn paginated(base: String, page: usize) -> String {
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// The file to write for a site path: directories get `index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// Relative href from the page at `from` (a directory site path) to the site path `to`.
///
/// `from = "scenarios/a/"`, `to = "disciplines/svt/"` gives `../../disciplines/svt/`.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    let mut href = "../".repeat(depth);
    href.push_str(to);
    if href.is_empty() {
        "./".to_string()
    } else {
        href
    }
}

/// How an href to a folder is written. A web server answers `scenarios/a/` with the folder's
/// `index.html`; a browser opening the site from disk (`file://`, a USB key) shows the folder's
/// listing instead, so the offline copy names the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LinkStyle {
    /// Clean addresses ending in `/`.
    #[default]
    Web,
    /// Addresses ending in `index.html` (`vitrine build --hors-ligne`, `hors_ligne: true`).
    Offline,
}

impl LinkStyle {
    pub fn of(config: &Config) -> LinkStyle {
        if config.hors_ligne {
            LinkStyle::Offline
        } else {
            LinkStyle::Web
        }
    }

    /// `href` (relative or site path, possibly with `?query` or `#fragment`) as this style
    /// writes it: unchanged on the web, with `index.html` after a folder offline.
    pub fn href(self, href: String) -> String {
        if self == LinkStyle::Web {
            return href;
        }
        let end = href.find(['?', '#']).unwrap_or(href.len());
        let (path, rest) = href.split_at(end);
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html{rest}")
        } else {
            href
        }
    }

    /// [`relative`] in this style: `../../disciplines/svt/index.html` offline.
    pub fn relative(self, from: &str, to: &str) -> String {
        self.href(relative(from, to))
    }
}

/// Absolute address of a site path, when the site declares its public address.
pub fn absolute_url(base_url: &str, site_path: &str) -> Option<String> {
    if base_url.is_empty() {
        return None;
    }
    let mut base = url::Url::parse(base_url).ok()?;
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join(site_path).ok().map(String::from)
}

/// Site path of the whole-site feed.
pub const SITE_FEED: &str = "flux.xml";

/// Facets that get one feed per value.
pub const FEED_FACETS: [Facet; 3] = [Facet::Subjects, Facet::Academies, Facet::Levels];

/// Whether the site declares its public address: feeds, the sitemap, ScoLOMFR records and
/// the OAI repository need absolute addresses and exist only then.
pub fn has_base_url(config: &Config) -> bool {
    !config.base_url.is_empty()
}

/// Site path of the feed of a facet value, for the facets that have feeds.
pub fn facet_feed(facet: Facet, key: &str) -> Option<String> {
    FEED_FACETS
        .contains(&facet)
        .then(|| format!("{}flux.xml", facet_value(facet, key, 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtered_search_names_each_facet_and_encodes_keys() {
        assert_eq!(
            filtered_search(&[
                (Facet::Subjects, "mathematiques"),
                (Facet::Tools, "tableur")
            ]),
            "recherche/?discipline=mathematiques&outil=tableur"
        );
        assert_eq!(
            filtered_search(&[(Facet::Academies, "ac-lyon"), (Facet::DigitalSkills, "1.3")]),
            "recherche/?academie=ac-lyon&competence=1.3"
        );
        assert_eq!(
            filtered_search(&[(Facet::Tools, "a b&c=é")]),
            "recherche/?outil=a+b%26c%3D%C3%A9"
        );
    }

    #[test]
    fn relative_links_climb_to_the_root() {
        assert_eq!(relative("", "scenarios/a/"), "scenarios/a/");
        assert_eq!(relative("scenarios/a/", ""), "../../");
        assert_eq!(
            relative("scenarios/a/", "static/style.css"),
            "../../static/style.css"
        );
        assert_eq!(relative("", ""), "./");
        assert_eq!(
            relative(&facet_value(Facet::Levels, "5e", 2), &scenario("x")),
            "../../../../scenarios/x/"
        );
    }

    #[test]
    fn offline_links_name_the_index_file_of_folders() {
        let offline = LinkStyle::Offline;
        assert_eq!(offline.relative("", ""), "./index.html");
        assert_eq!(offline.relative("scenarios/a/", ""), "../../index.html");
        assert_eq!(
            offline.relative("scenarios/a/", "disciplines/svt/"),
            "../../disciplines/svt/index.html"
        );
        assert_eq!(
            offline.relative("scenarios/a/", "static/style.css"),
            "../../static/style.css"
        );
        assert_eq!(
            offline.relative("", "scenarios/a/fiche.pdf"),
            "scenarios/a/fiche.pdf"
        );
        assert_eq!(
            offline.href("../b/#objectifs".to_string()),
            "../b/index.html#objectifs"
        );
        assert_eq!(offline.href("?q=x".to_string()), "index.html?q=x");
        assert_eq!(
            offline.href(scenario("{slug}")),
            "scenarios/{slug}/index.html"
        );
        assert_eq!(
            LinkStyle::Web.relative("scenarios/a/", "disciplines/svt/"),
            "../../disciplines/svt/"
        );
    }

    #[test]
    fn output_files_for_directories_are_index_html() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("scenarios/a/"), "scenarios/a/index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }

    #[test]
    fn absolute_urls_need_a_base_url() {
        assert_eq!(absolute_url("", "scenarios/a/"), None);
        assert_eq!(
            absolute_url("https://x.fr/vitrine", "scenarios/a/").as_deref(),
            Some("https://x.fr/vitrine/scenarios/a/")
        );
        assert_eq!(
            absolute_url("https://x.fr", "").as_deref(),
            Some("https://x.fr/")
        );
    }
}
