//! Diagnostics: every problem found in the user's input, with its location and a French message.
//!
//! Validation never stops at the first problem: each stage returns a `Vec<Diagnostic>` so that
//! a referent sees everything to fix in one pass.

use std::fmt;
use std::path::{Path, PathBuf};

/// The class of a problem. Tests assert on the class; users read the message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// The site configuration is invalid.
    Config,
    /// A Markdown file has no `---` front matter block.
    MissingFrontMatter,
    /// The front matter is not valid YAML.
    InvalidYaml,
    /// A key that the content model does not know.
    UnknownKey,
    /// A required key is absent.
    MissingField,
    /// A value of the wrong type (text instead of a list, etc.).
    WrongType,
    /// A value of the right type but not acceptable (bad date, too long, bad duration…).
    InvalidValue,
    /// A value that is not in a controlled vocabulary.
    UnknownVocabulary,
    /// Two scenarios share the same identifier (slug).
    DuplicateSlug,
    /// A published page links to a draft.
    DraftLinked,
    /// A path that leaves the content directory (`..`, absolute…).
    UnsafePath,
    /// A link to another scenario or file that does not exist.
    BrokenLink,
    /// A link to a heading anchor that no heading of the target page has.
    BrokenAnchor,
    /// An image without its alternative text.
    MissingAlt,
    /// A template of the theme could not be loaded or rendered.
    Template,
    /// A vocabulary data file is invalid.
    Vocabulary,
    /// The output folder may not be replaced, or could not be written.
    Output,
    /// A source file is not UTF-8 text.
    Encoding,
}

/// One problem in the input, located precisely.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    /// Path relative to the site root when possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// The front matter key concerned, e.g. `disciplines` or `auteurs[1].nom`.
    pub field: Option<String>,
    /// What is wrong, in French.
    pub message: String,
    /// The probable intended value, for « vouliez-vous dire … ? ».
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: ErrorKind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            file: file.into(),
            line: 0,
            column: 0,
            field: None,
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    pub fn io(file: &Path, err: &std::io::Error) -> Self {
        Diagnostic::new(
            ErrorKind::Io,
            file,
            format!("lecture ou écriture impossible : {}", io_message_fr(err)),
        )
    }
}

/// A French explanation of an I/O failure. The operating system's own message is English
/// (« Device or resource busy », « os error 28 »): it is never shown, only its French meaning,
/// or the error number when no meaning is known.
pub fn io_message_fr(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let known = match err.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "permission refusée",
        K::AlreadyExists => "le fichier existe déjà",
        K::InvalidData => "le fichier n'est pas du texte UTF-8 valide",
        K::StorageFull => "plus de place sur le disque",
        K::QuotaExceeded => "quota d'espace disque dépassé",
        K::ReadOnlyFilesystem => "le disque est en lecture seule",
        K::ResourceBusy => {
            "le dossier est occupé (ouvert par un autre programme, ou point de montage)"
        }
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::NotADirectory => "un élément du chemin est un fichier, pas un dossier",
        K::FileTooLarge => "fichier trop gros pour ce disque",
        K::CrossesDevices => "le dossier est sur un autre disque",
        K::InvalidFilename => "nom de fichier trop long ou refusé par ce disque",
        K::TooManyLinks => "trop de liens vers ce fichier",
        K::AddrInUse => "adresse ou port déjà utilisé",
        K::AddrNotAvailable => "adresse indisponible sur cette machine",
        K::NetworkUnreachable | K::HostUnreachable => {
            "réseau injoignable (vérifiez la connexion de cette machine)"
        }
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset | K::ConnectionAborted => "connexion interrompue",
        K::TimedOut => "délai dépassé",
        K::Interrupted => "opération interrompue",
        K::OutOfMemory => "mémoire insuffisante",
        K::Unsupported => "opération non prise en charge par ce système ou ce disque",
        K::UnexpectedEof => "fichier tronqué",
        K::BrokenPipe => "la sortie ou la connexion a été fermée",
        K::NotConnected => "pas de connexion",
        K::InvalidInput => "paramètre refusé par le système",
        K::WouldBlock => "ressource momentanément indisponible",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match err.raw_os_error() {
        Some(code) => format!("erreur du système (code {code})"),
        None => "erreur du système".to_string(),
    }
}

impl fmt::Display for Diagnostic {
    /// `fichier:ligne:colonne: erreur [champ] : message` then the suggestion, like a compiler.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, " : erreur")?;
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, " : {}", self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "\n    vouliez-vous dire « {s} » ?")?;
        }
        Ok(())
    }
}

/// Sort diagnostics by file then position, so output is stable whatever the thread order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.kind, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.kind, &b.message))
    });
}

/// Closest candidate to `input` among `candidates`, if it is close enough to be a likely typo.
/// Comparison is done on folded forms (lower case, no accents) so « Mathematique » finds
/// « mathématiques ».
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = crate::text::fold(input);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&needle, &crate::text::fold(candidate));
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.85)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_suggestion() {
        let d = Diagnostic::new(
            ErrorKind::UnknownKey,
            "content/a.md",
            "clé inconnue « titr »",
        )
        .at(3, 1)
        .field("titr")
        .suggest(Some("titre".into()));
        let s = d.to_string();
        assert!(s.starts_with("content/a.md:3:1 : erreur [titr] : clé inconnue"));
        assert!(s.contains("vouliez-vous dire « titre » ?"));
    }

    #[test]
    fn io_messages_are_french_and_keep_an_unknown_code() {
        use std::io::{Error, ErrorKind as K};
        for kind in [
            K::IsADirectory,
            K::StorageFull,
            K::Other,
            K::ConnectionReset,
            K::AddrInUse,
        ] {
            crate::testing::assert_french(&io_message_fr(&Error::from(kind)));
        }
        let busy = io_message_fr(&Error::from_raw_os_error(16));
        assert!(busy.contains("occupé"), "{busy}");
        let unknown = io_message_fr(&Error::from_raw_os_error(9999));
        assert!(unknown.contains("9999"), "{unknown}");
        crate::testing::assert_french(&unknown);
    }

    #[test]
    fn closest_ignores_accents_and_rejects_far_values() {
        let c = ["mathematiques", "francais", "histoire-geographie"];
        assert_eq!(closest("Mathématique", c), Some("mathematiques".into()));
        assert_eq!(closest("zzz", c), None);
    }
}
