//! The resident pages in six languages: chosen by `?taal=`, the switch's cookie or the browser, kept for
//! the visit, Arabic right to left with the receipt code left to right; the story keeps the language it
//! was told in; pages for staff stay Dutch or English and say so.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use verhalenbank::web::i18n::texts_for;

use super::web::{TestApp, receipt_code};

async fn get_with(
    app: &TestApp,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

async fn post_with(
    app: &TestApp,
    path: &str,
    cookie: &str,
    pairs: &[(&str, &str)],
) -> (StatusCode, String) {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap();
    let (status, _, body) = app.send(request).await;
    (status, body)
}

/// A message key left in a page instead of its text, such as `tell.lead`: a known group, a dot, then a
/// lowercase letter (a sentence ending in "form." is not one).
fn raw_key(body: &str) -> Option<String> {
    [
        "tell.",
        "form.",
        "lookup.",
        "language.",
        "nav.",
        "footer.",
        "rounds.",
        "paper.",
        "hearing.",
    ]
    .into_iter()
    .find_map(|group| {
        body.match_indices(group).find_map(|(at, _)| {
            let before = body[..at].chars().next_back();
            let after = body[at + group.len()..].chars().next();
            (after.is_some_and(|c| c.is_ascii_lowercase())
                && !before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '-'))
            .then(|| body[at..].chars().take(30).collect())
        })
    })
}

/// Text as the templates write it into a page.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn the_story_form_is_in_six_languages_and_arabic_reads_right_to_left() {
    let app = TestApp::demo();
    for lang in ["nl", "en", "tr", "ar", "pl", "uk"] {
        let t = texts_for(lang);
        let (status, headers, body) = get_with(&app, &format!("/vertel?taal={lang}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        assert!(
            body.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
            "{lang}"
        );
        assert!(body.contains(t.get("tell.lead")), "{lang}");
        assert!(body.contains(t.get("tell.consent_help.internal")), "{lang}");
        assert_eq!(raw_key(&body), None, "{lang}");
        // The switch offers all six, each named in its own language, this one marked.
        for (code, name) in [
            ("nl", "Nederlands"),
            ("en", "English"),
            ("tr", "Türkçe"),
            ("ar", "العربية"),
            ("pl", "Polski"),
            ("uk", "Українська"),
        ] {
            assert!(
                body.contains(&format!(
                    "href=\"/taal?naar={code}&#38;terug=%2Fvertel\" lang=\"{code}\" hreflang=\"{code}\""
                )) && body.contains(&format!(">{name}</a>")),
                "{lang}: link to {code}"
            );
        }
        assert!(body.contains(&format!(
            "lang=\"{lang}\" hreflang=\"{lang}\" aria-current=\"true\""
        )));
        // A printed link keeps the choice for the rest of the visit.
        let cookie = headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with(&format!("taal={lang};")), "{cookie}");
    }
}

