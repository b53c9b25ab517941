//! Controlled vocabularies (niveaux, cycles, disciplines, types, modalités, académies, CRCN).
//!
//! The vocabularies ship as YAML data files in `src/vocab/data/` (derived from ScoLOMFR 3.1 and
//! the CRCN, see the licence note in each file) and are compiled into the binary so that a site
//! created by `vitrine init` works anywhere. A site may extend or override entries in its
//! configuration (`vocabulaires:`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{closest, Diagnostic, ErrorKind};
use crate::text::{fold, slugify};

/// The controlled vocabularies, in the order facets are presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
// Variants in English; serialized under the French front matter keys.
pub enum VocabName {
    #[serde(rename = "disciplines")]
    Subjects,
    #[serde(rename = "niveaux")]
    Levels,
    #[serde(rename = "cycles")]
    Cycles,
    #[serde(rename = "academies")]
    Academies,
    #[serde(rename = "types")]
    Types,
    #[serde(rename = "modalites")]
    Modes,
    #[serde(rename = "competences_numeriques")]
    DigitalSkills,
}

impl VocabName {
    pub const ALL: [VocabName; 7] = [
        VocabName::Subjects,
        VocabName::Levels,
        VocabName::Cycles,
        VocabName::Academies,
        VocabName::Types,
        VocabName::Modes,
        VocabName::DigitalSkills,
    ];

    /// Name of the data file and of the key in the site configuration.
    pub fn file_stem(self) -> &'static str {
        match self {
            VocabName::Subjects => "disciplines",
            VocabName::Levels => "niveaux",
            VocabName::Cycles => "cycles",
            VocabName::Academies => "academies",
            VocabName::Types => "types",
            VocabName::Modes => "modalites",
            VocabName::DigitalSkills => "competences_numeriques",
        }
    }

    /// The front matter key holding values of this vocabulary (`academie` is singular: one
    /// académie per scenario). `vitrine vocabulaires` is given this name.
    pub fn front_matter_key(self) -> &'static str {
        match self {
            VocabName::Academies => "academie",
            other => other.file_stem(),
        }
    }

    /// French title of the vocabulary, also its section in `docs/vocabulaires.md`.
    pub fn title(self) -> &'static str {
        match self {
            VocabName::Subjects => "Disciplines",
            VocabName::Levels => "Niveaux",
            VocabName::Cycles => "Cycles",
            VocabName::Academies => "Académies",
            VocabName::Types => "Types de ressource",
            VocabName::Modes => "Modalités pédagogiques",
            VocabName::DigitalSkills => "Compétences numériques du CRCN",
        }
    }

    fn builtin_source(self) -> &'static str {
        match self {
            VocabName::Subjects => include_str!("data/disciplines.yaml"),
            VocabName::Levels => include_str!("data/niveaux.yaml"),
            VocabName::Cycles => include_str!("data/cycles.yaml"),
            VocabName::Academies => include_str!("data/academies.yaml"),
            VocabName::Types => include_str!("data/types.yaml"),
            VocabName::Modes => include_str!("data/modalites.yaml"),
            VocabName::DigitalSkills => include_str!("data/competences_numeriques.yaml"),
        }
    }
}

/// One concept of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Short stable key, used in URLs and in the index (`5e`, `mathematiques`, `ac-lyon`).
    pub cle: String,
    /// French label shown to users.
    pub libelle: String,
    /// ScoLOMFR (or other official) concept URI, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Other spellings authors may use; matched without case or accents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias: Vec<String>,
    /// For niveaux: the key of the cycle the level belongs to (used to derive `cycles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    /// For CRCN competences: the domain label, for grouping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domaine: Option<String>,
}

/// The layout of a vocabulary data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    #[allow(dead_code)]
    vocabulaire: String,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    entrees: Vec<Entry>,
}

