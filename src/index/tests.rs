//! Unit tests of the search index on a real store and a real tantivy index in a temporary folder.

use std::time::Duration;

use super::*;
use crate::ids::{AreaId, ProviderId, SubgoalId};
use crate::story::{Consent, Moderation, Story, Valence};
use crate::testing;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    index: SearchIndex,
    path: PathBuf,
}

fn fixture(stories: &[Story]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    store.set_municipality(&testing::municipality()).unwrap();
    store.set_goal_tree(&testing::goal_tree()).unwrap();
    store.put_stories(stories).unwrap();
    let path = dir.path().join("index");
    let index = SearchIndex::open(&path, &store).unwrap();
    Fixture {
        _dir: dir,
        store,
        index,
        path,
    }
}

fn titles(fixture: &Fixture, request: &SearchRequest) -> Vec<String> {
    let results = fixture.index.search(&fixture.store, request).unwrap();
    let mut titles: Vec<String> = results
        .hits
        .into_iter()
        .map(|hit| hit.story.title)
        .collect();
    titles.sort();
    titles
}

fn find(fixture: &Fixture, text: &str) -> Vec<String> {
    titles(fixture, &SearchRequest::new(text, Scope::Municipality))
}

fn corpus() -> Vec<Story> {
    let mut stories = vec![
        testing::story(
            "Koffie",
            "Ik ga elke dinsdag naar de koffie-inloop in de buurt. De vrijwilliger schenkt in.",
        ),
        testing::story(
            "Gesprek",
            "Het gesprek met de cliënt is beëindigd. Daarna kwam er een nieuw plan.",
        ),
        testing::story(
            "Schulden",
            "Ik had schulden en stond op een wachtlijst. Het duurde lang.",
        ),
        testing::story(
            "Café",
            "The language café helped me to meet volunteers in my neighbourhood.",
        ),
        testing::story(
            "Scoring <b>",
            "Tekst met <script>alert(1)</script> over de buurt.",
        ),
    ];
    stories[1].consent = Consent::Internal;
    stories[2].moderation = Moderation::Submitted;
    stories[2].provider = Some(ProviderId::parse("schuldhulp").unwrap());
    stories[2].valence = Valence::Negative;
    stories[0].area = Some(AreaId::parse("de-hoven").unwrap());
    stories[0].subgoals = vec![SubgoalId::parse("sterker-netwerk").unwrap()];
    stories[2].subgoals = vec![SubgoalId::parse("grip-op-geld").unwrap()];
    stories[0].tags = vec!["koffie".to_string()];
    stories
}

#[test]
fn finds_inflections_diacritics_phrases_and_exclusions() {
    let fixture = fixture(&corpus());
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("vrijwilligers", vec!["Koffie"]),
        ("client", vec!["Gesprek"]),
        ("beeindigd gesprekken", vec!["Gesprek"]),
        ("\"elke dinsdag\"", vec!["Koffie"]),
        ("\"dinsdag elke\"", vec![]),
        ("buurt -koffie", vec!["Scoring <b>"]),
        ("wachtlijst OR gesprek", vec!["Gesprek", "Schulden"]),
        ("volunteer", vec!["Café"]),
        ("cafe", vec!["Café"]),
        ("koffie-inloop", vec!["Koffie"]),
        ("gebied:noord", vec!["Koffie"]),
        ("subdoel:grip-op-geld", vec!["Schulden"]),
        ("indicator:bezoekers-koffie-inloop", vec!["Koffie"]),
        ("goal:meedoen valence:negative", vec!["Schulden"]),
    ];
    for (query, want) in cases {
        assert_eq!(find(&fixture, query), want, "{query}");
    }
}

#[test]
fn malformed_queries_give_results_not_errors() {
    let fixture = fixture(&corpus());
    let long = "a".repeat(10_000);
    for query in [
        "\"onafgesloten",
        "OR",
        "-",
        "AND AND (",
        "\"\"",
        "-buurt",
        "::",
        long.as_str(),
    ] {
        let request = SearchRequest::new(query, Scope::Municipality);
        fixture.index.search(&fixture.store, &request).unwrap();
    }
    assert_eq!(find(&fixture, "-buurt").len(), 3);
    assert_eq!(find(&fixture, "").len(), 5);
}

