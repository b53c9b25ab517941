//! The command line as clap reads it: commands, options and their French help, and clap's
//! English errors said in French.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand};

use super::output::usage_error;
use crate::content::Facet;
use crate::diagnostics::closest;

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
    after_help = "Exemples :\n  vitrine build                 construit le site du dossier courant dans public/\n  vitrine serve --open          aperçu en direct dans le navigateur\n  vitrine check                 vérifie les scénarios sans rien écrire\n  vitrine search \"fractions\"    cherche dans les scénarios\n  vitrine init ma-vitrine       crée un nouveau site\n  vitrine new \"Mon scénario\" --discipline maths --niveau 6e\n                                crée un scénario à compléter\n  vitrine harvest               télécharge les catalogues des autres vitrines (vitrine nationale)\n  vitrine vocabulaires niveaux  les niveaux acceptés, avec leurs variantes\n  vitrine schema --sortie entete.schema.json\n                                schéma de l'en-tête pour l'éditeur\n\nAide d'une commande : vitrine COMMANDE --aide"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// Affiche l'aide (aussi --help).
    #[arg(short = 'h', long = "aide", alias = "help", action = ArgAction::Help, global = true)]
    pub(super) aide: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub(super) version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
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
    /// Assemble un paquet Moodle / m@gistère (.imscc) de plusieurs scénarios, une section par scénario : choisis par leurs identifiants ou par discipline, niveau, cycle, académie.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Paquet(PaquetArgs),
    /// Liste les vocabulaires de l'en-tête (disciplines, niveaux, académie…) ou, avec NOM, toutes leurs valeurs : clé, libellé et variantes acceptées.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Vocabulaires(VocabulairesArgs),
    /// Écrit le schéma JSON (draft-07) de l'en-tête des scénarios, tiré des vocabulaires du site : pour qu'un éditeur (VS Code…) complète et vérifie l'en-tête.
    #[command(help_template = HELP_TEMPLATE, disable_help_flag = true)]
    Schema(SchemaArgs),
}

/// `--root`, shared by every command that works on a site.
#[derive(Debug, Args)]
pub(super) struct RootArg {
    /// Dossier racine du site, celui qui contient vitrine.yaml (par défaut : le dossier courant ; alias --racine).
    #[arg(
        long = "root",
        alias = "racine",
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true
    )]
    pub(super) path: PathBuf,
}

#[derive(Debug, Args)]
pub(super) struct HarvestArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
}

#[derive(Debug, Args)]
pub(super) struct SiteArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    /// Inclut les brouillons (brouillon: true ; alias --brouillons).
    #[arg(long = "drafts", alias = "brouillons")]
    pub(super) drafts: bool,
}

