//! Resolution of the relative links written in Markdown: to other scenarios and pages by their
//! `.md` path, and to files of a bundle. Links become relative to the page being rendered.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::content::discover::CONTENT_DIR;
use crate::content::{SiteContent, Unchecked};
use crate::diagnostics::closest;
use crate::markdown::{LinkKind, LinkResolver, LinkTarget};
use crate::publish::urls;

/// The address an invalid source would have: its bundle folder's name, or its file's.
fn unchecked_slug(source: &Unchecked) -> String {
    let name = match &source.bundle_dir {
        Some(dir) => dir.file_name(),
        None => source.source.file_stem(),
    };
    crate::text::slugify(&name.unwrap_or_default().to_string_lossy())
}

/// What every link can point to: built once per build, shared by all pages.
pub struct LinkTable {
    /// Markdown source (relative to the site root) → site path of its page.
    pages: BTreeMap<PathBuf, String>,
    /// Published file (relative to the site root) → its site path.
    files: BTreeMap<PathBuf, String>,
    drafts: Vec<PathBuf>,
    style: urls::LinkStyle,
}

impl LinkTable {
    pub fn new(content: &SiteContent, excluded_drafts: &[PathBuf]) -> LinkTable {
        let mut table = LinkTable {
            pages: BTreeMap::new(),
            files: BTreeMap::new(),
            drafts: excluded_drafts.to_vec(),
            style: urls::LinkStyle::Web,
        };
        // Harvested scenarios have no page here to link to.
        for s in content.scenarios.iter().filter(|s| !s.is_harvested()) {
            table
                .pages
                .insert(s.source.clone(), urls::scenario(&s.slug));
            table.add_bundle(s.bundle_dir.as_deref(), &s.bundle_files, &s.slug);
        }
        for p in &content.pages {
            table.pages.insert(p.source.clone(), urls::page(&p.slug));
        }
        table
            .pages
            .insert(content.home.source.clone(), urls::home());
        table
    }

    /// The same table, writing links in `style` (the offline copy names `index.html`).
    pub fn with_style(self, style: urls::LinkStyle) -> LinkTable {
        LinkTable { style, ..self }
    }

    /// Counts `sources` (invalid files, reported elsewhere) as pages, so that links to them are
    /// not reported as broken too, and their bundles' files as files, so that their own links
    /// to them are not either. The build stops on their problems: the address never ships.
    pub fn with_unchecked<'u>(
        mut self,
        sources: impl IntoIterator<Item = &'u Unchecked>,
    ) -> LinkTable {
        for source in sources {
            let slug = unchecked_slug(source);
            self.pages
                .entry(source.source.clone())
                .or_insert_with(|| urls::page(&slug));
            self.add_bundle(source.bundle_dir.as_deref(), &source.bundle_files, &slug);
        }
        self
    }

    /// The files of a bundle (in `dir`), published under the scenario `slug`; a file already
    /// known keeps its address.
    fn add_bundle(&mut self, dir: Option<&Path>, bundle_files: &[PathBuf], slug: &str) {
        if let Some(dir) = dir {
            for f in bundle_files {
                let rel = slash_path(f);
                self.files
                    .entry(dir.join(f))
                    .or_insert_with(|| urls::scenario_file(slug, &rel));
            }
        }
    }

    /// Sources taken as drafts: links to them are errors (drafts whose header is invalid).
    pub fn with_drafts<'p>(mut self, sources: impl IntoIterator<Item = &'p Path>) -> LinkTable {
        self.drafts
            .extend(sources.into_iter().map(Path::to_path_buf));
        self
    }

    /// The first page or file inside the folder `dir`, when there is one.
    fn inside_folder(&self, dir: &Path) -> Option<PathBuf> {
        // Keys sort component by component: a folder's contents follow the folder's path.
        let first = |map: &BTreeMap<PathBuf, String>| {
            map.range(dir.to_path_buf()..)
                .map(|(p, _)| p)
                .find(|p| p.as_path() != dir)
                .filter(|p| p.starts_with(dir))
                .cloned()
        };
        [first(&self.pages), first(&self.files)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Changes whenever a link could resolve differently (a page added, renamed or removed).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.pages.hash(&mut hasher);
        self.files.hash(&mut hasher);
        self.drafts.hash(&mut hasher);
        self.style.hash(&mut hasher);
        hasher.finish()
    }

    /// The Markdown source (relative to the site root) that a relative link written in `from`
    /// points to, when it is a page of the site; `written_path` has no `#fragment`.
    pub fn target_source(&self, from: &Path, written_path: &str) -> Option<PathBuf> {
        let decoded = percent_decode_str(written_path).decode_utf8_lossy();
        let base = from.parent().unwrap_or(Path::new(""));
        let resolved = normalize(&base.join(&*decoded))?;
        self.pages.contains_key(&resolved).then_some(resolved)
    }

    /// A resolver for links in `source`, whose page lives at `page_path`.
    pub fn resolver<'a>(&'a self, source: &'a Path, page_path: &'a str) -> PageLinks<'a> {
        PageLinks {
            table: self,
            source,
            page_path,
            own_files: None,
        }
    }

    /// A resolver for the body of a source that is not published (a draft left out, an
    /// invalid source), checked for its problems only: its links to the files of its own
    /// folder are found, though the table does not hold them (nothing of it is published).
    pub fn unpublished_resolver<'a>(&'a self, source: &'a Unchecked) -> PageLinks<'a> {
        PageLinks {
            table: self,
            source: &source.source,
            page_path: "",
            own_files: source
                .bundle_dir
                .as_deref()
                .map(|dir| (dir, source.bundle_files.as_slice())),
        }
    }
}