#[test]
fn scope_is_part_of_the_query_and_its_counts() {
    let fixture = fixture(&corpus());
    let public = SearchRequest::new("", Scope::Public);
    assert_eq!(
        titles(&fixture, &public),
        vec!["Café", "Koffie", "Scoring <b>"]
    );
    let results = fixture.index.search(&fixture.store, &public).unwrap();
    assert_eq!(results.total, 3);
    let status = &results.facets[&FacetField::Status];
    assert_eq!(
        status,
        &vec![FacetCount {
            value: "published".to_string(),
            count: 3,
            selected: false
        }]
    );

    let provider = SearchRequest::new(
        "",
        Scope::Provider(ProviderId::parse("schuldhulp").unwrap()),
    );
    assert_eq!(
        titles(&fixture, &provider),
        vec!["Café", "Koffie", "Schulden", "Scoring <b>"]
    );
    let other = SearchRequest::new(
        "schulden",
        Scope::Provider(ProviderId::parse("buurtwerk").unwrap()),
    );
    assert!(titles(&fixture, &other).is_empty());
    assert_eq!(find(&fixture, "").len(), 5);
}

#[test]
fn a_session_board_sees_public_stories_awaiting_moderation_but_not_rejected_ones() {
    let board = SearchRequest::new("", Scope::PublicConsent);
    let moderated = fixture(&corpus());
    assert_eq!(
        titles(&moderated, &board),
        vec!["Café", "Koffie", "Schulden", "Scoring <b>"]
    );

    let mut stories = corpus();
    stories[2].moderation = Moderation::Rejected("naam van een buurman".to_string());
    let rejected = fixture(&stories);
    assert_eq!(
        titles(&rejected, &board),
        vec!["Café", "Koffie", "Scoring <b>"]
    );
    assert!(!Scope::PublicConsent.may_see(&stories[2]));
    assert!(Scope::PublicConsent.may_see(&corpus()[2]));
    assert!(!Scope::PublicConsent.may_see(&stories[1]));
}

#[test]
fn facet_counts_keep_other_values_of_a_filtered_field() {
    let fixture = fixture(&corpus());
    let request =
        SearchRequest::new("", Scope::Municipality).filter(FacetField::Valence, "negative");
    let results = fixture.index.search(&fixture.store, &request).unwrap();
    assert_eq!(results.total, 1);
    let valence = &results.facets[&FacetField::Valence];
    assert!(valence.contains(&FacetCount {
        value: "positive".to_string(),
        count: 4,
        selected: false
    }));
    assert!(valence.contains(&FacetCount {
        value: "negative".to_string(),
        count: 1,
        selected: true
    }));
    // Other fields count within the filtered result.
    assert_eq!(
        results.facets[&FacetField::Subgoal],
        vec![FacetCount {
            value: "grip-op-geld".to_string(),
            count: 1,
            selected: false
        }]
    );
    // A story in a wijk counts for its stadsdeel too; indicators count through their subgoal.
    let all = fixture
        .index
        .search(&fixture.store, &SearchRequest::new("", Scope::Municipality))
        .unwrap();
    let areas: Vec<(&str, u32)> = all.facets[&FacetField::Area]
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(areas, vec![("de-hoven", 1), ("noord", 1)]);
    assert_eq!(
        all.facets[&FacetField::Indicator][0].value,
        "bezoekers-koffie-inloop"
    );
}

#[test]
fn only_the_facets_asked_for_are_counted() {
    let fixture = fixture(&corpus());
    let mut request =
        SearchRequest::new("", Scope::Municipality).filter(FacetField::Valence, "negative");
    request.facets = Some(vec![FacetField::Valence, FacetField::Indicator]);
    let results = fixture.index.search(&fixture.store, &request).unwrap();
    let fields: Vec<FacetField> = results.facets.keys().copied().collect();
    assert_eq!(fields, vec![FacetField::Indicator, FacetField::Valence]);
    assert_eq!(results.total, 1);
    assert_eq!(
        results.facets[&FacetField::Valence].len(),
        2,
        "still counted without its own filter"
    );
}

