//! Candidates for near-duplicates: the stories whose words are most like a text's, found with
//! tantivy's "more like this" query over the field of every word as written (not stemmed, so a
//! resend's exact words weigh most). The bank then measures how alike each candidate really is
//! ([`crate::duplicates`]); this only keeps that to a handful of stories however large the bank is.

use tantivy::collector::TopDocs;
use tantivy::query::MoreLikeThisQuery;
use tantivy::schema::OwnedValue;

use super::search::story_id_at;
use super::{IndexError, SearchIndex};
use crate::story::StoryId;

/// Words weighed per query: enough to tell a story apart, few enough to stay a quick look-up.
const QUERY_WORDS: usize = 40;

/// A word in more than one story in this many is left out of the query: it tells stories little
/// apart, and its long list of stories is what a look-up in a large bank spends its time on.
const COMMON_ONE_IN: u64 = 10;

/// ... but never below this many stories, so a small bank keeps its words.
const COMMON_AT_LEAST: u64 = 50;

impl SearchIndex {
    /// Up to `limit` stories whose words are most like `title` and `text`, most alike first.
    pub fn similar_to(
        &self,
        title: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<StoryId>, IndexError> {
        let searcher = self.reader.searcher();
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_min_word_length(2)
            .with_max_query_terms(QUERY_WORDS)
            .with_max_doc_frequency((searcher.num_docs() / COMMON_ONE_IN).max(COMMON_AT_LEAST))
            .with_document_fields(vec![(
                self.fields.words,
                vec![OwnedValue::from(format!("{title}\n{text}"))],
            )]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(top
            .into_iter()
            .filter_map(|(_, address)| story_id_at(&searcher, address))
            .collect())
    }
}
