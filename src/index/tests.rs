use chrono::NaiveDate;
use tempfile::TempDir;

use super::*;

fn doc(slug: &str, titre: &str, body: &str) -> IndexDoc {
    IndexDoc {
        slug: slug.to_string(),
        titre: titre.to_string(),
        resume: String::new(),
        body: body.to_string(),
        mots_cles: Vec::new(),
        outils: Vec::new(),
        auteurs: Vec::new(),
        metadonnees: Vec::new(),
        facets: Vec::new(),
        date: NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"),
        duree_minutes: None,
    }
}

fn dated(mut doc: IndexDoc, year: i32, month: u32, day: u32) -> IndexDoc {
    doc.date = NaiveDate::from_ymd_opt(year, month, day).expect("valid date");
    doc
}

fn with_facets(mut doc: IndexDoc, facets: &[(Facet, &str)]) -> IndexDoc {
    doc.facets = facets
        .iter()
        .map(|(facet, key)| (*facet, key.to_string()))
        .collect();
    doc
}

fn build(docs: &[IndexDoc]) -> (TempDir, SearchIndex) {
    let dir = TempDir::new().expect("temporary directory");
    let index = SearchIndex::build(dir.path(), docs).expect("index builds");
    (dir, index)
}

fn query(text: &str) -> Query {
    Query {
        text: text.to_string(),
        filters: Vec::new(),
        limit: 20,
    }
}

fn slugs(index: &SearchIndex, query: &Query) -> Vec<String> {
    index
        .search(query)
        .expect("search succeeds")
        .into_iter()
        .map(|hit| hit.slug)
        .collect()
}

fn corpus() -> Vec<IndexDoc> {
    vec![
        doc(
            "eleves",
            "Travail de groupe",
            "Les élèves travaillent en groupe sur des documents.",
        ),
        doc(
            "numerique",
            "Citoyenneté",
            "Une séance sur la citoyenneté numérique au collège.",
        ),
        doc(
            "evaluer",
            "Autoévaluation",
            "Comment évaluer les compétences orales ?",
        ),
        doc(
            "volcans",
            "Les volcans",
            "Étude des volcans et des séismes.",
        ),
    ]
}

#[test]
fn unaccented_query_finds_accented_plural() {
    let (_dir, index) = build(&corpus());
    assert_eq!(slugs(&index, &query("eleve")), vec!["eleves"]);
    assert_eq!(slugs(&index, &query("ÉLÈVE")), vec!["eleves"]);
}

#[test]
fn plural_query_finds_singular() {
    let (_dir, index) = build(&corpus());
    assert_eq!(slugs(&index, &query("numériques")), vec!["numerique"]);
}

#[test]
fn elided_noun_finds_the_verb() {
    let (_dir, index) = build(&corpus());
    assert_eq!(slugs(&index, &query("l'évaluation")), vec!["evaluer"]);
    assert_eq!(slugs(&index, &query("l’évaluation")), vec!["evaluer"]);
}

#[test]
fn every_term_must_match() {
    let docs = vec![
        doc("both", "Volcans", "Les volcans et les séismes."),
        doc("volcans-only", "Volcans", "Les volcans d'Auvergne."),
        doc("seismes-only", "Séismes", "Les séismes du Japon."),
    ];
    let (_dir, index) = build(&docs);
    assert_eq!(slugs(&index, &query("volcan séisme")), vec!["both"]);
    assert_eq!(slugs(&index, &query("volcans")).len(), 2);
    assert!(slugs(&index, &query("volcan licorne")).is_empty());
}

#[test]
fn title_match_ranks_first_and_ties_break_by_slug() {
    let docs = vec![
        doc(
            "b-body",
            "Géographie",
            "Une sortie pour observer un volcan.",
        ),
        doc("c-title", "Le volcan", "Une sortie pour observer."),
        doc(
            "a-body",
            "Géographie",
            "Une sortie pour observer un volcan.",
        ),
    ];
    let (_dir, index) = build(&docs);
    assert_eq!(
        slugs(&index, &query("volcan")),
        vec!["c-title", "a-body", "b-body"]
    );
}

