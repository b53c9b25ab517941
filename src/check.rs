//! `vitrine check`: everything `build` validates (links to heading anchors included), without
//! writing anything, plus what a build lets through but a reader would trip on (warnings):
//! long summaries, scenarios without CRCN competence, duplicate titles, lists written as one
//! text with commas.
//!
//! The JSON report ([`Report::to_json`]) is a stable interface for académies' CI: its fields
//! and problem codes only change with `version`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::discover::discover;
use crate::content::{self, SiteContent, SourceCache};
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::federation;
use crate::site::prepare::{load_settings, prepare};
use crate::site::{BuildOptions, Silent};
use crate::text::{counted, fold, plural};

/// Version of the JSON report.
pub const REPORT_VERSION: u32 = 1;

/// Beyond this many characters a summary is long to read on cards (search results cut it at
/// 220 already; the hard limit is 500).
pub const SUMMARY_ADVISED_CHARS: usize = 350;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Erreur,
    Avertissement,
}

/// One problem found, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub scenarios: usize,
    pub pages: usize,
    pub findings: Vec<Finding>,
    /// What was read, for the summary's second line.
    pub read: Read,
}

/// The site's Markdown files as read by `check`, valid or not.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// Markdown files: scenarios, pages and the home page when it is written.
    pub files: usize,
    /// The local scenario files.
    pub scenarios: BTreeSet<PathBuf>,
    /// Scenario files marked `brouillon: true`, valid or not.
    pub drafts: usize,
}

impl Read {
    /// Counts the site's Markdown files at `root`.
    pub fn of(root: &Path) -> Read {
        let found = discover(root);
        let drafts = found
            .scenarios
            .iter()
            .filter(|s| {
                std::fs::read_to_string(root.join(&s.file))
                    .is_ok_and(|text| content::marked_draft(&text))
            })
            .count();
        Read {
            files: found.scenarios.len() + found.pages.len() + usize::from(found.home.is_some()),
            scenarios: found.scenarios.into_iter().map(|s| s.file).collect(),
            drafts,
        }
    }

    /// « 5 fichiers lus : 2 scénarios valides, 1 avec des erreurs, 1 brouillon. »,
    /// `error_files` being the file of each error.
    pub fn summary<'a>(&self, error_files: impl Iterator<Item = &'a Path>) -> String {
        let with_errors = error_files
            .filter(|file| self.scenarios.contains(*file))
            .collect::<BTreeSet<_>>()
            .len();
        let valid = self.scenarios.len() - with_errors;
        format!(
            "{} : {} valide{}, {with_errors} avec des erreurs, {}.\n",
            counted(self.files, "fichier lu", "fichiers lus"),
            counted(valid, "scénario", "scénarios"),
            plural(valid),
            counted(self.drafts, "brouillon", "brouillons")
        )
    }
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Erreur)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Avertissement)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// `true` when the site may be published (no error; no warning either when `strict`).
    pub fn passes(&self, strict: bool) -> bool {
        self.errors() == 0 && (!strict || self.warnings() == 0)
    }

    /// The report as the documented JSON object.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            version: REPORT_VERSION,
            scenarios: self.scenarios,
            pages: self.pages,
            erreurs: self.errors(),
            avertissements: self.warnings(),
            problemes: self.findings.iter().map(JsonFinding::from).collect(),
        };
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }

    /// The report as a GitLab Code Quality report (a JSON array), so that problems show in
    /// merge requests. `prefix` is the site root's path inside the repository (see
    /// [`repository_prefix`]): GitLab locates files from the repository's root.
    pub fn to_gitlab(&self, prefix: &Path) -> String {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let issues: Vec<GitlabIssue> = self
            .findings
            .iter()
            .map(|f| {
                let issue = GitlabIssue::new(f, prefix);
                // Two identical problems at one place still need two fingerprints: the
                // occurrence number is part of it (findings are sorted, so it is stable).
                let occurrence = seen.entry(issue.identity()).or_default();
                *occurrence += 1;
                issue.fingerprinted(*occurrence)
            })
            .collect();
        serde_json::to_string_pretty(&issues).unwrap_or_default()
    }

    /// The report as text, one problem per line like a compiler, then a summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let d = &f.diagnostic;
            let mut place = d.file.display().to_string();
            if d.line > 0 {
                place.push_str(&format!(":{}", d.line));
                if d.column > 0 {
                    place.push_str(&format!(":{}", d.column));
                }
            }
            let severity = match f.severity {
                Severity::Erreur => "erreur",
                Severity::Avertissement => "avertissement",
            };
            let field = d
                .field
                .as_ref()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            out.push_str(&format!("{place} : {severity}{field} : {}\n", d.message));
            if let Some(s) = &d.suggestion {
                out.push_str(&format!("    vouliez-vous dire « {s} » ?\n"));
            }
        }
        let errors = match self.errors() {
            0 => "0 erreur".to_string(),
            n => format!(
                "{} dans {}",
                counted(n, "erreur", "erreurs"),
                counted(self.files_with_errors(), "fichier", "fichiers")
            ),
        };
        out.push_str(&format!(
            "{} et {} vérifiés : {errors}, {}.\n",
            counted(self.scenarios, "scénario", "scénarios"),
            counted(self.pages, "page", "pages"),
            counted(self.warnings(), "avertissement", "avertissements")
        ));
        out.push_str(&self.read_summary());
        out
    }

    fn read_summary(&self) -> String {
        self.read.summary(
            self.findings
                .iter()
                .filter(|f| f.severity == Severity::Erreur)
                .map(|f| f.diagnostic.file.as_path()),
        )
    }

    /// How many files have at least one error.
    pub fn files_with_errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Erreur)
            .map(|f| &f.diagnostic.file)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    scenarios: usize,
    pages: usize,
    erreurs: usize,
    avertissements: usize,
    problemes: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    gravite: Severity,
    code: &'static str,
    fichier: String,
    ligne: usize,
    colonne: usize,
    champ: Option<&'a str>,
    message: &'a str,
    suggestion: Option<&'a str>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        let d = &f.diagnostic;
        JsonFinding {
            gravite: f.severity,
            code: f.code,
            fichier: d.file.display().to_string().replace('\\', "/"),
            ligne: d.line,
            colonne: d.column,
            champ: d.field.as_deref(),
            message: &d.message,
            suggestion: d.suggestion.as_deref(),
        }
    }
}