#[test]
fn a_search_without_words_can_ask_for_its_counts_alone() {
    let fixture = fixture(&corpus());
    let mut request = SearchRequest::new("", Scope::Municipality);
    request.facets = Some(vec![FacetField::Valence]);
    let full = fixture.index.search(&fixture.store, &request).unwrap();
    request.per_page = 0;
    let counts = fixture.index.search(&fixture.store, &request).unwrap();
    assert!(counts.hits.is_empty());
    assert!(!full.hits.is_empty());
    assert_eq!(counts.total, full.total);
    assert_eq!(counts.facets, full.facets);
    // With words a page has at least one story.
    request.text = "schulden".to_string();
    let with_words = fixture.index.search(&fixture.store, &request).unwrap();
    assert_eq!(with_words.hits.len(), 1);
}

#[test]
fn snippets_are_escaped_then_marked() {
    let fixture = fixture(&corpus());
    let results = fixture
        .index
        .search(
            &fixture.store,
            &SearchRequest::new("buurt", Scope::Municipality),
        )
        .unwrap();
    let hit = results
        .hits
        .iter()
        .find(|hit| hit.story.title == "Scoring <b>")
        .unwrap();
    let html = hit.snippet.as_str();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("<mark>buurt</mark>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
}

#[test]
fn sorts_and_pages() {
    let stories: Vec<Story> = (1..=25)
        .map(|day| {
            let mut story = testing::story(&format!("Dag {day:02}"), "Een verhaal over de buurt.");
            story.date = jiff::civil::date(2025, 1, day);
            story
        })
        .collect();
    let fixture = fixture(&stories);
    let mut request = SearchRequest::new("buurt", Scope::Municipality);
    request.sort = SortOrder::Newest;
    request.page = 2;
    let results = fixture.index.search(&fixture.store, &request).unwrap();
    assert_eq!(results.total, 25);
    let got: Vec<&str> = results
        .hits
        .iter()
        .map(|hit| hit.story.title.as_str())
        .collect();
    assert_eq!(got[0], "Dag 15");
    assert_eq!(got.len(), 10);
    request.sort = SortOrder::Oldest;
    request.from = Some(jiff::civil::date(2025, 1, 20));
    request.page = 1;
    let results = fixture.index.search(&fixture.store, &request).unwrap();
    assert_eq!(results.total, 6);
    assert_eq!(results.hits[0].story.title, "Dag 20");
}

#[test]
fn erased_stories_leave_the_index() {
    let fixture = fixture(&corpus());
    let story = &corpus()[0];
    assert_eq!(find(&fixture, "vrijwilliger"), vec!["Koffie"]);
    fixture
        .store
        .erase_story(
            story.id,
            jiff::civil::date(2026, 1, 1),
            crate::store::ErasureReason::ErasedByStaff,
        )
        .unwrap();
    fixture.index.catch_up(&fixture.store).unwrap();
    assert!(find(&fixture, "vrijwilliger").is_empty());
    assert_eq!(fixture.index.document_count(), 4);
}

#[test]
fn a_store_write_not_yet_indexed_is_caught_up_on_reopening() {
    let Fixture {
        _dir,
        store,
        index,
        path,
    } = fixture(&corpus());
    let late = testing::story(
        "Laat",
        "Geschreven vlak voor een crash: krentenbollen bij de koffie.",
    );
    let seq = store.put_story(&late).unwrap();
    assert!(index.indexed_seq() < seq);
    drop(index);

    let reopened = SearchIndex::open(&path, &store).unwrap();
    assert!(reopened.wait_until_indexed(seq, Duration::ZERO));
    let results = reopened
        .search(
            &store,
            &SearchRequest::new("krentenbol", Scope::Municipality),
        )
        .unwrap();
    assert_eq!(results.hits.len(), 1);
    assert_eq!(reopened.document_count(), 6);
}

#[test]
fn a_changed_goal_tree_rebuilds_the_derived_fields() {
    let fixture = fixture(&corpus());
    assert_eq!(find(&fixture, "goal:meedoen").len(), 2);
    let mut tree = testing::goal_tree();
    tree.goals.push(crate::goals::Goal {
        id: crate::ids::GoalId::parse("geld").unwrap(),
        title: "Geld".to_string(),
        theme: None,
        description: None,
        retired: None,
    });
    // Adding a goal and renaming a subgoal derive nothing new: no rebuild, but the new names are used.
    tree.subgoals[1].title = "Schulden voorkomen".to_string();
    fixture.store.set_goal_tree(&tree).unwrap();
    let segments = || -> Vec<_> {
        let searcher = fixture.index.reader.searcher();
        searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect()
    };
    let before = segments();
    fixture.index.catch_up(&fixture.store).unwrap();
    assert_eq!(segments(), before, "no documents were rewritten");
    assert_eq!(fixture.index.context().goals, tree);

    // Moving a subgoal to the new goal changes the goal of its stories.
    tree.subgoals[1].goal = crate::ids::GoalId::parse("geld").unwrap();
    fixture.store.set_goal_tree(&tree).unwrap();
    fixture.index.catch_up(&fixture.store).unwrap();
    assert_eq!(find(&fixture, "goal:meedoen"), vec!["Koffie"]);
    assert_eq!(find(&fixture, "goal:geld"), vec!["Schulden"]);
}

#[test]
fn the_indexer_thread_makes_a_submit_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("store")).unwrap());
    let index = Arc::new(SearchIndex::open(&dir.path().join("index"), &store).unwrap());
    let indexer = indexer::Indexer::start(store.clone(), index.clone());
    let story = testing::story("Direct", "Direct na het insturen vindbaar in de wijk.");
    let seq = store.put_story(&story).unwrap();
    assert!(
        index.wait_until_indexed(seq, Duration::from_secs(1)),
        "searchable within a second"
    );
    let results = index
        .search(&store, &SearchRequest::new("wijken", Scope::Municipality))
        .unwrap();
    assert_eq!(results.hits.len(), 1);
    indexer.stop();
}

