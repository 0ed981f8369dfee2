//! Turning a story into an index document: its language's text fields, keyword fields derived with the
//! goal tree and the area hierarchy (a story in a wijk counts for its stadsdeel; a story linked to a
//! subgoal counts for its goal), and the date.

use tantivy::TantivyDocument;

use super::analysis::AnalysedLanguage;
use super::schema::{FacetField, Fields};
use crate::evidence::Period;
use crate::goals::GoalTree;
use crate::language::LanguageDetector;
use crate::municipality::Municipality;
use crate::story::render::plain_text;
use crate::story::{Coded, Consent, Story};

/// What documents are derived with: the goal tree, the municipality and a language detector.
pub struct DocumentContext {
    pub goals: GoalTree,
    pub municipality: Municipality,
    pub detector: LanguageDetector,
}

impl DocumentContext {
    pub fn document(&self, fields: &Fields, story: &Story) -> TantivyDocument {
        let plain = plain_text(&story.text);
        let language =
            story.language_or_detect(&plain, &self.detector, &self.municipality.default_language);
        let analysed = AnalysedLanguage::for_language(&language);
        let (title_field, text_field) = fields.text_fields(analysed);

        let mut document = TantivyDocument::default();
        document.add_text(fields.id, story.id.to_string());
        document.add_u64(fields.day, day_number(story.date));
        document.add_text(title_field, &story.title);
        document.add_text(text_field, &plain);

        let mut keyword = |facet: FacetField, value: &str| {
            document.add_text(fields.keyword(facet), value);
        };
        for subgoal in &story.subgoals {
            keyword(FacetField::Subgoal, subgoal.as_str());
        }
        let mut goals: Vec<&str> = story
            .subgoals
            .iter()
            .filter_map(|subgoal| self.goals.goal_of(subgoal))
            .map(|goal| goal.id.as_str())
            .collect();
        goals.sort_unstable();
        goals.dedup();
        for goal in goals {
            keyword(FacetField::Goal, goal);
        }
        if let Some(area) = &story.area {
            for area in self.municipality.area_and_ancestors(area) {
                keyword(FacetField::Area, area.as_str());
            }
        }
        if let Some(provider) = &story.provider {
            keyword(FacetField::Provider, provider.as_str());
        }
        keyword(FacetField::Teller, story.teller.code());
        keyword(FacetField::Valence, story.valence.code());
        for tag in &story.tags {
            keyword(FacetField::Tag, tag);
        }
        keyword(FacetField::Language, language.code());
        keyword(FacetField::Year, &story.date.year().to_string());
        keyword(
            FacetField::Quarter,
            &Period::quarter_of(story.date).to_string(),
        );
        keyword(FacetField::Status, story.moderation.code());
        if let Some(session) = &story.session {
            keyword(FacetField::Session, session.as_str());
        }
        if let Some(round) = &story.round {
            keyword(FacetField::Round, round.as_str());
        }
        let quarter = Period::quarter_of(story.date);
        for (statement, score) in &story.scores {
            keyword(
                FacetField::Score,
                &crate::evidence::statements::score_value(statement.as_str(), quarter, *score),
            );
        }
        keyword(
            FacetField::Consent,
            match story.consent {
                Consent::Internal => "internal",
                Consent::Public => "public",
            },
        );
        document
    }
}

/// A date as the number `yyyymmdd`, which orders as dates do.
pub fn day_number(date: jiff::civil::Date) -> u64 {
    date.year() as u64 * 10_000 + date.month() as u64 * 100 + date.day() as u64
}
