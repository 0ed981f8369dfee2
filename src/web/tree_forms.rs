//! Reading the goal-tree forms into goal-tree items: a new or changed goal, subgoal, indicator or
//! statement. Problems come back as field → message key, as in the other forms; refusals of the edit
//! itself (a taken code, a retired parent) are turned into the same kind of field problem.

use std::collections::BTreeMap;

use super::forms::{FormData, FormErrors};
use crate::goals::{
    Direction, EditError, Frequency, Goal, GoalTree, Indicator, IndicatorLevel, ItemKind, Scale,
    Statement, Subgoal,
};
use crate::ids::{GoalId, IndicatorId, StatementId, SubgoalId, ThemeId, check_id};
use crate::number::{NumberError, read_form_number};

/// Longest title or statement text, in characters.
const MAX_TITLE: usize = 300;

/// One item of the tree, as a form makes it.
pub enum TreeItem {
    Goal(Goal),
    Subgoal(Subgoal),
    Indicator(Indicator),
    Statement(Statement),
}

impl TreeItem {
    pub fn id(&self) -> &str {
        match self {
            TreeItem::Goal(goal) => goal.id.as_str(),
            TreeItem::Subgoal(subgoal) => subgoal.id.as_str(),
            TreeItem::Indicator(indicator) => indicator.id.as_str(),
            TreeItem::Statement(statement) => statement.id.as_str(),
        }
    }

    /// Adds the item to the tree, or changes the one with its id.
    pub fn apply(self, tree: &mut GoalTree, new: bool) -> Result<(), EditError> {
        match (self, new) {
            (TreeItem::Goal(goal), true) => tree.add_goal(goal),
            (TreeItem::Goal(goal), false) => tree.change_goal(goal),
            (TreeItem::Subgoal(subgoal), true) => tree.add_subgoal(subgoal),
            (TreeItem::Subgoal(subgoal), false) => tree.change_subgoal(subgoal),
            (TreeItem::Indicator(indicator), true) => tree.add_indicator(indicator),
            (TreeItem::Indicator(indicator), false) => tree.change_indicator(indicator),
            (TreeItem::Statement(statement), true) => tree.add_statement(statement),
            (TreeItem::Statement(statement), false) => tree.change_statement(statement),
        }
    }
}

/// The field that names an item's parent, by kind.
pub fn parent_field(kind: ItemKind) -> Option<&'static str> {
    match kind {
        ItemKind::Goal => None,
        ItemKind::Subgoal => Some("doel"),
        ItemKind::Indicator | ItemKind::Statement => Some("subdoel"),
    }
}

/// The field problem for a refused edit.
pub fn edit_problem(kind: ItemKind, error: &EditError) -> (&'static str, &'static str) {
    let parent = parent_field(kind).unwrap_or("titel");
    match error {
        EditError::Taken { .. } => ("code", "tree.error_code_taken"),
        EditError::Untitled(_) => ("titel", "tree.error_title"),
        EditError::Retired {
            kind: "statement", ..
        } => ("stelling", "tree.error_retired"),
        EditError::Unknown { kind: "theme", .. } => ("thema", "tree.error_parent"),
        EditError::Unknown {
            kind: "statement", ..
        } => ("stelling", "tree.error_parent"),
        EditError::Retired { .. } => (parent, "tree.error_retired"),
        EditError::Unknown { .. } => (parent, "tree.error_parent"),
        EditError::ParentRetired { .. } => ("status", "tree.error_parent_retired"),
    }
}