/// Stories of provider buurtwerk, published for everyone: two probes that differ in one word
/// ("zonnebloem", "klaproos"), a long story with "tuin" at its start and "klaproos" at its end, so
/// that the word counts decide which excerpt is its snippet, and one story whose first version held
/// "klaproos" (the second version, which replaces it, does not).
fn probe_stories() -> (Vec<Story>, Story, Story) {
    let buurtwerk = ProviderId::parse("buurtwerk").unwrap();
    let mut stories = vec![
        testing::story(
            "Proef zon",
            "In de tuin bloeit een zonnebloem naast het pad.",
        ),
        testing::story(
            "Proef klaproos",
            "In de tuin bloeit een klaproos naast het pad.",
        ),
        testing::story(
            "Lang verhaal",
            "Achter het buurthuis ligt een tuin waar we elke week samen werken. Daarna drinken we \
             koffie en praten we over van alles: de kinderen, het weer, de bus die weer te laat was. \
             Soms komt de wijkagent langs en vertelt hoe het gaat in de straat. Iedereen neemt iets \
             mee voor de lunch en we ruimen samen op. Het mooiste vind ik de rode klaproos.",
        ),
    ];
    let first = testing::story("Bewerkt", "Eerst stond hier een klaproos bij de vijver.");
    let mut edited = first.clone();
    edited.text = crate::story::Markdown::new("Nu staat hier een bank bij de vijver.");
    for story in stories.iter_mut().chain([&mut edited]) {
        story.provider = Some(buurtwerk.clone());
    }
    let mut first = first;
    first.provider = Some(buurtwerk);
    stories.extend(corpus());
    (stories, first, edited)
}

