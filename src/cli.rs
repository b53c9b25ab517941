//! The command line: a thin layer over the library, in French.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::content::Facet;
use crate::diagnostics::{closest, Diagnostic};
use crate::index::Query;
use crate::publish::wording::capitalize;
use crate::serve;
use crate::site::{self, BuildOptions, Progress, Silent};

/// Every `println!`, `print!`, `eprintln!` and `eprint!` of this module goes through
/// [`write_or_end`] (these macros shadow the standard ones): when the reader of our output went
/// away (`vitrine search … | head -1`), the standard macros panic on the broken pipe.
macro_rules! println {
    () => { $crate::cli::write_or_end($crate::cli::Stream::Out, format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::write_or_end($crate::cli::Stream::Out, format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::write_or_end($crate::cli::Stream::Out, format_args!($($arg)*)) };
}
macro_rules! eprintln {
    () => { $crate::cli::write_or_end($crate::cli::Stream::Err, format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::write_or_end($crate::cli::Stream::Err, format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::write_or_end($crate::cli::Stream::Err, format_args!($($arg)*)) };
}

#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Stream {
    Out,
    Err,
}

static OUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static ERR_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to stdout or stderr. A stream that cannot be written any more (closed pipe, full
/// disk behind a redirection) is left alone from then on: the command still finishes its work
/// and returns its usual exit code, quietly, as `head` expects of the programs it reads.
#[doc(hidden)]
pub fn write_or_end(stream: Stream, args: std::fmt::Arguments) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    let closed = match stream {
        Stream::Out => &OUT_CLOSED,
        Stream::Err => &ERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let written = match stream {
        Stream::Out => std::io::stdout().lock().write_fmt(args),
        Stream::Err => std::io::stderr().lock().write_fmt(args),
    };
    if written.is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}

const HELP_TEMPLATE: &str = "\
{before-help}{bin} — {about}

Utilisation : {usage}

{all-args}{after-help}
";

/// vitrine : générateur de site statique pour la vitrine de la mutualisation des scénarios
/// pédagogiques.
#[derive(Debug, Parser)]
#[command(
    name = "vitrine",
    version,
    about = "générateur de la vitrine des scénarios pédagogiques",
    before_help = "vitrine transforme des scénarios pédagogiques écrits en Markdown (avec un en-tête YAML)\n\
en un site statique consultable par discipline, niveau, cycle, académie, outil et compétence\n\
numérique, avec un index de recherche en français.\n",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Exemples :\n  vitrine build                 construit le site du dossier courant dans public/\n  vitrine serve --open          aperçu en direct dans le navigateur\n  vitrine check                 vérifie les scénarios sans rien écrire\n  vitrine search \"fractions\"    cherche dans les scénarios\n  vitrine init ma-vitrine       crée un nouveau site\n  vitrine new \"Mon scénario\" --discipline maths --niveau 6e\n                                crée un scénario à compléter\n  vitrine harvest               télécharge les catalogues des autres vitrines (vitrine nationale)\n\nAide d'une commande : vitrine COMMANDE --aide"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Affiche l'aide (aussi --help).
    #[arg(short = 'h', long = "aide", alias = "help", action = ArgAction::Help, global = true)]
    aide: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Construit le site statique dans le dossier de publication (public/ par défaut).
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Build(BuildArgs),
    /// Aperçu en direct : construit le site en mémoire, le sert sur http://127.0.0.1:1111/ et le met à jour à chaque enregistrement.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Serve(ServeArgs),
    /// Vérifie tous les scénarios et pages sans rien écrire (erreurs avec fichier, ligne et colonne).
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Check(CheckArgs),
    /// Cherche dans les scénarios avec l'index tantivy (analyse du français : accents, pluriels, élisions).
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Search(SearchArgs),
    /// Crée un nouveau site prêt à construire dans le dossier DOSSIER.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Init(InitArgs),
    /// Crée un nouveau scénario à compléter (en brouillon), à partir de son titre.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    New(NewArgs),
    /// Télécharge les catalogues des sources de moissonnage (vitrine nationale) dans le cache .vitrine-cache/moisson/ ; build les ajoute ensuite au site.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Harvest(HarvestArgs),
}

/// `--root`, shared by every command that works on a site.
#[derive(Debug, Args)]
struct RootArg {
    /// Dossier racine du site, celui qui contient vitrine.yaml (par défaut : le dossier courant ; alias --racine).
    #[arg(
        long = "root",
        alias = "racine",
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true
    )]
    path: PathBuf,
}

#[derive(Debug, Args)]
struct HarvestArgs {
    #[command(flatten)]
    root: RootArg,
}

#[derive(Debug, Args)]
struct SiteArgs {
    #[command(flatten)]
    root: RootArg,
    /// Inclut les brouillons (brouillon: true ; alias --brouillons).
    #[arg(long = "drafts", alias = "brouillons")]
    drafts: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Dossier de publication (par défaut : public/ dans la racine du site ; alias --sortie).
    #[arg(long = "output", alias = "sortie", value_name = "DOSSIER")]
    output: Option<PathBuf>,
    /// Adresse publique du site, qui remplace base_url de vitrine.yaml (ex. https://www.ac-exemple.fr/vitrine/).
    #[arg(long = "base-url", value_name = "ADRESSE")]
    base_url: Option<String>,
    /// Remplace le dossier de publication même s'il contient des fichiers qui ne viennent pas
    /// de vitrine (ils seront effacés ; jamais content/, themes/ ni la racine du site ; alias --forcer).
    #[arg(long = "force", alias = "forcer")]
    force: bool,
    /// N'affiche que les erreurs (alias --silencieux).
    #[arg(short = 'q', long = "quiet", alias = "silencieux")]
    quiet: bool,
    /// Affiche la durée de chaque étape de la construction.
    #[arg(long = "durees", alias = "durées")]
    durees: bool,
    /// Nombre de fils de calcul (par défaut : un par cœur du processeur ; alias --taches).
    #[arg(
        short = 'j',
        long = "jobs",
        alias = "taches",
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    jobs: Option<u16>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port d'écoute (1111 par défaut ; 0 pour un port libre).
    #[arg(
        long = "port",
        value_name = "N",
        default_value_t = 1111,
        hide_default_value = true
    )]
    port: u16,
    /// Adresse d'écoute (127.0.0.1 par défaut : seul cet ordinateur voit l'aperçu ; 0.0.0.0 l'ouvre au réseau ; alias --adresse).
    #[arg(
        long = "bind",
        alias = "adresse",
        value_name = "ADRESSE",
        default_value = "127.0.0.1",
        hide_default_value = true
    )]
    bind: std::net::IpAddr,
    /// Ouvre l'aperçu dans le navigateur (alias --ouvrir).
    #[arg(long = "open", alias = "ouvrir")]
    open: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Format du rapport : text (par défaut) ou json (stable, pour l'intégration continue).
    #[arg(long = "format", value_name = "FORMAT", default_value = "text", hide_default_value = true, value_parser = ["text", "json", "texte"])]
    format: String,
    /// Échoue aussi sur les avertissements (alias --strict).
    #[arg(long = "strict", alias = "strict")]
    strict: bool,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// Les mots cherchés, par exemple "fractions 6e".
    #[arg(value_name = "REQUÊTE", default_value = "", hide_default_value = true)]
    query: String,
    #[command(flatten)]
    site: SiteArgs,
    /// Filtre par discipline (répétable : l'une OU l'autre).
    #[arg(long = "discipline", value_name = "DISCIPLINE")]
    disciplines: Vec<String>,
    /// Filtre par niveau (répétable).
    #[arg(long = "niveau", value_name = "NIVEAU")]
    niveaux: Vec<String>,
    /// Filtre par cycle (répétable).
    #[arg(long = "cycle", value_name = "CYCLE")]
    cycles: Vec<String>,
    /// Filtre par académie (répétable).
    #[arg(long = "academie", value_name = "ACADÉMIE")]
    academies: Vec<String>,
    /// Nombre maximal de résultats (10 par défaut ; alias --limite).
    #[arg(
        long = "limit",
        alias = "limite",
        value_name = "N",
        default_value_t = 10,
        hide_default_value = true
    )]
    limit: usize,
    /// Résultats au format JSON (pour les scripts).
    #[arg(long = "json")]
    json: bool,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// Le titre du scénario, entre guillemets ; il donne le nom du fichier.
    #[arg(value_name = "TITRE")]
    titre: String,
    #[command(flatten)]
    root: RootArg,
    /// Discipline (répétable), par exemple --discipline maths.
    #[arg(long = "discipline", value_name = "DISCIPLINE")]
    disciplines: Vec<String>,
    /// Niveau (répétable), par exemple --niveau 6e.
    #[arg(long = "niveau", value_name = "NIVEAU")]
    niveaux: Vec<String>,
    /// Académie (par défaut : academie de vitrine.yaml).
    #[arg(long = "academie", alias = "académie", value_name = "ACADÉMIE")]
    academie: Option<String>,
    /// Crée un dossier (avec index.md) pour ranger images et pièces jointes.
    #[arg(long = "bundle", alias = "dossier")]
    bundle: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Dossier du nouveau site (créé s'il n'existe pas ; il doit être vide).
    #[arg(value_name = "DOSSIER")]
    dir: PathBuf,
}