pub struct PageLinks<'a> {
    table: &'a LinkTable,
    source: &'a Path,
    page_path: &'a str,
    /// The folder and files of the source's bundle, when they are not in the table.
    own_files: Option<(&'a Path, &'a [PathBuf])>,
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, target: &str, kind: LinkKind) -> LinkTarget {
        let (path_part, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let (path_part, _query) = path_part.split_once('?').unwrap_or((path_part, ""));
        if path_part.is_empty() {
            return LinkTarget::Keep;
        }
        let decoded = percent_decode_str(path_part).decode_utf8_lossy();
        if decoded.starts_with('/') || decoded.contains('\\') || Path::new(&*decoded).is_absolute()
        {
            return LinkTarget::Unsafe {
                message: format!("lien absolu « {target} » : écrivez un chemin relatif au fichier (par exemple ../autre-scenario.md)"),
            };
        }
        let base = self.source.parent().unwrap_or(Path::new(""));
        let Some(resolved) = normalize(&base.join(&*decoded)) else {
            return LinkTarget::Unsafe {
                message: format!("lien « {target} » hors du dossier content"),
            };
        };
        if !resolved.starts_with(CONTENT_DIR) {
            return LinkTarget::Unsafe {
                message: format!("lien « {target} » hors du dossier content"),
            };
        }
        let site_path = if is_markdown(&resolved) {
            self.table.pages.get(&resolved)
        } else {
            self.table.files.get(&resolved)
        };
        match site_path {
            Some(p) => {
                let mut href = self.table.style.relative(self.page_path, p);
                if let Some(f) = fragment {
                    href.push('#');
                    href.push_str(f);
                }
                LinkTarget::Rewrite(href)
            }
            None if self.is_own_file(&resolved) => LinkTarget::Keep,
            None if self.table.drafts.contains(&resolved) => LinkTarget::Draft {
                message: format!("lien vers un brouillon non publié « {target} » : publiez-le (brouillon: false) ou retirez le lien"),
            },
            None => self.folder(target, &resolved, fragment, kind)
                .unwrap_or_else(|| self.broken(target, &resolved, kind)),
        }
    }
}

