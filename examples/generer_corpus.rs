//! Generates a synthetic site of N scenarios, for the benchmarks (`bench/construction.sh`,
//! `bench/recherche.sh`, `bench/apercu.sh`).
//!
//! Usage: cargo run --release --example generer_corpus -- --n N --seed S --out DOSSIER
//!
//! The prose is real French: sentences of the demo scenarios (`content/scenarios/`), recombined
//! by a fixed-seed generator, so the corpus has the accents, elisions and inflections of real
//! texts and two runs give the same corpus. Every front matter key is used.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

const DISCIPLINES: &[&str] = &[
    "mathematiques",
    "francais",
    "histoire-geographie",
    "svt",
    "physique-chimie",
    "technologie",
    "anglais",
    "espagnol",
    "education-musicale",
    "arts-plastiques",
    "eps",
    "emc",
    "snt",
    "nsi",
    "ses",
    "philosophie",
    "questionner-le-monde",
    "sciences-et-technologie",
];
const NIVEAUX: &[&str] = &[
    "ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2", "6e", "5e", "4e", "3e", "2de", "1re",
    "tle", "cap", "2de-pro",
];
const ACADEMIES: &[&str] = &[
    "ac-lyon",
    "ac-lille",
    "ac-rennes",
    "ac-creteil",
    "ac-bordeaux",
    "ac-versailles",
    "ac-montpellier",
    "ac-nantes",
    "ac-toulouse",
    "ac-grenoble",
    "ac-normandie",
    "ac-paris",
    "ac-reunion",
    "ac-guadeloupe",
    "ac-strasbourg",
    "ac-nancy-metz",
    "ac-dijon",
    "ac-poitiers",
];
const MODALITES: &[&str] = &[
    "en-groupe",
    "classe-entiere",
    "en-autonomie",
    "projet",
    "a-distance",
];
const TYPES: &[&str] = &[
    "scenario-pedagogique",
    "activite-pedagogique",
    "evaluation",
    "jeu-educatif",
];
const OUTILS: &[&str] = &[
    "GeoGebra",
    "Capytale",
    "ENT",
    "Scratch",
    "Python",
    "Digipad",
    "La Quizinière",
    "Audacity",
    "Tableur",
    "Pix",
    "Éléa",
    "PeerTube",
    "micro:bit",
    "BookCreator",
    "uMap",
    "Vikidia",
];
const CRCN: &[&str] = &[
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2",
    "4.3", "5.1", "5.2",
];
const LICENCES: &[&str] = &["CC-BY-SA-4.0", "CC-BY-4.0", "CC-BY-NC-SA-4.0", "Etalab-2.0"];
const SECTIONS: &[&str] = &[
    "Objectifs",
    "Prérequis",
    "Déroulement",
    "Séance 1",
    "Séance 2",
    "Différenciation",
    "Évaluation",
    "Bilan et retours des élèves",
    "Prolongements",
];
const DUREES: &[&str] = &[
    "55 min",
    "2 x 55 min",
    "3 séances de 50 min",
    "1 h 30",
    "2 heures",
    "4 x 1h30",
    "45 minutes",
    "6 x 55 min",
];
const FONCTIONS: &[&str] = &[
    "professeur",
    "professeure des écoles",
    "professeur documentaliste",
    "formatrice",
    "conseiller pédagogique",
];

/// A small fixed-seed generator (64-bit LCG): enough for varied, reproducible text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[self.next() % items.len()]
    }
    /// Skewed pick: the first items come up far more often, as the main disciplines and
    /// académies do in a real vitrine.
    fn pick_skewed<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        let a = self.next() % items.len();
        let b = self.next() % items.len();
        items[a.min(b)]
    }
    /// Between `low` and `high` (inclusive) distinct items, in first-drawn order.
    fn some<'a, T: ?Sized + PartialEq>(
        &mut self,
        items: &'a [&'a T],
        low: usize,
        high: usize,
    ) -> Vec<&'a T> {
        let wanted = low + self.next() % (high - low + 1);
        let mut out: Vec<&T> = Vec::new();
        while out.len() < wanted.min(items.len()) {
            let item = self.pick_skewed(items);
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }
    fn below(&mut self, n: usize) -> usize {
        self.next() % n
    }
}