/// Stories of another provider that hold "klaproos" (never "tuin"): submitted, published for internal
/// use only, and rejected. The first also holds "zonnebloei", a word one letter from the probe's
/// "zonnebloem" that no visible story holds, and "ingang".
fn hidden_stories() -> Vec<Story> {
    let welzijn = ProviderId::parse("welzijn").unwrap();
    let mut stories = vec![
        testing::story(
            "Verborgen",
            "Een klaproos bij de ingang van het wijkcentrum, en de zonnebloei.",
        ),
        testing::story("Intern", "De klaproos bloeit. De klaproos is rood."),
        testing::story(
            "Afgewezen",
            "Klaproos, klaproos, klaproos en de naam van een buurman.",
        ),
    ];
    stories[0].moderation = Moderation::Submitted;
    stories[1].consent = Consent::Internal;
    stories[2].moderation = Moderation::Rejected("naam van een buurman".to_string());
    for story in &mut stories {
        story.provider = Some(welzijn.clone());
    }
    stories
}

/// Everything a caller gets back for `text`, serialised as the API serialises it: hits with their
/// scores and snippets, facet counts and the total, suggestions, relaxed results and the words a
/// typo or `word*` was searched as, for an exact and a lenient search; and the snippets a page makes
/// afterwards for hits found without them.
fn answers(fixture: &Fixture, scope: &Scope, text: &str) -> String {
    let request = SearchRequest::new(text, scope.clone());
    let results = fixture.index.search(&fixture.store, &request).unwrap();
    let lenient = fixture
        .index
        .search(&fixture.store, &lenient(text, scope.clone()))
        .unwrap();
    let mut later = SearchRequest::new(text, scope.clone());
    later.snippets = false;
    let mut hits = fixture.index.search(&fixture.store, &later).unwrap().hits;
    fixture.index.highlight(&mut hits, text, scope).unwrap();
    format!(
        "{}\n{}\n{}",
        serde_json::to_string(&results).unwrap(),
        serde_json::to_string(&lenient).unwrap(),
        serde_json::to_string(&hits).unwrap()
    )
}

#[test]
fn answers_do_not_depend_on_stories_the_caller_may_not_see() {
    let (visible, first, edited) = probe_stories();
    let queries = [
        "zonnebloem",
        "klaproos",
        "tuin",
        "tuin klaproos",
        "tuin OR klaproos",
        "bloeit OR klaproos OR vijver",
        "\"rode klaproos\"",
        "pad -klaproos",
        // A typo one letter from a visible and a hidden word, a word only hidden stories hold, the
        // words that begin alike, and searches that fall back to the most words.
        "zonnebloel",
        "zonnebloei",
        "zonnebl*",
        "tuin -zonnebl*",
        "tuin zonnebloei wijkcentrum",
        "klaproos ingang",
        "vijver klaproos ingang",
    ];
    let scopes = [
        Scope::Provider(ProviderId::parse("buurtwerk").unwrap()),
        Scope::Public,
        Scope::PublicConsent,
        Scope::Municipality,
    ];
    for scope in scopes {
        let (seen, unseen): (Vec<Story>, Vec<Story>) = hidden_stories()
            .into_iter()
            .partition(|story| scope.may_see(story));
        assert_eq!(unseen.is_empty(), scope == Scope::Municipality);
        // Without the stories this scope may not see, and with the edited story only as it is now.
        let mut without = visible.clone();
        without.extend(seen.clone());
        without.push(edited.clone());
        let without = fixture(&without);
        // With them, and with the edited story's first version indexed before the second replaced
        // it: its document is deleted, but stays in the segment's files until a merge. The
        // municipality sees every story, but not a version that is gone.
        let mut with = visible.clone();
        with.extend(seen);
        with.extend(unseen);
        with.push(first.clone());
        let with = fixture(&with);
        with.store.put_story(&edited).unwrap();
        with.index.catch_up(&with.store).unwrap();
        assert!(
            with.index
                .reader
                .searcher()
                .segment_readers()
                .iter()
                .any(|s| s.num_deleted_docs() > 0),
            "the first version is still in the index, deleted"
        );

        for query in queries {
            let answer = answers(&with, &scope, query);
            assert_eq!(
                answer,
                answers(&without, &scope, query),
                "{scope:?} searching {query}"
            );
        }
        // For a provider and the public, the long story's snippet is the excerpt with "klaproos",
        // the rarer word among the stories they see; counted over the whole bank it would be the
        // one with "tuin".
        if !matches!(scope, Scope::Provider(_) | Scope::Public) {
            continue;
        }
        let request = SearchRequest::new("tuin OR klaproos", scope.clone());
        let results = with.index.search(&with.store, &request).unwrap();
        let long = results
            .hits
            .iter()
            .find(|hit| hit.story.title == "Lang verhaal")
            .unwrap();
        assert!(
            long.snippet.as_str().contains("rode <mark>klaproos</mark>"),
            "{}",
            long.snippet.as_str()
        );
    }
}

