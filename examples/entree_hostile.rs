//! Generates a national site harvesting one catalogue whose single entry is hostile: N
//! keywords, N tools, N authors and N discipline terms, all distinct, for the benchmark
//! `bench/entree_hostile.sh` (build time must grow at most linearly with N: the entry caps of
//! `src/federation/entry.rs` make the per-item work constant past them, and what is left is
//! reading the JSON).
//!
//! Usage: cargo run --release --example entree_hostile -- --n N --out DOSSIER
//! then `vitrine harvest --root DOSSIER` and `vitrine build --root DOSSIER`.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use serde_json::{json, Value};

/// The hostile entry: valid, with every list N items long.
fn hostile_entry(n: usize) -> Value {
    let items = |prefix: &str| -> Vec<String> { (0..n).map(|i| format!("{prefix} {i}")).collect() };
    let auteurs: Vec<Value> = items("Auteur")
        .into_iter()
        .map(|nom| json!({"nom": nom}))
        .collect();
    // Terms must resolve for the entry to be kept: the same one N times (de-duplication).
    let disciplines = vec![json!({"cle": "technologie"}); n.max(1)];
    json!({
        "id": "entree-hostile",
        "url": "https://vitrine.ac-exemple.fr/scenarios/entree-hostile/",
        "titre": "Une entrée hostile",
        "resume": "Toutes ses listes sont immenses.",
        "date": "2025-03-01",
        "academie": {"cle": "normandie"},
        "disciplines": disciplines,
        "niveaux": [{"cle": "5e"}],
        "outils": items("Outil"),
        "mots_cles": items("mot"),
        "auteurs": auteurs,
    })
}

fn generate(options: &Options) -> std::io::Result<()> {
    let root = &options.out;
    fs::create_dir_all(root.join("content/scenarios"))?;
    fs::write(
        root.join("vitrine.yaml"),
        "titre: Banc d'essai national\nbase_url: https://national.ac-exemple.fr/\nmoissonnage:\n  taille_max: 1000\n  sources:\n    - nom: Académie hostile\n      chemin: catalogue.json\n",
    )?;
    fs::write(
        root.join("content/scenarios/local.md"),
        "---\ntitre: Un scénario local\nresume: Le seul scénario du site.\ndate: 2025-01-10\nauteurs: [Camille Martin]\nacademie: Paris\ndisciplines: [Mathématiques]\nniveaux: [6e]\noutils: [GeoGebra]\nmots_cles: [géométrie]\n---\n\nTexte.\n",
    )?;
    let catalogue = json!({"schema_version": 1, "scenarios": [hostile_entry(options.n)]});
    fs::write(root.join("catalogue.json"), serde_json::to_vec(&catalogue)?)?;
    Ok(())
}

/// Génère un site national qui moissonne une seule entrée hostile de N éléments par liste.
#[derive(Parser)]
#[command(name = "entree_hostile")]
struct Options {
    /// Nombre d'éléments de chaque liste de l'entrée (mots-clés, outils, auteurs, disciplines).
    #[arg(long = "n", value_name = "N")]
    n: usize,
    /// Dossier du site à créer.
    #[arg(long = "out", alias = "sortie", value_name = "DOSSIER")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let options = Options::parse();
    match generate(&options) {
        Ok(()) => {
            println!(
                "site avec une entrée hostile de {} éléments par liste dans {}",
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
