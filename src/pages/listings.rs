//! Listings of scenarios: all of them, the index of a facet and the pages of one facet value,
//! with their pagination and the counts of their sub-facets.

use super::*;

/// One page of a paginated list of scenarios (all of them, or those of one facet value).
struct Listing<'s> {
    titre: String,
    /// Every scenario of the list (indices), newest first.
    members: &'s [usize],
    number: usize,
    path_of: &'s dyn Fn(usize) -> String,
    fil: Vec<(&'s str, Option<String>)>,
    sub_facets_title: Option<String>,
    sub_facets: &'s dyn Fn(&Linker) -> Vec<SubFacet>,
    /// Atom feed of the listing (title, site path), besides the site feed.
    flux: Option<(String, String)>,
    /// Dashboard section of the listing's first page (académies).
    dashboard: &'s dyn Fn(&Linker) -> Option<DashboardSection>,
}

/// The dashboard of a subset of scenarios, shown on a listing page.
#[derive(Serialize)]
struct DashboardSection {
    titre: String,
    #[serde(flatten)]
    vue: DashboardView,
}

fn listing_job(site: &Site, listing: &Listing) -> Job {
    let per_page = site.per_page();
    let pages = page_count(listing.members.len(), per_page);
    let number = listing.number;
    let titre = if number == 1 {
        listing.titre.clone()
    } else {
        format!("{} (page {number})", listing.titre)
    };
    let mut frame = Frame::new((listing.path_of)(number), titre);
    for (label, target) in &listing.fil {
        frame = frame.crumb(label, target.clone());
    }
    frame.flux = listing.flux.clone();
    let (mut job, linker) = job(site, frame, "liste.html");
    let start = ((number - 1) * per_page).min(listing.members.len());
    let end = (start + per_page).min(listing.members.len());
    let mut decompte = scenario_count(listing.members.len());
    if pages > 1 {
        decompte.push_str(&format!(" — page {number} sur {pages}"));
    }
    let ctx = &mut job.context;
    ctx.insert("titre", &listing.titre);
    ctx.insert("intro", &None::<String>);
    ctx.insert("decompte", &decompte);
    ctx.insert(
        "cartes",
        &cards(site, &linker, &listing.members[start..end]),
    );
    ctx.insert(
        "pagination",
        &pagination(&linker, number, pages, listing.path_of),
    );
    ctx.insert("titre_sous_facettes", &listing.sub_facets_title);
    ctx.insert("sous_facettes", &(listing.sub_facets)(&linker));
    let section = if number == 1 {
        (listing.dashboard)(&linker)
    } else {
        None
    };
    ctx.insert("tableau_de_bord", &section);
    job
}

pub(super) fn all_scenarios_job(site: &Site, number: usize) -> Job {
    let all: Vec<usize> = (0..site.scenarios().len()).collect();
    let listing = Listing {
        titre: "Tous les scénarios".to_string(),
        members: &all,
        number,
        path_of: &urls::scenarios_listing,
        fil: Vec::new(),
        sub_facets_title: None,
        sub_facets: &|_| Vec::new(),
        flux: None,
        dashboard: &|_| None,
    };
    listing_job(site, &listing)
}

pub(super) fn facet_index_job(site: &Site, facet: Facet, values: &[FacetValue]) -> Job {
    let frame = Frame::new(urls::facet_index(facet), facet.title().to_string());
    let (mut job, linker) = job(site, frame, "facette.html");
    let counts: Vec<ValueCount> = values
        .iter()
        .map(|v| ValueCount {
            libelle: v.label.clone(),
            href: linker.href(&urls::facet_value(facet, &v.key, 1)),
            nombre: v.members.len(),
        })
        .collect();
    job.context.insert("titre", facet.title());
    job.context.insert(
        "decompte",
        &format!(
            "{}. Le nombre de scénarios est indiqué entre parenthèses.",
            capitalize(&count_noun(facet, values.len()))
        ),
    );
    job.context.insert("valeurs", &counts);
    job
}