/// A lenient search, as pages make it.
fn lenient(text: &str, scope: Scope) -> SearchRequest {
    let mut request = SearchRequest::new(text, scope);
    request.lenient = true;
    request
}

fn found(fixture: &Fixture, request: &SearchRequest) -> (Vec<String>, SearchResults) {
    let results = fixture.index.search(&fixture.store, request).unwrap();
    let titles = results
        .hits
        .iter()
        .map(|hit| hit.story.title.clone())
        .collect();
    (titles, results)
}

fn loneliness() -> Vec<Story> {
    let mut stories = vec![
        testing::story(
            "Vaak",
            "Eenzaamheid is zwaar. Over eenzaamheid praat niemand, en eenzaamheid zie je niet.",
        ),
        testing::story("Eens", "Ik sprak over eenzaamheid met de buurvrouw."),
        testing::story("Getagd", "Ik zit veel thuis en niemand belt."),
        testing::story("Buurthuis", "Elke week koffie in het buurthuis."),
        testing::story("Buurtwerk", "Het buurtwerk kwam langs met een plan."),
        testing::story(
            "Mantelzorger",
            "Als mantelzorger sta ik er vaak alleen voor.",
        ),
        testing::story("Wachtlijst", "Zes weken op de wachtlijst voor schuldhulp."),
    ];
    stories[2].tags = vec!["eenzaamheid".to_string()];
    stories
}

#[test]
fn tags_are_searched_with_the_story_below_what_it_says() {
    let fixture = fixture(&loneliness());
    let (titles, _) = found(
        &fixture,
        &SearchRequest::new("eenzaamheid", Scope::Municipality),
    );
    assert_eq!(titles, vec!["Vaak", "Eens", "Getagd"], "a tag ranks last");
    // A tag is what a story is about, not what it says: an exclusion does not take it out.
    let (titles, _) = found(
        &fixture,
        &SearchRequest::new("thuis -eenzaamheid", Scope::Municipality),
    );
    assert_eq!(titles, vec!["Getagd"]);
    assert_eq!(find(&fixture, "tag:eenzaamheid"), vec!["Getagd"]);
}

