//! The theme: tera 2 templates and static assets, with site overrides.
//!
//! Three layers, later ones replacing earlier ones file by file: the default theme compiled into
//! the binary, the site's chosen theme under `themes/<name>/`, then the site's own `templates/`
//! and `static/` folders. A referent can so override a single template without copying a theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, ErrorKind};

/// The default theme, embedded so that a site works without any theme folder.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/defaut");

pub const DEFAULT_THEME_NAME: &str = "defaut";

/// One file of a layer: its name inside `templates/` or `static/`, where it comes from (for
/// diagnostics, relative to the site root) and its bytes.
struct LayerFile {
    origin: PathBuf,
    bytes: Vec<u8>,
}

/// Files by name (`/`-separated, relative to `templates/` or `static/`); later layers win.
type Layers = BTreeMap<String, LayerFile>;

/// A loaded theme, ready to render pages.
pub struct Theme {
    tera: tera::Tera,
    /// Template name → source file (relative to the site root), to locate errors.
    origins: BTreeMap<String, PathBuf>,
    statics: Layers,
    /// Static file name → site path, hashed for stylesheets and scripts (see [`asset_paths`]).
    assets: BTreeMap<String, String>,
    /// Hash of every template and static file as loaded (see [`Theme::fingerprint`]).
    fingerprint: String,
}

impl Theme {
    /// Loads templates in override order: the built-in default theme, then
    /// `<root>/themes/<name>/templates`, then `<root>/templates/`.
    pub fn load(root: &Path, theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let simple_name = !theme_name.is_empty()
            && theme_name != ".."
            && !theme_name.contains(['/', '\\'])
            && theme_name != ".";
        if !simple_name {
            return Err(vec![Diagnostic::new(
                ErrorKind::Config,
                crate::config::CONFIG_FILE,
                format!("nom de thème « {theme_name} » invalide : indiquez le nom d'un dossier de themes/"),
            )
            .field("theme")]);
        }
        let theme_dir = Path::new("themes").join(theme_name);
        if theme_name != DEFAULT_THEME_NAME && !root.join(&theme_dir).is_dir() {
            return Err(vec![Diagnostic::new(
                ErrorKind::Config,
                crate::config::CONFIG_FILE,
                format!(
                    "le thème « {theme_name} » est introuvable : créez le dossier {} ou retirez la clé theme pour utiliser le thème par défaut",
                    theme_dir.display()
                ),
            )
            .field("theme")]);
        }
        let mut diagnostics = Vec::new();
        let templates = collect_layers(root, &theme_dir, "templates", &mut diagnostics);
        let statics = collect_layers(root, &theme_dir, "static", &mut diagnostics);
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let fingerprint = fingerprint(&templates, &statics);
        let (mut tera, origins) = build_tera(&templates)?;
        let assets = asset_paths(&statics);
        // Every template reaches the assets by name: `{{ root }}{{ actifs["style.css"] }}`.
        tera.global_context().insert("actifs", &assets);
        Ok(Theme {
            tera,
            origins,
            statics,
            assets,
            fingerprint,
        })
    }

    /// Hash of the merged templates and static files (names and bytes): everything a page's
    /// rendering reads besides its context, so equal fingerprints and contexts give equal pages.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Renders a template; a failure becomes a located French diagnostic.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|err| {
            let fallback = self.origin(template);
            tera_diagnostic(&err, &fallback, &self.origins, "rendu impossible")
        })
    }

    /// Whether the theme has a template of this name.
    pub fn has_template(&self, template: &str) -> bool {
        self.tera.contains_template(template)
    }

    /// Static assets as (site path `static/…`, bytes), sorted by path, same override order as
    /// the templates. A stylesheet or script is there twice: under its hashed name, which the
    /// theme's pages use, and under its plain name, for a site's own older templates.
    pub fn static_files(&self) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for (name, file) in &self.statics {
            let plain = crate::publish::urls::static_file(name);
            if let Some(hashed) = self.assets.get(name).filter(|path| **path != plain) {
                files.push((hashed.clone(), file.bytes.clone()));
            }
            files.push((plain, file.bytes.clone()));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }

    /// Site path of a static file by its name in `static/` (`style.css` →
    /// `static/style.3f2a9c1b07.css`), as the templates get it in `actifs`.
    pub fn asset(&self, name: &str) -> Option<&str> {
        self.assets.get(name).map(String::as_str)
    }

    fn origin(&self, template: &str) -> PathBuf {
        self.origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(template))
    }
}