/// Sentences and titles of the demo scenarios: the material the corpus is made of.
struct Material {
    sentences: Vec<String>,
    titles: Vec<String>,
    words: Vec<String>,
}

fn material(content: &Path) -> Material {
    let mut m = Material {
        sentences: Vec::new(),
        titles: Vec::new(),
        words: Vec::new(),
    };
    let mut files: Vec<PathBuf> = walk(content);
    files.sort();
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let mut parts = text.splitn(3, "---\n");
        let (_, front, body) = (
            parts.next(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        if let Some(t) = front.lines().find_map(|l| l.strip_prefix("titre: ")) {
            m.titles.push(t.trim_matches('"').replace('"', "'"));
        }
        for line in body
            .lines()
            .filter(|l| !l.starts_with(['#', '|', '!', '-', '[']) && l.len() > 40)
        {
            for s in line.split_inclusive(". ") {
                let s = s.trim();
                if s.len() > 30 && !s.contains("](") {
                    m.sentences.push(s.to_string());
                }
            }
        }
    }
    m.words = m
        .sentences
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter(|w| w.chars().count() > 5 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    m
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "").replace('"', "'"))
}

fn yaml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Where scenario `i` lives: one folder per 500 scenarios; every tenth one is a bundle
/// (`…/index.md` beside its picture and attachment).
fn is_bundle(i: usize) -> bool {
    i % 10 == 3
}

fn source_name(i: usize) -> String {
    if is_bundle(i) {
        format!("scenario-{i:06}/index.md")
    } else {
        format!("scenario-{i:06}.md")
    }
}

/// Markdown link from scenario `i` to scenario `j` of the same folder.
fn link_between(i: usize, j: usize) -> String {
    let target = source_name(j);
    if is_bundle(i) {
        format!("../{target}")
    } else {
        target
    }
}