/// One problem in GitLab's Code Quality format (a subset of Code Climate's).
#[derive(Serialize)]
struct GitlabIssue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation,
}

#[derive(Serialize)]
struct GitlabLocation {
    path: String,
    lines: GitlabLines,
}

#[derive(Serialize)]
struct GitlabLines {
    begin: usize,
}

impl GitlabIssue {
    fn new(f: &Finding, prefix: &Path) -> GitlabIssue {
        let d = &f.diagnostic;
        let mut description = match &d.field {
            Some(field) => format!("[{field}] {}", d.message),
            None => d.message.clone(),
        };
        if let Some(s) = &d.suggestion {
            description.push_str(&format!(" ; vouliez-vous dire « {s} » ?"));
        }
        GitlabIssue {
            description,
            check_name: f.code,
            fingerprint: String::new(),
            severity: match f.severity {
                Severity::Erreur => "major",
                Severity::Avertissement => "minor",
            },
            location: GitlabLocation {
                path: prefix
                    .join(&d.file)
                    .display()
                    .to_string()
                    .replace('\\', "/"),
                // GitLab counts lines from 1; a problem of the whole file is shown on its first.
                lines: GitlabLines {
                    begin: d.line.max(1),
                },
            },
        }
    }

    /// What GitLab shows of a problem: two problems alike in all of it differ by occurrence.
    fn identity(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.check_name, self.location.path, self.location.lines.begin, self.description
        )
    }

    fn fingerprinted(mut self, occurrence: usize) -> GitlabIssue {
        let key = format!("{}\n{occurrence}", self.identity());
        self.fingerprint = blake3::hash(key.as_bytes()).to_hex()[..32].to_string();
        self
    }
}

/// The path of the site root inside its git repository (empty when the site is the
/// repository, or is in none), for paths GitLab can find.
pub fn repository_prefix(root: &Path) -> std::path::PathBuf {
    let Ok(root) = std::fs::canonicalize(root) else {
        return std::path::PathBuf::new();
    };
    root.ancestors()
        .find(|dir| dir.join(".git").exists())
        .and_then(|repo| root.strip_prefix(repo).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The stable code of each class of error.
pub fn error_code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Io => "lecture-ecriture",
        ErrorKind::Config => "configuration",
        ErrorKind::MissingFrontMatter => "entete-absente",
        ErrorKind::InvalidYaml => "yaml-invalide",
        ErrorKind::UnknownKey => "cle-inconnue",
        ErrorKind::MissingField => "champ-manquant",
        ErrorKind::WrongType => "type-incorrect",
        ErrorKind::InvalidValue => "valeur-invalide",
        ErrorKind::UnknownVocabulary => "valeur-hors-vocabulaire",
        ErrorKind::DuplicateSlug => "identifiant-en-double",
        ErrorKind::DraftLinked => "lien-vers-brouillon",
        ErrorKind::UnsafePath => "chemin-refuse",
        ErrorKind::BrokenLink => "lien-casse",
        ErrorKind::BrokenAnchor => ANCHOR_CODE,
        ErrorKind::MissingAlt => "texte-alternatif-manquant",
        ErrorKind::Template => "gabarit",
        ErrorKind::Vocabulary => "vocabulaire",
        ErrorKind::Output => "dossier-de-publication",
        ErrorKind::Encoding => "encodage",
    }
}