/// Entry point of the binary.
pub fn run() -> ExitCode {
    install_panic_message();
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => check(args),
        Command::Search(args) => search(args),
        Command::Init(args) => init(args),
        Command::New(args) => new_scenario(args),
        Command::Harvest(args) => harvest(args),
    }
}

/// A panic is a bug of vitrine, never a fault of the user's files: it is said in French, with
/// the place in the code for the bug report, instead of Rust's English « thread … panicked ».
/// `RUST_BACKTRACE` set: Rust's own report follows, for developers.
fn install_panic_message() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!("{}", panic_message(info.location()));
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
    }));
}

fn panic_message(location: Option<&std::panic::Location>) -> String {
    let place = location
        .map(|l| format!(" ({}:{})", l.file(), l.line()))
        .unwrap_or_default();
    format!(
        "erreur interne de vitrine{place} : ce n'est pas dû à vos fichiers. Merci de la signaler \
         avec la commande lancée et ce message."
    )
}

/// clap's own messages are English; translate the usual ones.
fn clap_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match err.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand => {
            let _ = Cli::command().print_help();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let detail = err
        .get(clap::error::ContextKind::InvalidArg)
        .or_else(|| err.get(clap::error::ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let message = match err.kind() {
        K::UnknownArgument => {
            // clap's own suggestion (« tip: a similar argument exists ») in French.
            let hint = err
                .get(clap::error::ContextKind::SuggestedArg)
                .map(|v| format!(" ; vouliez-vous dire « {v} » ?"))
                .unwrap_or_default();
            format!("option inconnue {detail}{hint}")
        }
        K::InvalidSubcommand => {
            let hint = suggest_command(&detail)
                .map(|c| format!(" ; vouliez-vous dire « {c} » ?"))
                .unwrap_or_default();
            format!(
                "commande inconnue {detail}{hint} (commandes : build, serve, check, search, init, new, harvest)"
            )
        }
        K::InvalidValue | K::ValueValidation => format!("valeur invalide pour {detail}"),
        K::MissingRequiredArgument => "argument obligatoire manquant".to_string(),
        K::TooManyValues | K::ArgumentConflict => format!("trop de valeurs pour {detail}"),
        _ => "arguments incorrects".to_string(),
    };
    eprintln!("erreur : {message}\nAide : vitrine --aide");
    ExitCode::from(2)
}

/// Problems that did not stop the command, like `check` shows them.
fn print_warnings(warnings: &[Diagnostic]) {
    for d in warnings {
        let mut place = d.file.display().to_string();
        if d.line > 0 {
            place.push_str(&format!(":{}", d.line));
        }
        let field = d
            .field
            .as_ref()
            .map(|f| format!(" [{f}]"))
            .unwrap_or_default();
        eprintln!("{place} : avertissement{field} : {}", d.message);
        if let Some(s) = &d.suggestion {
            eprintln!("    vouliez-vous dire « {s} » ?");
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let n = diagnostics.len();
    eprintln!("\n{n} erreur{}.", plural(n));
}

struct Spinner(ProgressBar);

impl Progress for Spinner {
    fn stage(&self, message: &str) {
        self.0.set_message(message.to_string());
    }
}

/// A spinner with the current stage and the elapsed time, shown only once the build has run
/// for a second: a small site builds without flicker.
fn spinner() -> Spinner {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let delayed = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        if !delayed.is_finished() {
            delayed.set_draw_target(ProgressDrawTarget::stderr());
        }
    });
    Spinner(bar)
}

/// Sizes the pool of worker threads that parse, render and write in parallel.
fn set_jobs(jobs: Option<u16>) -> Result<(), String> {
    let Some(jobs) = jobs else {
        return Ok(());
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(usize::from(jobs))
        .build_global()
        .map_err(|e| format!("impossible de régler le nombre de fils de calcul : {e}"))
}

fn build(args: BuildArgs) -> ExitCode {
    if let Err(message) = set_jobs(args.jobs) {
        eprintln!("erreur : {message}");
        return ExitCode::FAILURE;
    }
    let options = BuildOptions {
        root: args.site.root.path.clone(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        force: args.force,
    };
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(spinner);
    let result = match &progress {
        Some(s) => site::build(&options, s),
        None => site::build(&options, &Silent),
    };
    if let Some(s) = progress {
        s.0.finish_and_clear();
    }
    match result {
        Ok(summary) => {
            print_warnings(&summary.warnings);
            if !args.quiet && summary.unchanged {
                println!(
                    "Rien n'a changé depuis la dernière construction : {} est à jour ({} pages HTML, {} fichiers ; vérifié en {:.2} s).",
                    options.output_dir().display(),
                    summary.html_pages,
                    summary.files,
                    summary.elapsed.as_secs_f64()
                );
            } else if !args.quiet {
                println!(
                    "Site construit dans {} : {} scénario{}, {} pages HTML, {} fichiers en {:.2} s.",
                    options.output_dir().display(),
                    summary.scenarios,
                    if summary.scenarios > 1 { "s" } else { "" },
                    summary.html_pages,
                    summary.files,
                    summary.elapsed.as_secs_f64()
                );
                if summary.harvested > 0 {
                    println!(
                        "Dont {} scénario{} moissonné{} sur d'autres vitrines (vitrine harvest).",
                        summary.harvested,
                        plural(summary.harvested),
                        plural(summary.harvested)
                    );
                }
                if args.durees {
                    for (stage, duration) in &summary.stages {
                        println!("  {stage} : {:.2} s", duration.as_secs_f64());
                    }
                    println!(
                        "  fichiers identiques à la construction précédente, repris tels quels : {}",
                        summary.reused_files
                    );
                }
                if summary.drafts_excluded > 0 {
                    println!(
                        "{} brouillon{} non publié{} (option --drafts pour les inclure).",
                        summary.drafts_excluded,
                        plural(summary.drafts_excluded),
                        plural(summary.drafts_excluded)
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems);
            eprintln!(
                "{}",
                site::output::state_after_failure(&options.output_dir())
            );
            ExitCode::FAILURE
        }
    }
}

/// Prints what the preview server does, in French.
struct Terminal;

impl serve::Reporter for Terminal {
    fn listening(&self, url: &str) {
        println!("Aperçu en direct sur {url} (Ctrl+C pour arrêter).");
        println!("Enregistrez un fichier de content/ : la page se met à jour d'elle-même.");
    }

    fn rebuilt(&self, message: &str) {
        println!("{}", capitalize(message));
    }

    fn failed(&self, problems: &[Diagnostic]) {
        for d in problems {
            eprintln!("{d}");
        }
        let n = problems.len();
        eprintln!(
            "{n} erreur{} : l'aperçu garde la dernière version correcte.",
            plural(n)
        );
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let mut options = serve::ServeOptions::new(args.site.root.path);
    options.drafts = args.site.drafts;
    options.port = args.port;
    options.bind = args.bind;
    if !options.bind.is_loopback() {
        eprintln!(
            "attention : l'aperçu est visible depuis le réseau sur {} (brouillons compris avec --drafts).",
            options.bind
        );
        eprintln!("{}", serve::network_hint());
    }
    match serve::start(options, std::sync::Arc::new(Terminal)) {
        Ok(server) => {
            if args.open && open::that_detached(&server.url).is_err() {
                eprintln!(
                    "impossible d'ouvrir le navigateur : ouvrez {} vous-même.",
                    server.url
                );
            }
            // The server and the watcher run in their own threads until Ctrl+C.
            loop {
                std::thread::park();
            }
        }
        Err(problem) => {
            eprintln!("{problem}");
            ExitCode::FAILURE
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let report = crate::check::check(&BuildOptions::new(args.site.root.path));
    if args.format == "json" {
        println!("{}", report.to_json());
    } else {
        let text = report.to_text();
        if report.findings.is_empty() {
            print!("Tout est correct : {text}");
        } else {
            eprint!("{text}");
        }
    }
    if report.passes(args.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn search(args: SearchArgs) -> ExitCode {
    let options = BuildOptions {
        drafts: args.site.drafts,
        ..BuildOptions::new(&args.site.root.path)
    };
    let prepared = match site::prepare(&options, &Silent) {
        Ok(p) => p,
        Err(problems) => {
            print_diagnostics(&problems);
            return ExitCode::FAILURE;
        }
    };
    let mut filters = Vec::new();
    let groups = [
        (Facet::Subjects, &args.disciplines),
        (Facet::Levels, &args.niveaux),
        (Facet::Cycles, &args.cycles),
        (Facet::Academies, &args.academies),
    ];
    for (facet, values) in groups {
        // These four filters are vocabulary facets.
        let Some(name) = facet.vocab() else {
            continue;
        };
        let vocab = prepared.vocabs.get(name);
        for value in values {
            match vocab.resolve(value) {
                Some(e) => filters.push((facet, e.cle.clone())),
                None => {
                    let hint = vocab
                        .suggest(value)
                        .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
                        .unwrap_or_default();
                    eprintln!(
                        "erreur : {} inconnue « {value} »{hint}",
                        facet.singular().to_lowercase()
                    );
                    return ExitCode::from(2);
                }
            }
        }
    }
    let index = match site::build::search_index(&options.root, &prepared) {
        Ok(i) => i,
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::FAILURE;
        }
    };
    let query = Query {
        text: args.query.clone(),
        filters,
        limit: args.limit,
    };
    let results = match index.search_all(&query) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("erreur : recherche impossible : {e}");
            return ExitCode::FAILURE;
        }
    };
    // Where each hit is: its source file, or its page on its académie's site when harvested.
    let sources: std::collections::BTreeMap<&str, String> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .map(|s| {
            let place = match &s.origine {
                Some(origine) => origine.url.clone(),
                None => s.source.display().to_string(),
            };
            (s.slug.as_str(), place)
        })
        .collect();
    let urls: std::collections::BTreeMap<&str, &str> = prepared
        .loaded
        .content
        .scenarios
        .iter()
        .filter_map(|s| Some((s.slug.as_str(), s.origine.as_ref()?.url.as_str())))
        .collect();
    let hits = &results.hits;
    if args.json {
        // Approximate results follow the results, each with the word it lacks (`manquant`).
        let approximate = results
            .approchants
            .iter()
            .map(|a| (&a.hit, Some(&a.manquant)));
        let rows: Vec<serde_json::Value> = hits
            .iter()
            .map(|h| (h, None))
            .chain(approximate)
            .map(|(h, missing)| {
                let mut row = serde_json::json!({
                    "slug": h.slug,
                    "titre": h.titre,
                    "url": urls
                        .get(h.slug.as_str())
                        .map_or_else(|| crate::publish::urls::scenario(&h.slug), |u| u.to_string()),
                    "fichier": sources.get(h.slug.as_str()).filter(|_| !urls.contains_key(h.slug.as_str())),
                    "score": h.score,
                    "extrait": h.snippet_html,
                });
                if let Some(word) = missing {
                    row["manquant"] = serde_json::json!(word);
                }
                row
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    let color = std::io::stdout().is_terminal();
    if hits.is_empty() {
        println!("Aucun scénario ne correspond à « {} ».", args.query);
    }
    for (rank, hit) in hits.iter().enumerate() {
        let file = sources.get(hit.slug.as_str()).cloned().unwrap_or_default();
        println!("{}. {}\n   {}", rank + 1, hit.titre, file);
        if !hit.snippet_html.is_empty() {
            println!("   {}", snippet_for_terminal(&hit.snippet_html, color));
        }
    }
    print_approximate(&results.approchants, &sources);
    ExitCode::SUCCESS
}

/// The « Résultats approchants » block after the results: each line names the missing word.
fn print_approximate(
    approximate: &[crate::index::Approximate],
    sources: &std::collections::BTreeMap<&str, String>,
) {
    if approximate.is_empty() {
        return;
    }
    println!("\nRésultats approchants (il manque un mot) :");
    for (rank, result) in approximate.iter().enumerate() {
        let file = sources
            .get(result.hit.slug.as_str())
            .cloned()
            .unwrap_or_default();
        println!(
            "{}. {} — sans « {} »\n   {}",
            rank + 1,
            result.hit.titre,
            result.manquant,
            file
        );
    }
}

/// `<mark>` becomes bold yellow on a terminal, « » otherwise; entities are decoded.
fn snippet_for_terminal(html: &str, color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    html.replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}

fn harvest(args: HarvestArgs) -> ExitCode {
    let config = match crate::config::Config::load(&args.root.path) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    if crate::federation::sources(&config).is_empty() {
        eprintln!(
            "erreur : aucune source à moissonner : ajoutez « moissonnage: sources: » à {} (voir le README, « Vitrine nationale »)",
            crate::config::CONFIG_FILE
        );
        return ExitCode::FAILURE;
    }
    let report = crate::federation::fetch::harvest(&args.root.path, &config);
    for outcome in &report.outcomes {
        let source = &outcome.source;
        match &outcome.result {
            Ok(fetched) => println!(
                "ok : {} : {} scénario{}, {} octets",
                source.describe(),
                fetched.scenarios,
                plural(fetched.scenarios),
                fetched.bytes
            ),
            Err(e) => {
                let kept = if outcome.previous_kept {
                    "le catalogue moissonné précédemment est gardé"
                } else {
                    "aucun catalogue précédent : ses scénarios manqueront"
                };
                eprintln!("erreur : {} : {e} ; {kept}", source.describe());
            }
        }
    }
    let (ok, failed) = (report.succeeded(), report.failed());
    println!(
        "Moissonnage : {ok} source{} à jour, {failed} en échec, {} scénario{} téléchargé{}. Lancez « vitrine build » pour les publier.",
        plural(ok),
        report.scenarios(),
        plural(report.scenarios()),
        plural(report.scenarios())
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn init(args: InitArgs) -> ExitCode {
    match crate::init::init(&args.dir) {
        Ok(files) => {
            println!("Site créé dans {} :", args.dir.display());
            for f in files {
                println!("  {f}");
            }
            println!(
                "\nPour le construire :\n  cd {}\n  vitrine build\npuis ouvrez public/index.html.",
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

fn new_scenario(args: NewArgs) -> ExitCode {
    let config = match crate::config::Config::load(&args.root.path) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let mut vocabs = match crate::vocab::Vocabularies::builtin() {
        Ok(v) => v,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    for (name, entries) in &config.vocabulaires {
        vocabs.extend(*name, entries.clone());
    }
    let request = crate::new_scenario::NewScenario {
        titre: args.titre,
        disciplines: args.disciplines,
        niveaux: args.niveaux,
        academie: args.academie,
        bundle: args.bundle,
    };
    let today = chrono::Local::now().date_naive();
    match crate::new_scenario::create(&args.root.path, &request, &config, &vocabs, today) {
        Ok(created) => {
            println!("Scénario créé : {}", created.path.display());
            if !created.to_fill.is_empty() {
                println!(
                    "À compléter avant de publier : {}.",
                    created.to_fill.join(", ")
                );
            }
            println!(
                "Il est en brouillon (brouillon: true) : vitrine build --drafts le montre ; retirez la ligne pour le publier."
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}

/// Suggests a sub-command for a typo (`vitrine biuld`).
pub fn suggest_command(input: &str) -> Option<String> {
    closest(
        input,
        [
            "build", "serve", "check", "search", "init", "new", "harvest",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_is_reported_in_french_with_its_place() {
        let location =
            std::panic::catch_unwind(|| *std::panic::Location::caller()).expect("no panic");
        let message = panic_message(Some(&location));
        assert!(
            message.contains("erreur interne de vitrine (src/cli.rs:"),
            "{message}"
        );
        crate::testing::assert_french(&message);
    }
}
