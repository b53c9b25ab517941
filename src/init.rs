//! `vitrine init`: a new site that builds at once (configuration, home text, one example
//! scenario, one free page). The default theme is built into the binary.

use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostic, ErrorKind};

const FILES: &[(&str, &str)] = &[
    ("vitrine.yaml", include_str!("init/vitrine.yaml")),
    (
        ".gitignore",
        "/public/\n/.public.vitrine-reserve/\n/.vitrine-cache/\n",
    ),
    ("content/_index.md", include_str!("init/_index.md")),
    (
        "content/scenarios/exemple-de-scenario.md",
        include_str!("init/exemple-de-scenario.md"),
    ),
    (
        "content/pages/a-propos.md",
        include_str!("init/a-propos.md"),
    ),
    // Ready-to-use server and CI configurations, outside public/ (README « Déploiement »).
    (
        "deploiement/nginx.conf",
        include_str!("init/deploiement/nginx.conf"),
    ),
    (
        "deploiement/htaccess",
        include_str!("init/deploiement/htaccess"),
    ),
    (
        "deploiement/gitlab-ci.yml",
        include_str!("init/deploiement/gitlab-ci.yml"),
    ),
];

/// What to do next with the site made in `dir`, in French. A web build opened from disk shows
/// folder listings: the USB key needs the offline copy.
pub fn next_steps(dir: &Path) -> String {
    format!(
        "\nPour le voir pendant que vous écrivez :\n  cd {}\n  vitrine serve --open\n\
         Pour le publier sur un serveur web : vitrine build (le site est écrit dans public/).\n\
         Pour une copie à ouvrir depuis le disque ou une clé USB : vitrine build --hors-ligne,\n\
         puis ouvrez public/index.html.",
        dir.display()
    )
}

/// Creates a site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Diagnostic::io(dir, &e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::new(
                ErrorKind::Io,
                dir,
                "le dossier existe déjà et n'est pas vide : choisissez un nouveau dossier pour ne rien écraser",
            ));
        }
    }
    let mut created = Vec::new();
    for (path, contents) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Diagnostic::io(parent, &e))?;
        }
        fs::write(&target, contents).map_err(|e| Diagnostic::io(&target, &e))?;
        created.push(path.to_string());
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_steps_send_the_usb_key_to_the_offline_copy() {
        let text = next_steps(Path::new("ma-vitrine"));
        assert!(text.contains("cd ma-vitrine"), "{text}");
        assert!(
            text.contains("clé USB : vitrine build --hors-ligne"),
            "{text}"
        );
        crate::testing::assert_french(&text);
    }
}
