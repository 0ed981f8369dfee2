//! The index schema: per analysed language a title and a text field; a field of Dutch compounds' parts;
//! a field of the tags as text; a field of every word as written (the vocabulary that suggestions and
//! `word*` are drawn from); keyword fields for every filter and facet; the story date as a number for
//! ranges and sorting.
//!
//! Keyword fields are fast fields, so facet counts read column values instead of stored documents, and
//! the story id is read the same way. No story text is stored in the index: snippets are made from
//! the text in the store, so the index never holds a second copy that could outlive an erasure.

use std::collections::HashMap;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, SchemaBuilder, TextFieldIndexing,
    TextOptions,
};

use super::analysis::{ANALYSED_LANGUAGES, AnalysedLanguage, DUTCH_PARTS_ANALYZER, WORDS_ANALYZER};

/// Bumped whenever the schema or analysis changes; an index of another version is rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 8;

/// The keyword fields a search can filter and count on, by their public name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacetField {
    Goal,
    /// Not a field of its own: an indicator filters and counts through its subgoal.
    Indicator,
    Subgoal,
    Area,
    Provider,
    Teller,
    Valence,
    Tag,
    Language,
    Year,
    Quarter,
    Status,
    Consent,
    /// The storytelling session a story was told in.
    Session,
    /// The narrative evaluation round a story was gathered into.
    Round,
    /// Statement scores, as `statement@quarter=score`, to count answers per statement and quarter.
    Score,
    /// The activity a story is about.
    Activity,
    /// The indicator a story names as the one it speaks to (not through its subgoal, as `Indicator`).
    About,
    /// Answers to the questions about the story, as `question=value` (see
    /// [`crate::questions::AnswerValue::filter_values`]): values of one question are alternatives,
    /// different questions must all match.
    Answer,
}

impl FacetField {
    /// Every facet a search can filter on.
    pub const ALL: [FacetField; 19] = [
        FacetField::Goal,
        FacetField::Indicator,
        FacetField::Subgoal,
        FacetField::Area,
        FacetField::Provider,
        FacetField::Teller,
        FacetField::Valence,
        FacetField::Tag,
        FacetField::Language,
        FacetField::Year,
        FacetField::Quarter,
        FacetField::Status,
        FacetField::Consent,
        FacetField::Session,
        FacetField::Round,
        FacetField::Score,
        FacetField::Activity,
        FacetField::About,
        FacetField::Answer,
    ];

    /// The facets that are keyword fields in the index (all but [`FacetField::Indicator`]).
    pub fn indexed() -> impl Iterator<Item = FacetField> {
        FacetField::ALL
            .into_iter()
            .filter(|field| *field != FacetField::Indicator)
    }