#[test]
fn snippet_marks_matches_and_escapes_html() {
    let docs = vec![doc(
        "html",
        "Balises",
        "Écrire <script> puis observer les élèves & leurs réactions.",
    )];
    let (_dir, index) = build(&docs);
    let hits = index.search(&query("eleve")).expect("search succeeds");
    assert_eq!(hits.len(), 1);
    let snippet = &hits[0].snippet_html;
    assert!(snippet.contains("<mark>élèves</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script>"), "{snippet}");
    assert!(hits[0].score > 0.0);
    assert_eq!(hits[0].titre, "Balises");
}

#[test]
fn snippet_falls_back_to_the_escaped_summary() {
    let mut titled = doc("titre-seul", "Les volcans", "Rien à signaler.");
    titled.resume = "Sortie <terrain> & observation".to_string();
    let (_dir, index) = build(&[titled]);
    let hits = index.search(&query("volcan")).expect("search succeeds");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].snippet_html,
        "Sortie &lt;terrain&gt; &amp; observation"
    );
}

fn faceted_corpus() -> Vec<IndexDoc> {
    vec![
        dated(
            with_facets(
                doc("maths-6e", "Fractions", "Les fractions."),
                &[(Facet::Subjects, "mathematiques"), (Facet::Levels, "6e")],
            ),
            2023,
            5,
            1,
        ),
        dated(
            with_facets(
                doc("svt-6e", "Volcans", "Les volcans."),
                &[(Facet::Subjects, "svt"), (Facet::Levels, "6e")],
            ),
            2024,
            3,
            1,
        ),
        dated(
            with_facets(
                doc("maths-5e", "Fractions encore", "Les fractions."),
                &[(Facet::Subjects, "mathematiques"), (Facet::Levels, "5e")],
            ),
            2022,
            9,
            1,
        ),
        dated(
            with_facets(
                doc("histoire-6e", "Rome", "Rome antique."),
                &[
                    (Facet::Subjects, "histoire-geographie"),
                    (Facet::Levels, "6e"),
                ],
            ),
            2024,
            3,
            1,
        ),
    ]
}

fn filtered(text: &str, filters: &[(Facet, &str)]) -> Query {
    Query {
        text: text.to_string(),
        filters: filters
            .iter()
            .map(|(facet, key)| (*facet, key.to_string()))
            .collect(),
        limit: 20,
    }
}

#[test]
fn filters_are_or_within_a_facet_and_and_across_facets() {
    let (_dir, index) = build(&faceted_corpus());
    let either = filtered(
        "",
        &[(Facet::Subjects, "mathematiques"), (Facet::Subjects, "svt")],
    );
    let mut found = slugs(&index, &either);
    found.sort();
    assert_eq!(found, vec!["maths-5e", "maths-6e", "svt-6e"]);

    let both = filtered(
        "",
        &[(Facet::Subjects, "mathematiques"), (Facet::Levels, "6e")],
    );
    assert_eq!(slugs(&index, &both), vec!["maths-6e"]);

    let with_text = filtered("fraction", &[(Facet::Levels, "5e")]);
    assert_eq!(slugs(&index, &with_text), vec!["maths-5e"]);

    let hyphenated = filtered("", &[(Facet::Subjects, "histoire-geographie")]);
    assert_eq!(slugs(&index, &hyphenated), vec!["histoire-6e"]);

    let unknown = filtered("", &[(Facet::Subjects, "astrologie")]);
    assert!(slugs(&index, &unknown).is_empty());
}

#[test]
fn browsing_without_text_lists_by_date_then_slug() {
    let (_dir, index) = build(&faceted_corpus());
    let sixth = filtered("", &[(Facet::Levels, "6e")]);
    assert_eq!(
        slugs(&index, &sixth),
        vec!["histoire-6e", "svt-6e", "maths-6e"]
    );
    let everything = slugs(&index, &query("  "));
    assert_eq!(
        everything,
        vec!["histoire-6e", "svt-6e", "maths-6e", "maths-5e"]
    );
    let hits = index.search(&sixth).expect("search succeeds");
    assert!(hits.iter().all(|hit| hit.score == 0.0));
}

