//! Pages that stand alone: home, search, dashboard, 404 and free pages.

use super::*;

pub(super) fn home_job(site: &Site) -> Job {
    let frame = Frame::new(urls::home(), site.input.config.titre.clone());
    let (mut job, linker) = job(site, frame, "accueil.html");
    let count = site
        .input
        .config
        .scenarios_accueil
        .min(site.scenarios().len());
    let newest: Vec<usize> = (0..count).collect();
    let ctx = &mut job.context;
    let presentation = site
        .input
        .pages_html
        .get("")
        .map(|r| r.html())
        .unwrap_or("");
    ctx.insert("presentation", presentation);
    ctx.insert("cartes", &cards(site, &linker, &newest));
    ctx.insert("detail_scenarios", &scenario_count(site.scenarios().len()));
    ctx.insert("facettes", &facet_links(site, &linker));
    job
}

pub(super) fn search_job(site: &Site) -> Job {
    let frame = Frame::new(urls::search(), "Rechercher un scénario".to_string());
    let (mut job, linker) = job(site, frame, "recherche.html");
    job.context.insert("facettes", &facet_links(site, &linker));
    job.context
        .insert("detail_scenarios", &scenario_count(site.scenarios().len()));
    job
}

pub(super) const DASHBOARD_TITLE: &str = "Tableau de bord";

/// The counts of the scenarios of the build (drafts too when `--drafts` shows them, as the
/// listings do).
pub(super) fn dashboard_job(site: &Site) -> Job {
    let frame = Frame::new(urls::dashboard(), DASHBOARD_TITLE.to_string()).description(Some(
        "Nombre de scénarios par discipline, niveau, cycle, académie, compétence numérique et année."
            .to_string(),
    ));
    let (mut job, linker) = job(site, frame, "tableau-de-bord.html");
    let counts = dashboard::compute(
        site.scenarios().iter().map(|s| s.as_ref()),
        site.input.vocabs,
        Scope::Site,
    );
    job.context.insert("titre", DASHBOARD_TITLE);
    job.context.insert(
        "tableau_de_bord",
        &dashboard::view(&counts, &|p| linker.href(p)),
    );
    job
}

pub(super) fn not_found_job(site: &Site) -> Job {
    let mut frame = Frame::new(NOT_FOUND.to_string(), "Page introuvable".to_string());
    frame.linker = Linker::absolute(site.input.config.base_path());
    job(site, frame, "404.html").0
}

pub(super) fn free_page_job(site: &Site, page: &Page) -> Job {
    let frame = Frame::new(urls::page(&page.slug), page.titre.clone())
        .description(page.description.clone());
    let (mut job, _) = job(site, frame, "page.html");
    let body = site
        .input
        .pages_html
        .get(&page.slug)
        .map(|r| r.html())
        .unwrap_or("");
    job.context.insert("titre", &page.titre);
    job.context.insert("corps", body);
    job
}
