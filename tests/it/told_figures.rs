//! The told figures of the goal overview and the evidence pages against a count made here, story by
//! story, over the store: on generated banks (random subgoals, areas, valences, tellers, dates,
//! consent and moderation), for several scopes and filters, and again after erasures, edits of
//! stories and edits of the goal tree. The pages take their counts from per-segment answers the index
//! keeps between requests; this checks those answers stay the answers of a full count.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use proptest::prelude::*;
use verhalenbank::bank::{Bank, Overview};
use verhalenbank::config::Config;
use verhalenbank::evidence::{EvidenceFilter, Period};
use verhalenbank::goals::{GoalTree, Indicator};
use verhalenbank::ids::{AreaId, GoalId, IndicatorId, ProviderId, SubgoalId};
use verhalenbank::index::Scope;
use verhalenbank::municipality::Municipality;
use verhalenbank::store::ErasureReason;
use verhalenbank::story::{Coded, Consent, Moderation, Story, TellerRole, Valence};
use verhalenbank::testing;

/// The test bank's goal tree with a second goal, its subgoal and one more indicator.
fn goal_tree() -> GoalTree {
    let extra = r#"
[[goals]]
id = "wonen"
title = "Inwoners wonen goed"
theme = "meedoen"

[[subgoals]]
id = "thuis-wonen"
goal = "wonen"
title = "Inwoners wonen thuis"

[[indicators]]
id = "schulden-op-orde"
subgoal = "grip-op-geld"
title = "Huishoudens met schulden op orde"
level = "societal"
unit = "huishoudens"
direction = "up"
source = "Registratie"
frequency = "year"
"#;
    GoalTree::from_toml(&format!("{}{extra}", testing::GOALS_TOML)).unwrap()
}

const SUBGOALS: [&str; 3] = ["sterker-netwerk", "grip-op-geld", "thuis-wonen"];
const AREAS: [Option<&str>; 4] = [None, Some("noord"), Some("de-hoven"), Some("zuid")];

/// A story's varied parts: which subgoals (a bit each), area, valence, teller, date, consent,
/// moderation and provider.
#[derive(Debug, Clone)]
struct Parts {
    subgoals: u8,
    area: usize,
    valence: u8,
    teller: u8,
    day: (i16, i8),
    public: bool,
    moderation: u8,
    provider: u8,
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        0u8..8,
        0usize..AREAS.len(),
        0u8..3,
        0u8..3,
        (2024i16..=2026, 1i8..=12),
        any::<bool>(),
        0u8..4,
        0u8..3,
    )
        .prop_map(
            |(subgoals, area, valence, teller, day, public, moderation, provider)| Parts {
                subgoals,
                area,
                valence,
                teller,
                day,
                public,
                moderation,
                provider,
            },
        )
}

fn subgoals(mask: u8) -> Vec<SubgoalId> {
    SUBGOALS
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, id)| SubgoalId::parse(id).unwrap())
        .collect()
}

fn area(index: usize) -> Option<AreaId> {
    AREAS[index].map(|id| AreaId::parse(id).unwrap())
}

fn story(number: usize, parts: &Parts) -> Story {
    let mut story = testing::story(&format!("Verhaal {number}"), "Over de buurt en de koffie.");
    story.subgoals = subgoals(parts.subgoals);
    story.area = area(parts.area);
    story.valence = [Valence::Positive, Valence::Negative, Valence::Mixed][parts.valence as usize];
    story.teller = [
        TellerRole::Resident,
        TellerRole::Professional,
        TellerRole::Volunteer,
    ][parts.teller as usize];
    story.date = date(parts.day.0, parts.day.1, 1 + (number % 28) as i8);
    story.consent = if parts.public {
        Consent::Public
    } else {
        Consent::Internal
    };
    story.moderation = match parts.moderation {
        0 => Moderation::Submitted,
        1 => Moderation::Rejected("niet over het onderwerp".to_string()),
        _ => Moderation::Published,
    };
    story.provider = match parts.provider {
        0 => None,
        1 => Some(ProviderId::parse("buurtwerk").unwrap()),
        _ => Some(ProviderId::parse("schuldhulp").unwrap()),
    };
    story
}

/// A change to the bank between two looks at its pages.
#[derive(Debug, Clone)]
enum Change {
    Erase(usize),
    /// A story's subgoals and area changed.
    Edit(usize, u8, usize),
    /// `grip-op-geld` moved to the goal `wonen`, or back.
    MoveSubgoal,
    /// A new indicator on `thuis-wonen`.
    AddIndicator,
    /// `schulden-op-orde` moved to another subgoal.
    MoveIndicator(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..64).prop_map(Change::Erase),
        (0usize..64, 0u8..8, 0usize..AREAS.len()).prop_map(|(i, s, a)| Change::Edit(i, s, a)),
        Just(Change::MoveSubgoal),
        Just(Change::AddIndicator),
        (0usize..SUBGOALS.len()).prop_map(Change::MoveIndicator),
    ]
}