pub const ANCHOR_CODE: &str = "ancre-introuvable";
pub const LONG_SUMMARY_CODE: &str = "resume-long";
pub const NO_CRCN_CODE: &str = "sans-competence-numerique";
pub const DUPLICATE_TITLE_CODE: &str = "titre-en-double";
/// A list written as one text with commas, read as a list.
pub const COMMA_LIST_CODE: &str = "liste-en-texte";
/// A harvested entry left out (invalid, or a duplicate), or a source not harvested yet.
pub const HARVEST_CODE: &str = "moissonnage";

/// Checks the site at `options.root` (drafts included: they will be published one day).
/// Warnings are reported even when there are errors: a referent fixes everything in one pass.
pub fn check(options: &BuildOptions) -> Report {
    let mut options = options.clone();
    options.drafts = true;
    let read = Read::of(&options.root);
    let (mut findings, scenarios, pages) = match prepare(&options, &Silent) {
        Ok(prepared) => {
            // Errors, anchors included, stop `prepare`: `build` and `check` agree on them.
            let content = &prepared.loaded.content;
            let findings = warnings(
                &options.root,
                content,
                &prepared.comma_lists,
                &prepared.warnings,
            );
            // The home page counts, written (content/_index.md) or not.
            (findings, content.scenarios.len(), content.pages.len() + 1)
        }
        Err(problems) => {
            // Count the files found, checked whether or not they have errors.
            let found = discover(&options.root);
            let mut findings: Vec<Finding> = problems.into_iter().map(error).collect();
            findings.extend(warnings_despite_errors(&options));
            (findings, found.scenarios.len(), found.pages.len() + 1)
        }
    };
    findings.sort_by(|a, b| {
        let (x, y) = (&a.diagnostic, &b.diagnostic);
        (&x.file, x.line, x.column, a.severity, a.code)
            .cmp(&(&y.file, y.line, y.column, b.severity, b.code))
    });
    Report {
        scenarios,
        pages,
        findings,
        read,
    }
}

/// The warnings of the valid sources of a site that has errors: `prepare` stops at errors,
/// so the valid content is loaded again (only when there are errors).
fn warnings_despite_errors(options: &BuildOptions) -> Vec<Finding> {
    let Ok((config, vocabs)) = load_settings(options) else {
        return Vec::new();
    };
    let root = &options.root;
    let partial = content::load_partial(root, &config, &vocabs, true, &mut SourceCache::default());
    let mut content = partial.loaded.content;
    let harvested = federation::load(root, &config, &vocabs);
    let mut others = harvested.warnings;
    others.extend(federation::merge(
        &mut content,
        &config.base_url,
        harvested.scenarios,
    ));
    warnings(root, &content, &partial.comma_lists, &others)
}

/// What a build lets through but a reader would trip on; `comma_lists` are the lists written
/// as text, `others` the harvested entries left out.
fn warnings(
    root: &Path,
    content: &SiteContent,
    comma_lists: &[Diagnostic],
    others: &[Diagnostic],
) -> Vec<Finding> {
    let mut findings = summary_warnings(content);
    findings.extend(crcn_warnings(content));
    findings.extend(duplicate_title_warnings(content));
    for w in &mut findings {
        locate_field(root, &mut w.diagnostic);
    }
    findings.extend(
        comma_lists
            .iter()
            .map(|d| warning(COMMA_LIST_CODE, d.clone())),
    );
    // Harvested entries left out and duplicates: the build goes on without them.
    findings.extend(others.iter().map(|d| warning(HARVEST_CODE, d.clone())));
    findings
}

/// Points a warning about a front matter key at the line of that key (or at the front
/// matter's first line when the key is absent).
fn locate_field(root: &Path, diagnostic: &mut Diagnostic) {
    let Some(field) = diagnostic.field.clone() else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(root.join(&diagnostic.file)) else {
        return;
    };
    let prefix = format!("{field}:");
    let line = text
        .lines()
        .position(|l| l.starts_with(&prefix))
        .map_or(1, |i| i + 1);
    *diagnostic = diagnostic.clone().at(line, 1);
}