/// A vocabulary with its lookup tables of keys, labels and aliases.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    pub name: VocabName,
    entries: Vec<Entry>,
    /// Folded forms (case and accents ignored) -> entry index.
    lookup: HashMap<String, usize>,
    /// Slugified forms (punctuation and spacing ignored too) -> entry index, tried when `lookup` misses,
    /// so that « Physique Chimie » or « histoire - géographie » still resolve.
    loose: HashMap<String, usize>,
    /// Key -> entry index, for `get` and `upsert`.
    by_key: HashMap<String, usize>,
}

impl Entry {
    /// Every spelling that designates this entry: key, label, aliases.
    fn written_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.cle.as_str())
            .chain(std::iter::once(self.libelle.as_str()))
            .chain(self.alias.iter().map(String::as_str))
    }
}

/// Whether a key can appear as is in a URL path and in the index (`5e`, `ac-lyon`, `1.1`).
fn is_url_safe_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// Maps the normalised forms of every entry to its index.
fn build_table(entries: &[Entry], normalise: fn(&str) -> String) -> HashMap<String, usize> {
    let mut table = HashMap::new();
    let mut insert = |written: &str, i: usize| {
        let form = normalise(written);
        if !form.is_empty() {
            table.insert(form, i);
        }
    };
    // Keys and labels win over aliases when a form is ambiguous: they are inserted last.
    for (i, e) in entries.iter().enumerate() {
        for alias in &e.alias {
            insert(alias, i);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        insert(&e.libelle, i);
    }
    for (i, e) in entries.iter().enumerate() {
        insert(&e.cle, i);
    }
    table
}

impl Vocabulary {
    fn new(name: VocabName, entries: Vec<Entry>) -> Vocabulary {
        let mut vocab = Vocabulary {
            name,
            entries: Vec::new(),
            lookup: HashMap::new(),
            loose: HashMap::new(),
            by_key: HashMap::new(),
        };
        vocab.upsert_all(entries);
        vocab
    }

    /// Adds entries, or replaces those with the same key (site overrides). The lookup tables
    /// are rebuilt once at the end, not once per entry: a site adding 1,000 entries stays cheap.
    fn upsert_all(&mut self, entries: Vec<Entry>) {
        for entry in entries {
            match self.by_key.get(&entry.cle) {
                Some(&i) => self.entries[i] = entry,
                None => {
                    self.by_key.insert(entry.cle.clone(), self.entries.len());
                    self.entries.push(entry);
                }
            }
        }
        self.rebuild_lookup();
    }

    fn rebuild_lookup(&mut self) {
        self.lookup = build_table(&self.entries, fold);
        self.loose = build_table(&self.entries, slugify);
    }

    /// Entries in presentation order (the data file's order).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Finds the entry for what an author wrote: a key, a label or an alias, in any case or accent,
    /// and failing that with punctuation and spacing ignored.
    pub fn resolve(&self, written: &str) -> Option<&Entry> {
        self.lookup
            .get(&fold(written))
            .or_else(|| self.loose.get(&slugify(written)))
            .map(|&i| &self.entries[i])
    }

    /// [`Vocabulary::resolve`] for a text that may be a list written with commas: it is one
    /// value only when that value has a comma itself (« Protéger la santé, le bien-être… »).
    /// « Mathématiques, Sciences » is two disciplines, never « Mathématiques-sciences », which
    /// it matches once punctuation is ignored.
    pub fn resolve_as_one(&self, written: &str) -> Option<&Entry> {
        let entry = self.resolve(written)?;
        let has_comma = |text: &str| text.contains(',');
        let one = !has_comma(written)
            || has_comma(&entry.libelle)
            || entry.alias.iter().any(|alias| has_comma(alias));
        one.then_some(entry)
    }

    /// Entry by exact key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    /// Label for a key, or the key itself when unknown.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map(|e| e.libelle.as_str()).unwrap_or(key)
    }

    /// The label of the closest entry, for « vouliez-vous dire … ? ».
    pub fn suggest(&self, written: &str) -> Option<String> {
        let candidates = self.entries.iter().flat_map(Entry::written_forms);
        let best = closest(written, candidates)?;
        self.resolve(&best).map(|e| e.libelle.clone())
    }

    /// Where every accepted value is listed, for a message about an unknown value: the command
    /// that prints them with their variants, which works offline and knows the site's additions.
    pub fn where_listed(&self) -> String {
        format!("« vitrine vocabulaires {} »", self.name.front_matter_key())
    }

    /// The accepted values for a message about an unknown value that is close to none: all of
    /// them for a short vocabulary, else the first [`LISTED_VALUES`] and where the rest are.
    /// CRCN competences are listed by code (« 1.1 »): their labels are sentences.
    pub fn accepted_values(&self) -> String {
        let shown = |e: &Entry| match self.name {
            VocabName::DigitalSkills => e.cle.clone(),
            _ => e.libelle.clone(),
        };
        let total = self.entries.len();
        if total <= LIST_ALL_UP_TO {
            let all: Vec<String> = self.entries.iter().map(shown).collect();
            return format!("valeurs possibles : {}", all.join(", "));
        }
        let first: Vec<String> = self.entries.iter().take(LISTED_VALUES).map(shown).collect();
        format!(
            "valeurs possibles : {}… ; {total} en tout, toutes avec {}",
            first.join(", "),
            self.where_listed()
        )
    }

    /// Problems within this vocabulary, in French (see [`Vocabularies::check`]).
    fn check(&self) -> Vec<String> {
        let stem = self.name.file_stem();
        let mut problems = Vec::new();
        for e in &self.entries {
            if !is_url_safe_key(&e.cle) {
                problems.push(format!(
                    "{stem} : clé « {} » invalide (seuls a-z, 0-9, « - » et « . » sont permis)",
                    e.cle
                ));
            }
            if e.libelle.trim().is_empty() {
                problems.push(format!(
                    "{stem} : l'entrée « {} » n'a pas de libellé",
                    e.cle
                ));
            }
            if let Some(uri) = &e.uri {
                if url::Url::parse(uri).is_err() {
                    problems.push(format!(
                        "{stem} : URI « {uri} » invalide pour « {} »",
                        e.cle
                    ));
                }
            }
        }
        problems.extend(self.collisions());
        problems
    }

    /// Spellings that designate more than one entry. Slugs are the coarsest form used by `resolve`,
    /// so a collision of folded forms is also found here.
    fn collisions(&self) -> Vec<String> {
        let mut owners: BTreeMap<String, (BTreeSet<usize>, Vec<&str>)> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            for written in e.written_forms() {
                let form = slugify(written);
                if form.is_empty() {
                    continue;
                }
                let (indices, spellings) = owners.entry(form).or_default();
                if indices.insert(i) && !spellings.contains(&written) {
                    spellings.push(written);
                }
            }
        }
        owners
            .into_values()
            .filter(|(indices, _)| indices.len() > 1)
            .map(|(indices, spellings)| {
                let keys: Vec<&str> = indices
                    .iter()
                    .map(|&i| self.entries[i].cle.as_str())
                    .collect();
                format!(
                    "{} : « {} » désigne plusieurs entrées ({})",
                    self.name.file_stem(),
                    spellings.join(" » / « "),
                    keys.join(", ")
                )
            })
            .collect()
    }
}