/// Stories and their valence balance, counted here.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Balance {
    count: u32,
    positive: u32,
    negative: u32,
    mixed: u32,
}

impl Balance {
    fn add(&mut self, valence: Valence) {
        self.count += 1;
        match valence {
            Valence::Positive => self.positive += 1,
            Valence::Negative => self.negative += 1,
            Valence::Mixed => self.mixed += 1,
        }
    }
}

/// Whether a story passes the filter: in the area or an area inside it, within the period.
fn passes(story: &Story, filter: &EvidenceFilter, municipality: &Municipality) -> bool {
    let in_area = filter.area.as_ref().is_none_or(|wanted| {
        story
            .area
            .as_ref()
            .is_some_and(|area| municipality.area_and_ancestors(area).contains(wanted))
    });
    let in_period = filter
        .period
        .is_none_or(|period| period.first_day() <= story.date && story.date <= period.last_day());
    in_area && in_period
}

/// The figures counted over the stories a scope sees through a filter.
#[derive(Debug, Default)]
struct Counted {
    total: Balance,
    by_goal: BTreeMap<String, Balance>,
    by_subgoal: BTreeMap<String, Balance>,
    /// Per subgoal, stories per area (an area counts those of the areas inside it), whatever area
    /// the filter chose.
    areas: BTreeMap<String, BTreeMap<String, u32>>,
    tellers: BTreeMap<String, BTreeMap<String, u32>>,
}

fn count(
    stories: &[Story],
    scope: &Scope,
    filter: &EvidenceFilter,
    goals: &GoalTree,
    municipality: &Municipality,
) -> Counted {
    let mut counted = Counted::default();
    // Stories per area are counted as if no area were chosen, so a reader can widen the choice.
    let any_area = EvidenceFilter {
        area: None,
        ..filter.clone()
    };
    for story in stories
        .iter()
        .filter(|story| scope.may_see(story) && passes(story, &any_area, municipality))
    {
        for subgoal in &story.subgoals {
            if let Some(area) = &story.area {
                for area in municipality.area_and_ancestors(area) {
                    *counted
                        .areas
                        .entry(subgoal.to_string())
                        .or_default()
                        .entry(area.to_string())
                        .or_default() += 1;
                }
            }
        }
    }
    for story in stories
        .iter()
        .filter(|story| scope.may_see(story) && passes(story, filter, municipality))
    {
        counted.total.add(story.valence);
        let mut story_goals: Vec<&GoalId> = Vec::new();
        for subgoal in &story.subgoals {
            let key = subgoal.to_string();
            counted
                .by_subgoal
                .entry(key.clone())
                .or_default()
                .add(story.valence);
            *counted
                .tellers
                .entry(key)
                .or_default()
                .entry(story.teller.code().to_string())
                .or_default() += 1;
            if let Some(goal) = goals.subgoal(subgoal).map(|subgoal| &subgoal.goal)
                && !story_goals.contains(&goal)
            {
                story_goals.push(goal);
            }
        }
        for goal in story_goals {
            counted
                .by_goal
                .entry(goal.to_string())
                .or_default()
                .add(story.valence);
        }
    }
    counted
}

fn balance(figures: &verhalenbank::bank::Balance) -> Balance {
    Balance {
        count: figures.count,
        positive: figures.positive,
        negative: figures.negative,
        mixed: figures.mixed,
    }
}