#[test]
fn typos_suggest_and_find_the_nearest_word_the_stories_hold() {
    let fixture = fixture(&loneliness());
    let (titles, results) = found(&fixture, &lenient("eenzaamhied", Scope::Municipality));
    assert_eq!(results.suggestion.as_deref(), Some("eenzaamheid"));
    assert_eq!(titles, vec!["Vaak", "Eens", "Getagd"]);
    assert_eq!(
        results.expanded,
        vec![Expanded {
            word: "eenzaamhied".to_string(),
            kind: ExpansionKind::Typo,
            words: vec!["eenzaamheid".to_string()],
        }]
    );
    // The typo's snippet marks the word it was searched as.
    assert!(
        results.hits[1]
            .snippet
            .as_str()
            .contains("<mark>eenzaamheid</mark>")
    );

    let (titles, results) = found(
        &fixture,
        &lenient("mantelzorgr alleen", Scope::Municipality),
    );
    assert_eq!(titles, vec!["Mantelzorger"]);
    assert_eq!(results.suggestion.as_deref(), Some("mantelzorger alleen"));

    // An exact search suggests, but finds only what was typed.
    let (titles, results) = found(
        &fixture,
        &SearchRequest::new("eenzaamhied", Scope::Municipality),
    );
    assert!(titles.is_empty());
    assert_eq!(results.suggestion.as_deref(), Some("eenzaamheid"));
    assert!(results.expanded.is_empty());

    // A word the stories hold is never widened, nor one of four letters or fewer.
    for query in ["buurthuis", "wachtlijsten", "thuiz", "koffi"] {
        let (_, results) = found(&fixture, &lenient(query, Scope::Municipality));
        let widened = query == "koffi";
        assert_eq!(results.suggestion.is_some(), widened, "{query}");
    }
    let (titles, results) = found(&fixture, &lenient("plam", Scope::Municipality));
    assert!(titles.is_empty() && results.suggestion.is_none());
}

#[test]
fn a_star_finds_the_words_that_begin_so() {
    let fixture = fixture(&loneliness());
    let (titles, results) = found(&fixture, &lenient("buurt*", Scope::Municipality));
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["Buurthuis", "Buurtwerk"]);
    assert_eq!(results.expanded[0].kind, ExpansionKind::Prefix);
    assert_eq!(results.expanded[0].words, vec!["buurthuis", "buurtwerk"]);
    let buurthuis = results
        .hits
        .iter()
        .find(|hit| hit.story.title == "Buurthuis")
        .unwrap();
    assert!(
        buurthuis
            .snippet
            .as_str()
            .contains("<mark>buurthuis</mark>"),
        "{}",
        buurthuis.snippet.as_str()
    );
    // "buurvrouw" begins with "buur", not with "buurt".
    assert_eq!(find(&fixture, "buur* -buurt*"), vec!["Eens"]);
    assert!(find(&fixture, "zzz*").is_empty());
    // Fewer than three letters: the word itself, and the results say so.
    let (_, results) = found(&fixture, &lenient("ik bu*", Scope::Municipality));
    assert_eq!(results.expanded[0].kind, ExpansionKind::ShortPrefix);
}

#[test]
fn a_searched_word_marks_the_compounds_it_was_found_in() {
    let fixture = fixture(&loneliness());
    let (_, results) = found(&fixture, &SearchRequest::new("buurt", Scope::Municipality));
    let snippets: Vec<&str> = results
        .hits
        .iter()
        .map(|hit| hit.snippet.as_str())
        .collect();
    assert!(
        snippets
            .iter()
            .any(|s| s.contains("<mark>buurthuis</mark>"))
            && snippets
                .iter()
                .any(|s| s.contains("<mark>buurtwerk</mark>")),
        "{snippets:?}"
    );
}

#[test]
fn a_lenient_search_falls_back_to_the_stories_with_the_most_words() {
    let fixture = fixture(&loneliness());
    // No story has all three words: those with two come, and the one with only one does not
    // fill the page.
    let (titles, results) = found(
        &fixture,
        &lenient("buurthuis koffie wachtlijst", Scope::Municipality),
    );
    assert!(results.relaxed);
    assert_eq!(results.all_words, 0);
    assert_eq!(titles, vec!["Buurthuis"]);
    assert_eq!(results.total, 1);
    // The most any story has is one of the words: the stories with one.
    let (mut titles, results) = found(&fixture, &lenient("koffie wachtlijst", Scope::Municipality));
    assert!(results.relaxed);
    titles.sort();
    assert_eq!(titles, vec!["Buurthuis", "Wachtlijst"]);
    // One story with every word is the answer: no fallback.
    let (titles, results) = found(&fixture, &lenient("koffie buurthuis", Scope::Municipality));
    assert!(!results.relaxed);
    assert_eq!(titles, vec!["Buurthuis"]);
    // Exact searches, and a single word, never fall back.
    let (titles, results) = found(
        &fixture,
        &SearchRequest::new("buurthuis koffie wachtlijst", Scope::Municipality),
    );
    assert!(titles.is_empty() && !results.relaxed);
    let (titles, results) = found(&fixture, &lenient("fiets", Scope::Municipality));
    assert!(titles.is_empty() && !results.relaxed);
    // Phrases stay phrases and exclusions stay exclusions.
    let (titles, results) = found(
        &fixture,
        &lenient(
            "\"koffie in het buurthuis\" wachtlijst -schuldhulp",
            Scope::Municipality,
        ),
    );
    assert!(results.relaxed);
    assert_eq!(titles, vec!["Buurthuis"]);
    let (titles, _) = found(
        &fixture,
        &lenient("\"buurthuis koffie\" wachtlijst", Scope::Municipality),
    );
    assert_eq!(titles, vec!["Wachtlijst"]);
    // Enough stories with every word: no fallback.
    let (_, results) = found(
        &fixture,
        &lenient("ik OR het koffie OR eenzaamheid", Scope::Municipality),
    );
    assert!(!results.relaxed);
}

