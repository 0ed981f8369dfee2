//! Stable text ids for everything that stories and figures refer to: goals, subgoals, indicators,
//! statements, themes, areas, providers, activities and storytelling sessions.
//!
//! An id is what links survive on: titles and names may change, ids do not. They are short, readable
//! and safe in URLs and file names: lowercase ASCII letters, digits, `-` and `_`, starting with a letter
//! or digit. Each kind of id is its own newtype, so an area id cannot be passed where a subgoal id is
//! expected.

use std::fmt;

/// Why a text is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id may not be empty")]
    Empty,
    #[error("an id may be at most 80 characters long")]
    TooLong,
    #[error(
        "an id may only hold lowercase letters a-z, digits, '-' and '_', and must start with a letter or digit; found {0:?}"
    )]
    Invalid(String),
}

/// Checks the id rules shared by every kind of id.
pub fn check_id(text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    if text.len() > 80 {
        return Err(IdError::TooLong);
    }
    let mut chars = text.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(IdError::Invalid(text.to_string()))
    }
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(pattern = "^[a-z0-9][a-z0-9_-]{0,79}$")]
        pub struct $name(String);

        impl $name {
            /// Parses a text into this id, checking the id rules.
            pub fn parse(text: &str) -> Result<Self, IdError> {
                check_id(text)?;
                Ok(Self(text.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_id!(
    /// Id of a theme (thema), an optional grouping of goals.
    ThemeId
);
text_id!(
    /// Id of a goal (hoofddoel).
    GoalId
);
text_id!(
    /// Id of a subgoal (subdoel); stories link to subgoals.
    SubgoalId
);
text_id!(
    /// Id of an outcome indicator.
    IndicatorId
);
text_id!(
    /// Id of a statement (stelling) that participants score.
    StatementId
);
text_id!(
    /// Id of an area (stadsdeel, wijk, dorp).
    AreaId
);
text_id!(
    /// Id of a provider (aanbieder).
    ProviderId
);
text_id!(
    /// Id of an activity (activiteit) run by a provider.
    ActivityId
);
text_id!(
    /// Id of a storytelling session (vertelsessie), such as `noord-2026-03`.
    SessionId
);
text_id!(
    /// Id of a narrative evaluation round (evaluatieronde), such as `minder-alleen-2025`.
    RoundId
);
text_id!(
    /// Id of a question about the story (vraag over het verhaal), stable across its versions.
    QuestionId
);
text_id!(
    /// Id of one option of a choice question.
    ChoiceId
);
text_id!(
    /// A user's login name (gebruikersnaam), such as `jdevries`.
    UserName
);

/// A readable id part from a text: lowercase ASCII letters and digits joined by `-`, accents folded
/// ("Cliënt thuis" → "client-thuis"), at most `max` characters, never ending in `-`. Empty when the
/// text has no letters or digits.
pub fn slug(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(fold_to_ascii) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= max {
            break;
        }
    }
    slug.truncate(max);
    slug.trim_end_matches('-').to_string()
}

/// Folds common accented letters to their lowercase ASCII base ("ë" → "e"); other letters become a space.
fn fold_to_ascii(c: char) -> Option<char> {
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäå", 'a'),
        ("çć", 'c'),
        ("èéêëę", 'e'),
        ("ìíîï", 'i'),
        ("ñń", 'n'),
        ("òóôõöø", 'o'),
        ("ùúûü", 'u'),
        ("ýÿ", 'y'),
        ("şś", 's'),
        ("ğ", 'g'),
        ("ł", 'l'),
        ("żź", 'z'),
        ("ı", 'i'),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower.is_ascii() {
        return Some(lower);
    }
    FOLDS
        .iter()
        .find(|(from, _)| from.contains(lower))
        .map(|(_, to)| *to)
        .or(Some(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Cliënt thuis, écht!", 40), "client-thuis-echt");
        assert_eq!(slug("  Minder   alleen  ", 40), "minder-alleen");
        assert_eq!(slug("Grip op geld en schulden", 12), "grip-op-geld");
        assert_eq!(slug("Zinvolle dag", 9), "zinvolle");
        assert_eq!(slug("€ — ?", 40), "");
        assert!(check_id(&slug("Jongeren: een plek & iemand", 80)).is_ok());
    }

    #[test]
    fn id_rules() {
        let cases = [
            ("sterker-netwerk", true),
            ("a", true),
            ("2025-plan", true),
            ("met_underscore", true),
            ("", false),
            ("Hoofdletter", false),
            ("-begint-met-streep", false),
            ("spatie erin", false),
            ("cliënt", false),
            ("a/b", false),
        ];
        for (text, ok) in cases {
            assert_eq!(check_id(text).is_ok(), ok, "{text:?}");
        }
        assert_eq!(check_id(&"a".repeat(81)), Err(IdError::TooLong));
    }
}