#[test]
fn limit_is_respected() {
    let (_dir, index) = build(&faceted_corpus());
    let mut limited = query("");
    limited.limit = 2;
    assert_eq!(slugs(&index, &limited), vec!["histoire-6e", "svt-6e"]);
    limited.limit = 0;
    assert!(slugs(&index, &limited).is_empty());
}

#[test]
fn odd_queries_do_not_fail() {
    let (_dir, index) = build(&corpus());
    for text in [
        "\"volcans",
        "titre:volcans",
        "volcans AND",
        "(volcans",
        "volcans)",
        "*",
        "-volcans",
        "+",
        "volcans~2",
        "[a TO z]",
        "l'",
        "’",
        "\u{0}",
    ] {
        assert!(index.search(&query(text)).is_ok(), "{text:?}");
    }
    // Syntax characters are plain punctuation: the words still match.
    assert_eq!(slugs(&index, &query("volcans: séismes")), vec!["volcans"]);
    assert_eq!(
        slugs(&index, &query("\"volcans\" AND")),
        Vec::<String>::new()
    );
    assert_eq!(slugs(&index, &query("(volcans")), vec!["volcans"]);
}

#[test]
fn open_reads_back_a_built_index() {
    let dir = TempDir::new().expect("temporary directory");
    let built = SearchIndex::build(dir.path(), &corpus()).expect("index builds");
    assert_eq!(built.doc_count(), 4);
    drop(built);
    let opened = SearchIndex::open(dir.path()).expect("index opens");
    assert_eq!(opened.doc_count(), 4);
    assert_eq!(slugs(&opened, &query("eleve")), vec!["eleves"]);
}

#[test]
fn build_replaces_previous_content() {
    let dir = TempDir::new().expect("temporary directory");
    SearchIndex::build(dir.path(), &corpus()).expect("first build");
    let index = SearchIndex::build(dir.path(), &corpus()[..1]).expect("second build");
    assert_eq!(index.doc_count(), 1);
}

#[test]
fn open_fails_cleanly_on_a_missing_index() {
    let dir = TempDir::new().expect("temporary directory");
    let error = SearchIndex::open(&dir.path().join("absent")).err();
    assert!(matches!(error, Some(IndexError::Open { .. })), "{error:?}");
}

fn topical_corpus() -> Vec<IndexDoc> {
    let fractions = |slug: &str, titre: &str, body: &str| {
        with_facets(
            doc(slug, titre, body),
            &[(Facet::Subjects, "mathematiques")],
        )
    };
    let volcans = |slug: &str, titre: &str, body: &str| {
        with_facets(doc(slug, titre, body), &[(Facet::Subjects, "svt")])
    };
    vec![
        fractions(
            "fractions-pizza",
            "Les fractions avec des pizzas",
            "Partager une pizza pour comprendre les fractions, le numérateur et le dénominateur.",
        ),
        volcans(
            "volcans-auvergne",
            "Les volcans d'Auvergne",
            "Observer les volcans, la lave et le magma en Auvergne.",
        ),
        fractions(
            "fractions-droite",
            "Fractions sur la droite graduée",
            "Placer des fractions sur une droite graduée ; numérateur et dénominateur.",
        ),
        volcans(
            "volcans-maquette",
            "Maquette de volcan",
            "Construire une maquette de volcan : éruption, lave et magma.",
        ),
        fractions(
            "fractions-jeu",
            "Jeu de fractions",
            "Un jeu de cartes pour comparer des fractions.",
        ),
        volcans(
            "volcans-seismes",
            "Volcans et séismes",
            "Relier les volcans et les séismes aux plaques tectoniques.",
        ),
    ]
}

