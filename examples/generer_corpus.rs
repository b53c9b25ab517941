//! Generates a synthetic site of N scenarios, for the build benchmark (`bench/build.sh`).
//!
//! Usage: cargo run --release --example generer_corpus -- N DOSSIER
//!
//! The text is drawn deterministically (fixed-seed generator) from a French pedagogical word
//! list, so two runs give the same corpus and figures can be compared.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

const WORDS: &[&str] = &[
    "élèves",
    "numérique",
    "évaluation",
    "compétences",
    "séance",
    "groupe",
    "autonomie",
    "projet",
    "recherche",
    "document",
    "tableau",
    "carte",
    "fractions",
    "lecture",
    "écriture",
    "oral",
    "débat",
    "expérience",
    "hypothèse",
    "mesure",
    "données",
    "graphique",
    "programme",
    "algorithme",
    "robot",
    "podcast",
    "vidéo",
    "image",
    "texte",
    "récit",
    "poème",
    "source",
    "histoire",
    "géographie",
    "climat",
    "énergie",
    "vivant",
    "cellule",
    "volcan",
    "nombre",
    "calcul",
    "géométrie",
    "figure",
    "angle",
    "proportion",
    "statistique",
    "probabilité",
    "langue",
    "anglais",
    "vocabulaire",
    "grammaire",
    "correction",
    "brouillon",
    "consigne",
    "restitution",
    "synthèse",
    "affiche",
    "exposé",
    "enquête",
    "interview",
    "musique",
    "rythme",
    "dessin",
    "couleur",
    "mouvement",
    "course",
    "équipe",
    "règle",
    "citoyenneté",
    "médias",
    "information",
    "fiabilité",
    "collaboration",
    "partage",
    "tablette",
    "ordinateur",
    "classe",
    "professeur",
    "parents",
    "progression",
    "remédiation",
    "différenciation",
    "réussite",
    "difficulté",
    "objectif",
    "critère",
    "grille",
    "barème",
    "retour",
    "prolongement",
    "bilan",
    "les",
    "des",
    "une",
    "avec",
    "pour",
    "dans",
    "sur",
    "leur",
    "chaque",
    "puis",
    "ensuite",
    "afin",
    "de",
    "la",
    "le",
    "et",
    "en",
    "par",
    "au",
    "aux",
    "qui",
    "que",
    "est",
    "sont",
    "travaillent",
    "découvrent",
    "comparent",
    "construisent",
    "rédigent",
    "présentent",
    "observent",
    "mesurent",
    "analysent",
    "publient",
    "enregistrent",
    "programment",
];
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
];
const NIVEAUX: &[&str] = &[
    "ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2", "6e", "5e", "4e", "3e", "2de", "1re", "tle",
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
];
const CRCN: &[&str] = &[
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2",
    "4.3", "5.1", "5.2",
];

/// A small fixed-seed generator (64-bit LCG): enough for varied, reproducible text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.pick(WORDS)).collect();
        let first = s[0].to_string();
        let mut chars = first.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default();
        s[0] = "";
        format!("{capital}{}.", s.join(" "))
    }
}

fn scenario(i: usize, rng: &mut Lcg) -> String {
    let titre = rng.sentence(6);
    let resume = rng.sentence(30);
    let year = 2020 + (i % 6);
    let month = 1 + (i % 12);
    let day = 1 + (i % 28);
    let mut body = String::new();
    for section in [
        "Objectifs",
        "Prérequis",
        "Déroulement",
        "Évaluation",
        "Prolongements",
    ] {
        body.push_str(&format!("\n## {section}\n\n"));
        for _ in 0..4 {
            body.push_str(&rng.sentence(25));
            body.push(' ');
        }
        body.push('\n');
    }
    format!(
        "---\ntitre: \"{titre}\"\nresume: \"{resume}\"\ndate: {year}-{month:02}-{day:02}\nauteurs:\n  - nom: Auteur {i}\nacademie: {}\ndisciplines: [{}]\nniveaux: [{}]\nduree: \"2 x 55 min\"\noutils: [{}, {}]\ncompetences_numeriques: [\"{}\"]\nmots_cles: [{}, {}]\n---\n{body}",
        rng.pick(ACADEMIES),
        rng.pick(DISCIPLINES),
        rng.pick(NIVEAUX),
        rng.pick(OUTILS),
        rng.pick(OUTILS),
        rng.pick(CRCN),
        rng.pick(WORDS),
        rng.pick(WORDS),
    )
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
    let root = Path::new(dir);
    let scenarios = root.join("content/scenarios");
    if let Err(e) = fs::create_dir_all(&scenarios) {
        eprintln!("erreur : {e}");
        return ExitCode::FAILURE;
    }
    let config = "titre: Banc d'essai\nscenarios_par_page: 20\n";
    let home = "---\ntitre: Banc d'essai\n---\nCorpus synthétique.\n";
    let mut rng = Lcg(42);
    let mut result = fs::write(root.join("vitrine.yaml"), config)
        .and_then(|_| fs::write(root.join("content/_index.md"), home));
    for i in 0..n {
        let folder = scenarios.join(format!("lot-{:03}", i / 500));
        result = result
            .and_then(|_| fs::create_dir_all(&folder))
            .and_then(|_| {
                fs::write(
                    folder.join(format!("scenario-{i:05}.md")),
                    scenario(i, &mut rng),
                )
            });
    }
    match result {
        Ok(()) => {
            println!("{n} scénarios générés dans {}", root.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}