/// Page `number` of the listing of one facet value (`facet` and `value` index `site.facets`).
pub(super) fn facet_value_job(
    site: &Site,
    facet_index: usize,
    value_index: usize,
    number: usize,
    counts: &SubsetCounts,
) -> Job {
    let (facet, values) = &site.facets[facet_index];
    let facet = *facet;
    let value = &values[value_index];
    let key = value.key.clone();
    let path_of = move |n: usize| urls::facet_value(facet, &key, n);
    let sub_facets = |linker: &Linker| sub_facet_links(site, linker, (facet, &value.key), counts);
    let is_academy = facet == Facet::Academies;
    // « Académie de Lyon », « Académie d'Amiens », « Discipline : Mathématiques ».
    let titre = facet_value_title(facet, &value.label);
    let academy_dashboard = |linker: &Linker| {
        if !is_academy {
            return None;
        }
        let members = value.members.iter().map(|&i| site.scenarios()[i].as_ref());
        let counts = dashboard::compute(members, site.input.vocabs, Scope::Academie);
        // The charts count the académie's scenarios: their rows lead to the same subset.
        let targets = combined_targets(site, (facet, &value.key));
        let href = |p: &str| match targets.get(p) {
            Some(search) => linker.href(search),
            None => linker.href(p),
        };
        Some(DashboardSection {
            titre: format!("{DASHBOARD_TITLE} de l'académie"),
            vue: dashboard::view(&counts, &href),
        })
    };
    let listing = Listing {
        flux: facet_feed(facet, &value.key).map(|path| (titre.clone(), path)),
        titre,
        members: &value.members,
        number,
        path_of: &path_of,
        fil: vec![(facet.title(), Some(urls::facet_index(facet)))],
        sub_facets_title: Some(if is_academy {
            "Productions de l'académie".to_string()
        } else {
            "Dans ces scénarios".to_string()
        }),
        sub_facets: &sub_facets,
        dashboard: &academy_dashboard,
    };
    listing_job(site, &listing)
}

/// Counts of the other facets' values among a subset of scenarios, in facet and value order:
/// (index in `site.facets`, [(value index, count)]).
pub(super) type SubsetCounts = Vec<(usize, Vec<(usize, usize)>)>;

/// Per facet, per scenario: the indices of the facet's values the scenario has.
pub(super) fn value_indices(
    facets: &[(Facet, Vec<FacetValue>)],
    scenarios: usize,
) -> Vec<Vec<Vec<u32>>> {
    facets
        .iter()
        .map(|(_, values)| {
            let mut of_scenario: Vec<Vec<u32>> = vec![Vec::new(); scenarios];
            for (v, value) in values.iter().enumerate() {
                for &i in &value.members {
                    of_scenario[i].push(v as u32);
                }
            }
            of_scenario
        })
        .collect()
}

/// Computed once per listing (not per page): proportional to the subset's size.
pub(super) fn subset_counts(site: &Site, except_index: usize, value: &FacetValue) -> SubsetCounts {
    site.facets
        .iter()
        .enumerate()
        .filter(|(f, _)| *f != except_index)
        .map(|(f, (_, values))| {
            let mut counts = vec![0usize; values.len()];
            for &i in &value.members {
                for &v in &site.value_indices[f][i] {
                    counts[v as usize] += 1;
                }
            }
            let used: Vec<(usize, usize)> = counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .collect();
            (f, used)
        })
        .filter(|(_, used)| !used.is_empty())
        .collect()
}

/// The subset counts as links from the page of the value `within`: each count is that of the
/// scenarios having both values, so each link leads to the search page filtered on both (a
/// link to the other value's own listing would show a different, larger number).
fn sub_facet_links(
    site: &Site,
    linker: &Linker,
    within: (Facet, &str),
    counts: &SubsetCounts,
) -> Vec<SubFacet> {
    let except = within.0;
    counts
        .iter()
        .map(|(f, used)| {
            let (facet, values) = &site.facets[*f];
            let titre = if except == Facet::Academies && *facet == Facet::Subjects {
                "Pôles de compétences".to_string()
            } else {
                facet.title().to_string()
            };
            let valeurs = used
                .iter()
                .map(|(v, nombre)| ValueCount {
                    libelle: values[*v].label.clone(),
                    href: linker.href(&urls::filtered_search(&[within, (*facet, &values[*v].key)])),
                    nombre: *nombre,
                })
                .collect();
            SubFacet { titre, valeurs }
        })
        .collect()
}

/// Site path of each value's own listing → the search page filtered on it and on `within`.
fn combined_targets(site: &Site, within: (Facet, &str)) -> BTreeMap<String, String> {
    site.facets
        .iter()
        .filter(|(facet, _)| *facet != within.0)
        .flat_map(|(facet, values)| {
            values.iter().map(move |v| {
                (
                    urls::facet_value(*facet, &v.key, 1),
                    urls::filtered_search(&[within, (*facet, &v.key)]),
                )
            })
        })
        .collect()
}

