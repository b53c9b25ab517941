//! `vitrine new`: a new scenario file, with every key present and French hints, so that a
//! referent only fills in blanks. In a terminal, [`interactive`] first asks for what is missing.

pub mod interactive;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::content::discover::BUNDLE_INDEX;
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::text::slugify;
use crate::vocab::{VocabName, Vocabularies};

/// What the referent asked for.
#[derive(Debug, Clone, Default)]
pub struct NewScenario {
    pub titre: String,
    /// As typed: keys, labels or aliases (`maths`, `Mathématiques`).
    pub disciplines: Vec<String>,
    pub niveaux: Vec<String>,
    pub academie: Option<String>,
    /// Optional vocabulary lists, as typed; left as commented examples when empty.
    pub types: Vec<String>,
    pub modalites: Vec<String>,
    /// The summary and the author's name; the template's « À compléter » texts when absent.
    pub resume: Option<String>,
    pub auteur: Option<String>,
    /// A folder with `index.md`, for images and attachments.
    pub bundle: bool,
}

/// Where the file was written, and what is left to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub path: PathBuf,
    /// Required keys left empty (French key names).
    pub to_fill: Vec<&'static str>,
}

/// The site's configuration and its vocabularies: the built-in ones extended by `vocabulaires:`.
pub fn load_site(root: &Path) -> Result<(Config, Vocabularies), Diagnostic> {
    let config = Config::load(root)?;
    let mut vocabs = Vocabularies::builtin()?;
    for (name, entries) in &config.vocabulaires {
        vocabs.extend(*name, entries.clone());
    }
    Ok((config, vocabs))
}

/// Writes the new scenario under `content/scenarios/` of `root`; never overwrites.
pub fn create(
    root: &Path,
    request: &NewScenario,
    config: &Config,
    vocabs: &Vocabularies,
    today: NaiveDate,
) -> Result<Created, Diagnostic> {
    let slug = slugify(&request.titre);
    if slug.is_empty() {
        return Err(error(
            "titre",
            "le titre ne contient aucune lettre ni aucun chiffre : donnez un titre au scénario, par exemple vitrine new \"Débattre en EMC avec un mur collaboratif\"",
        ));
    }
    let disciplines = resolve_all(vocabs, VocabName::Subjects, &request.disciplines)?;
    let niveaux = resolve_all(vocabs, VocabName::Levels, &request.niveaux)?;
    let types = resolve_all(vocabs, VocabName::Types, &request.types)?;
    let modalites = resolve_all(vocabs, VocabName::Modes, &request.modalites)?;
    let academie = match request.academie.as_ref().or(config.academie.as_ref()) {
        Some(written) => resolve_all(vocabs, VocabName::Academies, std::slice::from_ref(written))?
            .into_iter()
            .next()
            .map(|(_, label)| label),
        None => None,
    };
    let folder = root.join("content/scenarios");
    // Scenarios are grouped by discipline folder, like the demo site.
    let relative = match (disciplines.first().map(|(key, _)| key), request.bundle) {
        (Some(discipline), true) => PathBuf::from(discipline).join(&slug).join(BUNDLE_INDEX),
        (Some(discipline), false) => PathBuf::from(discipline).join(format!("{slug}.md")),
        (None, true) => PathBuf::from(&slug).join(BUNDLE_INDEX),
        (None, false) => PathBuf::from(format!("{slug}.md")),
    };
    let path = folder.join(&relative);
    if let Some(taken) = title_taken(root, &request.titre) {
        return Err(taken);
    }
    let mut to_fill = Vec::new();
    if disciplines.is_empty() {
        to_fill.push("disciplines");
    }
    if niveaux.is_empty() {
        to_fill.push("niveaux");
    }
    if academie.is_none() {
        to_fill.push("academie");
    }
    if request.resume.is_none() {
        to_fill.push("resume");
    }
    if request.auteur.is_none() {
        to_fill.push("auteurs");
    }
    let labels = |pairs: &[(String, String)]| -> Vec<String> {
        pairs.iter().map(|(_, label)| label.clone()).collect()
    };
    let values = Resolved {
        disciplines: labels(&disciplines),
        niveaux: labels(&niveaux),
        academie,
        types: labels(&types),
        modalites: labels(&modalites),
    };
    let text = template(request, config, today, &values);
    write_new(&path, &text)?;
    Ok(Created { path, to_fill })
}