/// Answers are indexed per question: a slider in bands, a choice by option, several choices each;
/// one question's values are alternatives, different questions must all match, and a question's
/// counts leave out its own filter but keep the other questions'.
#[test]
fn answers_filter_and_count_per_question() {
    use crate::ids::{ChoiceId, QuestionId};
    use crate::questions::{Answer, AnswerValue, SliderAnswer};
    let answer = |value| Answer { version: 1, value };
    let choice = |id: &str| AnswerValue::Choice(ChoiceId::parse(id).unwrap());
    let q = |id: &str| QuestionId::parse(id).unwrap();
    let mut stories: Vec<Story> = ["Een", "Twee", "Drie", "Vier"]
        .iter()
        .map(|title| testing::story(title, "Een verhaal uit de buurt."))
        .collect();
    for (story, (point, feeling)) in stories.iter_mut().zip([
        (SliderAnswer::At(10), "blij"),
        (SliderAnswer::At(20), "boos"),
        (SliderAnswer::At(85), "blij"),
        (SliderAnswer::DontKnow, "blij"),
    ]) {
        story
            .answers
            .insert(q("samen"), answer(AnswerValue::Slider(point)));
        story.answers.insert(q("gevoel"), answer(choice(feeling)));
    }
    stories[0].answers.insert(
        q("tekst"),
        answer(AnswerValue::Text("Een eigen woord".to_string())),
    );
    let fixture = fixture(&stories);
    let request = |values: &[&str]| {
        values
            .iter()
            .fold(SearchRequest::new("", Scope::Municipality), |r, v| {
                r.filter(FacetField::Answer, v)
            })
    };
    assert_eq!(titles(&fixture, &request(&["samen=0-20"])), ["Een", "Twee"]);
    assert_eq!(
        titles(&fixture, &request(&["samen=0-20", "samen=weet-niet"])),
        ["Een", "Twee", "Vier"]
    );
    assert_eq!(
        titles(&fixture, &request(&["samen=0-20", "gevoel=blij"])),
        ["Een"]
    );
    assert_eq!(
        titles(&fixture, &request(&["tekst=een eigen woord"])),
        Vec::<String>::new()
    );
    // The query language knows the filter too.
    assert_eq!(find(&fixture, "antwoord:samen=81-100"), ["Drie"]);

    let results = fixture
        .index
        .search(&fixture.store, &request(&["samen=0-20", "gevoel=blij"]))
        .unwrap();
    let counts: std::collections::BTreeMap<&str, u32> = results.facets[&FacetField::Answer]
        .iter()
        .map(|count| (count.value.as_str(), count.count))
        .collect();
    // samen counted among the blij stories, gevoel among the 0–20 stories; no text answers.
    assert_eq!(
        counts,
        std::collections::BTreeMap::from([
            ("gevoel=blij", 1),
            ("gevoel=boos", 1),
            ("samen=0-20", 1),
            ("samen=81-100", 1),
            ("samen=weet-niet", 1),
        ])
    );
}
