//! Small things readers stumbled over, each checked on the page it is on: Mijn verhaal speaks to the
//! teller about their own consent, "Duiding toevoegen" only for those who may add one, the actions page
//! names what its list holds, a round's texts can be seen rendered before saving, and the yearly report
//! flags a figure that should have had a newer one.

use axum::http::StatusCode;

use super::web::{TestApp, receipt_code};

#[tokio::test]
async fn looking_up_ones_own_story_speaks_to_the_reader() {
    let app = TestApp::demo();
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                ("verhaal", "Bij de koffie-inloop leerde ik mijn buurvrouw kennen. Nu drinken we elke week samen koffie."),
                ("gevoel", "positive"),
                ("toestemming", "public"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = receipt_code(&body);
    let (_, _, body) = app.post_form("/mijn-verhaal", &[("code", &code)]).await;
    assert!(
        body.contains("U vindt het goed dat uw verhaal openbaar is"),
        "{body}"
    );
    assert!(!body.contains("De verteller vindt"), "{body}");
}

#[test]
fn the_receipt_code_has_one_name() {
    for lang in ["nl", "en"] {
        let path = super::support::repo_root().join(format!("locales/{lang}.toml"));
        let text = std::fs::read_to_string(path).unwrap().to_lowercase();
        for other in ["bewijscode", "receipt code"] {
            assert!(!text.contains(other), "{lang} calls the code a {other}");
        }
    }
}

#[tokio::test]
async fn only_those_who_may_interpret_are_offered_to_add_an_interpretation() {
    let app = TestApp::demo();
    let page = "/indicator/bezoekers-koffie-inloop";
    let link = "/indicator/bezoekers-koffie-inloop/duiding\"";
    let (status, body) = app.get(page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains(link), "anonymous visitors see no link");
    assert!(!body.contains("Duiding toevoegen"));
    app.login("buurtwerk").await;
    let (_, body) = app.get(page).await;
    assert!(!body.contains(link), "provider staff may not add one");
    app.login("begeleider").await;
    let (_, body) = app.get(page).await;
    assert!(body.contains(link), "a facilitator may");
}

#[tokio::test]
async fn the_actions_page_names_its_lists_for_what_they_hold() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let (status, body) = app.get("/acties").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h2>Open verbeteracties</h2>"));
    assert!(!body.contains("<h2>Alle verbeteracties</h2>"), "{body}");
    assert!(
        body.contains("<h2>Klaar of vervallen</h2>"),
        "the demo has finished actions"
    );
}

#[tokio::test]
async fn a_rounds_texts_are_previewed_rendered_and_sanitised_before_saving() {
    let app = TestApp::demo();
    app.login("analist").await;
    let page = "/rondes/minder-alleen-2025";
    let version = app.version_on(page).await;
    let (_, before) = app.get(page).await;
    let (status, _, body) = app
        .post_form(
            "/rondes/minder-alleen-2025/teksten",
            &[
                ("versie", &version),
                (
                    "synthese",
                    "De **koffie-inloop** helpt.\n\n<script>alert(1)</script>\n\n- één\n- twee",
                ),
                ("terugkoppeling", "Wij gaan _door_."),
                ("voorbeeld", "1"),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the form comes back, nothing is saved"
    );
    assert!(body.contains("Voorbeeld: zo ziet het eruit"));
    assert!(body.contains("<strong>koffie-inloop</strong>"), "{body}");
    assert!(body.contains("<li>één</li>"));
    assert!(body.contains("<em>door</em>"));
    assert!(!body.contains("<script>alert"), "sanitised");
    assert!(
        body.contains("De **koffie-inloop** helpt."),
        "the text box keeps what was typed"
    );
    assert!(body.contains(&format!(r#"name="versie" value="{version}""#)));
    let (_, after) = app.get(page).await;
    assert_eq!(
        before.contains("<strong>koffie-inloop</strong>"),
        after.contains("<strong>koffie-inloop</strong>"),
        "the preview saved nothing"
    );

    // Saving from the same form still works.
    let (status, _, _) = app
        .post_form(
            "/rondes/minder-alleen-2025/teksten",
            &[
                ("versie", &version),
                ("synthese", "De **koffie-inloop** helpt."),
                ("terugkoppeling", "Wij gaan door."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, after) = app.get(page).await;
    assert!(after.contains("<strong>koffie-inloop</strong>"));
}

#[tokio::test]
async fn the_yearly_report_flags_a_figure_that_should_have_a_newer_one() {
    let app = TestApp::demo();
    let (_, page) = app.get("/verantwoording?jaar=2025").await;
    assert!(
        page.contains("class=\"signal signal-stale\">Het laatste cijfer is van 2025 K1"),
        "the language café's figure"
    );
    let (_, markdown) = app.get("/verantwoording.md?jaar=2025").await;
    assert!(markdown.contains("**Let op** Het laatste cijfer is van 2025 K1"));
}

#[tokio::test]
async fn a_quote_not_in_dutch_says_its_language() {
    let app = TestApp::demo();
    let (_, page) = app.get("/verantwoording?jaar=2025").await;
    assert!(page.contains("<blockquote lang=\"nl\""), "Dutch quotes");
    let turkish = page
        .split("<figure class=\"report-quote")
        .find(|quote| quote.contains("<blockquote lang=\"tr\""))
        .expect("the demo's 2025 report quotes a Turkish story");
    assert!(turkish.contains("Geschreven in het Turks."), "{turkish}");
    let (_, markdown) = app.get("/verantwoording.md?jaar=2025").await;
    assert!(markdown.contains("> *Geschreven in het Turks.*"));
}