#[tokio::test]
async fn a_story_told_in_polish_gets_a_polish_receipt_and_keeps_its_language() {
    let app = TestApp::demo();
    let cookie = "taal=pl";
    let pl = texts_for("pl");
    let (status, body) = post_with(&app, "/vertel", cookie, &[("verhaal", "krótko")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(pl.get("form.error_text_short"))
            && body.contains(pl.get("form.errors_title")),
        "{body}"
    );
    let text = "Od kiedy chodzę na kawę do domu sąsiedzkiego, znam wreszcie moich sąsiadów. \
                Wcześniej czułam się bardzo samotna w tej dzielnicy.";
    let (status, body) = post_with(
        &app,
        "/vertel",
        cookie,
        &[
            ("verhaal", text),
            ("gevoel", "positive"),
            ("toestemming", "internal"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("<html lang=\"pl\" dir=\"ltr\">"));
    assert!(body.contains(pl.get("tell.done_keep")));
    assert!(
        body.contains("class=\"code\" dir=\"ltr\""),
        "the code reads left to right"
    );
    let code = receipt_code(&body);
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.text.as_str().contains("sąsiedzkiego"))
        .unwrap();
    let settings = app.bank.settings().unwrap();
    assert_eq!(
        app.bank.language_of(&story, &settings).code(),
        "pl",
        "told in Polish, kept as Polish"
    );

    // Looking it up, the status and consent read in Polish; in Arabic, right to left.
    let (_, body) = post_with(&app, "/mijn-verhaal", cookie, &[("code", &code)]).await;
    assert!(
        body.contains(pl.get("status_explained.submitted")),
        "{body}"
    );
    assert!(body.contains(pl.get("lookup.withdraw_explain")));
    let ar = texts_for("ar");
    let (_, body) = post_with(&app, "/mijn-verhaal", "taal=ar", &[("code", &code)]).await;
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(body.contains(ar.get("lookup.consent_title")));
    assert!(
        body.contains(text.split(' ').next().unwrap()),
        "the story itself stays as told"
    );

    // Withdrawing, in Ukrainian.
    let uk = texts_for("uk");
    let (status, body) = post_with(
        &app,
        "/mijn-verhaal/intrekken",
        "taal=uk",
        &[("code", &code), ("bevestig", "ja")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(uk.get("lookup.withdrawn_lead")), "{body}");
    assert_eq!(raw_key(&body), None);
}

#[tokio::test]
async fn the_browser_chooses_when_the_visitor_did_not() {
    let app = TestApp::demo();
    let (_, headers, body) = get_with(
        &app,
        "/vertel",
        &[(header::ACCEPT_LANGUAGE, "uk-UA,uk;q=0.9,en;q=0.5")],
    )
    .await;
    assert!(body.contains("<html lang=\"uk\" dir=\"ltr\">"));
    assert!(body.contains(texts_for("uk").get("tell.title")));
    assert!(
        headers.get(header::SET_COOKIE).is_none(),
        "nothing to remember"
    );
    let (_, _, body) = get_with(
        &app,
        "/vertel",
        &[(header::ACCEPT_LANGUAGE, "de, tr;q=0.8")],
    )
    .await;
    assert!(body.contains("<html lang=\"tr\" dir=\"ltr\">"));
    let (_, _, body) = get_with(&app, "/vertel", &[(header::ACCEPT_LANGUAGE, "fr")]).await;
    assert!(body.contains("<html lang=\"nl\" dir=\"ltr\">"));
    // The switch's cookie wins over the browser, and an address wins over both.
    let (_, _, body) = get_with(
        &app,
        "/mijn-verhaal",
        &[(header::COOKIE, "taal=ar"), (header::ACCEPT_LANGUAGE, "pl")],
    )
    .await;
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let (_, _, body) = get_with(
        &app,
        "/mijn-verhaal?taal=tr",
        &[(header::COOKIE, "taal=ar")],
    )
    .await;
    assert!(body.contains("<html lang=\"tr\" dir=\"ltr\">"));
    // The switch remembers any of the six.
    let (status, headers, _) = get_with(&app, "/taal?naar=uk&terug=/vertel", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("taal=uk;")
    );
}

#[tokio::test]
async fn staff_pages_stay_dutch_or_english_and_say_so() {
    let app = TestApp::demo();
    // A public page that is not a resident page.
    let (status, _, body) = get_with(&app, "/", &[(header::COOKIE, "taal=ar")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"nl\" dir=\"ltr\">"));
    assert!(
        body.contains(&format!(
            "<p class=\"language-note\" lang=\"ar\" dir=\"rtl\">{}</p>",
            texts_for("ar").get("language.staff_only")
        )),
        "{body}"
    );
    // The browser's second choice of English is used.
    let (_, _, body) = get_with(
        &app,
        "/zoeken",
        &[
            (header::COOKIE, "taal=pl"),
            (header::ACCEPT_LANGUAGE, "pl, en;q=0.5"),
        ],
    )
    .await;
    assert!(body.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(body.contains(texts_for("pl").get("language.staff_only")));
    // A staff page asked in Turkish.
    app.login("analist").await;
    let request = Request::get("/moderatie?taal=tr")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = app.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"nl\" dir=\"ltr\">"));
    assert!(body.contains(texts_for("tr").get("language.staff_only")));
    // In Dutch, no note.
    let request = Request::get("/moderatie").body(Body::empty()).unwrap();
    let (_, _, body) = app.send(request).await;
    assert!(!body.contains("language-note"));
}

#[tokio::test]
async fn the_session_and_round_phone_pages_follow_the_language() {
    let app = TestApp::demo();
    let sessions = app.bank.sessions().unwrap();
    let rounds = app.bank.rounds().unwrap();
    for lang in ["tr", "ar", "pl", "uk"] {
        for session in &sessions {
            let (status, _, body) =
                get_with(&app, &format!("/s/{}?taal={lang}", session.code), &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
            assert!(body.contains("hreflang=\"ar\""), "the switch is there");
            assert_eq!(raw_key(&body), None, "{lang}: {}", session.code);
        }
        for round in &rounds {
            let (status, _, body) =
                get_with(&app, &format!("/r/{}?taal={lang}", round.code), &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
            assert!(body.contains(texts_for(lang).get("rounds.public_question")));
            assert_eq!(raw_key(&body), None, "{lang}: {}", round.code);
        }
    }
}

#[tokio::test]
async fn hearing_back_shows_what_the_story_took_part_in_and_nothing_of_others() {
    use verhalenbank::ids::{IndicatorId, RoundId, SessionId};
    use verhalenbank::sessions::{Action, ActionStatus, EntryId, Interpretation};

    let app = TestApp::demo();
    let tr = texts_for("tr");
    let text = "Kahve saatine gidiyorum ve artık komşularımı tanıyorum. Önceden çok yalnızdım.";
    let (status, body) = post_with(
        &app,
        "/vertel",
        "taal=tr",
        &[
            ("verhaal", text),
            ("gevoel", "positive"),
            ("toestemming", "public"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = receipt_code(&body);
    let (_, body) = post_with(&app, "/mijn-verhaal", "taal=tr", &[("code", &code)]).await;
    assert!(body.contains(tr.get("hearing.title")));
    assert!(body.contains(tr.get("hearing.none")), "nothing yet");

    let stories: Vec<_> = app.bank.raw_store().stories().map(Result::unwrap).collect();
    let mine = &app
        .bank
        .story_by_receipt(&verhalenbank::story::receipt::ReceiptCode::parse(&code).unwrap())
        .unwrap()
        .unwrap();
    let other = stories
        .iter()
        .find(|s| s.id != mine.id && s.round.is_none())
        .unwrap();
    // The Noord session's group names this story and another in its reading; a reading in Zuid names
    // only the other.
    let noord = SessionId::parse("noord-2026-03").unwrap();
    let reading = |stories, session: &str, recognise: &str| Interpretation {
        id: EntryId::new_random(),
        indicator: IndicatorId::parse("bezoekers-koffie-inloop").unwrap(),
        area: None,
        period: None,
        date: jiff::civil::date(2026, 11, 20),
        participants: "geheime deelnemerslijst".to_string(),
        recognise: recognise.to_string(),
        explain: String::new(),
        value: String::new(),
        improve: "Een tweede ochtend erbij.".to_string(),
        stories,
        session: Some(SessionId::parse(session).unwrap()),
    };
    app.bank
        .add_interpretation(&reading(
            vec![mine.id, other.id],
            "noord-2026-03",
            "We herkennen de eenzaamheid van nieuwe bewoners.",
        ))
        .unwrap();
    app.bank
        .add_interpretation(&reading(
            vec![other.id],
            "zuid-2026-12",
            "Een duiding die over een ander verhaal gaat.",
        ))
        .unwrap();
    app.bank
        .add_action(&Action {
            id: EntryId::new_random(),
            title: "Tweede koffieochtend in De Hoven".to_string(),
            owner: "Stichting Buurtwerk".to_string(),
            due: jiff::civil::date(2027, 2, 1),
            status: ActionStatus::InProgress,
            indicator: Some(IndicatorId::parse("bezoekers-koffie-inloop").unwrap()),
            area: None,
            session: Some(noord.clone()),
            outcome: None,
            created: jiff::civil::date(2026, 11, 20),
        })
        .unwrap();
    let round = RoundId::parse("minder-alleen-2025").unwrap();
    app.bank.gather_into_round(&round, &[mine.id]).unwrap();

    let (_, body) = post_with(&app, "/mijn-verhaal", "taal=tr", &[("code", &code)]).await;
    assert!(
        !body.contains(tr.get("hearing.none")),
        "{}",
        &body[body.find("gehoord-kop").unwrap_or(0)..]
    );
    for shown in [
        "Vertelsessie Veenstede-Noord: samen minder alleen",
        tr.get("hearing.read_here"),
        "/s/nrd26m",
        "We herkennen de eenzaamheid van nieuwe bewoners.",
        tr.get("hearing.recognise"),
        "Tweede koffieochtend in De Hoven",
        tr.get("actions.status.in_progress"),
        tr.get("hearing.round_phase.closed"),
        "/r/mnd25r",
        tr.get("hearing.written_in"),
    ] {
        assert!(body.contains(shown), "shows {shown}");
    }
    // Nothing of anyone else: no other story's text, title, teller or id, no other reading, no list of
    // participants.
    let other_text: String = other.text.as_str().chars().take(40).collect();
    for hidden in [
        other_text.as_str(),
        other.title.as_str(),
        &other.id.to_string(),
        "Een duiding die over een ander verhaal gaat.",
        "geheime deelnemerslijst",
        "Vertelsessie Veenstede-Zuid",
    ] {
        assert!(!body.contains(hidden), "leaks {hidden}");
    }
    if let Some(name) = &other.teller_name {
        assert!(!body.contains(name.as_str()));
    }
    assert_eq!(raw_key(&body), None);

    // In Arabic, the same, right to left.
    let (_, body) = post_with(&app, "/mijn-verhaal", "taal=ar", &[("code", &code)]).await;
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(body.contains(texts_for("ar").get("hearing.title")));
    assert!(body.contains("Tweede koffieochtend in De Hoven"));
}

#[tokio::test]
async fn the_paper_form_prints_in_six_languages_with_a_box_for_the_code() {
    let app = TestApp::demo();
    for lang in ["nl", "en", "tr", "ar", "pl", "uk"] {
        let t = texts_for(lang);
        let (status, _, body) = get_with(&app, &format!("/vertel/papier?taal={lang}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        assert!(body.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")));
        // The questions of /vertel, in the same words.
        for key in [
            "paper.title",
            "tell.text",
            "tell.valence",
            "tell.valence_choice.mixed",
            "tell.role_choice.carer",
            "tell.consent_help.public",
            "tell.name_help",
            "tell.privacy",
            "paper.code_title",
        ] {
            assert!(body.contains(&html(t.get(key))), "{lang}: {key}");
        }
        assert!(body.contains("class=\"paper-code-boxes\" dir=\"ltr\""));
        assert_eq!(raw_key(&body), None, "{lang}");
    }
    // /vertel points to it.
    let (_, body) = app.get("/vertel").await;
    assert!(body.contains("href=\"/vertel/papier\""));
}

#[tokio::test]
async fn staff_type_in_a_paper_form_and_get_a_code_to_hand_back() {
    let app = TestApp::demo();
    app.login("buurtwerk").await;
    let (status, body) = app.get("/aanbieder/papier").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Verhaal van papier invoeren"));
    assert!(body.contains("href=\"/vertel/papier?taal=ar\""));

    // A date in the future is refused, with what was typed kept.
    let text = "Op de koffieochtend in het buurthuis leerde ik mijn buurvrouw kennen. Nu drinken we elke week samen thee.";
    let (status, _, body) = app
        .post_form(
            "/aanbieder/papier",
            &[
                ("verhaal", text),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("datum", "2030-01-01"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Vul een datum in") && body.contains("elke week samen thee"));

    let (status, _, body) = app
        .post_form(
            "/aanbieder/papier",
            &[
                ("verhaal", text),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("rol", "carer"),
                ("gebied", "de-hoven"),
                ("naam", "Mevrouw Papier"),
                ("datum", "2026-11-02"),
                ("taal", "nl"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Schrijf deze code"));
    let code = receipt_code(&body);
    let story = app
        .bank
        .story_by_receipt(&verhalenbank::story::receipt::ReceiptCode::parse(&code).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(story.channel, Some(verhalenbank::story::Channel::Paper));
    assert_eq!(story.date, jiff::civil::date(2026, 11, 2));
    assert_eq!(story.consent_date, Some(jiff::civil::date(2026, 11, 2)));
    assert_eq!(
        story.provider.as_ref().map(|p| p.as_str()),
        Some("buurtwerk")
    );
    assert_eq!(story.teller_name.as_deref(), Some("Mevrouw Papier"));
    assert_eq!(story.language.as_ref().map(|l| l.code()), Some("nl"));
    assert_eq!(story.moderation, verhalenbank::story::Moderation::Submitted);

    // The moderator sees it was told on paper; saving keeps that.
    app.login("analist").await;
    let (_, page) = app.get(&format!("/moderatie/{}", story.id)).await;
    assert!(page.contains("Verteld op papier"));

    // The teller reads it back with the code written on the form.
    app.logout_locally();
    let (_, _, body) = app.post_form("/mijn-verhaal", &[("code", &code)]).await;
    assert!(body.contains("elke week samen thee"));
}