#[derive(Debug, Args)]
pub(super) struct BuildArgs {
    #[command(flatten)]
    pub(super) site: SiteArgs,
    /// Dossier de publication (par défaut : public/ dans la racine du site ; alias --sortie).
    #[arg(long = "output", alias = "sortie", value_name = "DOSSIER")]
    pub(super) output: Option<PathBuf>,
    /// Adresse publique du site, qui remplace base_url de vitrine.yaml (ex. https://www.ac-exemple.fr/vitrine/).
    #[arg(long = "base-url", value_name = "ADRESSE")]
    pub(super) base_url: Option<String>,
    /// Remplace le dossier de publication même s'il contient des fichiers qui ne viennent pas
    /// de vitrine (ils seront effacés ; jamais content/, themes/ ni la racine du site ; alias --forcer).
    #[arg(long = "force", alias = "forcer")]
    pub(super) force: bool,
    /// Copie à ouvrir depuis le disque (clé USB, intranet en file://) : les liens nomment index.html.
    #[arg(long = "hors-ligne")]
    pub(super) hors_ligne: bool,
    /// Écrit aussi une copie compressée (.gz) de chaque fichier texte, pour gzip_static de nginx
    /// ou MultiViews d'Apache (comme la clé compression: true de vitrine.yaml ; alias --compress).
    #[arg(long = "compresser", alias = "compress")]
    pub(super) compresser: bool,
    /// N'affiche que les erreurs (alias --silencieux).
    #[arg(short = 'q', long = "quiet", alias = "silencieux")]
    pub(super) quiet: bool,
    /// Affiche la durée de chaque étape de la construction.
    #[arg(long = "durees", alias = "durées")]
    pub(super) durees: bool,
    /// Nombre de fils de calcul (par défaut : un par cœur du processeur ; alias --taches).
    #[arg(
        short = 'j',
        long = "jobs",
        alias = "taches",
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub(super) jobs: Option<u16>,
}

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    pub(super) site: SiteArgs,
    /// Port d'écoute (1111 par défaut ; 0 pour un port libre).
    #[arg(
        long = "port",
        value_name = "N",
        default_value_t = 1111,
        hide_default_value = true
    )]
    pub(super) port: u16,
    /// Adresse d'écoute (127.0.0.1 par défaut : seul cet ordinateur voit l'aperçu ; 0.0.0.0 l'ouvre au réseau ; alias --adresse).
    #[arg(
        long = "bind",
        alias = "adresse",
        value_name = "ADRESSE",
        default_value = "127.0.0.1",
        hide_default_value = true
    )]
    pub(super) bind: std::net::IpAddr,
    /// Ouvre l'aperçu dans le navigateur (alias --ouvrir).
    #[arg(long = "open", alias = "ouvrir")]
    pub(super) open: bool,
    /// Cache les brouillons, que l'aperçu montre sinon (avec un bandeau « Brouillon »).
    #[arg(long = "sans-brouillons", conflicts_with = "drafts")]
    pub(super) sans_brouillons: bool,
}

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub(super) site: SiteArgs,
    /// Format du rapport : text (par défaut), json (stable, pour l'intégration continue) ou gitlab (rapport Code Quality des demandes de fusion GitLab).
    #[arg(long = "format", value_name = "FORMAT", default_value = "text", hide_default_value = true, hide_possible_values = true, value_parser = ["text", "json", "texte", "gitlab"])]
    pub(super) format: String,
    /// Écrit le rapport dans ce fichier au lieu de la sortie standard (alias --output).
    #[arg(long = "sortie", alias = "output", value_name = "FICHIER")]
    pub(super) sortie: Option<PathBuf>,
    /// Échoue aussi sur les avertissements (alias --strict).
    #[arg(long = "strict", alias = "strict")]
    pub(super) strict: bool,
}

#[derive(Debug, Args)]
pub(super) struct VocabulairesArgs {
    /// Le vocabulaire à lister, par sa clé d'en-tête : disciplines, niveaux, cycles, academie, types, modalites, competences_numeriques (ou crcn), outils ; singulier ou pluriel, avec ou sans accents.
    #[arg(value_name = "NOM")]
    pub(super) nom: Option<String>,
    #[command(flatten)]
    pub(super) root: RootArg,
    /// Format : text (par défaut, aligné pour le terminal) ou json (pour les outils).
    #[arg(long = "format", value_name = "FORMAT", default_value = "text", hide_default_value = true, hide_possible_values = true, value_parser = ["text", "json", "texte"])]
    pub(super) format: String,
}

#[derive(Debug, Args)]
pub(super) struct SchemaArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    /// Fichier à écrire (par défaut : la sortie standard ; alias --output).
    #[arg(long = "sortie", alias = "output", value_name = "FICHIER")]
    pub(super) sortie: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct SearchArgs {
    /// Les mots cherchés, par exemple "fractions 6e".
    #[arg(value_name = "REQUÊTE", default_value = "", hide_default_value = true)]
    pub(super) query: String,
    #[command(flatten)]
    pub(super) site: SiteArgs,
    #[command(flatten)]
    pub(super) filters: FacetFilters,
    /// Nombre maximal de résultats (10 par défaut ; alias --limite).
    #[arg(
        long = "limit",
        alias = "limite",
        value_name = "N",
        default_value_t = 10,
        hide_default_value = true
    )]
    pub(super) limit: usize,
    /// Résultats au format JSON (pour les scripts).
    #[arg(long = "json")]
    pub(super) json: bool,
}

