//! What a page with a search box says about how it searched, made in one place for every such page:
//! that no story had every word and these are the stories with the most words, "Bedoelde u …?" with
//! a link to the corrected search, the words a typo or `buurt*` was searched as, a `*` with too few
//! letters before it, and the synonyms also looked for ("Ook gezocht op: …").

use crate::index::{ExpansionKind, SearchResults};
use crate::web::i18n::Texts;

/// The notices of one search (`templates/search_notice.html`); empty when there is nothing to say.
#[derive(Debug, Default)]
pub struct SearchNotice {
    /// The relaxed-search sentence, when the stories shown do not all have every word.
    pub relaxed: Option<String>,
    /// "Bedoelde u": the corrected query and the link that searches it.
    pub suggestion: Option<(String, String)>,
    /// One sentence per word searched as other words.
    pub expanded: Vec<String>,
    /// "Ook gezocht op: alleen, geïsoleerd", when synonyms were looked for.
    pub synonyms: Option<String>,
}

impl SearchNotice {
    /// The notices of `results`; `link` makes the address of the same page searching another text.
    pub fn of(t: &Texts, results: &SearchResults, link: impl Fn(&str) -> String) -> SearchNotice {
        let relaxed = results.relaxed.then(|| t.get("search.relaxed").to_string());
        let suggestion = results
            .suggestion
            .as_ref()
            .map(|text| (text.clone(), link(text)));
        let expanded = results
            .expanded
            .iter()
            .map(|expanded| {
                let words = expanded.words.join(", ");
                let key = match expanded.kind {
                    ExpansionKind::Typo => "search.typo",
                    ExpansionKind::Prefix if words.is_empty() => "search.prefix_none",
                    ExpansionKind::Prefix => "search.prefix",
                    ExpansionKind::ShortPrefix => "search.short_prefix",
                };
                t.with(key, &expanded.word).replace("{words}", &words)
            })
            .collect();
        let synonyms = (!results.synonyms_used.is_empty())
            .then(|| t.with("search.synonyms_used", &results.synonyms_used.join(", ")));
        SearchNotice {
            relaxed,
            suggestion,
            expanded,
            synonyms,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.relaxed.is_none()
            && self.suggestion.is_none()
            && self.expanded.is_empty()
            && self.synonyms.is_none()
    }
}
