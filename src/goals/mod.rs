//! The goal tree (doelenboom): themes group goals; a goal (hoofddoel) has subgoals (subdoelen); a
//! subgoal has outcome indicators and statements (stellingen). Loaded from and written to `goals.toml`.
//!
//! Domain only, no IO. The tree is kept flat, as the file is: every item names its parent by id. That
//! keeps ids, not positions, as the links, so moving or renaming an item never breaks what refers to it.
//!
//! Items are never deleted: a goal, subgoal, indicator or statement that is no longer pursued is
//! *retired* (vervallen) on a date. It keeps its id, its figures and its stories; forms stop offering it.
//! An item under a retired parent counts as retired too. `edit.rs` holds the changes the UI makes.

mod edit;

use std::collections::HashSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use edit::{EditError, ItemKind};

use crate::ids::{GoalId, IndicatorId, StatementId, SubgoalId, ThemeId};
use crate::source::{LineError, duplicate_id, line_of_assignment, toml_error};

/// The four levels of counted evidence (Haarlem's monitoring).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorLevel {
    /// Was what was agreed done (number of meetings held).
    Activity,
    /// How many of the target group took part (bereik).
    Reach,
    /// What participants say changed, from statement scores (ervaren effect).
    Experienced,
    /// A city-wide figure from outside sources (maatschappelijk effect).
    Societal,
}

impl IndicatorLevel {
    pub const ALL: [IndicatorLevel; 4] = [
        IndicatorLevel::Activity,
        IndicatorLevel::Reach,
        IndicatorLevel::Experienced,
        IndicatorLevel::Societal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IndicatorLevel::Activity => "activity",
            IndicatorLevel::Reach => "reach",
            IndicatorLevel::Experienced => "experienced",
            IndicatorLevel::Societal => "societal",
        }
    }
}

/// Which way an indicator should move to be better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// How often a new figure is expected for an indicator; a figure older than this is stale.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Month,
    Quarter,
    Year,
}

/// The answer scale of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 1 = helemaal oneens … 5 = helemaal eens.
    FivePoint,
    /// 0 = oneens, 1 = eens.
    AgreeDisagree,
}

impl Scale {
    pub fn range(self) -> std::ops::RangeInclusive<u8> {
        match self {
            Scale::FivePoint => 1..=5,
            Scale::AgreeDisagree => 0..=1,
        }
    }