#[derive(Debug, Args)]
pub(super) struct PaquetArgs {
    /// Identifiants des scénarios, dans l'ordre des sections (sinon : les filtres choisissent).
    #[arg(value_name = "IDENTIFIANT")]
    pub(super) slugs: Vec<String>,
    #[command(flatten)]
    pub(super) root: RootArg,
    #[command(flatten)]
    pub(super) filters: FacetFilters,
    /// Titre du parcours dans Moodle (par défaut : « Parcours : » et les filtres).
    #[arg(long = "titre", value_name = "TITRE")]
    pub(super) titre: Option<String>,
    /// Fichier à écrire (par défaut : parcours.imscc ; alias --output).
    #[arg(
        long = "sortie",
        alias = "output",
        value_name = "FICHIER",
        default_value = "parcours.imscc",
        hide_default_value = true
    )]
    pub(super) sortie: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub(super) struct NewArgs {
    /// Le titre du scénario, entre guillemets ; il donne le nom du fichier (demandé dans un terminal s'il manque).
    #[arg(value_name = "TITRE")]
    pub(super) titre: Option<String>,
    #[command(flatten)]
    pub(super) root: RootArg,
    /// Discipline (répétable), par exemple --discipline maths.
    #[arg(long = "discipline", value_name = "DISCIPLINE")]
    pub(super) disciplines: Vec<String>,
    /// Niveau (répétable), par exemple --niveau 6e.
    #[arg(long = "niveau", value_name = "NIVEAU")]
    pub(super) niveaux: Vec<String>,
    /// Académie (par défaut : academie de vitrine.yaml).
    #[arg(long = "academie", alias = "académie", value_name = "ACADÉMIE")]
    pub(super) academie: Option<String>,
    /// Type de ressource (répétable), par exemple --type séquence.
    #[arg(long = "type", value_name = "TYPE")]
    pub(super) types: Vec<String>,
    /// Modalité pédagogique (répétable), par exemple --modalite "en groupe".
    #[arg(long = "modalite", alias = "modalité", value_name = "MODALITÉ")]
    pub(super) modalites: Vec<String>,
    /// Crée un dossier (avec index.md) pour ranger images et pièces jointes.
    #[arg(long = "bundle", alias = "dossier")]
    pub(super) bundle: bool,
    /// Ne pose aucune question, même dans un terminal : les valeurs absentes restent à compléter dans le fichier.
    #[arg(long = "non-interactif")]
    pub(super) non_interactif: bool,
}

#[derive(Debug, Args)]
pub(super) struct InitArgs {
    /// Dossier du nouveau site (créé s'il n'existe pas ; il doit être vide).
    #[arg(value_name = "DOSSIER")]
    pub(super) dir: PathBuf,
}

/// clap's own messages are English; translate the usual ones.
pub(super) fn clap_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match err.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand => {
            let _ = Cli::command().print_help();
            return usage_error();
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
                "commande inconnue {detail}{hint} (commandes : build, serve, check, search, init, new, harvest, paquet, vocabulaires, schema)"
            )
        }
        K::InvalidValue | K::ValueValidation => format!("valeur invalide pour {detail}"),
        K::MissingRequiredArgument => "argument obligatoire manquant".to_string(),
        K::TooManyValues | K::ArgumentConflict => format!("trop de valeurs pour {detail}"),
        _ => "arguments incorrects".to_string(),
    };
    eprintln!("erreur : {message}\nAide : vitrine --aide");
    usage_error()
}

/// Suggests a sub-command for a typo (`vitrine biuld`).
pub fn suggest_command(input: &str) -> Option<String> {
    closest(
        input,
        [
            "build",
            "serve",
            "check",
            "search",
            "init",
            "new",
            "harvest",
            "paquet",
            "vocabulaires",
            "schema",
        ],
    )
}

/// Filters by facet value shared by `search` and `paquet`: keys, labels or aliases, as typed.
#[derive(Debug, Args)]
pub(super) struct FacetFilters {
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
}

impl FacetFilters {
    /// The values typed for each facet, in the order the facets are presented.
    pub(super) fn by_facet(self) -> Vec<(Facet, Vec<String>)> {
        vec![
            (Facet::Subjects, self.disciplines),
            (Facet::Levels, self.niveaux),
            (Facet::Cycles, self.cycles),
            (Facet::Academies, self.academies),
        ]
    }
}