impl PageLinks<'_> {
    fn is_own_file(&self, resolved: &Path) -> bool {
        self.own_files.is_some_and(|(dir, files)| {
            resolved
                .strip_prefix(dir)
                .is_ok_and(|rel| files.iter().any(|f| f == rel))
        })
    }

    /// A link to a folder: to its scenario when it is a scenario-folder (with its
    /// `index.md`), else an error that says a folder has no page, naming a file inside.
    fn folder(
        &self,
        target: &str,
        resolved: &Path,
        fragment: Option<&str>,
        kind: LinkKind,
    ) -> Option<LinkTarget> {
        let index = resolved.join("index.md");
        if kind == LinkKind::Link {
            if let Some(p) = self.table.pages.get(&index) {
                let mut href = urls::relative(self.page_path, p);
                if let Some(f) = fragment {
                    href.push('#');
                    href.push_str(f);
                }
                return Some(LinkTarget::Rewrite(href));
            }
        }
        let inside = self.table.inside_folder(resolved)?;
        Some(LinkTarget::Broken {
            message: format!(
                "« {target} » est un dossier ({}) : un dossier n'a pas de page publiée ; liez un fichier de ce dossier",
                resolved.display()
            ),
            suggestion: self.relative_from_source(&inside),
        })
    }

    fn broken(&self, target: &str, resolved: &Path, kind: LinkKind) -> LinkTarget {
        let what = match kind {
            LinkKind::Image => "image introuvable",
            LinkKind::Link => "lien cassé",
        };
        let candidates: Vec<String> = if is_markdown(resolved) {
            self.table
                .pages
                .keys()
                .filter_map(|p| self.relative_from_source(p))
                .collect()
        } else {
            self.table
                .files
                .keys()
                .filter_map(|p| self.relative_from_source(p))
                .collect()
        };
        let hint = if !is_markdown(resolved) && kind == LinkKind::Image {
            " (les images se placent dans un scénario-dossier, à côté de son index.md)"
        } else {
            ""
        };
        LinkTarget::Broken {
            message: format!(
                "{what} « {target} » : {} n'existe pas{hint}",
                resolved.display()
            ),
            suggestion: closest(target, candidates.iter().map(String::as_str)),
        }
    }

    /// `path` written as the author would, relative to the linking file.
    fn relative_from_source(&self, path: &Path) -> Option<String> {
        let base = self.source.parent()?;
        let base: Vec<_> = base.components().collect();
        let target: Vec<_> = path.components().collect();
        let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
        let mut out = PathBuf::new();
        for _ in common..base.len() {
            out.push("..");
        }
        for c in &target[common..] {
            out.push(c.as_os_str());
        }
        Some(slash_path(&out))
    }
}

/// Lexical normalisation of `a/b/../c`; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LinkTable {
        let mut pages = BTreeMap::new();
        pages.insert(
            PathBuf::from("content/scenarios/maths/a.md"),
            "scenarios/a/".to_string(),
        );
        pages.insert(
            PathBuf::from("content/scenarios/fr/b/index.md"),
            "scenarios/b/".to_string(),
        );
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("content/scenarios/fr/b/img.svg"),
            "scenarios/b/img.svg".to_string(),
        );
        LinkTable {
            pages,
            files,
            drafts: vec![PathBuf::from("content/scenarios/maths/brouillon.md")],
            style: urls::LinkStyle::Web,
        }
    }

    #[test]
    fn links_to_scenarios_and_files_become_relative() {
        let t = table();
        let r = t.resolver(Path::new("content/scenarios/maths/a.md"), "scenarios/a/");
        assert_eq!(
            r.resolve("../fr/b/index.md#objectifs", LinkKind::Link),
            LinkTarget::Rewrite("../../scenarios/b/#objectifs".into())
        );
        let r = t.resolver(Path::new("content/scenarios/fr/b/index.md"), "scenarios/b/");
        assert_eq!(
            r.resolve("img.svg", LinkKind::Image),
            LinkTarget::Rewrite("../../scenarios/b/img.svg".into())
        );
    }

    #[test]
    fn offline_links_to_pages_name_their_index_file() {
        let t = LinkTable {
            style: urls::LinkStyle::Offline,
            ..table()
        };
        let r = t.resolver(Path::new("content/scenarios/maths/a.md"), "scenarios/a/");
        assert_eq!(
            r.resolve("../fr/b/index.md#objectifs", LinkKind::Link),
            LinkTarget::Rewrite("../../scenarios/b/index.html#objectifs".into())
        );
        assert_eq!(
            r.resolve("../fr/b/img.svg", LinkKind::Image),
            LinkTarget::Rewrite("../../scenarios/b/img.svg".into())
        );
        assert_ne!(t.fingerprint(), table().fingerprint());
    }

    #[test]
    fn broken_draft_and_unsafe_links() {
        let t = table();
        let r = t.resolver(Path::new("content/scenarios/maths/a.md"), "scenarios/a/");
        match r.resolve("../fr/b/indx.md", LinkKind::Link) {
            LinkTarget::Broken { suggestion, .. } => {
                assert_eq!(suggestion.as_deref(), Some("../fr/b/index.md"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            r.resolve("brouillon.md", LinkKind::Link),
            LinkTarget::Draft { .. }
        ));
        assert!(matches!(
            r.resolve("../../../../etc/passwd", LinkKind::Link),
            LinkTarget::Unsafe { .. }
        ));
        assert!(matches!(
            r.resolve("../../../vitrine.yaml", LinkKind::Link),
            LinkTarget::Unsafe { .. }
        ));
        assert!(matches!(
            r.resolve("/scenarios/b/", LinkKind::Link),
            LinkTarget::Unsafe { .. }
        ));
    }
}
