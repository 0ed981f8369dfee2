//! A round's themes through the real router on the demo municipality: the demo round's stories grouped
//! into themes named by telling words (no stop words, none of the everyday words the old word list
//! showed), each theme's page listing exactly its stories; renaming (stored as typed, shown escaped),
//! merging and dropping a theme; the edits kept after a restart; and an erased story leaving its theme.

use axum::http::StatusCode;
use verhalenbank::ids::RoundId;
use verhalenbank::index::query::STOP_WORDS;
use verhalenbank::store::ErasureReason;
use verhalenbank::story::StoryId;

use super::web::TestApp;

const ROUND: &str = "/rondes/minder-alleen-2025";

/// A theme as the round's page lists it.
#[derive(Debug, Clone, PartialEq)]
struct Listed {
    href: String,
    name: String,
    count: usize,
}

/// The themes on the round's page, "Overig" included, in the page's order.
fn listed(page: &str) -> Vec<Listed> {
    page.split("<li class=\"round-theme\" id=\"thema-")
        .skip(1)
        .map(|item| {
            let href = item
                .split("<h3><a href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            let name = item
                .split(&format!("{href}\">"))
                .nth(1)
                .unwrap()
                .split("</a>")
                .next()
                .unwrap()
                .to_string();
            let count = item
                .split("<span class=\"count\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            Listed { href, name, count }
        })
        .collect()
}

/// The stories a theme's page lists.
async fn stories_of(app: &TestApp, href: &str) -> Vec<StoryId> {
    let (status, page) = app.get(href).await;
    assert_eq!(status, StatusCode::OK, "{href}");
    let list = page.split("<ul class=\"story-list\">").nth(1).unwrap();
    list.split("<h3><a href=\"/verhaal/")
        .skip(1)
        .map(|rest| StoryId::parse(&rest[..36]).unwrap())
        .collect()
}

fn number(theme: &Listed) -> String {
    theme.href.rsplit('/').next().unwrap().to_string()
}

async fn edit(app: &TestApp, fields: &[(&str, &str)]) {
    let version = app.version_on(ROUND).await;
    let mut pairs = vec![("versie", version.as_str())];
    pairs.extend_from_slice(fields);
    let (status, _, body) = app.post_form(&format!("{ROUND}/themas"), &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
}

#[tokio::test]
async fn the_demo_round_is_grouped_into_themes_that_analysts_can_rename_merge_and_drop() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (status, page) = app.get(ROUND).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Woorden die vaak terugkomen"));
    let all = listed(&page);
    let themes: Vec<&Listed> = all
        .iter()
        .filter(|t| !t.href.ends_with("/overig"))
        .collect();
    eprintln!("themes of the demo round: {all:#?}");
    assert!(themes.len() >= 3, "{all:#?}");
    for theme in &themes {
        for word in theme.name.split(", ") {
            assert!(
                !STOP_WORDS.contains(&word) && !["dinsdag", "begon", "gezegd"].contains(&word),
                "{word} in {theme:?}"
            );
        }
    }
    // Each theme's page lists exactly its stories; together they are the round's 15.
    let mut seen = Vec::new();
    for theme in &all {
        let stories = stories_of(&app, &theme.href).await;
        assert_eq!(stories.len(), theme.count, "{theme:?}");
        seen.extend(stories);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 15);
    // The representative story is one of the theme's own.
    let first = stories_of(&app, &themes[0].href).await;
    let example = page
        .split(&format!("id=\"thema-{}\"", number(themes[0])))
        .nth(1)
        .unwrap()
        .split("Voorbeeld: <a href=\"/verhaal/")
        .nth(1)
        .unwrap();
    assert!(first.contains(&StoryId::parse(&example[..36]).unwrap()));

    // Renaming stores exactly what was typed and shows it as text.
    let (one, two, three) = (number(themes[0]), number(themes[1]), number(themes[2]));
    let typed = "<b>Meegenomen</b> & ontmoeten";
    edit(
        &app,
        &[("thema", &one), ("actie", "hernoemen"), ("naam", typed)],
    )
    .await;
    let id = RoundId::parse("minder-alleen-2025").unwrap();
    let stored = app.bank.raw_store().round(&id).unwrap().unwrap();
    let renamed = stored
        .themes
        .iter()
        .find(|t| t.number.to_string() == one)
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some(typed));
    let (_, page) = app.get(ROUND).await;
    assert!(
        page.contains("&#60;b&#62;Meegenomen&#60;/b&#62; &#38; ontmoeten")
            || page.contains("&lt;b&gt;Meegenomen"),
        "escaped"
    );
    assert!(!page.contains("<b>Meegenomen</b>"));
    assert!(page.contains("U hebt de thema&#39;s aangepast"));

    // Merging leaves one theme holding both sets of stories.
    let mut both = stories_of(&app, &themes[0].href).await;
    both.extend(stories_of(&app, &themes[1].href).await);
    both.sort();
    edit(
        &app,
        &[("thema", &two), ("actie", "samenvoegen"), ("met", &one)],
    )
    .await;
    let mut merged = stories_of(&app, &format!("{ROUND}/thema/{one}")).await;
    merged.sort();
    assert_eq!(merged, both);
    let (status, _) = app.get(&format!("{ROUND}/thema/{two}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Dropping hides a theme.
    edit(&app, &[("thema", &three), ("actie", "weglaten")]).await;
    let (_, page) = app.get(ROUND).await;
    assert!(!page.contains(&format!("id=\"thema-{three}\"")));
    let (status, _) = app.get(&format!("{ROUND}/thema/{three}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before_restart = listed(&page);

    // After a restart the round still has the edited themes.
    let app = app.reopen();
    app.login("analist").await;
    let (_, page) = app.get(ROUND).await;
    assert_eq!(listed(&page), before_restart);

    // Erasing a member story takes it out of its theme, in the store too.
    let gone = merged[0];
    assert!(
        app.bank
            .erase(
                gone,
                jiff::civil::date(2026, 11, 23),
                ErasureReason::ErasedByStaff
            )
            .unwrap()
    );
    let stored = app.bank.raw_store().round(&id).unwrap().unwrap();
    assert!(stored.themes.iter().all(|t| !t.stories.contains(&gone)));
    let left = stories_of(&app, &format!("{ROUND}/thema/{one}")).await;
    assert_eq!(left.len(), merged.len() - 1);
    assert!(!left.contains(&gone));
}

#[tokio::test]
async fn regrouping_needs_its_confirmation_and_then_forgets_the_edits() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (_, page) = app.get(ROUND).await;
    let first = number(&listed(&page)[0]);
    edit(&app, &[("thema", &first), ("actie", "weglaten")]).await;
    let id = RoundId::parse("minder-alleen-2025").unwrap();
    let kept = |app: &TestApp| app.bank.raw_store().round(&id).unwrap().unwrap().themes;
    assert!(!kept(&app).is_empty());
    edit(&app, &[("actie", "opnieuw")]).await;
    assert!(!kept(&app).is_empty(), "not without the checkbox");
    edit(&app, &[("actie", "opnieuw"), ("zeker", "ja")]).await;
    assert!(kept(&app).is_empty());
    let (_, again) = app.get(ROUND).await;
    assert_eq!(listed(&again), listed(&page));
}
