//! What a reader takes in at a glance: arrows that say which way a figure moved and words in colour that
//! say whether that is good, the goal overview's summary per goal with a list to jump to a goal, and a
//! progress bar from baseline to target that marks a target reached.

use super::web::TestApp;

/// The part of the overview that shows one indicator's card.
fn card<'a>(page: &'a str, indicator: &str) -> &'a str {
    let start = page
        .find(&format!("href=\"/indicator/{indicator}\""))
        .unwrap_or_else(|| panic!("no card for {indicator}"));
    let rest = &page[start..];
    let end = rest.find("class=\"indicator-card\"").unwrap_or(rest.len());
    &rest[..end]
}

#[tokio::test]
async fn arrows_say_which_way_a_figure_moved_and_words_whether_that_is_good() {
    let app = TestApp::demo();
    let (_, home) = app.get("/").await;
    // Loneliness should fall and did: a down arrow with "beter", not an up arrow.
    let lonely = card(&home, "aandeel-eenzaam");
    assert!(
        lonely.contains(
            r#"aria-hidden="true">▼</span> gedaald, <span class="judgement">beter</span>"#
        ),
        "{lonely}"
    );
    assert!(!lonely.contains("▲"), "{lonely}");
    // A count that should rise and did: up arrow, "beter".
    let meetings = card(&home, "bijeenkomsten-ontmoeting");
    assert!(meetings.contains("▲</span> gestegen"), "{meetings}");
    let (_, evidence) = app.get("/indicator/aandeel-eenzaam").await;
    assert!(evidence.contains("▼</span> gedaald, <span class=\"judgement\">beter"));
    assert!(evidence.contains("gedaald, <span class=\"judgement\">beter dan bij de start"));
}

#[tokio::test]
async fn the_overview_sums_up_each_goal_and_marks_targets_reached() {
    let app = TestApp::demo();
    let (_, home) = app.get("/").await;
    let goals = app.bank.settings().unwrap().goals.goals.clone();
    // A list at the top jumps to every goal, each with its summary.
    let toc_start = home.find("class=\"goal-toc\"").expect("a list of goals");
    let toc = &home[toc_start..home[toc_start..].find("</nav>").unwrap() + toc_start];
    for goal in &goals {
        assert!(
            toc.contains(&format!("href=\"#doel-{}\"", goal.id)),
            "{toc}"
        );
        assert!(home.contains(&format!("id=\"doel-{}\"", goal.id)));
    }
    assert_eq!(toc.matches("Sinds de vorige meting:").count(), goals.len());
    assert!(home.matches("class=\"goal-summary\"").count() == goals.len());
    // 106 group activities against a target of 100 is marked as reached, with a full bar.
    let reached = card(&home, "activiteiten-jongerenwerk");
    assert!(
        reached.contains("progress-reached") && reached.contains("Doel gehaald"),
        "{reached}"
    );
    assert!(
        reached.contains(r#"class="fill" x="0" y="0" width="100.0""#),
        "{reached}"
    );
    // Loneliness, lower is better, on its way: the share of the way from 47,5% towards 42%.
    let lonely = card(&home, "aandeel-eenzaam");
    assert!(lonely.contains("progress-on-the-way"), "{lonely}");
    assert!(
        lonely.contains("van de weg van start naar doel"),
        "{lonely}"
    );
    assert!(
        lonely.contains("start 47,5%") && lonely.contains("doel 42%"),
        "{lonely}"
    );
    // Every indicator shows its stories' count and balance.
    assert!(lonely.contains("class=\"indicator-stories\"") && lonely.contains("verhalen:"));
}