fn fingerprint(templates: &Layers, statics: &Layers) -> String {
    let mut hasher = blake3::Hasher::new();
    for (kind, layers) in [("templates", templates), ("static", statics)] {
        hasher.update(kind.as_bytes());
        hasher.update(&(layers.len() as u64).to_le_bytes());
        for (name, file) in layers {
            // Lengths first: no two different sets of files hash the same bytes.
            hasher.update(&(name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update(&(file.bytes.len() as u64).to_le_bytes());
            hasher.update(&file.bytes);
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// Extensions of the assets whose names carry a hash of their bytes: a server may then keep
/// them in caches for a year (`Cache-Control: immutable`), since new bytes get a new name.
const HASHED_EXTENSIONS: &[&str] = &["css", "js"];

/// Static file name → site path: `static/<stem>.<10 hex of blake3>.<ext>` for stylesheets and
/// scripts, hashed after the site's overrides (the final bytes), `static/<name>` otherwise.
fn asset_paths(statics: &Layers) -> BTreeMap<String, String> {
    statics
        .iter()
        .map(|(name, file)| {
            let path = hashed_name(name, &file.bytes).unwrap_or_else(|| name.clone());
            (name.clone(), crate::publish::urls::static_file(&path))
        })
        .collect()
}

fn hashed_name(name: &str, bytes: &[u8]) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    let file_stem = stem.rsplit('/').next().unwrap_or(stem);
    if file_stem.is_empty() || !HASHED_EXTENSIONS.contains(&ext) {
        return None;
    }
    let hash = blake3::hash(bytes).to_hex();
    Some(format!("{stem}.{}.{ext}", &hash[..10]))
}

/// The three layers of one kind of files (`templates` or `static`), merged.
fn collect_layers(
    root: &Path,
    theme_dir: &Path,
    kind: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Layers {
    let mut files = Layers::new();
    if let Some(dir) = DEFAULT_THEME.get_dir(kind) {
        collect_embedded(dir, kind, &mut files);
    }
    // A site may also keep a copy of the default theme in `themes/defaut/`: same rule.
    collect_disk(root, &theme_dir.join(kind), &mut files, diagnostics);
    collect_disk(root, Path::new(kind), &mut files, diagnostics);
    files
}

fn collect_embedded(dir: &Dir<'static>, kind: &str, files: &mut Layers) {
    for file in dir.files() {
        // Paths inside the embedded theme are relative to its root (`templates/base.html`).
        let Ok(name) = file.path().strip_prefix(kind) else {
            continue;
        };
        files.insert(
            name_of(name),
            LayerFile {
                origin: Path::new("themes")
                    .join(DEFAULT_THEME_NAME)
                    .join(file.path()),
                bytes: file.contents().to_vec(),
            },
        );
    }
    for sub in dir.dirs() {
        collect_embedded(sub, kind, files);
    }
}

/// Adds every file under `<root>/<relative>` to the layer; a missing folder adds nothing.
fn collect_disk(
    root: &Path,
    relative: &Path,
    files: &mut Layers,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = root.join(relative);
    if !dir.is_dir() {
        return;
    }
    let walker = WalkDir::new(&dir).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(&dir).to_path_buf();
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("boucle de liens"));
                diagnostics.push(Diagnostic::io(&relative_to(root, &path), &io));
                continue;
            }
        };
        if !entry.file_type().is_file() || is_hidden(entry.file_name()) {
            continue;
        }
        let Ok(name) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let origin = relative_to(root, entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(name_of(name), LayerFile { origin, bytes });
            }
            Err(err) => diagnostics.push(Diagnostic::io(&origin, &err)),
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A `/`-separated name, whatever the platform.
fn name_of(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Compiles the merged templates. Every syntax error is reported, not only the first one.
fn build_tera(
    templates: &Layers,
) -> Result<(tera::Tera, BTreeMap<String, PathBuf>), Vec<Diagnostic>> {
    let origins: BTreeMap<String, PathBuf> = templates
        .iter()
        .map(|(name, file)| (name.clone(), file.origin.clone()))
        .collect();
    let mut sources: Vec<(&str, String)> = Vec::new();
    let mut diagnostics = Vec::new();
    for (name, file) in templates {
        match String::from_utf8(file.bytes.clone()) {
            Ok(text) => sources.push((name.as_str(), text)),
            Err(_) => diagnostics.push(Diagnostic::new(
                ErrorKind::Template,
                &file.origin,
                "le gabarit n'est pas du texte UTF-8 valide",
            )),
        }
    }
    // Syntax errors are local to a file: check each alone to report them all at once. Other
    // errors (missing parent, unknown include) only make sense with every template loaded.
    for (name, text) in &sources {
        let mut alone = tera::Tera::default();
        if let Err(err) = alone.add_raw_template(name, text) {
            if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                let origin = origins[*name].clone();
                diagnostics.push(tera_diagnostic(&err, &origin, &origins, "gabarit invalide"));
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::default();
    // Only `.html` templates are escaped by default; say it explicitly since the theme relies on it.
    tera.autoescape_on([".html", ".htm", ".xml"]);
    if let Err(err) = tera.add_raw_templates(sources.iter().map(|(n, t)| (*n, t.as_str()))) {
        let what = "thème invalide";
        // Unknown includes, filters or blocks come as one message holding a report per problem.
        if let tera::ErrorKind::Msg(text) = err.kind() {
            let located = located_reports(text, &origins, what);
            if !located.is_empty() {
                return Err(located);
            }
        }
        let fallback = PathBuf::from("templates");
        return Err(vec![tera_diagnostic(&err, &fallback, &origins, what)]);
    }
    Ok((tera, origins))
}

/// Splits tera's text reports (`error: …` then ` --> name:line:col`) into located diagnostics.
fn located_reports(text: &str, origins: &BTreeMap<String, PathBuf>, what: &str) -> Vec<Diagnostic> {
    text.split("\n\n")
        .filter_map(|report| {
            let message = report.lines().next()?.strip_prefix("error: ")?;
            let location = report
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("--> "))?;
            let mut parts = location.rsplitn(3, ':');
            let column: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            let file = origins.get(parts.next()?)?.clone();
            Some(
                Diagnostic::new(ErrorKind::Template, file, format!("{what} : {message}"))
                    .at(line, column),
            )
        })
        .collect()
}

/// Converts a tera error into a diagnostic located in the template that caused it.
fn tera_diagnostic(
    err: &tera::Error,
    fallback: &Path,
    origins: &BTreeMap<String, PathBuf>,
    what: &str,
) -> Diagnostic {
    let (file, line, column, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| fallback.to_path_buf());
            let span = report.span();
            (
                file,
                span.start_line,
                span.start_col + 1,
                report.message().to_string(),
            )
        }
        tera::ErrorKind::TemplateNotFound(name) => (
            fallback.to_path_buf(),
            0,
            0,
            format!("gabarit « {name} » introuvable"),
        ),
        tera::ErrorKind::MissingParent { current, parent } => (
            origins
                .get(current)
                .cloned()
                .unwrap_or_else(|| fallback.to_path_buf()),
            0,
            0,
            format!("le gabarit parent « {parent} » (extends) est introuvable"),
        ),
        tera::ErrorKind::Msg(text) => {
            if let Some(first) = located_reports(text, origins, what).into_iter().next() {
                return first;
            }
            (fallback.to_path_buf(), 0, 0, text.clone())
        }
        other => (fallback.to_path_buf(), 0, 0, other.to_string()),
    };
    let mut full = format!("{what} : {message}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        full.push_str(&format!(" ; cause : {cause}"));
        source = cause.source();
    }
    Diagnostic::new(ErrorKind::Template, file, full).at(line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn stylesheets_and_scripts_get_the_hash_of_their_final_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let default = Theme::load(dir.path(), "defaut").expect("default theme");
        write(dir.path(), "static/style.css", "body{}");
        let site = Theme::load(dir.path(), "defaut").expect("theme with override");
        let hex = &blake3::hash(b"body{}").to_hex()[..10];
        assert_eq!(
            site.asset("style.css"),
            Some(format!("static/style.{hex}.css").as_str())
        );
        assert_ne!(site.asset("style.css"), default.asset("style.css"));
        let script = site.asset("recherche/moteur.js").expect("script");
        assert!(script.starts_with("static/recherche/moteur.") && script.ends_with(".js"));
        assert_eq!(
            site.asset("favicon.svg"),
            Some("static/favicon.svg"),
            "not hashed"
        );
        let files = site.static_files().expect("statics");
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&format!("static/style.{hex}.css").as_str()));
        assert!(
            paths.contains(&"static/style.css"),
            "the plain name is kept for old templates"
        );
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted: {paths:?}");
        let page = site
            .tera
            .render_str("{{ actifs[\"style.css\"] }}", &tera::Context::new(), false)
            .expect("actifs in every template");
        assert_eq!(page, format!("static/style.{hex}.css"));
    }

    #[test]
    fn default_theme_loads_with_its_assets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let theme = Theme::load(dir.path(), "defaut").expect("default theme");
        assert!(theme.has_template("base.html"));
        let statics = theme.static_files().expect("statics");
        let paths: Vec<&str> = statics.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"static/style.css"), "{paths:?}");
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
    }

    #[test]
    fn site_templates_and_statics_override_the_theme() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "templates/partials/pied.html",
            "<p>PIED-DU-SITE</p>",
        );
        write(dir.path(), "static/style.css", "body{}");
        let theme = Theme::load(dir.path(), "defaut").expect("theme");
        let out = theme
            .render("partials/pied.html", &tera::Context::new())
            .expect("render");
        assert_eq!(out, "<p>PIED-DU-SITE</p>");
        let statics = theme.static_files().expect("statics");
        let css = statics
            .iter()
            .find(|(p, _)| p == "static/style.css")
            .expect("css");
        assert_eq!(css.1, b"body{}");
    }

    #[test]
    fn named_theme_layer_sits_between_default_and_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "themes/bleu/templates/a.html", "theme-{{ x }}");
        write(dir.path(), "themes/bleu/templates/b.html", "theme-b");
        write(dir.path(), "templates/b.html", "site-b");
        let theme = Theme::load(dir.path(), "bleu").expect("theme");
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<i>");
        assert_eq!(theme.render("a.html", &ctx).expect("a"), "theme-&lt;i&gt;");
        assert_eq!(theme.render("b.html", &ctx).expect("b"), "site-b");
        assert!(theme.has_template("base.html"));
    }

    #[test]
    fn theme_name_must_be_a_folder_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["../autre", "..", "a/b", ""] {
            let errs = Theme::load(dir.path(), name).err().expect("error");
            assert_eq!(errs[0].field.as_deref(), Some("theme"), "{name}");
        }
    }

    #[test]
    fn unknown_theme_is_a_diagnostic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let errs = Theme::load(dir.path(), "inexistant").err().expect("error");
        assert_eq!(errs[0].kind, ErrorKind::Config);
        assert!(errs[0].message.contains("inexistant"));
    }

    #[test]
    fn syntax_errors_are_located_diagnostics() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "templates/casse.html", "ligne 1\n{% if %}\n");
        write(dir.path(), "templates/casse2.html", "{{ a + }}");
        let errs = Theme::load(dir.path(), "defaut").err().expect("errors");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs.iter().all(|d| d.kind == ErrorKind::Template));
        assert_eq!(errs[0].file, Path::new("templates/casse.html"));
        assert_eq!(errs[0].line, 2);
    }

    #[test]
    fn rendering_errors_are_diagnostics() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "templates/x.html", "a\n{{ inconnue.champ }}");
        write(
            dir.path(),
            "templates/parent-absent.html",
            "{% extends \"nulle-part.html\" %}",
        );
        let errs = Theme::load(dir.path(), "defaut")
            .err()
            .expect("missing parent");
        assert_eq!(errs[0].kind, ErrorKind::Template);

        std::fs::remove_file(dir.path().join("templates/parent-absent.html")).expect("rm");
        let theme = Theme::load(dir.path(), "defaut").expect("theme");
        let err = theme.render("x.html", &tera::Context::new()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Template);
        assert_eq!(err.file, Path::new("templates/x.html"));
        assert_eq!(err.line, 2);
        let missing = theme
            .render("absent.html", &tera::Context::new())
            .unwrap_err();
        assert!(missing.message.contains("absent.html"));
    }

    #[test]
    fn unknown_includes_and_filters_are_located() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "templates/inclut.html",
            "a\n{% include \"manquant.html\" %}",
        );
        let errs = Theme::load(dir.path(), "defaut")
            .err()
            .expect("unknown include");
        assert_eq!(errs[0].file, Path::new("templates/inclut.html"), "{errs:?}");
        assert_eq!(errs[0].line, 2);

        std::fs::remove_file(dir.path().join("templates/inclut.html")).expect("rm");
        write(dir.path(), "templates/filtre.html", "{{ a | inconnu }}");
        let errs = Theme::load(dir.path(), "defaut")
            .err()
            .expect("unknown filter");
        assert_eq!(errs[0].file, Path::new("templates/filtre.html"), "{errs:?}");
        assert!(errs[0].message.contains("inconnu"), "{errs:?}");
    }
}