    /// Whether a score counts as agreeing with the statement (4 or 5 on the five-point scale).
    pub fn agrees(self, score: u8) -> bool {
        match self {
            Scale::FivePoint => score >= 4,
            Scale::AgreeDisagree => score == 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Theme {
    pub id: ThemeId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Goal {
    pub id: GoalId,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<ThemeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The day it stopped being used; `None` while it is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Subgoal {
    pub id: SubgoalId,
    pub goal: GoalId,
    pub title: String,
    /// Plain words residents choose on the public form ("Mensen leren kennen").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain: Option<String>,
    /// The day it stopped being used; `None` while it is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    pub id: IndicatorId,
    pub subgoal: SubgoalId,
    pub title: String,
    pub level: IndicatorLevel,
    pub unit: String,
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    pub source: String,
    pub frequency: Frequency,
    /// For reach indicators: the size of the target group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<f64>,
    /// For experienced-effect indicators: the statement whose scores feed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementId>,
    /// The day it stopped being used; `None` while it is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Statement {
    pub id: StatementId,
    pub subgoal: SubgoalId,
    pub text: String,
    pub scale: Scale,
    /// The day it stopped being used; `None` while it is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<Date>,
}

/// A municipality's goal tree, flat as in `goals.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GoalTree {
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub subgoals: Vec<Subgoal>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub statements: Vec<Statement>,
}

impl GoalTree {
    /// Parses `goals.toml` and checks that ids are unique and every parent reference exists.
    pub fn from_toml(text: &str) -> Result<GoalTree, LineError> {
        let tree: GoalTree = toml::from_str(text).map_err(|error| toml_error(text, &error, 1))?;
        tree.check(text)?;
        Ok(tree)
    }

    /// Writes the tree as `goals.toml` text that [`GoalTree::from_toml`] reads back.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a goal tree always serialises to TOML")
    }

    fn check(&self, text: &str) -> Result<(), LineError> {
        let at = |field: &str, value: &str, message: String| {
            LineError::new(line_of_assignment(text, field, value), Some(field), message)
        };
        let unique = |kind: &str, ids: Vec<&str>| -> Result<(), LineError> {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    return Err(duplicate_id(text, kind, id));
                }
            }
            Ok(())
        };
        unique("theme", self.themes.iter().map(|t| t.id.as_str()).collect())?;
        unique("goal", self.goals.iter().map(|g| g.id.as_str()).collect())?;
        unique(
            "subgoal",
            self.subgoals.iter().map(|s| s.id.as_str()).collect(),
        )?;
        unique(
            "indicator",
            self.indicators.iter().map(|i| i.id.as_str()).collect(),
        )?;
        unique(
            "statement",
            self.statements.iter().map(|s| s.id.as_str()).collect(),
        )?;

        let unknown = |kind: &str, id: &str| {
            format!("unknown {kind} {id}; expected one of the {kind} ids in this file")
        };
        for goal in &self.goals {
            if let Some(theme) = &goal.theme
                && self.theme(theme).is_none()
            {
                return Err(at(
                    "theme",
                    theme.as_str(),
                    unknown("theme", theme.as_str()),
                ));
            }
        }
        for subgoal in &self.subgoals {
            if self.goal(&subgoal.goal).is_none() {
                return Err(at(
                    "goal",
                    subgoal.goal.as_str(),
                    unknown("goal", subgoal.goal.as_str()),
                ));
            }
        }
        for statement in &self.statements {
            if self.subgoal(&statement.subgoal).is_none() {
                let id = statement.subgoal.as_str();
                return Err(at("subgoal", id, unknown("subgoal", id)));
            }
        }
        for indicator in &self.indicators {
            if self.subgoal(&indicator.subgoal).is_none() {
                let id = indicator.subgoal.as_str();
                return Err(at("subgoal", id, unknown("subgoal", id)));
            }
            if let Some(statement) = &indicator.statement
                && self.statement(statement).is_none()
            {
                let id = statement.as_str();
                return Err(at("statement", id, unknown("statement", id)));
            }
        }
        Ok(())
    }

    pub fn theme(&self, id: &ThemeId) -> Option<&Theme> {
        self.themes.iter().find(|theme| &theme.id == id)
    }

    pub fn goal(&self, id: &GoalId) -> Option<&Goal> {
        self.goals.iter().find(|goal| &goal.id == id)
    }

    pub fn subgoal(&self, id: &SubgoalId) -> Option<&Subgoal> {
        self.subgoals.iter().find(|subgoal| &subgoal.id == id)
    }

    pub fn indicator(&self, id: &IndicatorId) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| &indicator.id == id)
    }

    pub fn statement(&self, id: &StatementId) -> Option<&Statement> {
        self.statements.iter().find(|statement| &statement.id == id)
    }

    pub fn subgoals_of<'a>(&'a self, goal: &'a GoalId) -> impl Iterator<Item = &'a Subgoal> + 'a {
        self.subgoals
            .iter()
            .filter(move |subgoal| &subgoal.goal == goal)
    }

    pub fn indicators_of<'a>(
        &'a self,
        subgoal: &'a SubgoalId,
    ) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators
            .iter()
            .filter(move |indicator| &indicator.subgoal == subgoal)
    }

    pub fn statements_of<'a>(
        &'a self,
        subgoal: &'a SubgoalId,
    ) -> impl Iterator<Item = &'a Statement> + 'a {
        self.statements
            .iter()
            .filter(move |statement| &statement.subgoal == subgoal)
    }

    /// Whether a goal is in use (not retired).
    pub fn goal_in_use(&self, id: &GoalId) -> bool {
        self.goal(id).is_some_and(|goal| goal.retired.is_none())
    }

    /// Whether a subgoal is in use: neither it nor its goal is retired.
    pub fn subgoal_in_use(&self, id: &SubgoalId) -> bool {
        self.subgoal(id)
            .is_some_and(|s| s.retired.is_none() && self.goal_in_use(&s.goal))
    }

    /// Whether an indicator is in use: neither it nor its subgoal (or goal) is retired.
    pub fn indicator_in_use(&self, id: &IndicatorId) -> bool {
        self.indicator(id)
            .is_some_and(|i| i.retired.is_none() && self.subgoal_in_use(&i.subgoal))
    }

    /// Whether a statement is in use: neither it nor its subgoal (or goal) is retired.
    pub fn statement_in_use(&self, id: &StatementId) -> bool {
        self.statement(id)
            .is_some_and(|s| s.retired.is_none() && self.subgoal_in_use(&s.subgoal))
    }

    /// The goals in use, each with its subgoals in use; goals without any are left out. What forms offer.
    pub fn subgoals_in_use(&self) -> Vec<(&Goal, Vec<&Subgoal>)> {
        self.goals
            .iter()
            .filter(|goal| goal.retired.is_none())
            .map(|goal| {
                let subgoals = self
                    .subgoals_of(&goal.id)
                    .filter(|s| s.retired.is_none())
                    .collect::<Vec<_>>();
                (goal, subgoals)
            })
            .filter(|(_, subgoals)| !subgoals.is_empty())
            .collect()
    }

    /// The goals in use, each with its indicators in use; goals without any are left out.
    pub fn indicators_in_use(&self) -> Vec<(&Goal, Vec<&Indicator>)> {
        self.subgoals_in_use()
            .into_iter()
            .map(|(goal, subgoals)| {
                let indicators = subgoals
                    .iter()
                    .flat_map(|s| self.indicators_of(&s.id))
                    .filter(|i| i.retired.is_none())
                    .collect::<Vec<_>>();
                (goal, indicators)
            })
            .filter(|(_, indicators)| !indicators.is_empty())
            .collect()
    }

    /// The statements in use, in file order.
    pub fn statements_in_use(&self) -> impl Iterator<Item = &Statement> + '_ {
        self.statements
            .iter()
            .filter(|statement| self.statement_in_use(&statement.id))
    }

    /// The goal a subgoal belongs to.
    pub fn goal_of(&self, subgoal: &SubgoalId) -> Option<&Goal> {
        self.subgoal(subgoal)
            .and_then(|subgoal| self.goal(&subgoal.goal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"
[[themes]]
id = "meedoen"
name = "Meedoen"

[[goals]]
id = "meedoen"
title = "Inwoners doen mee"
theme = "meedoen"

[[subgoals]]
id = "sterker-netwerk"
goal = "meedoen"
title = "Inwoners hebben een sterker sociaal netwerk"
plain = "Mensen leren kennen"

[[indicators]]
id = "bezoekers"
subgoal = "sterker-netwerk"
title = "Bezoekers koffie-inloop"
level = "reach"
unit = "personen"
direction = "up"
baseline = 140
target = 220.5
source = "Registratie"
frequency = "quarter"
target_group = 3000

[[indicators]]
id = "meer-mensen"
subgoal = "sterker-netwerk"
title = "Deelnemers die meer mensen kennen"
level = "experienced"
unit = "%"
direction = "up"
source = "Stellingen"
frequency = "quarter"
statement = "ken-meer-mensen"

[[statements]]
id = "ken-meer-mensen"
subgoal = "sterker-netwerk"
text = "Doordat ik meedoe ken ik meer mensen in de buurt"
scale = "five_point"
"#;

    #[test]
    fn parses_navigates_and_round_trips() {
        let tree = GoalTree::from_toml(SAMPLE).unwrap();
        let subgoal = SubgoalId::parse("sterker-netwerk").unwrap();
        assert_eq!(tree.indicators_of(&subgoal).count(), 2);
        assert_eq!(tree.goal_of(&subgoal).unwrap().title, "Inwoners doen mee");
        assert_eq!(tree.indicators[0].baseline, Some(140.0));
        assert_eq!(GoalTree::from_toml(&tree.to_toml()).unwrap(), tree);
    }

    #[test]
    fn reports_errors_with_line_and_field() {
        let cases = [
            (
                SAMPLE.replace("goal = \"meedoen\"", "goal = \"werk\""),
                13,
                "goal",
            ),
            (
                SAMPLE.replace("level = \"reach\"", "level = \"bereik\""),
                21,
                "level",
            ),
            (
                SAMPLE.replace("statement = \"ken-meer-mensen\"", "statement = \"x\""),
                39,
                "statement",
            ),
            (
                SAMPLE.replace("id = \"meer-mensen\"", "id = \"bezoekers\""),
                31,
                "id",
            ),
            (
                SAMPLE.replace("baseline = 140", "baseline = \"veel\""),
                24,
                "baseline",
            ),
        ];
        for (text, line, field) in cases {
            let error = GoalTree::from_toml(&text).unwrap_err();
            assert_eq!(
                (error.line, error.field.as_deref()),
                (line, Some(field)),
                "{error}"
            );
        }
    }

    #[test]
    fn scales() {
        assert!(Scale::FivePoint.agrees(4));
        assert!(!Scale::FivePoint.agrees(3));
        assert!(Scale::AgreeDisagree.agrees(1));
        assert!(!Scale::AgreeDisagree.range().contains(&2));
    }
}
