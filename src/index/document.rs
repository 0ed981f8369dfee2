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
    /// Whether documents derived with `other` equal those derived with this context, for every story
    /// that can exist now: no subgoal moved to another goal, no area to another parent, the default
    /// language stayed. Renaming, retiring or adding items keeps them equal, so such edits need no
    /// rebuild of the index.
    pub fn derives_same_as(&self, other: &DocumentContext) -> bool {
        self.municipality.default_language == other.municipality.default_language
            && self.goals.subgoals.iter().all(|subgoal| {
                other.goals.subgoal(&subgoal.id).map(|s| &s.goal) == Some(&subgoal.goal)
            })
            && self.municipality.areas.iter().all(|area| {
                other.municipality.area(&area.id).is_some()
                    && other.municipality.area_and_ancestors(&area.id)
                        == self.municipality.area_and_ancestors(&area.id)
            })
    }

    /// A number for what documents are derived with (subgoals' goals, areas' parents, the default
    /// language), stored with every commit so an index opened after a change elsewhere knows to rebuild.
    pub fn fingerprint(&self) -> u64 {
        let mut lines: Vec<String> = self
            .goals
            .subgoals
            .iter()
            .map(|subgoal| format!("subgoal {} {}", subgoal.id, subgoal.goal))
            .chain(self.municipality.areas.iter().map(|area| {
                let chain = self.municipality.area_and_ancestors(&area.id);
                let chain: Vec<&str> = chain.iter().map(|id| id.as_str()).collect();
                format!("area {}", chain.join(" "))
            }))
            .collect();
        lines.sort_unstable();
        lines.push(format!(
            "language {}",
            self.municipality.default_language.code()
        ));
        // FNV-1a: small, and stable across builds (the number is stored in the index).
        lines
            .join("\n")
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            })
    }

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
        if analysed.code == super::analysis::dutch().code {
            document.add_text(fields.parts, &story.title);
            document.add_text(fields.parts, &plain);
        }
        for tag in &story.tags {
            document.add_text(fields.tags, tag);
            document.add_text(fields.words, tag);
        }
        document.add_text(fields.words, &story.title);
        document.add_text(fields.words, &plain);

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
        if let Some(activity) = &story.activity {
            keyword(FacetField::Activity, activity.as_str());
        }
        if let Some(indicator) = &story.indicator {
            keyword(FacetField::About, indicator.as_str());
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
        for (question, answer) in story.answers.iter() {
            for value in answer.value.filter_values() {
                keyword(
                    FacetField::Answer,
                    &crate::questions::filter_value(question.as_str(), &value),
                );
            }
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