#[test]
fn related_prefers_the_same_topic_and_excludes_itself() {
    let (_dir, index) = build(&topical_corpus());
    let related = index.related(2).expect("related succeeds");
    assert_eq!(related.len(), 6);
    for (slug, others) in &related {
        assert_eq!(others.len(), 2, "{slug}: {others:?}");
        assert!(!others.contains(slug), "{slug}: {others:?}");
        let topic = slug.split('-').next().unwrap_or_default();
        for other in others {
            assert!(other.starts_with(topic), "{slug}: {others:?}");
        }
    }
    // Same title word, numerator and denominator: the closest of all.
    assert_eq!(related["fractions-pizza"][0], "fractions-droite");
    assert_eq!(related["volcans-auvergne"][0], "volcans-maquette");
}

#[test]
fn related_returns_every_other_doc_when_n_is_large() {
    let (_dir, index) = build(&topical_corpus());
    let related = index.related(10).expect("related succeeds");
    for (slug, others) in &related {
        assert_eq!(others.len(), 5, "{slug}");
        let mut unique = others.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5, "{slug}");
    }
    assert!(index.related(0).expect("related succeeds")["fractions-jeu"].is_empty());
}

#[test]
fn related_is_deterministic_whatever_the_input_order() {
    let docs = topical_corpus();
    let (_dir, index) = build(&docs);
    let mut reversed = docs.clone();
    reversed.reverse();
    let (_other_dir, other) = build(&reversed);
    assert_eq!(
        index.related(3).expect("related succeeds"),
        other.related(3).expect("related succeeds")
    );
}

/// Eighty documents drawing words from a shared pool (so that they share terms unevenly), with
/// disciplines and levels: enough for related lists to depend on other documents' weights.
fn related_corpus() -> Vec<IndexDoc> {
    let pool: Vec<String> = (0..120).map(|i| format!("mot{i}")).collect();
    let mut state: u64 = 42;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % bound
    };
    (0..80)
        .map(|i| {
            let words: Vec<&str> = (0..20 + next(40))
                .map(|_| {
                    // Skewed towards the first words: some common, most rare.
                    let bound = next(pool.len()) + 1;
                    pool[next(bound)].as_str()
                })
                .collect();
            let subject = ["maths", "svt", "lettres"][next(3)];
            let level = ["6e", "5e", "4e"][next(3)];
            with_facets(
                doc(&format!("doc-{i:02}"), words[0], &words.join(" ")),
                &[(Facet::Subjects, subject), (Facet::Levels, level)],
            )
        })
        .collect()
}

fn previous_of(related: &Related) -> PreviousRelated<'_> {
    PreviousRelated {
        related: &related.related,
        memos: &related.memos,
    }
}

#[test]
fn related_lists_computed_again_after_an_edit_are_those_of_a_full_computation() {
    let mut docs = related_corpus();
    let (_dir, index) = build(&docs);
    let mut previous = index.related_updating(4, b"seed", None).expect("related");
    assert_eq!(previous.computed, docs.len());
    assert_eq!(previous.related, index.related(4).expect("related"));
    type Edit = fn(&mut Vec<IndexDoc>);
    let edits: [(&str, Edit); 8] = [
        ("a word no other document has", |docs| {
            docs[3].body.push_str(" inédit")
        }),
        ("a word of other documents, new to this one", |docs| {
            docs[10].body.push_str(" mot7 mot7")
        }),
        ("a word used again", |docs| {
            let first = docs[20].body.split(' ').next().unwrap_or("").to_string();
            docs[20].body.push_str(&format!(" {first}"));
        }),
        ("a word taken out", |docs| {
            let body = docs[30].body.clone();
            let first = body.split(' ').next().unwrap_or("");
            docs[30].body = body.replace(first, "");
        }),
        (
            "words it shares with another repeated: it enters that one's list",
            |docs| {
                // No document frequency changes: the other document's weights stay the same.
                let theirs: Vec<String> = docs[60].body.split(' ').map(str::to_string).collect();
                let shared: Vec<String> = docs[50]
                    .body
                    .split(' ')
                    .filter(|word| theirs.iter().any(|w| w == word))
                    .map(str::to_string)
                    .collect();
                let repeated = format!(" {}", shared.join(" ")).repeat(6);
                docs[50].body.push_str(&repeated);
                docs[50].facets = docs[60].facets.clone();
            },
        ),
        ("another discipline", |docs| {
            docs[40].facets[0].1 = "histoire".to_string()
        }),
        ("a document added", |docs| {
            docs.push(doc("doc-zz", "mot3", "mot3 mot4 mot5 mot6"))
        }),
        ("a document taken out", |docs| {
            docs.remove(5);
        }),
    ];
    let mut some_kept = false;
    for (what, edit) in edits {
        edit(&mut docs);
        let (_dir, index) = build(&docs);
        let updated = index
            .related_updating(4, b"seed", Some(previous_of(&previous)))
            .expect(what);
        let full = index.related_updating(4, b"seed", None).expect(what);
        assert_eq!(updated.related, full.related, "{what}");
        assert_eq!(updated.memos, full.memos, "{what}");
        some_kept |= updated.computed < docs.len();
        previous = updated;
    }
    assert!(some_kept, "an edit computes some lists only");
    // Another seed (another program): nothing is taken from the previous lists.
    let other = index
        .related_updating(4, b"other", Some(previous_of(&previous)))
        .expect("related");
    assert_eq!(other.computed, docs.len());
}

