//! Changes to the goal tree as the goal-tree page makes them: add, change (rename and move), retire and
//! bring back goals, subgoals, indicators and statements.
//!
//! Ids never change and nothing is deleted, so stories, figures, interpretations and rounds that refer
//! to an item keep working after any edit. Every change is checked before it is made: a failed edit
//! leaves the tree as it was.

use jiff::civil::Date;

use super::{Goal, GoalTree, Indicator, Statement, Subgoal};
use crate::ids::{GoalId, StatementId, SubgoalId, check_id, slug};

/// The kinds of items the goal-tree page edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Goal,
    Subgoal,
    Indicator,
    Statement,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Goal,
        ItemKind::Subgoal,
        ItemKind::Indicator,
        ItemKind::Statement,
    ];

    /// The English code, used in messages and text keys.
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Goal => "goal",
            ItemKind::Subgoal => "subgoal",
            ItemKind::Indicator => "indicator",
            ItemKind::Statement => "statement",
        }
    }

    /// The Dutch word used in addresses (`/doelenboom/subdoel/...`).
    pub fn segment(self) -> &'static str {
        match self {
            ItemKind::Goal => "doel",
            ItemKind::Subgoal => "subdoel",
            ItemKind::Indicator => "indicator",
            ItemKind::Statement => "stelling",
        }
    }

    pub fn from_segment(text: &str) -> Option<ItemKind> {
        ItemKind::ALL
            .into_iter()
            .find(|kind| kind.segment() == text)
    }
}