/// The first key that appears twice in a data file, if any.
fn duplicate_key(entries: &[Entry]) -> Option<&str> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .map(|e| e.cle.as_str())
        .find(|key| !seen.insert(*key))
}

/// A vocabulary this long or shorter is listed whole in a message about an unknown value.
const LIST_ALL_UP_TO: usize = 20;
/// How many values such a message lists from a longer vocabulary.
const LISTED_VALUES: usize = 15;

/// All vocabularies of a site.
#[derive(Debug, Clone)]
pub struct Vocabularies {
    vocabs: Vec<Vocabulary>,
}

impl Vocabularies {
    /// The vocabularies shipped with vitrine.
    pub fn builtin() -> Result<Vocabularies, Diagnostic> {
        let mut vocabs = Vec::new();
        for name in VocabName::ALL {
            let path = format!("src/vocab/data/{}.yaml", name.file_stem());
            let file: VocabFile = serde_yaml::from_str(name.builtin_source()).map_err(|e| {
                Diagnostic::new(
                    ErrorKind::Vocabulary,
                    path.clone(),
                    format!("vocabulaire intégré invalide : {e}"),
                )
            })?;
            // In a data file a repeated key would silently replace the first entry.
            if let Some(key) = duplicate_key(&file.entrees) {
                return Err(Diagnostic::new(
                    ErrorKind::Vocabulary,
                    path,
                    format!("vocabulaire intégré invalide : clé « {key} » en double"),
                ));
            }
            vocabs.push(Vocabulary::new(name, file.entrees));
        }
        Ok(Vocabularies { vocabs })
    }