/// 600–1,500 words of prose in sections, with the constructs authors use: lists, emphasis,
/// a table now and then, links to neighbouring scenarios, an image in bundles.
fn body(i: usize, rng: &mut Lcg, sentences: &[&str]) -> String {
    let target_words = 600 + rng.below(901);
    let mut words = 0;
    let mut out = String::new();
    let mut section = 0;
    while words < target_words {
        out.push_str(&format!("\n## {}\n\n", SECTIONS[section % SECTIONS.len()]));
        section += 1;
        for paragraph in 0..2 + rng.below(3) {
            for _ in 0..2 + rng.below(4) {
                let s = rng.pick(sentences);
                words += s.split_whitespace().count();
                out.push_str(s);
                out.push(' ');
            }
            out.push_str("\n\n");
            if paragraph == 0 && rng.below(3) == 0 {
                for _ in 0..3 {
                    let s = rng.pick(sentences);
                    words += s.split_whitespace().count();
                    out.push_str(&format!("- **{}**\n", s.trim_end_matches('.')));
                }
                out.push('\n');
            }
        }
        if section == 2 && rng.below(4) == 0 {
            out.push_str("| Étape | Durée | Production |\n|---|---|---|\n");
            for step in 1..=3 {
                out.push_str(&format!(
                    "| Étape {step} | {} min | {} |\n",
                    10 * step,
                    rng.pick(sentences)
                        .split_whitespace()
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            out.push('\n');
        }
    }
    if !i.is_multiple_of(500) {
        out.push_str(&format!(
            "Voir aussi [le scénario précédent]({}).\n",
            link_between(i, i - 1)
        ));
    }
    if is_bundle(i) {
        out.push_str("\n![Schéma du déroulement de la séance](schema.svg)\n");
    }
    out
}

fn scenario(i: usize, rng: &mut Lcg, m: &Material) -> String {
    let sentences: Vec<&str> = m.sentences.iter().map(String::as_str).collect();
    let words: Vec<&str> = m.words.iter().map(String::as_str).collect();
    let titles: Vec<&str> = m.titles.iter().map(String::as_str).collect();
    let titre = format!("{} ({})", rng.pick(&titles), i + 1);
    let resume: String = rng.pick(&sentences).chars().take(300).collect();
    let (year, month, day) = (2018 + rng.below(9), 1 + rng.below(12), 1 + rng.below(28));
    let mut front = format!(
        "---\ntitre: {}\nresume: {}\ndate: {year}-{month:02}-{day:02}\n",
        quote(&titre),
        quote(resume.trim())
    );
    if rng.below(3) == 0 {
        front.push_str(&format!("mise_a_jour: {}-{month:02}-{day:02}\n", year + 1));
    }
    front.push_str("auteurs:\n");
    for a in 0..1 + rng.below(3) {
        front.push_str(&format!(
            "  - nom: Autrice {i}-{a}\n    fonction: {}\n    etablissement: Collège {}\n",
            rng.pick(FONCTIONS),
            rng.below(400)
        ));
    }
    front.push_str(&format!(
        "academie: {}\ndisciplines: {}\nniveaux: {}\ntypes: {}\nmodalites: {}\nduree: {}\n\
outils: {}\ncompetences_numeriques: {}\nmots_cles: {}\nlicence: {}\n",
        rng.pick_skewed(ACADEMIES),
        yaml_list(&rng.some(DISCIPLINES, 1, 2)),
        yaml_list(&rng.some(NIVEAUX, 1, 3)),
        yaml_list(&rng.some(TYPES, 1, 2)),
        yaml_list(&rng.some(MODALITES, 1, 2)),
        quote(rng.pick(DUREES)),
        yaml_list(&rng.some(OUTILS, 1, 4)),
        yaml_list(&rng.some(CRCN, 1, 4)),
        yaml_list(&rng.some(&words, 2, 5)),
        rng.pick(LICENCES),
    ));
    front.push_str("ressources:\n  - titre: Ressources d'accompagnement\n    url: https://eduscol.education.fr/\n");
    if is_bundle(i) {
        front.push_str(
            "  - titre: Fiche élève\n    fichier: fiche-eleve.pdf\n\
vignette: schema.svg\nvignette_alt: Schéma du déroulement de la séance\n",
        );
    }
    front.push_str(&format!(
        "url_source: https://www.ac-exemple.fr/scenario-{i}\n---\n"
    ));
    front + &body(i, rng, &sentences)
}

const SCHEMA_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120 60\">\
<rect x=\"5\" y=\"5\" width=\"50\" height=\"50\" fill=\"#1d4e89\"/>\
<rect x=\"65\" y=\"5\" width=\"50\" height=\"50\" fill=\"#e76f51\"/></svg>\n";

/// A small but well-formed PDF: attachments are copied, never read, but a real file type
/// keeps the benchmark honest about copy costs.
const FICHE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn generate(options: &Options) -> std::io::Result<()> {
    let m = material(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/scenarios"));
    if m.sentences.is_empty() || m.titles.is_empty() {
        return Err(std::io::Error::other(
            "content/scenarios/ du projet est vide : rien à recombiner",
        ));
    }
    let root = &options.out;
    fs::create_dir_all(root.join("content/scenarios"))?;
    fs::write(
        root.join("vitrine.yaml"),
        "titre: Banc d'essai\nbase_url: https://vitrine.ac-exemple.fr/\nscenarios_par_page: 20\n",
    )?;
    fs::write(
        root.join("content/_index.md"),
        "---\ntitre: Banc d'essai\n---\nCorpus synthétique.\n",
    )?;
    let mut rng = Lcg(options.seed);
    for i in 0..options.n {
        let folder = root.join(format!("content/scenarios/lot-{:03}", i / 500));
        let file = folder.join(source_name(i));
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent)?;
            if is_bundle(i) {
                fs::write(parent.join("schema.svg"), SCHEMA_SVG)?;
                fs::write(parent.join("fiche-eleve.pdf"), FICHE_PDF)?;
            }
        }
        fs::write(file, scenario(i, &mut rng, &m))?;
    }
    Ok(())
}

/// Génère un site d'essai de N scénarios (textes recombinés des scénarios de démonstration).
#[derive(Parser)]
#[command(name = "generer_corpus")]
struct Options {
    /// Nombre de scénarios.
    #[arg(long = "n", value_name = "N")]
    n: usize,
    /// Graine du générateur : la même graine donne le même corpus.
    #[arg(long = "seed", alias = "graine", default_value_t = 42)]
    seed: u64,
    /// Dossier du site à créer.
    #[arg(long = "out", alias = "sortie", value_name = "DOSSIER")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let options = Options::parse();
    match generate(&options) {
        Ok(()) => {
            println!(
                "{} scénarios générés dans {}",
                options.n,
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}
