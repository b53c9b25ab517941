//! Generates a synthetic site of N scenarios, for the benchmarks (`bench/build.sh`).
//!
//! Usage: cargo run --release --example generer_corpus -- N DOSSIER
//!
//! The prose is real French: sentences of the demo scenarios (`content/scenarios/`), recombined
//! by a fixed-seed generator, so the corpus has the accents, elisions and inflections of real
//! texts and two runs give the same corpus. Every front matter key is used.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    "Évaluation",
    "Prolongements",
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

fn scenario(i: usize, rng: &mut Lcg, m: &Material) -> String {
    let sentences: Vec<&str> = m.sentences.iter().map(String::as_str).collect();
    let words: Vec<&str> = m.words.iter().map(String::as_str).collect();
    let titles: Vec<&str> = m.titles.iter().map(String::as_str).collect();
    let titre = format!("{} ({})", rng.pick(&titles), i + 1);
    let mut resume: String = rng.pick(&sentences).chars().take(480).collect();
    resume = resume.trim().to_string();
    let (year, month, day) = (2020 + i % 7, 1 + i % 12, 1 + i % 28);
    let mut body = String::new();
    for section in SECTIONS {
        body.push_str(&format!("\n## {section}\n\n"));
        for _ in 0..5 {
            body.push_str(rng.pick(&sentences));
            body.push(' ');
        }
        body.push('\n');
    }
    format!(
        "---\ntitre: {}\nresume: {}\ndate: {year}-{month:02}-{day:02}\nmise_a_jour: {}-{month:02}-{day:02}\n\
auteurs:\n  - nom: Auteur {i}\n    fonction: professeur\n    etablissement: Collège {}\n\
academie: {}\ndisciplines: [{}]\nniveaux: [{}, {}]\ntypes: [{}]\nmodalites: [{}]\nduree: \"{} x 55 min\"\n\
outils: [{}, {}]\ncompetences_numeriques: [\"{}\", \"{}\"]\nmots_cles: [{}, {}, {}]\nlicence: {}\n\
ressources:\n  - titre: Ressources d'accompagnement\n    url: https://eduscol.education.fr/\n\
url_source: https://www.ac-exemple.fr/scenario-{i}\n---\n{body}",
        quote(&titre),
        quote(&resume),
        year + 1,
        i % 300,
        rng.pick(ACADEMIES),
        rng.pick(DISCIPLINES),
        rng.pick(NIVEAUX),
        rng.pick(NIVEAUX),
        rng.pick(TYPES),
        rng.pick(MODALITES),
        1 + i % 4,
        rng.pick(OUTILS),
        rng.pick(OUTILS),
        rng.pick(CRCN),
        rng.pick(CRCN),
        rng.pick(&words),
        rng.pick(&words),
        rng.pick(&words),
        rng.pick(LICENCES),
    )
}

fn generate(n: usize, root: &Path) -> std::io::Result<()> {
    let m = material(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/scenarios"));
    if m.sentences.is_empty() || m.titles.is_empty() {
        return Err(std::io::Error::other(
            "content/scenarios/ du projet est vide : rien à recombiner",
        ));
    }
    fs::create_dir_all(root.join("content/scenarios"))?;
    fs::write(
        root.join("vitrine.yaml"),
        "titre: Banc d'essai\nscenarios_par_page: 20\n",
    )?;
    fs::write(
        root.join("content/_index.md"),
        "---\ntitre: Banc d'essai\n---\nCorpus synthétique.\n",
    )?;
    let mut rng = Lcg(42);
    for i in 0..n {
        let folder = root.join(format!("content/scenarios/lot-{:03}", i / 500));
        fs::create_dir_all(&folder)?;
        fs::write(
            folder.join(format!("scenario-{i:05}.md")),
            scenario(i, &mut rng, &m),
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("utilisation : generer_corpus N DOSSIER");
        return ExitCode::from(2);
    };
    match generate(n, Path::new(dir)) {
        Ok(()) => {
            println!("{n} scénarios générés dans {dir}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}