#[test]
fn an_edit_of_a_word_no_other_document_has_computes_few_lists() {
    let mut docs = related_corpus();
    let (_dir, index) = build(&docs);
    let first = index.related_updating(4, b"seed", None).expect("related");
    docs[3].body.push_str(" inédit");
    let (_dir, index) = build(&docs);
    let updated = index
        .related_updating(4, b"seed", Some(previous_of(&first)))
        .expect("related");
    let changed = updated
        .memos
        .iter()
        .filter(|(slug, memo)| first.memos[*slug].fingerprint != memo.fingerprint)
        .count();
    assert_eq!(changed, 1, "only the edited document's weights changed");
    // Its list, and those it now enters or whose last place it held.
    assert!(updated.computed * 4 < docs.len(), "{}", updated.computed);
}

#[test]
fn empty_index_searches_and_relates_nothing() {
    let (_dir, index) = build(&[]);
    assert_eq!(index.doc_count(), 0);
    assert!(slugs(&index, &query("volcan")).is_empty());
    assert!(slugs(&index, &query("")).is_empty());
    assert!(index.related(3).expect("related succeeds").is_empty());
}

#[test]
fn truncate_cuts_at_a_word_boundary() {
    assert_eq!(crate::text::truncate_words("court", 10), "court");
    assert_eq!(crate::text::truncate_words("un deux trois", 9), "un deux…");
}

#[test]
fn ties_break_by_date_newest_first_then_slug() {
    let body = "Une sortie pour observer un volcan.";
    let docs = vec![
        dated(doc("a-old", "Géographie", body), 2020, 1, 1),
        dated(doc("b-new", "Géographie", body), 2025, 1, 1),
        dated(doc("c-new", "Géographie", body), 2025, 1, 1),
    ];
    let (_dir, index) = build(&docs);
    assert_eq!(
        slugs(&index, &query("volcan")),
        vec!["b-new", "c-new", "a-old"]
    );
    assert_eq!(index.doc_order(), vec!["b-new", "c-new", "a-old"]);
}

#[test]
fn the_last_word_also_matches_as_a_prefix() {
    let (_dir, index) = build(&corpus());
    // « volc » is no term, but starts « volcan ».
    assert_eq!(slugs(&index, &query("volc")), vec!["volcans"]);
    assert_eq!(slugs(&index, &query("séismes volc")), vec!["volcans"]);
    // Only the last word is a prefix.
    assert!(slugs(&index, &query("volc séismes")).is_empty());
    // Too short to be a prefix.
    assert!(slugs(&index, &query("vo")).is_empty());
}

