//! Patterns in the tellers' answers to the questions about their stories (`/patronen` and a round's
//! analysis): per question the answers by group (area, teller, valence, provider, year), two choice
//! questions as a contingency table with a chi-square test, two sliders as points.
//!
//! Everything here counts the stories it is given; which stories those are (what the caller may
//! see) is decided before, by the bank's scope rules. Answers are counted by the values the index
//! filters on ([`crate::questions::AnswerValue::filter_values`]), so every count is exactly what a
//! search with the same answer filters finds. No IO here.

pub mod stats;

use std::collections::BTreeMap;

use crate::municipality::Municipality;
use crate::questions::{AnswerValue, Kind, Question, SliderAnswer};
use crate::story::{Coded, Story};

pub use stats::{ChiSquare, RELIABLE_EXPECTED, chi_square};

/// Fewer stories than this in a cell are not a pattern: shown greyed, with a note. On public
/// pages a whole group with fewer stories is left out, so no teller can be singled out.
pub const SMALL: u32 = 5;

/// What the answers are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// The stadsdeel (a story in a wijk counts for its stadsdeel).
    Area,
    Teller,
    Valence,
    Provider,
    /// The year the story was told.
    Year,
}

impl Grouping {
    pub const ALL: [Grouping; 5] = [
        Grouping::Area,
        Grouping::Teller,
        Grouping::Valence,
        Grouping::Provider,
        Grouping::Year,
    ];

    /// The name in a page's query string, and the search facet a group's stories are found with.
    pub fn code(self) -> &'static str {
        match self {
            Grouping::Area => "area",
            Grouping::Teller => "teller",
            Grouping::Valence => "valence",
            Grouping::Provider => "provider",
            Grouping::Year => "year",
        }
    }

    pub fn parse(code: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The group a story is in, as the search facet's value; `None` when the story has none (no
    /// area, no provider).
    pub fn key(self, story: &Story, municipality: &Municipality) -> Option<String> {
        match self {
            Grouping::Area => story.area.as_ref().map(|area| {
                municipality
                    .area_and_ancestors(area)
                    .last()
                    .unwrap_or(area)
                    .to_string()
            }),
            Grouping::Teller => Some(story.teller.code().to_string()),
            Grouping::Valence => Some(story.valence.code().to_string()),
            Grouping::Provider => story.provider.as_ref().map(|p| p.to_string()),
            Grouping::Year => Some(story.date.year().to_string()),
        }
    }
}

/// The values a story's answer to `question` is counted by (none when it did not answer, or when
/// its answer is no longer one of the question's values).
pub fn values_of(story: &Story, question: &Question) -> Vec<String> {
    let known = question.filter_values();
    story
        .answers
        .get(&question.id)
        .map(|answer| answer.value.filter_values())
        .unwrap_or_default()
        .into_iter()
        .filter(|value| known.contains(value))
        .collect()
}

/// Whether a question's answers can be counted (all but text questions).
pub fn countable(question: &Question) -> bool {
    !matches!(question.kind, Kind::Text)
}

/// Whether a question has one answer value per story, as a contingency table needs.
pub fn single_valued(question: &Question) -> bool {
    matches!(
        question.kind,
        Kind::Choice { .. } | Kind::Agreement { .. } | Kind::Slider { .. }
    )
}

/// One group's counts per answer value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    /// The search facet value of the group.
    pub key: String,
    /// Per value of [`Distribution::values`].
    pub counts: Vec<u32>,
    /// The stories in the group that answered.
    pub total: u32,
}

/// A question's answers by group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The question's values, in their order.
    pub values: Vec<String>,
    /// Every story that answered, over all groups (hidden ones included).
    pub all: GroupCounts,
    /// The groups shown, largest first.
    pub groups: Vec<GroupCounts>,
    /// Groups left out because they had fewer than the threshold of stories.
    pub hidden_groups: usize,
}

/// The answers to `question` by `grouping`. With `threshold`, groups with fewer answering stories
/// are left out (counted in [`Distribution::hidden_groups`]; their stories stay in the total, which
/// is at least the threshold larger than any one of them, or not shown at all).
pub fn distribution(
    stories: &[Story],
    question: &Question,
    grouping: Grouping,
    municipality: &Municipality,
    threshold: Option<u32>,
) -> Distribution {
    let values = question.filter_values();
    let empty = |key: String| GroupCounts {
        key,
        counts: vec![0; values.len()],
        total: 0,
    };
    let mut all = empty(String::new());
    let mut groups: BTreeMap<String, GroupCounts> = BTreeMap::new();
    for story in stories {
        let answered = values_of(story, question);
        if answered.is_empty() {
            continue;
        }
        let key = grouping.key(story, municipality);
        let mut group = key.map(|key| groups.entry(key.clone()).or_insert_with(|| empty(key)));
        all.total += 1;
        if let Some(group) = group.as_mut() {
            group.total += 1;
        }
        for value in &answered {
            if let Some(index) = values.iter().position(|known| known == value) {
                all.counts[index] += 1;
                if let Some(group) = group.as_mut() {
                    group.counts[index] += 1;
                }
            }
        }
    }
    let mut groups: Vec<GroupCounts> = groups.into_values().collect();
    let before = groups.len();
    if let Some(threshold) = threshold {
        groups.retain(|group| group.total >= threshold);
    }
    let hidden_groups = before - groups.len();
    groups.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
    if grouping == Grouping::Year {
        groups.sort_by(|a, b| a.key.cmp(&b.key));
    }
    Distribution {
        values,
        all,
        groups,
        hidden_groups,
    }
}

/// Two questions' answers crossed: stories per pair of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Contingency {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub counts: Vec<Vec<u32>>,
    /// The test, when at least two rows and two columns have stories.
    pub test: Option<ChiSquare>,
}

/// The stories that answered both questions, by their two answers.
pub fn contingency(stories: &[Story], rows: &Question, columns: &Question) -> Contingency {
    let row_values = rows.filter_values();
    let column_values = columns.filter_values();
    let mut counts = vec![vec![0u32; column_values.len()]; row_values.len()];
    for story in stories {
        for row in values_of(story, rows) {
            for column in values_of(story, columns) {
                let r = row_values.iter().position(|v| *v == row);
                let c = column_values.iter().position(|v| *v == column);
                if let (Some(r), Some(c)) = (r, c) {
                    counts[r][c] += 1;
                }
            }
        }
    }
    let test = chi_square(&counts);
    Contingency {
        rows: row_values,
        columns: column_values,
        counts,
        test,
    }
}

/// Two sliders' points, with how many stories gave each pair.
pub fn scatter(stories: &[Story], x: &Question, y: &Question) -> Vec<((u8, u8), u32)> {
    let point = |story: &Story, question: &Question| match story
        .answers
        .get(&question.id)
        .map(|answer| &answer.value)
    {
        Some(AnswerValue::Slider(SliderAnswer::At(point))) => Some(*point),
        _ => None,
    };
    let mut points: BTreeMap<(u8, u8), u32> = BTreeMap::new();
    for story in stories {
        if let (Some(px), Some(py)) = (point(story, x), point(story, y)) {
            *points.entry((px, py)).or_default() += 1;
        }
    }
    points.into_iter().collect()
}

#[cfg(test)]
mod tests;