fn error(field: &str, message: &str) -> Diagnostic {
    Diagnostic::new(ErrorKind::InvalidValue, "vitrine new", message.to_string()).field(field)
}

/// `(key, label)` of what the referent typed, or an error with the closest value.
fn resolve_all(
    vocabs: &Vocabularies,
    name: VocabName,
    written: &[String],
) -> Result<Vec<(String, String)>, Diagnostic> {
    let vocab = vocabs.get(name);
    written
        .iter()
        .map(|value| match vocab.resolve(value) {
            Some(entry) => Ok((entry.cle.clone(), entry.libelle.clone())),
            None => {
                let hint = vocab
                    .suggest(value)
                    .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
                    .unwrap_or_else(|| format!(" ; {}", vocab.accepted_values()));
                Err(error(
                    name.file_stem(),
                    &format!(
                        "valeur inconnue « {value} » pour {}{hint}",
                        name.file_stem()
                    ),
                ))
            }
        })
        .collect()
}

/// The error for a title whose file name another scenario of the site already has.
pub fn title_taken(root: &Path, titre: &str) -> Option<Diagnostic> {
    let slug = slugify(titre);
    let existing = existing_slug(&root.join("content/scenarios"), &slug)?;
    Some(Diagnostic::new(
        ErrorKind::DuplicateSlug,
        existing,
        format!(
            "un scénario « {slug} » existe déjà : rien n'a été écrit ; choisissez un autre titre"
        ),
    ))
}

/// A scenario file or bundle folder already named `slug`, anywhere under `folder`.
fn existing_slug(folder: &Path, slug: &str) -> Option<PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .find(|entry| {
            let name = entry.file_name().to_string_lossy();
            let stem = name.strip_suffix(".md").unwrap_or(&name);
            stem == slug && (entry.file_type().is_dir() || name.ends_with(".md"))
        })
        .map(|entry| entry.path().to_path_buf())
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::new(
            ErrorKind::Io,
            path,
            format!("impossible d'écrire le nouveau scénario : {e}"),
        )
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    // `create_new` refuses an existing file even if it appeared since the check above.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_error)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io_error)
}

/// A YAML list on one line, each value quoted.
fn yaml_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| yaml_string(v)).collect();
    format!("[{}]", quoted.join(", "))
}

fn yaml_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The labels of the vocabulary values the referent gave.
struct Resolved {
    disciplines: Vec<String>,
    niveaux: Vec<String>,
    academie: Option<String>,
    types: Vec<String>,
    modalites: Vec<String>,
}

/// `key: [values]`, or the commented example line when there is no value.
fn optional_list(key: &str, values: &[String], example: &str) -> String {
    if values.is_empty() {
        example.to_string()
    } else {
        format!("{key}: {}", yaml_list(values))
    }
}