#[test]
fn a_long_word_with_one_typo_falls_back_to_its_neighbours() {
    let (_dir, index) = build(&corpus());
    // « volcqns » (q for a) stems one substitution away from « volcan ».
    assert_eq!(slugs(&index, &query("volcqns")), vec!["volcans"]);
    assert_eq!(slugs(&index, &query("séismes vlocans")), vec!["volcans"]);
    // Short words get no fallback.
    assert!(slugs(&index, &query("volx")).is_empty());
}

#[test]
fn exported_contributions_are_the_one_word_scores() {
    let (_dir, index) = build(&faceted_corpus());
    let order = index.doc_order();
    let exported = index.export_terms().expect("export");
    assert!(!exported.is_empty());
    let mut checked = 0;
    for term in exported.iter().filter(|t| t.term.len() > 5).take(12) {
        let hits = index
            .search(&Query {
                text: term.term.clone(),
                filters: Vec::new(),
                limit: 100,
            })
            .expect("search");
        // Searched as a word, a stem that starts other terms also matches them (prefix).
        let alone = !exported
            .iter()
            .any(|other| other.term != term.term && other.term.starts_with(&term.term));
        for (ordinal, contribution) in &term.postings {
            let slug = &order[*ordinal as usize];
            let hit = hits
                .iter()
                .find(|h| &h.slug == slug)
                .expect("document found");
            if alone && analyze(&term.term) == vec![term.term.clone()] {
                assert!((hit.score - contribution).abs() < 1e-4, "{}", term.term);
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

/// `n` documents, each holding `word` once in a long body, plus the given ones.
fn with_many(word: &str, n: usize, mut docs: Vec<IndexDoc>) -> Vec<IndexDoc> {
    for i in 0..n {
        docs.push(doc(
            &format!("filler-{i:02}"),
            "Une séance",
            &format!("{word} et beaucoup de mots pour allonger ce texte ordinaire numéro {i}"),
        ));
    }
    docs
}

#[test]
fn exact_matches_rank_before_prefix_matches() {
    // « cart » is the term of « cartes » in one document; « cartographie » only starts with it but
    // sits in the title of the other, which would win on score alone.
    let docs = vec![
        doc("exact", "Une sortie", "les cartes du quartier"),
        doc("prefixe", "Cartographie cartographie", "cartographie"),
    ];
    let (_dir, index) = build(&docs);
    assert_eq!(slugs(&index, &query("cart")), vec!["exact", "prefixe"]);
    let results = index.search_all(&query("cart")).expect("search");
    assert!(results.hits[1].score > results.hits[0].score);
}

#[test]
fn a_common_last_word_is_not_expanded() {
    let docs = vec![doc("entreprise", "Entreprise", "une entreprise")];
    // « ent » is in PREFIX_EXACT_MAX_DOCS documents: typed whole, it is no prefix.
    let common = with_many("ENT", PREFIX_EXACT_MAX_DOCS as usize, docs.clone());
    let (_dir, index) = build(&common);
    let results = index.search_all(&query("ENT")).expect("search");
    assert_eq!(results.total, PREFIX_EXACT_MAX_DOCS as usize);
    assert!(!slugs(&index, &query("ENT")).contains(&"entreprise".to_string()));
    // One document fewer: rare, the word is also a prefix, and exact matches still lead.
    let rare = with_many("ENT", PREFIX_EXACT_MAX_DOCS as usize - 1, docs);
    let (_dir2, index2) = build(&rare);
    let found = slugs(&index2, &query("ENT"));
    assert_eq!(found.len(), PREFIX_EXACT_MAX_DOCS as usize);
    assert_eq!(found.last().map(String::as_str), Some("entreprise"));
}

#[test]
fn approximate_results_lack_one_word_and_only_when_few_match() {
    let docs = vec![
        doc("volcans", "Les volcans", "un volcan et une carte"),
        doc("seismes", "Les séismes", "une carte des séismes"),
        doc("meteo", "La météo", "des nuages"),
    ];
    let (_dir, index) = build(&docs);
    let results = index.search_all(&query("volcan séisme")).expect("search");
    assert_eq!(results.total, 0);
    let lacking: Vec<(&str, &str)> = results
        .approchants
        .iter()
        .map(|a| (a.hit.slug.as_str(), a.manquant.as_str()))
        .collect();
    assert_eq!(lacking.len(), 2, "{lacking:?}");
    assert!(lacking.contains(&("volcans", "séisme")), "{lacking:?}");
    assert!(lacking.contains(&("seismes", "volcan")), "{lacking:?}");
    // One word: nothing approximate.
    let one = index.search_all(&query("xylophone")).expect("search");
    assert!(one.approchants.is_empty());
    // Enough results for both words: nothing approximate either.
    let many = with_many("volcan carte", APPROXIMATE_BELOW, docs);
    let (_dir2, index2) = build(&many);
    let full = index2.search_all(&query("volcan carte")).expect("search");
    assert!(full.total >= APPROXIMATE_BELOW);
    assert!(full.approchants.is_empty());
}

#[test]
fn metadata_ranks_below_the_title() {
    let mut by_label = doc("label", "Une séance", "rien de plus");
    by_label.metadonnees = vec!["lyon".to_string(), "sixieme".to_string()];
    let titled = doc("titre", "Sixième à Lyon", "rien de plus");
    let (_dir, index) = build(&[by_label, titled]);
    assert_eq!(slugs(&index, &query("sixième")), vec!["titre", "label"]);
}

#[test]
fn two_unknown_words_are_two_missing_words() {
    let docs = vec![doc("volcans", "Les volcans", "un volcan")];
    let (_dir, index) = build(&docs);
    // « volcan » alone matches, but both other words are missing: not « all but one ».
    let both = index
        .search_all(&query("xylophone volcan zanzibar"))
        .expect("search");
    assert!(both.approchants.is_empty(), "{:?}", both.approchants);
    let one = index
        .search_all(&query("xylophone volcan"))
        .expect("search");
    assert_eq!(one.approchants.len(), 1);
    assert_eq!(one.approchants[0].manquant, "xylophone");
}

/// Twelve documents of varied length (so that field norms and their average matter), in slug
/// order, sharing words in varied proportions.
fn parts_corpus() -> Vec<IndexDoc> {
    let topics = ["volcans séismes", "fractions nombres", "poésie lecture"];
    (0..12)
        .map(|i| {
            let topic = topics[i % 3];
            let body = format!("{topic} {} élèves séance {}", "mot ".repeat(i * 7), i);
            dated(
                doc(&format!("doc-{i:02}"), &format!("Titre {topic}"), &body),
                2020 + (i % 4) as i32,
                1,
                1,
            )
        })
        .collect()
}

/// Everything readers take from an index: order, bodies, terms with BM25, related, searches.
fn assert_same_answers(actual: &SearchIndex, expected: &SearchIndex) {
    assert_eq!(actual.doc_count(), expected.doc_count());
    assert_eq!(actual.doc_order(), expected.doc_order());
    let bodies = |index: &SearchIndex| {
        let (mut bodies, mut reader) = (Vec::new(), Bodies::of(index));
        while let Some(batch) =
            reader.next_batch(64, |_| None, |ordinal, body| (ordinal, body.to_string()))
        {
            bodies.extend(batch.expect("bodies"));
        }
        bodies
    };
    assert_eq!(bodies(actual), bodies(expected));
    assert!(actual.export_terms().expect("terms") == expected.export_terms().expect("terms"));
    assert_eq!(
        actual.related(3).expect("related"),
        expected.related(3).expect("related")
    );
    for text in [
        "volcan",
        "fractions élèves",
        "mot",
        "poésie volcans",
        "séance 7",
        "",
    ] {
        let mut one = query(text);
        one.limit = 50;
        assert_eq!(
            actual.search_all(&one).expect("search"),
            expected.search_all(&one).expect("search"),
            "« {text} »"
        );
    }
}

fn in_parts(docs: &[IndexDoc], size: usize) -> Vec<Vec<IndexDoc>> {
    docs.chunks(size).map(<[IndexDoc]>::to_vec).collect()
}

#[test]
fn parts_linked_give_the_index_of_a_single_build() {
    let docs = parts_corpus();
    let dir = TempDir::new().expect("temporary directory");
    let (parts, site) = (dir.path().join("parts"), dir.path().join("index"));
    let (index, indexed) = SearchIndex::build_parts(&parts, &site, in_parts(&docs, 5).into_iter())
        .expect("parts build");
    assert_eq!(indexed, 12);
    assert_eq!(
        index.searcher.segment_readers().len(),
        3,
        "one segment per part, none merged"
    );
    let (_single_dir, single) = build(&docs);
    assert_same_answers(&index, &single);
    // The site's index owns its files: the parts may change or go.
    drop(index);
    std::fs::remove_dir_all(&parts).expect("parts removed");
    assert_same_answers(&SearchIndex::open(&site).expect("reopened"), &single);
}

#[test]
fn updating_parts_gives_the_index_of_a_full_build() {
    let mut docs = parts_corpus();
    let dir = TempDir::new().expect("temporary directory");
    let (parts, merged) = (dir.path().join("parts"), dir.path().join("index"));
    // Parts: 00-03, 04-07, 08-11.
    SearchIndex::build_parts(&parts, &merged, in_parts(&docs, 4).into_iter()).expect("build");

    // The middle part changes: one document edited, one deleted, one added.
    docs[5].body.push_str(" volcans volcans nouveau");
    docs.remove(6);
    let mut added = doc("doc-06b", "Ajouté", "fractions poésie ajouté");
    added.date = NaiveDate::from_ymd_opt(2025, 6, 1).expect("valid date");
    docs.insert(6, added);
    let stale: Vec<String> = (4..8).map(|i| format!("doc-{i:02}")).collect();
    let middle: Vec<IndexDoc> = docs[4..8].to_vec();
    let (index, indexed) =
        SearchIndex::update_parts(&parts, &merged, &stale, std::iter::once(middle))
            .expect("update");
    assert_eq!(indexed, 4, "only the changed part is indexed again");
    let (_single_dir, single) = build(&docs);
    assert_same_answers(&index, &single);
    assert_same_answers(&SearchIndex::open(&merged).expect("reopen"), &single);
}

#[test]
fn parts_with_deleted_documents_are_refused() {
    // Merging a segment with deleted documents would estimate the field lengths from the
    // rounded field norms: BM25 scores would differ from a clean build's.
    let docs = parts_corpus();
    let dir = TempDir::new().expect("temporary directory");
    let (parts, merged) = (dir.path().join("parts"), dir.path().join("index"));
    SearchIndex::build_parts(&parts, &merged, in_parts(&docs, 4).into_iter()).expect("build");
    let stale = vec!["doc-05".to_string()];
    assert!(matches!(
        SearchIndex::update_parts(&parts, &merged, &stale, std::iter::empty()),
        Err(IndexError::Parts(_))
    ));
}

#[test]
fn overlapping_parts_are_refused() {
    let docs = parts_corpus();
    let dir = TempDir::new().expect("temporary directory");
    let (parts, merged) = (dir.path().join("parts"), dir.path().join("index"));
    SearchIndex::build_parts(&parts, &merged, in_parts(&docs, 4).into_iter()).expect("build");
    // A document of the first part's range added as a part of its own.
    let extra = vec![doc("doc-01b", "Ajouté", "intrus")];
    assert!(matches!(
        SearchIndex::update_parts(&parts, &merged, &[], std::iter::once(extra)),
        Err(IndexError::Parts(_))
    ));
}

#[test]
fn updating_a_missing_parts_index_fails_cleanly() {
    let dir = TempDir::new().expect("temporary directory");
    let result = SearchIndex::update_parts(
        &dir.path().join("absent"),
        &dir.path().join("index"),
        &[],
        std::iter::empty(),
    );
    assert!(matches!(result, Err(IndexError::Open { .. })));
}