/// The form values of an existing item, to fill its form.
pub fn values_of(
    tree: &GoalTree,
    kind: ItemKind,
    id: &str,
) -> Option<BTreeMap<String, Vec<String>>> {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut set = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            values.insert(name.to_string(), vec![value]);
        }
    };
    let number = |value: Option<f64>| value.map(|v| v.to_string().replace('.', ","));
    match kind {
        ItemKind::Goal => {
            let goal = tree.goals.iter().find(|g| g.id.as_str() == id)?;
            set("titel", Some(goal.title.clone()));
            set("omschrijving", goal.description.clone());
            set("thema", goal.theme.as_ref().map(ToString::to_string));
        }
        ItemKind::Subgoal => {
            let subgoal = tree.subgoals.iter().find(|s| s.id.as_str() == id)?;
            set("titel", Some(subgoal.title.clone()));
            set("doel", Some(subgoal.goal.to_string()));
            set("gewoon", subgoal.plain.clone());
        }
        ItemKind::Indicator => {
            let indicator = tree.indicators.iter().find(|i| i.id.as_str() == id)?;
            set("titel", Some(indicator.title.clone()));
            set("subdoel", Some(indicator.subgoal.to_string()));
            set("niveau", Some(indicator.level.code().to_string()));
            set("eenheid", Some(indicator.unit.clone()));
            let direction = direction_code(indicator.direction);
            set("richting", Some(direction.to_string()));
            set("bron", Some(indicator.source.clone()));
            let frequency = frequency_code(indicator.frequency);
            set("frequentie", Some(frequency.to_string()));
            set("nulmeting", number(indicator.baseline));
            set("streef", number(indicator.target));
            set("doelgroep", number(indicator.target_group));
            set(
                "stelling",
                indicator.statement.as_ref().map(ToString::to_string),
            );
        }
        ItemKind::Statement => {
            let statement = tree.statements.iter().find(|s| s.id.as_str() == id)?;
            set("titel", Some(statement.text.clone()));
            set("subdoel", Some(statement.subgoal.to_string()));
            set("schaal", Some(scale_code(statement.scale).to_string()));
        }
    }
    Some(values)
}

pub fn direction_code(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    }
}

pub fn frequency_code(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Month => "month",
        Frequency::Quarter => "quarter",
        Frequency::Year => "year",
    }
}

pub fn scale_code(scale: Scale) -> &'static str {
    match scale {
        Scale::FivePoint => "five_point",
        Scale::AgreeDisagree => "agree_disagree",
    }
}

/// Reads an item's form. `existing` is the id of the item being changed; a new item's id comes from
/// the `code` field or, when that is empty, from its title.
pub fn read_item(
    form: &FormData,
    kind: ItemKind,
    tree: &GoalTree,
    existing: Option<&str>,
) -> Result<TreeItem, FormErrors> {
    let mut errors = FormErrors::default();
    let title = form
        .get("titel")
        .map(|text| text.chars().take(MAX_TITLE).collect::<String>());
    if title.is_none() {
        errors.add("titel", "tree.error_title");
    }
    let title = title.unwrap_or_default();
    let id = match (existing, form.get("code")) {
        (Some(id), _) => id.to_string(),
        (None, Some(code)) => {
            if check_id(code).is_err() {
                errors.add("code", "tree.error_code");
            }
            code.to_string()
        }
        (None, None) => tree.free_id(kind, &title),
    };
    let optional = |name: &str, max: usize| {
        form.get(name)
            .map(|text| text.chars().take(max).collect::<String>())
    };
    let item = match kind {
        ItemKind::Goal => {
            let theme = form.get("thema").and_then(|id| ThemeId::parse(id).ok());
            GoalId::parse(&id).ok().map(|id| {
                TreeItem::Goal(Goal {
                    id,
                    title,
                    theme,
                    description: optional("omschrijving", 2000),
                    retired: None,
                })
            })
        }
        ItemKind::Subgoal => {
            let goal = form.get("doel").and_then(|id| GoalId::parse(id).ok());
            if goal.is_none() {
                errors.add("doel", "tree.error_parent");
            }
            match (SubgoalId::parse(&id), goal) {
                (Ok(id), Some(goal)) => Some(TreeItem::Subgoal(Subgoal {
                    id,
                    goal,
                    title,
                    plain: optional("gewoon", 120),
                    retired: None,
                })),
                _ => None,
            }
        }
        ItemKind::Indicator => {
            read_indicator(form, &id, title, &mut errors).map(TreeItem::Indicator)
        }
        ItemKind::Statement => {
            let subgoal = subgoal_field(form, &mut errors);
            let scale = match form.get("schaal") {
                Some("five_point") => Some(Scale::FivePoint),
                Some("agree_disagree") => Some(Scale::AgreeDisagree),
                // A changed statement keeps its scale whatever the form says.
                _ if existing.is_some() => Some(Scale::FivePoint),
                _ => {
                    errors.add("schaal", "tree.error_scale");
                    None
                }
            };
            match (StatementId::parse(&id), subgoal, scale) {
                (Ok(id), Some(subgoal), Some(scale)) => Some(TreeItem::Statement(Statement {
                    id,
                    subgoal,
                    text: title,
                    scale,
                    retired: None,
                })),
                _ => None,
            }
        }
    };
    match item {
        Some(item) if errors.is_empty() => Ok(item),
        _ => Err(errors),
    }
}