fn template(request: &NewScenario, config: &Config, today: NaiveDate, values: &Resolved) -> String {
    let academie_line = match &values.academie {
        Some(a) => format!("academie: {}", yaml_string(a)),
        None => "academie: \"\"   # À COMPLÉTER : votre académie, par exemple Lyon".to_string(),
    };
    let list_or_todo = |values: &[String], example: &str| {
        if values.is_empty() {
            format!("[]   # À COMPLÉTER, par exemple {example}")
        } else {
            yaml_list(values)
        }
    };
    let resume = request.resume.as_deref().map_or_else(
        || "\"À compléter : en deux ou trois phrases, ce que font les élèves et ce qu'ils apprennent (500 caractères au plus).\"".to_string(),
        yaml_string,
    );
    let auteur = request
        .auteur
        .as_deref()
        .map_or_else(|| "\"À compléter : Prénom Nom\"".to_string(), yaml_string);
    let types = optional_list(
        "types",
        &values.types,
        "# types: [séquence]                # séance, séquence, projet, activité…",
    );
    let modalites = optional_list(
        "modalites",
        &values.modalites,
        "# modalites: [en groupe]           # en classe entière, en groupe, en autonomie, à distance…",
    );
    let bundle_hint = if request.bundle {
        "# Les images et les pièces jointes se rangent dans ce dossier, à côté de index.md.\n"
    } else {
        ""
    };
    format!(
        r#"---
titre: {titre}
resume: {resume}
date: {today}
auteurs:
  - nom: {auteur}
    # fonction: professeure de mathématiques
    # etablissement: Collège …
{academie_line}
disciplines: {disciplines}
niveaux: {niveaux}
# cycles: se déduisent des niveaux ; à écrire seulement pour les préciser.
{types}
{modalites}
# duree: "2 x 55 min"              # ou « 1 h 30 »
# outils: [Tableur, ENT]           # les outils numériques utilisés, librement
# competences_numeriques: ["1.1"]  # compétences du CRCN (1.1 à 5.2)
# mots_cles: [débat, oral]
# licence: {licence}               # par défaut, celle du site
# vignette: image.png              # une image du dossier du scénario…
# vignette_alt: "Ce que montre l'image"   # …et sa description, obligatoire
# ressources:
#   - titre: Fiche élève
#     fichier: fiche-eleve.pdf
# url_source: https://…
# Tant que brouillon vaut true, le scénario n'est pas publié (vitrine serve le montre, avec un bandeau « Brouillon »).
brouillon: true
---
{bundle_hint}
## Objectifs

- À compléter.

## Déroulement

### Séance 1

À compléter.

## Évaluation

À compléter.
"#,
        titre = yaml_string(&request.titre),
        disciplines = list_or_todo(&values.disciplines, "[Mathématiques]"),
        niveaux = list_or_todo(&values.niveaux, "[6e]"),
        licence = config.licence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front_matter(text: &str) -> serde_yaml::Value {
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split("\n---\n").next())
            .expect("front matter between --- lines");
        serde_yaml::from_str(yaml).expect("the written header is YAML")
    }

    fn write(request: &NewScenario) -> (tempfile::TempDir, String) {
        let root = tempfile::tempdir().expect("temp dir");
        let config = Config::parse("titre: Test\n").expect("config");
        let vocabs = Vocabularies::builtin().expect("vocabularies");
        let today = NaiveDate::from_ymd_opt(2025, 3, 14).expect("date");
        let created = create(root.path(), request, &config, &vocabs, today).expect("created");
        let text = fs::read_to_string(&created.path).expect("written");
        (root, text)
    }

    #[test]
    fn answers_with_quotes_and_colons_are_written_as_yaml_values() {
        let request = NewScenario {
            titre: "Séance 1 : « découverte »".into(),
            disciplines: vec!["maths".into()],
            niveaux: vec!["6e".into(), "cinquième".into()],
            academie: Some("lyon".into()),
            types: vec!["séquence".into()],
            modalites: vec!["groupes".into()],
            resume: Some("Les élèves \"débattent\" : l'oral d'abord.".into()),
            auteur: Some("Anne-Lise d'Arc".into()),
            bundle: false,
        };
        let (_root, text) = write(&request);
        let header = front_matter(&text);
        assert_eq!(header["titre"], "Séance 1 : « découverte »");
        assert_eq!(
            header["resume"],
            "Les élèves \"débattent\" : l'oral d'abord."
        );
        assert_eq!(header["auteurs"][0]["nom"], "Anne-Lise d'Arc");
        assert_eq!(header["niveaux"][1], "Cinquième");
        assert_eq!(header["types"][0], "Scénario pédagogique");
        assert_eq!(header["modalites"][0], "En groupe");
        assert!(!text.contains("À compléter :"), "{text}");
    }

    #[test]
    fn without_answers_the_optional_keys_stay_commented_examples() {
        let request = NewScenario {
            titre: "Brouillon".into(),
            ..NewScenario::default()
        };
        let (_root, text) = write(&request);
        let header = front_matter(&text);
        assert!(header.get("types").is_none(), "{text}");
        assert!(header.get("modalites").is_none(), "{text}");
        assert!(text.contains("\n# types: [séquence] "), "{text}");
        assert!(text.contains("\n# modalites: [en groupe] "), "{text}");
        assert_eq!(
            header["auteurs"][0]["nom"], "À compléter : Prénom Nom",
            "{text}"
        );
    }
}