    pub fn name(self) -> &'static str {
        match self {
            FacetField::Goal => "goal",
            FacetField::Indicator => "indicator",
            FacetField::Subgoal => "subgoal",
            FacetField::Area => "area",
            FacetField::Provider => "provider",
            FacetField::Teller => "teller",
            FacetField::Valence => "valence",
            FacetField::Tag => "tag",
            FacetField::Language => "language",
            FacetField::Year => "year",
            FacetField::Quarter => "quarter",
            FacetField::Status => "status",
            FacetField::Consent => "consent",
            FacetField::Session => "session",
            FacetField::Round => "round",
            FacetField::Score => "score",
            FacetField::Activity => "activity",
            FacetField::About => "about",
            FacetField::Answer => "answer",
        }
    }

    /// Parses a field name as people type it in a query or on the command line (English or Dutch).
    pub fn parse(name: &str) -> Option<FacetField> {
        let name = name.trim().to_lowercase();
        let field = match name.as_str() {
            "goal" | "doel" | "hoofddoel" => FacetField::Goal,
            "subgoal" | "subdoel" => FacetField::Subgoal,
            "indicator" => FacetField::Indicator,
            "area" | "gebied" | "wijk" | "stadsdeel" => FacetField::Area,
            "provider" | "aanbieder" => FacetField::Provider,
            "teller" | "verteller" | "role" => FacetField::Teller,
            "valence" | "valentie" | "toon" => FacetField::Valence,
            "tag" | "tags" => FacetField::Tag,
            "language" | "lang" | "taal" => FacetField::Language,
            "year" | "jaar" => FacetField::Year,
            "quarter" | "kwartaal" => FacetField::Quarter,
            "status" => FacetField::Status,
            "consent" | "toestemming" => FacetField::Consent,
            "session" | "sessie" => FacetField::Session,
            "round" | "ronde" => FacetField::Round,
            "activity" | "activiteit" => FacetField::Activity,
            "about" => FacetField::About,
            "answer" | "antwoord" => FacetField::Answer,
            _ => return None,
        };
        Some(field)
    }

    /// The facets a caller asks to have counted (`facets=` in the API, `--facets` on the command
    /// line): `all` for every one (`None`), `none` or nothing for none, or a comma list of field
    /// names as [`FacetField::name`] gives them (the API's schema holds the same as a pattern). An
    /// unknown name is refused with a message naming it and the names accepted.
    pub fn wanted(list: &str) -> Result<Option<Vec<FacetField>>, String> {
        match list {
            "all" => return Ok(None),
            "" | "none" => return Ok(Some(Vec::new())),
            _ => {}
        }
        let mut wanted = Vec::new();
        for name in list.split(',') {
            let field = FacetField::ALL
                .into_iter()
                .find(|field| field.name() == name)
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        FacetField::ALL.iter().map(|field| field.name()).collect();
                    format!(
                        "facets: {name:?} is not a facet; give all, none or a comma list of {}",
                        names.join(", ")
                    )
                })?;
            if !wanted.contains(&field) {
                wanted.push(field);
            }
        }
        Ok(Some(wanted))
    }
}

/// The fields of the index schema.
#[derive(Clone)]
pub struct Fields {
    pub id: Field,
    /// Story date as `yyyymmdd`, for date ranges and sorting by date.
    pub day: Field,
    pub keywords: HashMap<FacetField, Field>,
    /// (analysed language code, title field, text field)
    pub texts: Vec<(&'static str, Field, Field)>,
    /// The parts of the Dutch compounds in a Dutch story's title and text ("buurt" and "huis" for
    /// "buurthuis"), searched with a lower weight than the words themselves.
    pub parts: Field,
    /// A story's tags as text, analysed as Dutch (the municipality's language) with their compounds'
    /// parts beside each word, searched with a low weight: "eenzaamheid" finds the stories tagged
    /// so, and "mantelzorg" those tagged "mantelzorger".
    pub tags: Field,
    /// Every word of the title, text and tags as written (lowercase, diacritics folded, not stemmed),
    /// for the vocabulary: "did you mean" suggestions and the words `buurt*` stands for. Only which
    /// documents hold a word is kept.
    pub words: Field,
}

impl Fields {
    /// The keyword field of an indexed facet.
    pub fn keyword(&self, facet: FacetField) -> Field {
        self.keywords[&facet]
    }

    /// The title and text fields for stories in an analysed language.
    pub fn text_fields(&self, language: &AnalysedLanguage) -> (Field, Field) {
        self.texts
            .iter()
            .find(|(code, ..)| *code == language.code)
            .map(|(_, title, text)| (*title, *text))
            .expect("every analysed language has fields")
    }
}

pub fn build_schema() -> (Schema, Fields) {
    let mut builder: SchemaBuilder = Schema::builder();
    let id = builder.add_text_field("id", STRING | FAST);
    let day = builder.add_u64_field("day", INDEXED | FAST);
    let keywords = FacetField::indexed()
        .map(|facet| (facet, builder.add_text_field(facet.name(), STRING | FAST)))
        .collect();
    let texts = ANALYSED_LANGUAGES
        .iter()
        .map(|language| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(&language.analyzer_name())
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            let title =
                builder.add_text_field(&format!("title_{}", language.code), options.clone());
            let text = builder.add_text_field(&format!("text_{}", language.code), options);
            (language.code, title, text)
        })
        .collect();
    let parts = builder.add_text_field(
        "parts_nl",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(DUTCH_PARTS_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    let tags = builder.add_text_field(
        "tags_text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(super::analysis::DUTCH_TAGS_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let words = builder.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_ANALYZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ),
    );
    (
        builder.build(),
        Fields {
            id,
            day,
            keywords,
            texts,
            parts,
            tags,
            words,
        },
    )
}