fn subgoal_field(form: &FormData, errors: &mut FormErrors) -> Option<SubgoalId> {
    let subgoal = form.get("subdoel").and_then(|id| SubgoalId::parse(id).ok());
    if subgoal.is_none() {
        errors.add("subdoel", "tree.error_parent");
    }
    subgoal
}

fn read_indicator(
    form: &FormData,
    id: &str,
    title: String,
    errors: &mut FormErrors,
) -> Option<Indicator> {
    let subgoal = subgoal_field(form, errors);
    let level = form
        .get("niveau")
        .and_then(|code| IndicatorLevel::ALL.into_iter().find(|l| l.code() == code));
    if level.is_none() {
        errors.add("niveau", "tree.error_level");
    }
    let direction = match form.get("richting") {
        Some("up") => Some(Direction::Up),
        Some("down") => Some(Direction::Down),
        _ => {
            errors.add("richting", "tree.error_direction");
            None
        }
    };
    let frequency = match form.get("frequentie") {
        Some("month") => Some(Frequency::Month),
        Some("quarter") => Some(Frequency::Quarter),
        Some("year") => Some(Frequency::Year),
        _ => {
            errors.add("frequentie", "tree.error_frequency");
            None
        }
    };
    let mut required = |name: &'static str, key: &'static str, max: usize| {
        let text = form
            .get(name)
            .map(|text| text.chars().take(max).collect::<String>());
        if text.is_none() {
            errors.add(name, key);
        }
        text.unwrap_or_default()
    };
    let unit = required("eenheid", "tree.error_unit", 40);
    let source = required("bron", "tree.error_source", 200);
    // Figures are read the Dutch way: `2.710` is 2710; a decimal point (`2.71`) is refused, not guessed.
    let mut number = |name: &'static str| match form.get(name).map(read_form_number) {
        None => None,
        Some(Ok(value)) => Some(value),
        Some(Err(error)) => {
            errors.add(name, number_problem(&error));
            None
        }
    };
    let baseline = number("nulmeting");
    let target = number("streef");
    let target_group = number("doelgroep");
    let statement = form
        .get("stelling")
        .and_then(|id| StatementId::parse(id).ok());
    Some(Indicator {
        id: IndicatorId::parse(id).ok()?,
        subgoal: subgoal?,
        title,
        level: level?,
        unit,
        direction: direction?,
        baseline,
        target,
        source,
        frequency: frequency?,
        target_group,
        statement,
        retired: None,
    })
}