    /// Applies the site's additions and overrides (same key: replaced; new key: appended).
    pub fn extend(&mut self, name: VocabName, entries: Vec<Entry>) {
        self.get_mut(name).upsert_all(entries);
    }

    pub fn get(&self, name: VocabName) -> &Vocabulary {
        // Every name is loaded by `builtin`, in `VocabName::ALL` order.
        &self.vocabs[name as usize]
    }

    fn get_mut(&mut self, name: VocabName) -> &mut Vocabulary {
        &mut self.vocabs[name as usize]
    }

    /// Consistency problems, as French sentences; empty when all is well. Run after a site's
    /// `extend`, whose entries may bring invalid keys, ambiguous aliases or unknown cycles.
    /// Checks: keys URL-safe, labels present, URIs well-formed, no spelling designating two entries
    /// of a vocabulary, every niveau attached to an existing cycle.
    pub fn check(&self) -> Vec<String> {
        let mut problems: Vec<String> = self.vocabs.iter().flat_map(Vocabulary::check).collect();
        let cycles = self.get(VocabName::Cycles);
        for niveau in self.get(VocabName::Levels).entries() {
            match &niveau.cycle {
                None => problems.push(format!(
                    "niveaux : le niveau « {} » n'a pas de cycle",
                    niveau.cle
                )),
                Some(cycle) if cycles.get(cycle).is_none() => problems.push(format!(
                    "niveaux : le cycle « {cycle} » du niveau « {} » n'existe pas dans cycles",
                    niveau.cle
                )),
                Some(_) => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vocabularies {
        Vocabularies::builtin().expect("builtin vocabularies")
    }

    /// The key `written` resolves to in `name`, or `None`.
    fn key_of(v: &Vocabularies, name: VocabName, written: &str) -> Option<String> {
        v.get(name).resolve(written).map(|e| e.cle.clone())
    }

    fn assert_resolves(v: &Vocabularies, name: VocabName, key: &str, spellings: &[&str]) {
        for written in spellings {
            assert_eq!(
                key_of(v, name, written).as_deref(),
                Some(key),
                "{name:?}: « {written} » should resolve to {key}"
            );
        }
    }

    fn entry(cle: &str, libelle: &str, alias: &[&str]) -> Entry {
        Entry {
            cle: cle.into(),
            libelle: libelle.into(),
            uri: None,
            alias: alias.iter().map(|a| a.to_string()).collect(),
            cycle: None,
            domaine: None,
        }
    }

    #[test]
    fn builtin_vocabularies_load() {
        let v = builtin();
        for name in VocabName::ALL {
            assert!(!v.get(name).entries().is_empty(), "{name:?} is empty");
        }
    }

    #[test]
    fn builtin_vocabularies_are_consistent() {
        let problems = builtin().check();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn levels_resolve_from_usual_spellings() {
        let v = builtin();
        let n = VocabName::Levels;
        assert_resolves(
            &v,
            n,
            "5e",
            &[
                "5eme",
                "cinquième",
                "5e",
                "5ème",
                "Cinquieme",
                "classe de 5e",
                "5E",
            ],
        );
        assert_resolves(&v, n, "6e", &["6ème", "sixieme", "classe de sixième"]);
        assert_resolves(
            &v,
            n,
            "2de",
            &["seconde", "2nde", "Seconde générale et technologique"],
        );
        assert_resolves(&v, n, "1re", &["première", "1ère", "1ere"]);
        assert_resolves(&v, n, "tle", &["terminale", "Tle", "Terminale"]);
        assert_resolves(&v, n, "cm1", &["CM1", "cm1", "cours moyen 1re année"]);
        assert_resolves(&v, n, "ps", &["PS", "petite section"]);
        assert_resolves(
            &v,
            n,
            "2de-pro",
            &["seconde pro", "2de bac pro", "Seconde professionnelle"],
        );
        assert_resolves(
            &v,
            n,
            "tle-pro",
            &["terminale pro", "Terminale professionnelle"],
        );
        assert_resolves(
            &v,
            n,
            "cap",
            &["CAP", "certificat d'aptitude professionnelle"],
        );
        assert_eq!(key_of(&v, n, "sixième B"), None);
    }

    #[test]
    fn loose_spellings_resolve_when_punctuation_differs() {
        let v = builtin();
        let d = VocabName::Subjects;
        assert_resolves(
            &v,
            d,
            "physique-chimie",
            &["Physique Chimie", "physique  chimie"],
        );
        assert_resolves(
            &v,
            d,
            "histoire-geographie",
            &["Histoire - Géographie", "histoire/géographie"],
        );
        assert_resolves(&v, VocabName::Levels, "2de-pro", &["2de-pro", "2DE PRO"]);
    }

    #[test]
    fn disciplines_resolve_from_abbreviations() {
        let v = builtin();
        let d = VocabName::Subjects;
        assert_resolves(
            &v,
            d,
            "mathematiques",
            &["maths", "Maths", "math", "Mathématiques"],
        );
        assert_resolves(
            &v,
            d,
            "histoire-geographie",
            &["HG", "histoire géo", "Histoire-Géographie"],
        );
        assert_resolves(&v, d, "svt", &["SVT", "sciences de la vie et de la terre"]);
        assert_resolves(&v, d, "anglais", &["LV anglais", "Anglais"]);
        assert_resolves(&v, d, "eps", &["EPS", "éducation physique et sportive"]);
        assert_resolves(&v, d, "emc", &["EMC", "enseignement moral et civique"]);
        assert_resolves(&v, d, "emi", &["EMI", "documentation"]);
        assert_resolves(&v, d, "lca", &["latin", "grec"]);
        assert_resolves(&v, d, "francais", &["lettres", "Français"]);
    }

    #[test]
    fn close_misspelling_is_suggested_not_resolved() {
        let v = builtin();
        let d = v.get(VocabName::Subjects);
        assert!(d.resolve("Mathematique").is_none());
        assert_eq!(d.suggest("Mathematique").as_deref(), Some("Mathématiques"));
        assert_eq!(d.suggest("zzzz"), None);
    }

    #[test]
    fn other_vocabularies_resolve_from_usual_spellings() {
        let v = builtin();
        assert_resolves(
            &v,
            VocabName::Cycles,
            "cycle-3",
            &["cycle 3", "c3", "Cycle des consolidations"],
        );
        assert_resolves(
            &v,
            VocabName::Cycles,
            "lycee-pro",
            &["lycée professionnel", "LP"],
        );
        assert_resolves(
            &v,
            VocabName::Types,
            "scenario-pedagogique",
            &["scénario pédagogique", "séquence"],
        );
        assert_resolves(
            &v,
            VocabName::Modes,
            "en-groupe",
            &["travail en groupe", "groupes", "îlots"],
        );
        assert_resolves(&v, VocabName::Modes, "classe-entiere", &["classe entière"]);
        assert_resolves(
            &v,
            VocabName::Modes,
            "hybride",
            &["hybride", "modalité mixte"],
        );
        assert_resolves(
            &v,
            VocabName::Modes,
            "projet",
            &["projet", "en activité de projet"],
        );
        let a = VocabName::Academies;
        assert_resolves(&v, a, "ac-lyon", &["Académie de Lyon", "ac-lyon", "lyon"]);
        assert_resolves(
            &v,
            a,
            "ac-normandie",
            &["Caen", "académie de Rouen", "Normandie"],
        );
        assert_resolves(&v, a, "ac-reunion", &["La Réunion", "Réunion"]);
        assert_resolves(
            &v,
            VocabName::DigitalSkills,
            "3.4",
            &["3.4", "3-4", "Programmer"],
        );
    }

    #[test]
    fn academies_are_the_thirty_of_2020() {
        let v = builtin();
        let academies = v.get(VocabName::Academies).entries();
        assert_eq!(academies.len(), 30);
        assert!(academies.iter().all(|e| e.cle.starts_with("ac-")));
        assert!(v.get(VocabName::Academies).get("ac-caen").is_none());
    }

    #[test]
    fn crcn_has_sixteen_competences_in_five_domains() {
        let v = builtin();
        let competences = v.get(VocabName::DigitalSkills).entries();
        assert_eq!(competences.len(), 16);
        let domains: BTreeSet<&str> = competences
            .iter()
            .map(|e| e.domaine.as_deref().expect("every competence has a domain"))
            .collect();
        assert_eq!(domains.len(), 5);
        assert_eq!(
            competences[0].libelle,
            "Mener une recherche et une veille d'information"
        );
    }

    #[test]
    fn levels_are_listed_cycle_by_cycle() {
        let v = builtin();
        let cycles: Vec<&str> = v
            .get(VocabName::Cycles)
            .entries()
            .iter()
            .map(|e| e.cle.as_str())
            .collect();
        let positions: Vec<usize> = v
            .get(VocabName::Levels)
            .entries()
            .iter()
            .map(|e| {
                let cycle = e.cycle.as_deref().unwrap_or_default();
                cycles
                    .iter()
                    .position(|c| *c == cycle)
                    .unwrap_or(usize::MAX)
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
    }

    #[test]
    fn accepted_values_are_all_listed_or_the_first_ones_with_where_the_rest_are() {
        let vocabs = builtin();
        let levels = vocabs.get(VocabName::Levels).accepted_values();
        assert!(
            levels.starts_with("valeurs possibles : Toute petite section, "),
            "{levels}"
        );
        assert!(levels.ends_with(", Terminale professionnelle"), "{levels}");
        let academies = vocabs.get(VocabName::Academies);
        let listed = academies.accepted_values();
        let first = listed
            .strip_prefix("valeurs possibles : ")
            .and_then(|rest| rest.split('…').next())
            .unwrap_or_default();
        assert_eq!(first.split(", ").count(), LISTED_VALUES, "{listed}");
        assert!(
            listed.ends_with(&format!(
                "… ; {} en tout, toutes avec « vitrine vocabulaires academie »",
                academies.entries().len()
            )),
            "{listed}"
        );
        let crcn = vocabs.get(VocabName::DigitalSkills).accepted_values();
        assert!(crcn.starts_with("valeurs possibles : 1.1, 1.2, "), "{crcn}");
    }

    #[test]
    fn extend_overrides_by_key_and_appends() {
        let mut v = builtin();
        let before = v.get(VocabName::Subjects).entries().len();
        v.extend(
            VocabName::Subjects,
            vec![
                entry("mathematiques", "Maths", &["mathematiks"]),
                entry(
                    "hggsp",
                    "HGGSP",
                    &["histoire-géographie, géopolitique et sciences politiques"],
                ),
            ],
        );
        let d = v.get(VocabName::Subjects);
        assert_eq!(d.entries().len(), before + 1);
        assert_eq!(d.label("mathematiques"), "Maths");
        assert_eq!(
            d.entries()[1].cle,
            "mathematiques",
            "an override keeps its place"
        );
        assert_eq!(
            d.resolve("mathematiks").map(|e| e.cle.as_str()),
            Some("mathematiques")
        );
        assert!(
            d.resolve("maths").is_some(),
            "the new label « Maths » resolves"
        );
        assert_eq!(d.entries().last().map(|e| e.cle.as_str()), Some("hggsp"));
        assert_eq!(d.resolve("HGGSP").map(|e| e.cle.as_str()), Some("hggsp"));
        assert!(v.check().is_empty(), "{:?}", v.check());
    }

    #[test]
    fn check_reports_bad_keys_collisions_and_unknown_cycles() {
        let mut v = builtin();
        v.extend(
            VocabName::Subjects,
            vec![entry("Ma clé", "Mathématiques appliquées", &["maths"])],
        );
        let mut niveau = entry("bts", "BTS", &[]);
        niveau.cycle = Some("superieur".into());
        v.extend(VocabName::Levels, vec![niveau, entry("cp2", "CP bis", &[])]);
        let problems = v.check();
        let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
        assert!(has("clé « Ma clé » invalide"), "{problems:?}");
        assert!(has("« maths » désigne plusieurs entrées"), "{problems:?}");
        assert!(has("cycle « superieur »"), "{problems:?}");
        assert!(has("« cp2 » n'a pas de cycle"), "{problems:?}");
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn duplicate_keys_are_found() {
        let entries = vec![
            entry("a", "A", &[]),
            entry("b", "B", &[]),
            entry("a", "A2", &[]),
        ];
        assert_eq!(duplicate_key(&entries), Some("a"));
        assert_eq!(duplicate_key(&entries[..2]), None);
    }

    #[test]
    fn keys_must_be_url_safe() {
        assert!(is_url_safe_key("2de-pro"));
        assert!(is_url_safe_key("1.1"));
        assert!(!is_url_safe_key("5ème"));
        assert!(!is_url_safe_key("Tle"));
        assert!(!is_url_safe_key(""));
    }

    /// One concept of an official ScoLOMFR table (only the fields checked here).
    #[derive(Deserialize)]
    struct SourceConcept {
        uri: String,
        label: String,
        #[serde(default)]
        alt_labels: Vec<String>,
        #[serde(default)]
        obsolete: bool,
    }

    #[derive(Deserialize)]
    struct SourceTable {
        entries: Vec<SourceConcept>,
    }

    /// The concepts of every official table, by URI; `None` when the shared folder is absent.
    fn official_concepts() -> Option<HashMap<String, SourceConcept>> {
        let dir = crate::testing::shared("scolomfr")?;
        let listing = std::fs::read_dir(dir).ok()?;
        let mut concepts = HashMap::new();
        for file in listing.filter_map(Result::ok) {
            let path = file.path();
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable ScoLOMFR table");
            let table: SourceTable =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for concept in table.entries {
                concepts.insert(concept.uri.clone(), concept);
            }
        }
        Some(concepts)
    }

    #[test]
    fn uris_are_current_official_concepts_of_the_same_meaning() {
        let Some(official) = official_concepts() else {
            return;
        };
        assert!(!official.is_empty());
        let v = builtin();
        let mut checked = 0;
        for name in VocabName::ALL {
            let vocab = v.get(name);
            for e in vocab.entries() {
                let Some(uri) = &e.uri else { continue };
                let concept = official
                    .get(uri)
                    .unwrap_or_else(|| panic!("{name:?} {}: {uri} is not in ScoLOMFR", e.cle));
                assert!(!concept.obsolete, "{name:?} {}: {uri} is obsolete", e.cle);
                // The official label or one of its alternatives must lead back to the entry:
                // this catches a URI copied from the wrong concept.
                let leads_back = std::iter::once(&concept.label)
                    .chain(&concept.alt_labels)
                    .any(|l| vocab.resolve(l).map(|r| &r.cle) == Some(&e.cle));
                assert!(
                    leads_back,
                    "{name:?} {}: {uri} is « {} »",
                    e.cle, concept.label
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} URIs checked");
    }

    #[test]
    fn documentation_lists_every_key() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/vocabulaires.md");
        let Ok(doc) = std::fs::read_to_string(path) else {
            eprintln!("{path} absent: documentation not checked");
            return;
        };
        let v = builtin();
        for name in VocabName::ALL {
            for e in v.get(name).entries() {
                assert!(
                    doc.contains(&format!("`{}`", e.cle)),
                    "{name:?} {} missing from {path}",
                    e.cle
                );
            }
        }
    }
}
