//! Redaction in moderation: the personal details the detector finds in a story's title and text, shown
//! in their context for the moderator to accept or dismiss, and the accepted ones replaced by their
//! placeholders (such as `[naam]`) when the story is saved.
//!
//! A choice is sent back as `part:kind:matched text`, not as offsets, so it still applies when the
//! moderator also edits the text in the same form: the detector runs again on what was sent and the
//! accepted details are blacked out wherever they still are.

use super::i18n::Texts;
use crate::redact::{Suggestion, apply, suggest};

/// Characters of context shown on each side of a detail.
const CONTEXT_CHARS: usize = 40;

/// One suggestion as the moderation page shows it.
pub struct SuggestionView {
    /// The checkbox value: `part:kind:matched text`.
    pub value: String,
    pub kind: String,
    pub placeholder: &'static str,
    pub before: String,
    pub matched: String,
    pub after: String,
}

fn value(part: &str, suggestion: &Suggestion) -> String {
    format!("{part}:{}:{}", suggestion.kind.as_str(), suggestion.text)
}

/// The suggestions for a story's title and text, each with its context.
pub fn suggestion_views(t: &Texts, title: &str, text: &str) -> Vec<SuggestionView> {
    [("titel", title), ("verhaal", text)]
        .into_iter()
        .flat_map(|(part, content)| {
            let chars: Vec<char> = content.chars().collect();
            suggest(content).into_iter().map(move |suggestion| {
                let from = suggestion.start.saturating_sub(CONTEXT_CHARS);
                let to = (suggestion.end + CONTEXT_CHARS).min(chars.len());
                let before: String = chars[from..suggestion.start].iter().collect();
                let after: String = chars[suggestion.end..to].iter().collect();
                SuggestionView {
                    value: value(part, &suggestion),
                    kind: t.code("redaction.kind", suggestion.kind.as_str()),
                    placeholder: suggestion.kind.placeholder(),
                    before: if from > 0 {
                        format!("…{before}")
                    } else {
                        before
                    },
                    matched: suggestion.text.clone(),
                    after: if to < chars.len() {
                        format!("{after}…")
                    } else {
                        after
                    },
                }
            })
        })
        .collect()
}

/// `content` (the form's `part`) with the accepted details replaced by their placeholders.
pub fn black_out(part: &str, content: &str, accepted: &[String]) -> String {
    let chosen: Vec<Suggestion> = suggest(content)
        .into_iter()
        .filter(|suggestion| accepted.contains(&value(part, suggestion)))
        .collect();
    apply(content, &chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::dutch;

    #[test]
    fn accepted_details_are_blacked_out_even_after_an_edit() {
        let text = "Ik belde mevrouw Jansen op 06-12345678. Ze woont op Dorpsstraat 12.";
        let views = suggestion_views(dutch(), "Hulp van mevrouw Jansen", text);
        let values: Vec<&str> = views.iter().map(|v| v.value.as_str()).collect();
        assert!(values.contains(&"verhaal:phone:06-12345678"), "{values:?}");
        assert!(
            values.iter().any(|v| v.starts_with("titel:name:")),
            "{values:?}"
        );
        let phone = views
            .iter()
            .find(|v| v.value == "verhaal:phone:06-12345678")
            .unwrap();
        assert_eq!(phone.placeholder, "[telefoonnummer]");
        assert!(phone.before.ends_with("op ") && phone.after.starts_with(". Ze woont"));

        // The moderator accepts the phone number only, and meanwhile edited the start of the text.
        let accepted = vec!["verhaal:phone:06-12345678".to_string()];
        let edited = "Gisteren belde ik mevrouw Jansen op 06-12345678. Ze woont op Dorpsstraat 12.";
        assert_eq!(
            black_out("verhaal", edited, &accepted),
            "Gisteren belde ik mevrouw Jansen op [telefoonnummer]. Ze woont op Dorpsstraat 12."
        );
        // A choice for the text does not black out the title.
        assert_eq!(
            black_out("titel", "Bel 06-12345678", &accepted),
            "Bel 06-12345678"
        );
    }
}