fn error(diagnostic: Diagnostic) -> Finding {
    Finding {
        severity: Severity::Erreur,
        code: error_code(diagnostic.kind),
        diagnostic,
    }
}

fn warning(code: &'static str, diagnostic: Diagnostic) -> Finding {
    Finding {
        severity: Severity::Avertissement,
        code,
        diagnostic,
    }
}

fn summary_warnings(content: &SiteContent) -> Vec<Finding> {
    content
        .scenarios
        .iter()
        .filter(|s| !s.is_harvested())
        .filter_map(|s| {
            let count = s.meta.resume.chars().count();
            (count > SUMMARY_ADVISED_CHARS).then(|| {
                warning(
                    LONG_SUMMARY_CODE,
                    Diagnostic::new(
                        ErrorKind::InvalidValue,
                        &s.source,
                        format!("résumé long : {count} caractères ; au-delà de {SUMMARY_ADVISED_CHARS} il devient long à lire sur les cartes et il est coupé dans les résultats de recherche"),
                    )
                    .field("resume"),
                )
            })
        })
        .collect()
}

fn crcn_warnings(content: &SiteContent) -> Vec<Finding> {
    content
        .scenarios
        .iter()
        .filter(|s| !s.is_harvested() && s.meta.competences_numeriques.is_empty())
        .map(|s| {
            warning(
                NO_CRCN_CODE,
                Diagnostic::new(
                    ErrorKind::MissingField,
                    &s.source,
                    "aucune compétence numérique (CRCN) : ajoutez competences_numeriques, par exemple [1.1, 3.1], pour que le scénario apparaisse dans cette facette",
                )
                .field("competences_numeriques"),
            )
        })
        .collect()
}

fn duplicate_title_warnings(content: &SiteContent) -> Vec<Finding> {
    let mut by_title: BTreeMap<String, Vec<&Path>> = BTreeMap::new();
    for s in content.scenarios.iter().filter(|s| !s.is_harvested()) {
        by_title
            .entry(fold(s.meta.titre.trim()))
            .or_default()
            .push(&s.source);
    }
    let mut findings = Vec::new();
    for files in by_title.values().filter(|f| f.len() > 1) {
        let mut files = files.clone();
        files.sort();
        for file in &files[1..] {
            findings.push(warning(
                DUPLICATE_TITLE_CODE,
                Diagnostic::new(
                    ErrorKind::InvalidValue,
                    *file,
                    format!(
                        "même titre que {} : les enseignants ne sauront pas les distinguer dans les listes",
                        files[0].display()
                    ),
                )
                .field("titre"),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity, line: usize, message: &str) -> Finding {
        let diagnostic =
            Diagnostic::new(ErrorKind::BrokenLink, "content/a.md", message).at(line, 3);
        Finding {
            severity,
            code: error_code(diagnostic.kind),
            diagnostic,
        }
    }

    #[test]
    fn the_gitlab_report_has_every_field_and_unique_fingerprints() {
        let report = Report {
            scenarios: 1,
            pages: 1,
            findings: vec![
                finding(Severity::Erreur, 4, "lien cassé"),
                // The same problem twice at one place, and once on another line.
                finding(Severity::Erreur, 9, "lien cassé"),
                finding(Severity::Erreur, 9, "lien cassé"),
                finding(Severity::Avertissement, 0, "résumé long"),
            ],
            read: Read::default(),
        };
        let json: serde_json::Value =
            serde_json::from_str(&report.to_gitlab(Path::new("site"))).expect("JSON");
        let issues = json.as_array().expect("array");
        assert_eq!(issues.len(), 4);
        let severities: Vec<&str> = issues
            .iter()
            .filter_map(|i| i["severity"].as_str())
            .collect();
        assert_eq!(severities, ["major", "major", "major", "minor"]);
        let lines: Vec<u64> = issues
            .iter()
            .filter_map(|i| i["location"]["lines"]["begin"].as_u64())
            .collect();
        assert_eq!(lines, [4, 9, 9, 1], "a whole-file problem is on line 1");
        assert!(issues.iter().all(
            |i| i["location"]["path"] == "site/content/a.md" && i["check_name"] == "lien-casse"
        ));
        let fingerprints: BTreeSet<&str> = issues
            .iter()
            .filter_map(|i| i["fingerprint"].as_str())
            .collect();
        assert_eq!(fingerprints.len(), 4);
        assert_eq!(
            report.to_gitlab(Path::new("site")),
            report.to_gitlab(Path::new("site"))
        );
    }
}
