//! Counting answers by group, crossed, and as points, on the test bank's questions.

use super::*;
use crate::ids::{AreaId, ChoiceId, QuestionId};
use crate::questions::Answer;
use crate::story::{Coded, Valence};
use crate::testing;

fn question(id: &str) -> Question {
    testing::question_set()
        .questions
        .into_iter()
        .find(|q| q.id.as_str() == id)
        .unwrap()
}

fn story(area: &str, slider: Option<SliderAnswer>, feeling: Option<&str>) -> Story {
    let mut story = testing::story("Verhaal", "Een verhaal.");
    story.area = Some(AreaId::parse(area).unwrap());
    if let Some(point) = slider {
        story.answers.insert(
            QuestionId::parse("alleen-of-samen").unwrap(),
            Answer {
                version: 1,
                value: AnswerValue::Slider(point),
            },
        );
    }
    if let Some(feeling) = feeling {
        story.answers.insert(
            QuestionId::parse("gevoel").unwrap(),
            Answer {
                version: 2,
                value: AnswerValue::Choice(ChoiceId::parse(feeling).unwrap()),
            },
        );
    }
    story
}

#[test]
fn answers_are_counted_per_group_and_small_groups_are_left_out() {
    let municipality = testing::municipality();
    let mut stories = Vec::new();
    // A wijk counts for its stadsdeel: six in noord (two in de-hoven), one in zuid, one unanswered.
    for point in [5, 15, 30, 90, 95] {
        stories.push(story("noord", Some(SliderAnswer::At(point)), None));
    }
    stories.push(story("de-hoven", Some(SliderAnswer::DontKnow), None));
    stories.push(story("zuid", Some(SliderAnswer::At(50)), None));
    stories.push(story("zuid", None, Some("blij")));
    let slider = question("alleen-of-samen");
    let open = distribution(&stories, &slider, Grouping::Area, &municipality, None);
    assert_eq!(
        open.values,
        [
            "0-20",
            "21-40",
            "41-60",
            "61-80",
            "81-100",
            "weet-niet",
            "past-niet"
        ]
    );
    assert_eq!(open.all.total, 7);
    assert_eq!(open.all.counts, [2, 1, 1, 0, 2, 1, 0]);
    let keys: Vec<(&str, u32)> = open
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.total))
        .collect();
    assert_eq!(keys, [("noord", 6), ("zuid", 1)]);
    assert_eq!(open.hidden_groups, 0);

    let public = distribution(
        &stories,
        &slider,
        Grouping::Area,
        &municipality,
        Some(SMALL),
    );
    assert_eq!(public.groups.len(), 1);
    assert_eq!(public.hidden_groups, 1);

    let by_valence = distribution(&stories, &slider, Grouping::Valence, &municipality, None);
    assert_eq!(by_valence.groups[0].key, Valence::Positive.code());
}

#[test]
fn two_questions_are_crossed_and_tested() {
    let mut stories = Vec::new();
    for _ in 0..6 {
        stories.push(story("noord", Some(SliderAnswer::At(10)), Some("bezorgd")));
        stories.push(story("noord", Some(SliderAnswer::At(90)), Some("blij")));
    }
    stories.push(story("noord", Some(SliderAnswer::At(90)), Some("bezorgd")));
    stories.push(story("noord", None, Some("blij")));
    let table = contingency(&stories, &question("gevoel"), &question("alleen-of-samen"));
    assert_eq!(table.rows, ["blij", "bezorgd"]);
    assert_eq!(table.counts[0], [0, 0, 0, 0, 6, 0, 0]);
    assert_eq!(table.counts[1], [6, 0, 0, 0, 1, 0, 0]);
    let test = table.test.unwrap();
    assert_eq!(test.degrees_of_freedom, 1);
    assert_eq!(test.total, 13);
    assert!(test.p_value < 0.01, "{}", test.p_value);

    let points = scatter(
        &stories,
        &question("alleen-of-samen"),
        &question("alleen-of-samen"),
    );
    assert_eq!(points, [((10, 10), 6), ((90, 90), 7)]);
}