fn listed(pairs: &[(String, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().cloned().collect()
}

/// Every scope and filter's overview and evidence pages against the count made here.
fn check_pages(bank: &Bank, today: Date) -> Result<(), TestCaseError> {
    let stories: Vec<Story> = bank
        .raw_store()
        .stories()
        .collect::<Result<_, _>>()
        .unwrap();
    let settings = bank.settings().unwrap();
    let goals = &settings.goals;
    let municipality = &settings.municipality;
    let scopes = [
        Scope::Public,
        Scope::Municipality,
        Scope::Provider(ProviderId::parse("buurtwerk").unwrap()),
    ];
    let filters = [
        EvidenceFilter::default(),
        EvidenceFilter {
            area: Some(AreaId::parse("noord").unwrap()),
            period: None,
        },
        EvidenceFilter {
            area: Some(AreaId::parse("de-hoven").unwrap()),
            period: Some(Period::Year(2025)),
        },
        EvidenceFilter {
            area: None,
            period: Some(Period::Quarter(2026, 1)),
        },
    ];
    for scope in &scopes {
        for filter in &filters {
            let expected = count(&stories, scope, filter, goals, municipality);
            let overview: Overview = bank.overview(filter, scope, today).unwrap();
            prop_assert_eq!(
                balance(&overview.stories),
                expected.total,
                "{:?} {:?}",
                scope,
                filter
            );
            for goal in &overview.goals {
                let want = expected
                    .by_goal
                    .get(goal.goal.id.as_str())
                    .copied()
                    .unwrap_or_default();
                prop_assert_eq!(
                    balance(&goal.stories),
                    want,
                    "goal {} {:?} {:?}",
                    goal.goal.id,
                    scope,
                    filter
                );
                for subgoal in &goal.subgoals {
                    let want = expected
                        .by_subgoal
                        .get(subgoal.subgoal.id.as_str())
                        .copied()
                        .unwrap_or_default();
                    prop_assert_eq!(
                        balance(&subgoal.stories),
                        want,
                        "subgoal {} {:?} {:?}",
                        subgoal.subgoal.id,
                        scope,
                        filter
                    );
                }
            }
            for indicator in &goals.indicators {
                let page = bank
                    .evidence(&indicator.id, filter, scope, None, today)
                    .unwrap()
                    .unwrap();
                let subgoal = indicator.subgoal.as_str();
                let want = expected
                    .by_subgoal
                    .get(subgoal)
                    .copied()
                    .unwrap_or_default();
                let told = &page.told;
                prop_assert_eq!(
                    Balance {
                        count: told.count,
                        positive: told.positive,
                        negative: told.negative,
                        mixed: told.mixed
                    },
                    want,
                    "indicator {} {:?} {:?}",
                    indicator.id,
                    scope,
                    filter
                );
                prop_assert_eq!(
                    listed(&told.by_area),
                    expected.areas.get(subgoal).cloned().unwrap_or_default()
                );
                prop_assert_eq!(
                    listed(&told.by_teller),
                    expected.tellers.get(subgoal).cloned().unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

fn apply(bank: &Bank, change: &Change, today: Date) {
    let stories: Vec<Story> = bank
        .raw_store()
        .stories()
        .collect::<Result<_, _>>()
        .unwrap();
    match change {
        Change::Erase(index) => {
            if let Some(story) = stories.get(index % stories.len().max(1)) {
                bank.erase(story.id, today, ErasureReason::ErasedByStaff)
                    .unwrap();
            }
        }
        Change::Edit(index, mask, area_index) => {
            if let Some(story) = stories.get(index % stories.len().max(1)) {
                let read = bank.story_to_change(story.id).unwrap().unwrap().unwrap();
                let mut edited = read.item.clone();
                edited.subgoals = subgoals(*mask);
                edited.area = area(*area_index);
                bank.save_moderated(&edited, read.version).unwrap().unwrap();
            }
        }
        Change::MoveSubgoal => {
            bank.edit_goal_tree(|tree| {
                let mut subgoal = tree
                    .subgoal(&SubgoalId::parse("grip-op-geld").unwrap())
                    .unwrap()
                    .clone();
                subgoal.goal = GoalId::parse(if subgoal.goal.as_str() == "wonen" {
                    "meedoen"
                } else {
                    "wonen"
                })
                .unwrap();
                tree.change_subgoal(subgoal)
            })
            .unwrap()
            .unwrap();
        }
        Change::AddIndicator => {
            bank.edit_goal_tree(|tree| {
                let number = tree.indicators.len();
                let mut indicator: Indicator = tree.indicators[0].clone();
                indicator.id = IndicatorId::parse(&format!("thuis-{number}")).unwrap();
                indicator.subgoal = SubgoalId::parse("thuis-wonen").unwrap();
                indicator.title = format!("Thuis {number}");
                indicator.statement = None;
                tree.add_indicator(indicator)
            })
            .unwrap()
            .unwrap();
        }
        Change::MoveIndicator(subgoal) => {
            bank.edit_goal_tree(|tree| {
                let mut indicator = tree
                    .indicator(&IndicatorId::parse("schulden-op-orde").unwrap())
                    .unwrap()
                    .clone();
                indicator.subgoal = SubgoalId::parse(SUBGOALS[*subgoal]).unwrap();
                tree.change_indicator(indicator)
            })
            .unwrap()
            .unwrap();
        }
    }
    bank.catch_up_index().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn told_figures_are_those_of_a_full_count(
        stories in proptest::collection::vec(parts(), 1..30),
        edit in (0usize..64, 0u8..8, 0usize..AREAS.len()),
        changes in proptest::collection::vec(change(), 0..4),
    ) {
        let temp = tempfile::tempdir().unwrap();
        let bank = Bank::open(&Config::new(temp.path())).unwrap();
        let store = bank.raw_store();
        store.set_municipality(&testing::municipality()).unwrap();
        store.set_goal_tree(&goal_tree()).unwrap();
        let stories: Vec<Story> = stories.iter().enumerate().map(|(n, parts)| story(n, parts)).collect();
        // In two commits, so the index has more than one segment.
        let (first, second) = stories.split_at(stories.len() / 2);
        store.put_stories(first).unwrap();
        bank.catch_up_index().unwrap();
        store.put_stories(second).unwrap();
        bank.catch_up_index().unwrap();
        let today = date(2026, 12, 7);
        // Twice: the second look is answered from what the first kept.
        check_pages(&bank, today)?;
        check_pages(&bank, today)?;
        // An edit first: it deletes the story's document in its segment, which stays.
        let edit = Change::Edit(edit.0, edit.1, edit.2);
        for change in std::iter::once(&edit).chain(&changes) {
            apply(&bank, change, today);
            check_pages(&bank, today)?;
        }
    }
}