/// What stands for a missing picture on a card: the initials of the scenario's first
/// discipline on that discipline's colour, drawn by the style sheet (nothing to load).
#[derive(Clone, Serialize)]
pub(super) struct Placeholder {
    initiales: String,
    /// One of the style sheet's `PLACEHOLDER_COLOURS` colours (`carte-pastille-N`), the same
    /// for a discipline on every page and every build.
    teinte: u32,
}

/// Colours of the style sheet for card placeholders; 0 is for a scenario without discipline.
const PLACEHOLDER_COLOURS: u32 = 8;

pub(super) fn placeholder(site: &Site, scenario: &Scenario) -> Placeholder {
    match scenario.meta.disciplines.first() {
        Some(key) => Placeholder {
            initiales: initials(&site.label(Facet::Subjects, key)),
            teinte: 1 + fnv1a(key) % (PLACEHOLDER_COLOURS - 1),
        },
        None => Placeholder {
            initiales: initials(&scenario.meta.titre),
            teinte: 0,
        },
    }
}

/// « Sciences de la vie et de la Terre » → « SVT », « Histoire-géographie » → « HG »,
/// « Mathématiques » → « Ma » (one word: two letters, to tell disciplines apart).
fn initials(label: &str) -> String {
    const SMALL_WORDS: [&str; 13] = [
        "de", "la", "le", "les", "et", "des", "du", "d", "l", "à", "a", "aux", "en",
    ];
    let words: Vec<&str> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    match words.as_slice() {
        [] => "?".to_string(),
        [word] => {
            let mut letters = word.chars();
            let first = letters.next().map(|c| c.to_uppercase().to_string());
            let second = letters.next().map(|c| c.to_lowercase().to_string());
            first.unwrap_or_default() + &second.unwrap_or_default()
        }
        many => many
            .iter()
            .take(3)
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// A hash that stays the same from one build and one Rust version to the next (the standard
/// library's may change), so a discipline keeps its colour.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash: u32, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

pub(super) fn pagination(
    linker: &Linker,
    current: usize,
    pages: usize,
    path_of: &dyn Fn(usize) -> String,
) -> Option<Pagination> {
    if pages <= 1 {
        return None;
    }
    let href = |n: usize| linker.href(&path_of(n));
    Some(Pagination {
        precedente: (current > 1).then(|| href(current - 1)),
        suivante: (current < pages).then(|| href(current + 1)),
        pages: page_window(current, pages)
            .into_iter()
            .map(|numero| match numero {
                Some(numero) => PageNumber {
                    numero,
                    href: href(numero),
                    courante: numero == current,
                    ellipse: false,
                },
                None => PageNumber {
                    numero: 0,
                    href: String::new(),
                    courante: false,
                    ellipse: true,
                },
            })
            .collect(),
    })
}

/// Pages shown in the pagination: the first, the last, and two on each side of the current
/// one; `None` marks a gap. Listing every page of a 500-page listing would make each page
/// heavy and make keyboard and screen reader users go through hundreds of links.
pub(super) fn page_window(current: usize, pages: usize) -> Vec<Option<usize>> {
    const AROUND: usize = 2;
    let low = current.saturating_sub(AROUND).max(1);
    let high = (current + AROUND).min(pages);
    let mut shown: Vec<usize> = vec![1];
    shown.extend(low..=high);
    shown.push(pages);
    shown.sort_unstable();
    shown.dedup();
    let mut out: Vec<Option<usize>> = Vec::new();
    let mut previous = 0;
    for n in shown {
        match n - previous {
            1 => {}
            // A gap of one page: show that page rather than an ellipsis standing for it.
            2 => out.push(Some(previous + 1)),
            _ => out.push(None),
        }
        out.push(Some(n));
        previous = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_skip_small_words() {
        assert_eq!(initials("Sciences de la vie et de la Terre"), "SVT");
        assert_eq!(initials("Histoire-géographie"), "HG");
        assert_eq!(initials("Éducation aux médias et à l'information"), "ÉMI");
        assert_eq!(initials("Mathématiques"), "Ma");
        assert_eq!(initials("Enseignement moral et civique"), "EMC");
        assert_eq!(initials("---"), "?");
    }

    #[test]
    fn a_discipline_keeps_its_colour() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_ne!(fnv1a("mathematiques"), fnv1a("francais"));
    }
}