/// Why an edit was refused. The tree is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no {kind} {id}")]
    Unknown { kind: &'static str, id: String },
    #[error("the id {id} is already used by another {kind}")]
    Taken { kind: &'static str, id: String },
    #[error("{kind} {id} is retired; choose one that is in use")]
    Retired { kind: &'static str, id: String },
    #[error("{kind} {id} is retired because its {parent} is; bring that back first")]
    ParentRetired {
        kind: &'static str,
        id: String,
        parent: &'static str,
    },
    #[error("a {0} needs a title")]
    Untitled(&'static str),
}

fn unknown(kind: ItemKind, id: &str) -> EditError {
    EditError::Unknown {
        kind: kind.code(),
        id: id.to_string(),
    }
}

impl GoalTree {
    /// A free id of the given kind made from a title ("Grip op geld" → `grip-op-geld`, or
    /// `grip-op-geld-2` when that is taken).
    pub fn free_id(&self, kind: ItemKind, title: &str) -> String {
        let base = slug(title, 40);
        let base = if base.is_empty() {
            kind.segment().to_string()
        } else {
            base
        };
        (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|id| check_id(id).is_ok() && !self.has(kind, id))
            .expect("some id is free")
    }

    /// Whether an item of this kind with this id exists, retired or not.
    pub fn has(&self, kind: ItemKind, id: &str) -> bool {
        match kind {
            ItemKind::Goal => self.goals.iter().any(|g| g.id.as_str() == id),
            ItemKind::Subgoal => self.subgoals.iter().any(|s| s.id.as_str() == id),
            ItemKind::Indicator => self.indicators.iter().any(|i| i.id.as_str() == id),
            ItemKind::Statement => self.statements.iter().any(|s| s.id.as_str() == id),
        }
    }

    /// The day an item was itself retired, not counting its parents.
    pub fn retired_itself(&self, kind: ItemKind, id: &str) -> Option<Date> {
        match kind {
            ItemKind::Goal => self.goals.iter().find(|g| g.id.as_str() == id)?.retired,
            ItemKind::Subgoal => self.subgoals.iter().find(|s| s.id.as_str() == id)?.retired,
            ItemKind::Indicator => {
                self.indicators
                    .iter()
                    .find(|i| i.id.as_str() == id)?
                    .retired
            }
            ItemKind::Statement => {
                self.statements
                    .iter()
                    .find(|s| s.id.as_str() == id)?
                    .retired
            }
        }
    }

    /// The item's parent: its kind and id.
    fn parent(&self, kind: ItemKind, id: &str) -> Option<(ItemKind, &str)> {
        match kind {
            ItemKind::Goal => None,
            ItemKind::Subgoal => self
                .subgoals
                .iter()
                .find(|s| s.id.as_str() == id)
                .map(|s| (ItemKind::Goal, s.goal.as_str())),
            ItemKind::Indicator => self
                .indicators
                .iter()
                .find(|i| i.id.as_str() == id)
                .map(|i| (ItemKind::Subgoal, i.subgoal.as_str())),
            ItemKind::Statement => self
                .statements
                .iter()
                .find(|s| s.id.as_str() == id)
                .map(|s| (ItemKind::Subgoal, s.subgoal.as_str())),
        }
    }

    /// The day an item stopped being in use: its own retirement or a parent's, whichever came first.
    pub fn retired_on(&self, kind: ItemKind, id: &str) -> Option<Date> {
        let parent = self
            .parent(kind, id)
            .and_then(|(parent, parent_id)| self.retired_on(parent, parent_id));
        self.retired_itself(kind, id)
            .into_iter()
            .chain(parent)
            .min()
    }

    pub fn add_goal(&mut self, goal: Goal) -> Result<(), EditError> {
        self.check_new(ItemKind::Goal, goal.id.as_str(), &goal.title)?;
        self.check_goal(&goal)?;
        self.goals.push(Goal {
            retired: None,
            ..goal
        });
        Ok(())
    }

    pub fn add_subgoal(&mut self, subgoal: Subgoal) -> Result<(), EditError> {
        self.check_new(ItemKind::Subgoal, subgoal.id.as_str(), &subgoal.title)?;
        self.check_goal_in_use(&subgoal.goal)?;
        self.subgoals.push(Subgoal {
            retired: None,
            ..subgoal
        });
        Ok(())
    }

    pub fn add_indicator(&mut self, indicator: Indicator) -> Result<(), EditError> {
        self.check_new(ItemKind::Indicator, indicator.id.as_str(), &indicator.title)?;
        self.check_subgoal_in_use(&indicator.subgoal)?;
        if let Some(statement) = &indicator.statement {
            self.check_statement_in_use(statement)?;
        }
        self.indicators.push(Indicator {
            retired: None,
            ..indicator
        });
        Ok(())
    }

    pub fn add_statement(&mut self, statement: Statement) -> Result<(), EditError> {
        self.check_new(ItemKind::Statement, statement.id.as_str(), &statement.text)?;
        self.check_subgoal_in_use(&statement.subgoal)?;
        self.statements.push(Statement {
            retired: None,
            ..statement
        });
        Ok(())
    }

    /// Renames a goal, changes its description or moves it to another theme. Its retirement stays.
    pub fn change_goal(&mut self, goal: Goal) -> Result<(), EditError> {
        titled(ItemKind::Goal, &goal.title)?;
        self.check_goal(&goal)?;
        let old = self
            .goals
            .iter_mut()
            .find(|g| g.id == goal.id)
            .ok_or_else(|| unknown(ItemKind::Goal, goal.id.as_str()))?;
        *old = Goal {
            retired: old.retired,
            ..goal
        };
        Ok(())
    }

    /// Renames a subgoal or moves it to another goal (which must be in use). Its retirement stays.
    pub fn change_subgoal(&mut self, subgoal: Subgoal) -> Result<(), EditError> {
        titled(ItemKind::Subgoal, &subgoal.title)?;
        let old = self
            .subgoal(&subgoal.id)
            .ok_or_else(|| unknown(ItemKind::Subgoal, subgoal.id.as_str()))?;
        if old.goal != subgoal.goal {
            self.check_goal_in_use(&subgoal.goal)?;
        }
        let old = self
            .subgoals
            .iter_mut()
            .find(|s| s.id == subgoal.id)
            .expect("found above");
        *old = Subgoal {
            retired: old.retired,
            ..subgoal
        };
        Ok(())
    }

    /// Changes an indicator's title, numbers, source or statement, or moves it to another subgoal.
    pub fn change_indicator(&mut self, indicator: Indicator) -> Result<(), EditError> {
        titled(ItemKind::Indicator, &indicator.title)?;
        let old = self
            .indicator(&indicator.id)
            .ok_or_else(|| unknown(ItemKind::Indicator, indicator.id.as_str()))?;
        if old.subgoal != indicator.subgoal {
            self.check_subgoal_in_use(&indicator.subgoal)?;
        }
        if let Some(statement) = &indicator.statement
            && old.statement.as_ref() != Some(statement)
        {
            self.check_statement_in_use(statement)?;
        }
        let old = self
            .indicators
            .iter_mut()
            .find(|i| i.id == indicator.id)
            .expect("found above");
        *old = Indicator {
            retired: old.retired,
            ..indicator
        };
        Ok(())
    }

    /// Rewords a statement or moves it to another subgoal. Its scale stays: the scores given on it
    /// are only meaningful on the scale they were given on.
    pub fn change_statement(&mut self, statement: Statement) -> Result<(), EditError> {
        titled(ItemKind::Statement, &statement.text)?;
        let old = self
            .statement(&statement.id)
            .ok_or_else(|| unknown(ItemKind::Statement, statement.id.as_str()))?;
        if old.subgoal != statement.subgoal {
            self.check_subgoal_in_use(&statement.subgoal)?;
        }
        let old = self
            .statements
            .iter_mut()
            .find(|s| s.id == statement.id)
            .expect("found above");
        *old = Statement {
            retired: old.retired,
            scale: old.scale,
            ..statement
        };
        Ok(())
    }

    /// Retires an item on a day. Retiring one already retired keeps its first day.
    pub fn retire(&mut self, kind: ItemKind, id: &str, on: Date) -> Result<(), EditError> {
        let retired = self
            .retired_field(kind, id)
            .ok_or_else(|| unknown(kind, id))?;
        retired.get_or_insert(on);
        Ok(())
    }

    /// Brings a retired item back into use. Its parent must be in use.
    pub fn reinstate(&mut self, kind: ItemKind, id: &str) -> Result<(), EditError> {
        if !self.has(kind, id) {
            return Err(unknown(kind, id));
        }
        if let Some((parent, parent_id)) = self.parent(kind, id)
            && self.retired_on(parent, parent_id).is_some()
        {
            return Err(EditError::ParentRetired {
                kind: kind.code(),
                id: id.to_string(),
                parent: parent.code(),
            });
        }
        *self.retired_field(kind, id).expect("exists") = None;
        Ok(())
    }

    fn retired_field(&mut self, kind: ItemKind, id: &str) -> Option<&mut Option<Date>> {
        match kind {
            ItemKind::Goal => self
                .goals
                .iter_mut()
                .find(|g| g.id.as_str() == id)
                .map(|g| &mut g.retired),
            ItemKind::Subgoal => self
                .subgoals
                .iter_mut()
                .find(|s| s.id.as_str() == id)
                .map(|s| &mut s.retired),
            ItemKind::Indicator => self
                .indicators
                .iter_mut()
                .find(|i| i.id.as_str() == id)
                .map(|i| &mut i.retired),
            ItemKind::Statement => self
                .statements
                .iter_mut()
                .find(|s| s.id.as_str() == id)
                .map(|s| &mut s.retired),
        }
    }

    fn check_new(&self, kind: ItemKind, id: &str, title: &str) -> Result<(), EditError> {
        titled(kind, title)?;
        if self.has(kind, id) {
            return Err(EditError::Taken {
                kind: kind.code(),
                id: id.to_string(),
            });
        }
        Ok(())
    }

    fn check_goal(&self, goal: &Goal) -> Result<(), EditError> {
        match &goal.theme {
            Some(theme) if self.theme(theme).is_none() => Err(EditError::Unknown {
                kind: "theme",
                id: theme.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn check_in_use(&self, kind: ItemKind, id: &str) -> Result<(), EditError> {
        if !self.has(kind, id) {
            return Err(unknown(kind, id));
        }
        if self.retired_on(kind, id).is_some() {
            return Err(EditError::Retired {
                kind: kind.code(),
                id: id.to_string(),
            });
        }
        Ok(())
    }

    fn check_goal_in_use(&self, id: &GoalId) -> Result<(), EditError> {
        self.check_in_use(ItemKind::Goal, id.as_str())
    }

    fn check_subgoal_in_use(&self, id: &SubgoalId) -> Result<(), EditError> {
        self.check_in_use(ItemKind::Subgoal, id.as_str())
    }

    fn check_statement_in_use(&self, id: &StatementId) -> Result<(), EditError> {
        self.check_in_use(ItemKind::Statement, id.as_str())
    }
}

fn titled(kind: ItemKind, title: &str) -> Result<(), EditError> {
    if title.trim().is_empty() {
        return Err(EditError::Untitled(kind.code()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::tests::SAMPLE;
    use crate::ids::IndicatorId;

    fn tree() -> GoalTree {
        GoalTree::from_toml(SAMPLE).unwrap()
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn subgoal(id: &str, goal: &str, title: &str) -> Subgoal {
        Subgoal {
            id: SubgoalId::parse(id).unwrap(),
            goal: GoalId::parse(goal).unwrap(),
            title: title.to_string(),
            plain: None,
            retired: None,
        }
    }

    fn goal(id: &str, title: &str) -> Goal {
        Goal {
            id: GoalId::parse(id).unwrap(),
            title: title.to_string(),
            theme: None,
            description: None,
            retired: None,
        }
    }

    #[test]
    fn free_ids_come_from_titles_and_skip_taken_ones() {
        let tree = tree();
        assert_eq!(
            tree.free_id(ItemKind::Subgoal, "Sterker netwerk!"),
            "sterker-netwerk-2"
        );
        assert_eq!(
            tree.free_id(ItemKind::Goal, "Sterker netwerk"),
            "sterker-netwerk"
        );
        assert_eq!(tree.free_id(ItemKind::Statement, "?"), "stelling");
    }

    #[test]
    fn move_rename_and_retire_keep_ids_and_round_trip() {
        let mut tree = tree();
        tree.add_goal(goal("vitaal", "Inwoners blijven vitaal"))
            .unwrap();
        tree.add_subgoal(subgoal("bewegen", "vitaal", "Inwoners bewegen"))
            .unwrap();

        // Move the subgoal with its indicators to the new goal and rename it.
        tree.change_subgoal(subgoal("sterker-netwerk", "vitaal", "Meer mensen kennen"))
            .unwrap();
        let moved = SubgoalId::parse("sterker-netwerk").unwrap();
        assert_eq!(tree.goal_of(&moved).unwrap().id.as_str(), "vitaal");
        assert_eq!(tree.indicators_of(&moved).count(), 2);

        // Retiring the goal retires what is under it, without touching their own field.
        tree.retire(ItemKind::Goal, "vitaal", day("2026-06-30"))
            .unwrap();
        assert!(!tree.subgoal_in_use(&moved));
        assert!(!tree.indicator_in_use(&IndicatorId::parse("bezoekers").unwrap()));
        assert_eq!(
            tree.retired_on(ItemKind::Indicator, "bezoekers"),
            Some(day("2026-06-30"))
        );
        assert!(tree.subgoals_in_use().is_empty());
        assert!(tree.statements_in_use().next().is_none());

        // An earlier own date wins; retiring again keeps the first day.
        tree.retire(ItemKind::Subgoal, "bewegen", day("2026-01-01"))
            .unwrap();
        tree.retire(ItemKind::Subgoal, "bewegen", day("2026-12-01"))
            .unwrap();
        assert_eq!(
            tree.retired_on(ItemKind::Subgoal, "bewegen"),
            Some(day("2026-01-01"))
        );

        let text = tree.to_toml();
        assert!(text.contains("retired = \"2026-06-30\""), "{text}");
        assert_eq!(GoalTree::from_toml(&text).unwrap(), tree);

        tree.reinstate(ItemKind::Goal, "vitaal").unwrap();
        assert!(tree.subgoal_in_use(&moved));
        assert!(!tree.subgoal_in_use(&SubgoalId::parse("bewegen").unwrap()));
    }

    #[test]
    fn refused_edits_leave_the_tree_as_it_was() {
        let mut tree = tree();
        tree.add_goal(goal("oud", "Oud doel")).unwrap();
        tree.retire(ItemKind::Goal, "oud", day("2025-12-31"))
            .unwrap();
        tree.retire(ItemKind::Statement, "ken-meer-mensen", day("2025-12-31"))
            .unwrap();
        let before = tree.clone();

        let mut indicator = tree.indicators[0].clone();
        indicator.statement = Some(StatementId::parse("ken-meer-mensen").unwrap());
        let cases: Vec<(Result<(), EditError>, &str)> = vec![
            (
                tree.add_subgoal(subgoal("sterker-netwerk", "meedoen", "Dubbel")),
                "the id sterker-netwerk is already used by another subgoal",
            ),
            (
                tree.add_subgoal(subgoal("nieuw", "oud", "Nieuw")),
                "goal oud is retired; choose one that is in use",
            ),
            (
                tree.change_subgoal(subgoal("sterker-netwerk", "oud", "Verhuisd")),
                "goal oud is retired; choose one that is in use",
            ),
            (
                tree.change_subgoal(subgoal("sterker-netwerk", "meedoen", " ")),
                "a subgoal needs a title",
            ),
            (
                tree.add_subgoal(subgoal("nieuw", "werk", "Nieuw")),
                "there is no goal werk",
            ),
            (
                tree.reinstate(ItemKind::Statement, "nergens"),
                "there is no statement nergens",
            ),
            (
                tree.change_indicator(indicator),
                "statement ken-meer-mensen is retired; choose one that is in use",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
        assert_eq!(tree, before);
    }

    #[test]
    fn bringing_back_needs_the_parent_in_use() {
        let mut tree = tree();
        tree.retire(ItemKind::Subgoal, "sterker-netwerk", day("2026-01-01"))
            .unwrap();
        tree.retire(ItemKind::Indicator, "bezoekers", day("2025-06-01"))
            .unwrap();
        assert_eq!(
            tree.reinstate(ItemKind::Indicator, "bezoekers")
                .unwrap_err()
                .to_string(),
            "indicator bezoekers is retired because its subgoal is; bring that back first"
        );
        tree.reinstate(ItemKind::Subgoal, "sterker-netwerk")
            .unwrap();
        tree.reinstate(ItemKind::Indicator, "bezoekers").unwrap();
        assert!(tree.indicator_in_use(&IndicatorId::parse("bezoekers").unwrap()));
    }

    #[test]
    fn a_statement_keeps_its_scale() {
        let mut tree = tree();
        let mut statement = tree.statements[0].clone();
        statement.text = "Ik ken nu meer buren".to_string();
        statement.scale = crate::goals::Scale::AgreeDisagree;
        tree.change_statement(statement).unwrap();
        assert_eq!(tree.statements[0].scale, crate::goals::Scale::FivePoint);
        assert_eq!(tree.statements[0].text, "Ik ken nu meer buren");
    }
}