/// The message key for a figure typed in a way that is not read.
fn number_problem(error: &NumberError) -> &'static str {
    match error {
        NumberError::PointDecimal { .. } | NumberError::CommaGrouping { .. } => {
            "tree.error_number_point"
        }
        NumberError::NotANumber { .. } | NumberError::Ambiguous { .. } => "tree.error_number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_new_indicator_reads_dutch_numbers_and_gets_an_id_from_its_title() {
        let tree = testing::goal_tree();
        let subgoal = tree.subgoals[0].id.to_string();
        let fields = form(&[
            ("titel", "Bezoekers van de inloop"),
            ("subdoel", &subgoal),
            ("niveau", "reach"),
            ("eenheid", "personen"),
            ("richting", "up"),
            ("bron", "Registratie"),
            ("frequentie", "quarter"),
            ("nulmeting", "1.234,5"),
            ("streef", ""),
        ]);
        let Ok(TreeItem::Indicator(indicator)) =
            read_item(&fields, ItemKind::Indicator, &tree, None)
        else {
            panic!("the form is complete");
        };
        assert_eq!(indicator.id.as_str(), "bezoekers-van-de-inloop");
        assert_eq!(indicator.baseline, Some(1234.5));
        assert_eq!(indicator.target, None);
        assert_eq!(
            values_of(
                &{
                    let mut t = tree.clone();
                    t.add_indicator(indicator).unwrap();
                    t
                },
                ItemKind::Indicator,
                "bezoekers-van-de-inloop"
            )
            .unwrap()["nulmeting"],
            vec!["1234,5".to_string()]
        );
    }

    #[test]
    fn problems_name_their_fields() {
        let tree = testing::goal_tree();
        let fields = form(&[
            ("titel", " "),
            ("code", "Met Spatie"),
            ("niveau", "veel"),
            ("nulmeting", "twee"),
        ]);
        let errors = match read_item(&fields, ItemKind::Indicator, &tree, None) {
            Err(errors) => errors,
            Ok(_) => panic!("the form has problems"),
        };
        for (field, key) in [
            ("titel", "tree.error_title"),
            ("code", "tree.error_code"),
            ("subdoel", "tree.error_parent"),
            ("niveau", "tree.error_level"),
            ("richting", "tree.error_direction"),
            ("frequentie", "tree.error_frequency"),
            ("eenheid", "tree.error_unit"),
            ("bron", "tree.error_source"),
            ("nulmeting", "tree.error_number"),
        ] {
            assert_eq!(errors.of(field), Some(key), "{field}");
        }
    }
    #[test]
    fn figures_on_the_form_are_read_the_dutch_way_and_a_decimal_point_is_refused() {
        let tree = testing::goal_tree();
        let subgoal = tree.subgoals[0].id.to_string();
        let cases: &[(&str, Result<f64, &str>)] = &[
            ("2.710", Ok(2710.0)),
            ("2710", Ok(2710.0)),
            ("42,5", Ok(42.5)),
            ("1.234,5", Ok(1234.5)),
            ("12,345", Ok(12.345)),
            ("12 000", Ok(12000.0)),
            ("2.71", Err("tree.error_number_point")),
            ("88.5", Err("tree.error_number_point")),
            ("1,234.5", Err("tree.error_number_point")),
            ("twee", Err("tree.error_number")),
            ("1.23.4", Err("tree.error_number")),
        ];
        for (text, want) in cases {
            let fields = form(&[
                ("titel", "Bezoekers van de inloop"),
                ("subdoel", &subgoal),
                ("niveau", "reach"),
                ("eenheid", "personen"),
                ("richting", "up"),
                ("bron", "Registratie"),
                ("frequentie", "quarter"),
                ("streef", text),
            ]);
            match (read_item(&fields, ItemKind::Indicator, &tree, None), want) {
                (Ok(TreeItem::Indicator(indicator)), Ok(value)) => {
                    assert_eq!(indicator.target, Some(*value), "{text}")
                }
                (Err(errors), Err(key)) => assert_eq!(errors.of("streef"), Some(*key), "{text}"),
                (Ok(_), want) => panic!("{text}: read, want {want:?}"),
                (Err(errors), want) => panic!("{text}: {errors:?}, want {want:?}"),
            }
        }
    }
}
