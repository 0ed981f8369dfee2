//! Editing the goal tree through the real router on the demo municipality: add a goal, move a subgoal
//! under it and rename it, retire and bring back items. Ids stay, so stories, figures and pages keep
//! working; forms stop offering what is retired; refused edits explain themselves and change nothing.

use axum::http::{StatusCode, header};
use verhalenbank::index::{Scope, SearchRequest};

use super::web::TestApp;

fn count(app: &TestApp, query: &str) -> usize {
    app.bank
        .search(&SearchRequest::new(query, Scope::Municipality))
        .unwrap()
        .total
}

#[tokio::test]
async fn a_moved_and_renamed_subgoal_keeps_its_stories_and_figures() {
    let app = TestApp::demo();
    app.login("analist").await;
    let stories = count(&app, "subgoal:langer-thuis");
    assert!(stories > 0, "the demo has stories about living at home");
    let vitaal_before = count(&app, "goal:vitaal-thuis");

    // A new goal; its id comes from the title.
    let (status, headers, _) = app
        .post_form(
            "/doelenboom/nieuw/doel",
            &[("titel", "Inwoners wonen prettig"), ("thema", "vitaal")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap();
    assert_eq!(
        location,
        "/doelenboom?opgeslagen=doel/inwoners-wonen-prettig#doel-inwoners-wonen-prettig"
    );
    let (_, tree) = app.get(location).await;
    assert!(tree.contains("Opgeslagen: Inwoners wonen prettig"));

    // Move the subgoal under it and rename it.
    let (status, _, _) = app
        .post_form(
            "/doelenboom/subdoel/langer-thuis",
            &[
                ("titel", "Ouderen wonen veilig thuis"),
                ("gewoon", "Langer thuis wonen"),
                ("doel", "inwoners-wonen-prettig"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "subgoal:langer-thuis"), stories);
    assert_eq!(count(&app, "goal:inwoners-wonen-prettig"), stories);
    // The old goal keeps only the stories that also belong to its other subgoals.
    let mut request = SearchRequest::new("goal:vitaal-thuis", Scope::Municipality);
    request.per_page = 100;
    let vitaal = app.bank.search(&request).unwrap();
    assert!(vitaal.total < vitaal_before);
    for hit in vitaal.hits {
        assert!(
            hit.story
                .subgoals
                .iter()
                .any(|s| s.as_str() != "langer-thuis"),
            "{}",
            hit.story.title
        );
    }

    // The indicator under it keeps its figures and now sits under the new goal.
    let (status, page) = app.get("/indicator/aandeel-75plus-zelfstandig").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Inwoners wonen prettig") && page.contains("Ouderen wonen veilig thuis"));
    let (_, edit) = app
        .get("/doelenboom/indicator/aandeel-75plus-zelfstandig")
        .await;
    assert!(!edit.contains("· 0 cijfers"), "figures stay linked");

    // The store holds the change: a reopened bank reads the same tree.
    let tree = app.bank.raw_store().goal_tree().unwrap().unwrap();
    let moved = tree
        .subgoals
        .iter()
        .find(|s| s.id.as_str() == "langer-thuis")
        .unwrap();
    assert_eq!(moved.goal.as_str(), "inwoners-wonen-prettig");
}

#[tokio::test]
async fn retired_items_leave_the_forms_but_keep_their_history() {
    let app = TestApp::demo();
    app.login("analist").await;
    let stories = count(&app, "subgoal:sterker-netwerk");
    let (_, form) = app.get("/vertel").await;
    assert!(form.contains("value=\"sterker-netwerk\""));

    let (status, _, _) = app
        .post_form(
            "/doelenboom/subdoel/sterker-netwerk/status",
            &[("actie", "vervallen")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Forms no longer offer it, nor the indicators and statements under it.
    let (_, form) = app.get("/vertel").await;
    assert!(!form.contains("value=\"sterker-netwerk\""));
    let (_, plan) = app.get("/sessies/nieuw").await;
    assert!(!plan.contains("value=\"bezoekers-koffie-inloop\""));
    assert!(plan.contains("value=\"bereik-jongerenwerk\""));
    let (_, overview) = app.get("/").await;
    assert!(!overview.contains("/indicator/bezoekers-koffie-inloop"));

    // Its stories, figures and pages stay.
    assert_eq!(count(&app, "subgoal:sterker-netwerk"), stories);
    let (status, page) = app.get("/indicator/bezoekers-koffie-inloop").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Vervallen sinds 23 november 2026"), "{page}");
    let (_, tree) = app.get("/doelenboom").await;
    assert!(tree.contains("Vervallen sinds 23 november 2026"));

    // The indicator under it can only come back with its subgoal.
    let (status, _, body) = app
        .post_form(
            "/doelenboom/indicator/bezoekers-koffie-inloop/status",
            &[("actie", "terug")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Neem eerst het onderdeel erboven weer in gebruik."));

    // Nothing new goes under a retired subgoal.
    let (status, _, body) = app
        .post_form(
            "/doelenboom/nieuw/indicator",
            &[
                ("titel", "Nieuwe bezoekers"),
                ("subdoel", "sterker-netwerk"),
                ("niveau", "reach"),
                ("eenheid", "personen"),
                ("richting", "up"),
                ("bron", "Registratie"),
                ("frequentie", "quarter"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Dit onderdeel is vervallen. Kies een onderdeel dat nog in gebruik is."));
    assert!(
        app.bank
            .settings()
            .unwrap()
            .goals
            .indicators
            .iter()
            .all(|i| i.id.as_str() != "nieuwe-bezoekers")
    );

    // Brought back, it is offered again.
    let (status, _, _) = app
        .post_form(
            "/doelenboom/subdoel/sterker-netwerk/status",
            &[("actie", "terug")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, form) = app.get("/vertel").await;
    assert!(form.contains("value=\"sterker-netwerk\""));
}

#[tokio::test]
async fn refused_edits_say_why_next_to_the_field() {
    let app = TestApp::demo();
    app.login("analist").await;
    let before = app.bank.raw_store().goal_tree().unwrap();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 4] = [
        (
            "/doelenboom/nieuw/subdoel",
            vec![
                ("titel", "Dubbel"),
                ("code", "sterker-netwerk"),
                ("doel", "meedoen"),
            ],
            "Deze code bestaat al.",
        ),
        (
            "/doelenboom/nieuw/stelling",
            vec![
                ("titel", "Ik voel me thuis"),
                ("subdoel", "sterker-netwerk"),
            ],
            "Kies de antwoorden.",
        ),
        (
            "/doelenboom/subdoel/sterker-netwerk",
            vec![("titel", ""), ("doel", "meedoen")],
            "Vul een titel in.",
        ),
        (
            "/doelenboom/indicator/bezoekers-koffie-inloop",
            vec![
                ("titel", "Bezoekers"),
                ("subdoel", "sterker-netwerk"),
                ("niveau", "reach"),
                ("eenheid", "personen"),
                ("richting", "up"),
                ("bron", "Registratie"),
                ("frequentie", "quarter"),
                ("nulmeting", "veel"),
            ],
            "Vul een getal in",
        ),
    ];
    for (path, pairs, message) in cases {
        let (status, _, body) = app.post_form(path, &pairs).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(body.contains(message), "{path}: {message}");
        assert!(body.contains("class=\"error-summary\""), "{path}");
    }
    assert_eq!(app.bank.raw_store().goal_tree().unwrap(), before);
    let (status, _) = app.get("/doelenboom/subdoel/bestaat-niet").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/doelenboom/wortel/meedoen").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn figures_on_the_indicator_form_are_read_the_dutch_way() {
    let app = TestApp::demo();
    app.login("analist").await;
    let form = |target: &'static str| {
        vec![
            ("titel", "Deelnemers aan de wandelgroep"),
            ("subdoel", "sterker-netwerk"),
            ("niveau", "reach"),
            ("eenheid", "personen"),
            ("richting", "up"),
            ("bron", "Registratie"),
            ("frequentie", "year"),
            ("nulmeting", "1.234,5"),
            ("streef", target),
        ]
    };
    // A decimal point is not guessed at: the form comes back asking for a decimal comma.
    let (status, _, body) = app
        .post_form("/doelenboom/nieuw/indicator", &form("2.71"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Een punt staat alleen tussen duizendtallen"),
        "{body}"
    );
    assert!(body.contains("value=\"2.71\""), "what was typed stays");

    // A point between thousands is read as one: 2.710 is 2710.
    let (status, _, _) = app
        .post_form("/doelenboom/nieuw/indicator", &form("2.710"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let settings = app.bank.settings().unwrap();
    let indicator = settings
        .goals
        .indicators
        .iter()
        .find(|i| i.id.as_str() == "deelnemers-aan-de-wandelgroep")
        .expect("the indicator is saved");
    assert_eq!(indicator.target, Some(2710.0));
    assert_eq!(indicator.baseline, Some(1234.5));
}
