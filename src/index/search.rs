//! Running a search: the parsed query, the caller's scope, filters and a date range become one tantivy
//! query; the top stories come back with highlighted snippets, and facet counts with them.
//!
//! Visibility is part of the query itself (never a filter on results afterwards), so counts, totals and
//! pages can only ever reflect what the caller may see. Facet counts are "multi-select": the counts of a
//! field with an active filter are taken as if that field were not filtered, so a reader can widen a
//! choice as well as narrow it. Snippets are made from the story text in the store and HTML-escaped
//! before the highlight marks are added.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use jiff::civil::Date;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, Term};

use super::aggregates::Kept;
use super::analysis::{
    ANALYSED_LANGUAGES, AnalysedLanguage, analyse, dutch, dutch_with_parts_analyzer,
};
use super::document::day_number;
use super::estimate::count_up_to;
use super::expand::{Expanded, corrected};
use super::facets::FacetCounter;
use super::query::{Item, ParsedQuery, parse_query};
use super::schema::FacetField;
use super::statistics::ScopedStatistics;
use super::synonyms::Expansions;
use super::{IndexError, SearchIndex};
use crate::ids::IndicatorId;
use crate::language::Language;
use crate::store::Store;
pub use crate::story::Scope;
use crate::story::render::{SafeHtml, escape_html, plain_text};
use crate::story::{Story, StoryId};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first; without search words, newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search as a caller asks it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// What the person typed, in the query language of [`super::query`].
    pub text: String,
    /// Values per field: a story matches a field when it has any of its values, and must match every field.
    pub filters: BTreeMap<FacetField, BTreeSet<String>>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub sort: SortOrder,
    /// Whether to make snippets; without, hits come with empty snippets for [`SearchIndex::highlight`].
    pub snippets: bool,
    /// Which facets to count; `None` counts them all. Counting only what a page shows saves time.
    pub facets: Option<Vec<FacetField>>,
    /// Whether the total must be exact. When not, a relevance-ordered search for words that counts
    /// no facets collects its top hits alone and counts its total exactly only up to a limit
    /// ([`SearchResults::total_exact`] says which it got).
    pub exact_total: bool,
    /// 1-based.
    pub page: usize,
    /// Stories per page; 0 in a search without words asks for the total and facet counts alone.
    pub per_page: usize,
    pub scope: Scope,
    /// Whether to help a reader who searches as people write: when no story has every word of two
    /// or more, the stories with the most of them are given instead
    /// ([`SearchResults::relaxed`]); a word no story holds is searched as its nearest words. Pages,
    /// the API and the command line search so; `false` finds exactly what was asked.
    pub lenient: bool,
    /// Whether words also find their synonyms from the bank's list (see [`super::synonyms`]).
    pub synonyms: bool,
    /// Only stories linked to no subgoal (moderation's list of stories to link, such as imported
    /// ones that came without links).
    pub unlinked: bool,
}

/// Filters with up to this many values are a union of term queries: a `TermSetQuery` builds an FST
/// of its terms for every search, which cost a fifth of an evidence page's time for a filter of one
/// or two values. Filters are never scored ([`filter_clause`]), so both find the same.
const ANY_OF_AS_UNION: usize = 32;

/// Results per page at most.
pub const MAX_PER_PAGE: usize = 100;
/// Characters in a snippet.
const SNIPPET_CHARS: usize = 220;
/// In a relaxed search, the score each matched group of words adds before relevance: far above what
/// BM25 gives one group, so stories with more of the words always come first.
const GROUP_WEIGHT: f32 = 1000.0;

impl SearchRequest {
    pub fn new(text: &str, scope: Scope) -> SearchRequest {
        SearchRequest {
            text: text.to_string(),
            filters: BTreeMap::new(),
            from: None,
            to: None,
            sort: SortOrder::Relevance,
            facets: None,
            exact_total: true,
            snippets: true,
            page: 1,
            per_page: 10,
            scope,
            lenient: false,
            synonyms: false,
            unlinked: false,
        }
    }

    /// Adds a filter value (lowercased, as keyword values are).
    pub fn filter(mut self, field: FacetField, value: &str) -> SearchRequest {
        self.filters
            .entry(field)
            .or_default()
            .insert(normalise_value(field, value));
        self
    }
}

fn normalise_value(field: FacetField, value: &str) -> String {
    match field {
        FacetField::Tag => crate::story::normalise_tag(value),
        FacetField::Quarter => value.trim().to_uppercase().replace('K', "Q"),
        _ => value.trim().to_lowercase(),
    }
}

/// One found story.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub story: Story,
    /// The relevance score, when sorted by relevance.
    pub score: Option<f32>,
    /// An excerpt with the matched words marked, safe to show as HTML.
    pub snippet: SafeHtml,
    /// The language the story was indexed in (given or detected).
    pub language: Language,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u32,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Stories that match, over all pages.
    pub total: usize,
    /// Whether `total` was counted exactly. A relevance-ordered search for words that counts no
    /// facets takes its top hits alone and counts exactly only up to a limit, beyond which `total`
    /// is an estimate (see [`super::estimate`]).
    pub total_exact: bool,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit>,
    /// Counts per field, most frequent first: the fields counted only.
    pub facets: BTreeMap<FacetField, Vec<FacetCount>>,
    /// The fields counted ([`SearchRequest::facets`]): a field counted without values among the found
    /// stories has an empty list in `facets`, one not counted is in neither.
    pub facets_counted: Vec<FacetField>,
    /// Whether no story had every word, and these are the stories with the most of them (a lenient
    /// search only): ranked by how many of the words they have, then relevance.
    pub relaxed: bool,
    /// Stories that have every word (equal to `total` unless relaxed).
    pub all_words: usize,
    /// The query with each word that no story of the caller holds replaced by the nearest word
    /// that one does: "Bedoelde u …?".
    pub suggestion: Option<String>,
    /// The words of the query that were searched as other words: typos and `word*`.
    pub expanded: Vec<Expanded>,
    /// The synonyms from the list that were also looked for, each once: taken from the list and the
    /// query alone, whatever the stories hold.
    pub synonyms_used: Vec<String>,
}

/// The words of a search: each required group as one query, the exclusions, what to mark in
/// snippets, and what the results say about them.
#[derive(Default)]
struct Words {
    groups: Vec<BoxQuery>,
    exclusions: Vec<BoxQuery>,
    highlight: Vec<BoxQuery>,
    expanded: Vec<Expanded>,
    corrections: Vec<(String, String)>,
    /// The synonyms from the list that were also looked for, each once.
    synonyms_used: Vec<String>,
}

impl Words {
    /// The clauses the words add to a query: every group required, or, with `at_least`, any
    /// `at_least` of the groups, each one matched adding [`GROUP_WEIGHT`] to the score.
    fn clauses(&self, at_least: Option<usize>) -> Vec<(Occur, BoxQuery)> {
        if self.groups.is_empty() {
            return vec![(Occur::Must, Box::new(AllQuery))];
        }
        let Some(at_least) = at_least else {
            return self
                .groups
                .iter()
                .map(|group| (Occur::Must, group.box_clone()))
                .collect();
        };
        let any: Vec<(Occur, BoxQuery)> = self
            .groups
            .iter()
            .map(|group| {
                let weighed = BooleanQuery::union(vec![
                    group.box_clone(),
                    Box::new(ConstScoreQuery::new(group.box_clone(), GROUP_WEIGHT)),
                ]);
                (Occur::Should, Box::new(weighed) as BoxQuery)
            })
            .collect();
        vec![(
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(any, at_least)),
        )]
    }
}

/// The clauses of one search, built from its request once and used by every query it runs.
struct Clauses<'s> {
    /// The request's filters with those typed in its text.
    filters: BTreeMap<FacetField, BTreeSet<String>>,
    /// The scope's relevance statistics, when the query has words.
    statistics: Option<ScopedStatistics<'s>>,
    words: Words,
    /// Exclusions, scope and dates.
    shared: Vec<(Occur, BoxQuery)>,
    filter_clauses: Vec<FilterClause>,
}

/// What the queries of a search found: the strict query's answer, or the lenient fallback's.
struct Collected {
    found: Found,
    /// Stories with every word.
    all_words: usize,
    relaxed: bool,
    page: usize,
    per_page: usize,
}

/// Whether a request counts a field's facet.
fn facet_wanted(request: &SearchRequest, field: FacetField) -> bool {
    request
        .facets
        .as_ref()
        .is_none_or(|wanted| wanted.contains(&field))
}

/// What every query of one search shares.
struct Run<'a> {
    searcher: &'a Searcher,
    /// Exclusions, scope and dates.
    shared: &'a [(Occur, BoxQuery)],
    filter_clauses: &'a [FilterClause],
    /// The scope's relevance statistics, when there are words to weigh.
    statistics: Option<&'a ScopedStatistics<'a>>,
    sort: SortOrder,
    per_page: usize,
    offset: usize,
    /// The keyword fields counted.
    counted: Vec<FacetField>,
    /// Whether the total must be exact ([`SearchRequest::exact_total`]).
    exact_total: bool,
    wanted: &'a dyn Fn(FacetField) -> bool,
}

/// One field's filter; answers have one per question, so that the values of one question are
/// alternatives while different questions must all match.
struct FilterClause {
    field: FacetField,
    /// For [`FacetField::Answer`], the question filtered on.
    question: Option<String>,
    query: BoxQuery,
}

/// The question of an answer's facet value (`question=value`).
fn question_of(value: &str) -> &str {
    value
        .split_once('=')
        .map_or(value, |(question, _)| question)
}

/// What one query of a search found.
struct Found {
    addresses: Vec<(Option<f32>, DocAddress)>,
    total: usize,
    total_exact: bool,
    counts: HashMap<FacetField, HashMap<String, u32>>,
}

impl Serialize for SafeHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

type BoxQuery = Box<dyn Query>;

fn filter_clause(query: BoxQuery) -> (Occur, BoxQuery) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

impl SearchIndex {
    pub(super) fn term(&self, facet: FacetField, value: &str) -> Term {
        Term::from_field_text(self.fields.keyword(facet), value)
    }

    fn any_of(&self, facet: FacetField, values: impl IntoIterator<Item = String>) -> BoxQuery {
        let terms: Vec<Term> = values
            .into_iter()
            .map(|value| self.term(facet, &value))
            .collect();
        match terms.len() {
            0 => Box::new(EmptyQuery),
            1..=ANY_OF_AS_UNION => {
                let mut terms: Vec<BoxQuery> = terms
                    .into_iter()
                    .map(|term| {
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as BoxQuery
                    })
                    .collect();
                if terms.len() == 1 {
                    terms.swap_remove(0)
                } else {
                    Box::new(BooleanQuery::union(terms))
                }
            }
            _ => Box::new(TermSetQuery::new(terms)),
        }
    }

    /// The query for one word or phrase: in every analysed language, its text (and title, weighted
    /// double), as a term when the language analyses it to one term, as a phrase when to several.
    pub(super) fn item_query(&self, item: &Item, titles: bool) -> Option<BoxQuery> {
        let text = item.text();
        let mut alternatives: Vec<BoxQuery> = Vec::new();
        for language in ANALYSED_LANGUAGES {
            let terms = analyse(&mut language.analyzer(), text);
            if terms.is_empty() {
                continue;
            }
            let (title_field, text_field) = self.fields.text_fields(language);
            let mut fields = vec![(text_field, 1.0)];
            if titles {
                fields.push((title_field, 2.0));
            }
            for (field, boost) in fields {
                let field_terms: Vec<Term> = terms
                    .iter()
                    .map(|term| Term::from_field_text(field, term))
                    .collect();
                let query: BoxQuery = if field_terms.len() == 1 {
                    Box::new(TermQuery::new(
                        field_terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(field_terms))
                };
                alternatives.push(if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                });
            }
        }
        (!alternatives.is_empty()).then(|| Box::new(BooleanQuery::union(alternatives)) as BoxQuery)
    }

    fn scope_clause(&self, scope: &Scope) -> Option<BoxQuery> {
        let public = || -> BoxQuery {
            Box::new(BooleanQuery::intersection(vec![
                Box::new(TermQuery::new(
                    self.term(FacetField::Status, "published"),
                    IndexRecordOption::Basic,
                )),
                Box::new(TermQuery::new(
                    self.term(FacetField::Consent, "public"),
                    IndexRecordOption::Basic,
                )),
            ]))
        };
        match scope {
            Scope::Municipality => None,
            Scope::PublicConsent => Some(Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        self.term(FacetField::Consent, "public"),
                        IndexRecordOption::Basic,
                    )) as BoxQuery,
                ),
                (
                    Occur::MustNot,
                    Box::new(TermQuery::new(
                        self.term(FacetField::Status, "rejected"),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]))),
            Scope::Public => Some(public()),
            Scope::Provider(provider) => Some(Box::new(BooleanQuery::union(vec![
                Box::new(TermQuery::new(
                    self.term(FacetField::Provider, provider.as_str()),
                    IndexRecordOption::Basic,
                )),
                public(),
            ]))),
        }
    }

    /// The filter for one field's values. Indicators filter through their subgoals.
    fn field_filter(&self, field: FacetField, values: &BTreeSet<String>) -> BoxQuery {
        if field == FacetField::Indicator {
            let context = self.context();
            let subgoals = values
                .iter()
                .filter_map(|value| IndicatorId::parse(value).ok())
                .filter_map(|id| {
                    context
                        .goals
                        .indicator(&id)
                        .map(|indicator| indicator.subgoal.to_string())
                });
            return self.any_of(FacetField::Subgoal, subgoals);
        }
        self.any_of(field, values.iter().cloned())
    }

    /// Runs a search. The store supplies the stories and their text for snippets.
    pub fn search(
        &self,
        store: &Store,
        request: &SearchRequest,
    ) -> Result<SearchResults, IndexError> {
        self.search_up_to(store, request, MAX_PER_PAGE)
    }

    /// [`Self::search`] with pages of up to `most` hits instead of [`MAX_PER_PAGE`]: for a download of
    /// every story a search finds. Three steps: the request's clauses, the queries run with them, and
    /// the results made of what those found.
    pub fn search_up_to(
        &self,
        store: &Store,
        request: &SearchRequest,
        most: usize,
    ) -> Result<SearchResults, IndexError> {
        let searcher = self.reader.searcher();
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.segment_id())
            .collect();
        self.columns.keep_only(&live);
        self.aggregates.keep_only(&live);
        self.statistics.keep_only(&live);
        let clauses = self.clauses(store, &searcher, request)?;
        let collected = self.collect(&searcher, request, &clauses, most)?;
        self.assemble(store, &searcher, request, clauses, collected)
    }

    /// The clauses of a request: its words with their alternatives, the exclusions, scope and dates
    /// every query shares, and the filters (those typed in the text with the request's own).
    fn clauses<'s>(
        &self,
        store: &Store,
        searcher: &'s Searcher,
        request: &SearchRequest,
    ) -> Result<Clauses<'s>, IndexError> {
        let parsed = parse_query(&request.text);
        let mut filters = request.filters.clone();
        for (field, value) in &parsed.filters {
            filters
                .entry(*field)
                .or_default()
                .insert(normalise_value(*field, value));
        }

        let scope_clause = self.scope_clause(&request.scope);
        // Scores, snippets, suggestions and the words `buurt*` stands for are all taken over what the
        // caller may see only; without search words nothing is weighed.
        let statistics = if parsed.required.is_empty() && parsed.excluded.is_empty() {
            None
        } else {
            Some(self.statistics.scoped(
                searcher,
                &request.scope,
                scope_clause.as_deref(),
                &self.text_fields(),
            )?)
        };
        let expansions = if request.synonyms {
            Some(self.synonyms.current(store)?)
        } else {
            None
        };
        let words = match &statistics {
            Some(statistics) => self.words(request, &parsed, statistics, expansions.as_deref())?,
            None => Words::default(),
        };
        let shared = self.shared_clauses(request, scope_clause, &words);
        let filter_clauses = self.filter_clauses(&filters);
        Ok(Clauses {
            filters,
            statistics,
            words,
            shared,
            filter_clauses,
        })
    }

    /// The words of a query: each required group the alternatives of its items, and of their
    /// synonyms when the request asks for them; and the exclusions.
    fn words(
        &self,
        request: &SearchRequest,
        parsed: &ParsedQuery,
        statistics: &ScopedStatistics,
        expansions: Option<&Expansions>,
    ) -> Result<Words, IndexError> {
        let mut words = Words::default();
        let typed: Vec<Item> = parsed.required.iter().flatten().cloned().collect();
        let mut synonyms = super::synonyms::Applied::default();
        for group in &parsed.required {
            let mut alternatives: Vec<BoxQuery> = Vec::new();
            for item in group {
                let expansion = self.expand(item, statistics, request.lenient)?;
                alternatives.extend(expansion.queries);
                words.highlight.extend(expansion.highlight);
                words.expanded.extend(expansion.expanded);
                words.corrections.extend(expansion.correction);
            }
            if alternatives.is_empty() {
                continue;
            }
            if let Some(expansions) = expansions {
                alternatives.extend(self.synonym_queries(group, &typed, expansions, &mut synonyms));
            }
            words
                .groups
                .push(Box::new(BooleanQuery::union(alternatives)));
        }
        words.highlight.append(&mut synonyms.highlight);
        words.synonyms_used = synonyms.used;
        for item in &parsed.excluded {
            words.exclusions.extend(self.exclusion(item, statistics)?);
        }
        Ok(words)
    }

    /// Exclusions, scope and dates: the part of the query every count shares besides the words.
    fn shared_clauses(
        &self,
        request: &SearchRequest,
        scope_clause: Option<BoxQuery>,
        words: &Words,
    ) -> Vec<(Occur, BoxQuery)> {
        let mut shared: Vec<(Occur, BoxQuery)> = words
            .exclusions
            .iter()
            .map(|query| (Occur::MustNot, query.box_clone()))
            .collect();
        if let Some(scope) = scope_clause {
            shared.push(filter_clause(scope));
        }
        if request.from.is_some() || request.to.is_some() {
            let bound = |date: Option<Date>| match date {
                Some(date) => {
                    Bound::Included(Term::from_field_u64(self.fields.day, day_number(date)))
                }
                None => Bound::Unbounded,
            };
            shared.push(filter_clause(Box::new(RangeQuery::new(
                bound(request.from),
                bound(request.to),
            ))));
        }
        if request.unlinked {
            shared.push((
                Occur::MustNot,
                Box::new(ExistsQuery::new(
                    FacetField::Subgoal.name().to_string(),
                    false,
                )),
            ));
        }
        shared
    }

    /// One clause per filtered field; an answer's values one per question.
    fn filter_clauses(
        &self,
        filters: &BTreeMap<FacetField, BTreeSet<String>>,
    ) -> Vec<FilterClause> {
        let mut filter_clauses: Vec<FilterClause> = Vec::new();
        for (field, values) in filters.iter().filter(|(_, values)| !values.is_empty()) {
            if *field == FacetField::Answer {
                let mut by_question: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                for value in values {
                    by_question
                        .entry(question_of(value))
                        .or_default()
                        .push(value.clone());
                }
                for (question, values) in by_question {
                    filter_clauses.push(FilterClause {
                        field: *field,
                        question: Some(question.to_string()),
                        query: self.any_of(*field, values),
                    });
                }
            } else {
                filter_clauses.push(FilterClause {
                    field: *field,
                    question: None,
                    query: self.field_filter(*field, values),
                });
            }
        }
        filter_clauses
    }

    /// Runs the request's page with its clauses: with every word, and for a lenient search where no
    /// story has them all, with the most words some story has.
    fn collect(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        clauses: &Clauses,
        most: usize,
    ) -> Result<Collected, IndexError> {
        let words = &clauses.words;
        let has_text = !words.groups.is_empty();
        // A search without words may ask for its counts alone: no story is looked for.
        let per_page = if request.per_page == 0 && !has_text {
            0
        } else {
            request.per_page.clamp(1, most.max(1))
        };
        let page = request.page.max(1);
        let sort = match (request.sort, has_text) {
            (SortOrder::Relevance, false) => SortOrder::Newest,
            (sort, _) => sort,
        };
        let wanted = |field: FacetField| facet_wanted(request, field);
        let run = Run {
            searcher,
            shared: &clauses.shared,
            filter_clauses: &clauses.filter_clauses,
            statistics: clauses.statistics.as_ref().filter(|_| has_text),
            sort,
            per_page,
            offset: (page - 1) * per_page,
            exact_total: request.exact_total,
            counted: FacetField::indexed()
                .filter(|field| {
                    wanted(*field)
                        || (*field == FacetField::Subgoal && wanted(FacetField::Indicator))
                })
                .collect(),
            wanted: &wanted,
        };
        let strict = self.run(&run, &words.clauses(None))?;
        let all_words = strict.total;
        let mut found = strict;
        let mut relaxed = false;
        if request.lenient && all_words == 0 {
            // The stories with the most of the words: the largest number of groups some story
            // has. Stories with fewer do not come, so a page is not filled with stories that
            // share one common word with a long question. Only when nothing has every word: a
            // story that has them all is an answer, and padding it with partial matches costs
            // precision (measured on the retrieval fixture: titles 0.984 against 0.898).
            for at_least in (1..words.groups.len()).rev() {
                let wider = self.run(&run, &words.clauses(Some(at_least)))?;
                if wider.total > 0 {
                    found = wider;
                    relaxed = true;
                    break;
                }
            }
        }
        Ok(Collected {
            found,
            all_words,
            relaxed,
            page,
            per_page,
        })
    }

    /// The results of what was collected: facet counts most frequent first (selected values
    /// marked), the hits read from the store with their snippets, and what the words were
    /// searched as.
    fn assemble(
        &self,
        store: &Store,
        searcher: &Searcher,
        request: &SearchRequest,
        clauses: Clauses,
        collected: Collected,
    ) -> Result<SearchResults, IndexError> {
        let Clauses {
            filters,
            statistics,
            words,
            ..
        } = clauses;
        let Collected {
            found,
            all_words,
            relaxed,
            page,
            per_page,
        } = collected;
        let facets: BTreeMap<FacetField, Vec<FacetCount>> = found
            .counts
            .into_iter()
            .filter(|(field, _)| facet_wanted(request, *field))
            .map(|(field, values)| {
                let selected = filters.get(&field);
                let mut list: Vec<FacetCount> = values
                    .into_iter()
                    .map(|(value, count)| FacetCount {
                        selected: selected.is_some_and(|selected| selected.contains(&value)),
                        value,
                        count,
                    })
                    .collect();
                list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                (field, list)
            })
            .collect();

        let facets_counted = facets.keys().copied().collect();
        let mut hits = self.hits(store, searcher, &found.addresses)?;
        if request.snippets {
            self.mark(searcher, &words.highlight, statistics.as_ref(), &mut hits)?;
        }
        Ok(SearchResults {
            total: found.total,
            total_exact: found.total_exact,
            page,
            per_page,
            hits,
            facets,
            facets_counted,
            relaxed,
            all_words,
            suggestion: corrected(&request.text, &words.corrections),
            expanded: words.expanded,
            synonyms_used: words.synonyms_used,
        })
    }

    /// Runs one query of a search (the words' `clauses` with the shared ones and the filters): the
    /// page of hits, the total and the facet counts.
    fn run(&self, run: &Run, clauses: &[(Occur, BoxQuery)]) -> Result<Found, IndexError> {
        let searcher = run.searcher;
        let query_without = |left_out: Option<usize>| -> BooleanQuery {
            let mut all: Vec<(Occur, BoxQuery)> = clauses
                .iter()
                .chain(run.shared)
                .map(|(occur, query)| (*occur, query.box_clone()))
                .collect();
            for (index, clause) in run.filter_clauses.iter().enumerate() {
                if Some(index) != left_out {
                    all.push(filter_clause(clause.query.box_clone()));
                }
            }
            BooleanQuery::new(all)
        };
        let query = query_without(None);
        if let (SortOrder::Relevance, Some(statistics), false, true) = (
            run.sort,
            run.statistics,
            run.exact_total,
            run.counted.is_empty(),
        ) {
            return self.top_only(run, &query, statistics);
        }
        // Without words nothing is weighed, and what a query finds in a segment can be kept; a search
        // with words does not write its query out for a key it would not use.
        let aggregate_key = |key: &dyn Fn() -> String| run.statistics.is_none().then(key);
        let counter = FacetCounter {
            fields: run.counted.iter().map(|f| f.name()).collect(),
            cache: &self.columns,
        };
        let top = TopDocs::with_limit(run.per_page.max(1)).and_offset(run.offset);
        let (addresses, total, tally): (Vec<(Option<f32>, DocAddress)>, usize, _) = match run.sort {
            SortOrder::Relevance => {
                let collector = (top.order_by_score(), Count, counter);
                let (docs, total, tally) = match run.statistics {
                    Some(statistics) => {
                        searcher.search_with_statistics_provider(&query, &collector, statistics)?
                    }
                    None => searcher.search(&query, &collector)?,
                };
                (
                    docs.into_iter()
                        .map(|(score, address)| (Some(score), address))
                        .collect(),
                    total,
                    tally,
                )
            }
            SortOrder::Newest | SortOrder::Oldest => {
                let order = if run.sort == SortOrder::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let top = top.order_by_fast_field::<u64>("day", order);
                let (docs, total, tally) =
                    match aggregate_key(&|| format!("{query:?} {:?}", run.counted)) {
                        // Only the page of stories is looked for; the counts are kept per segment.
                        Some(key) => {
                            let docs = if run.per_page == 0 {
                                Vec::new()
                            } else {
                                searcher.search(&query, &top)?
                            };
                            let kept = self.kept((Count, counter), Some(key));
                            let (total, tally) = searcher.search(&query, &kept)?;
                            (docs, total, tally)
                        }
                        None => searcher.search(&query, &(top, Count, counter))?,
                    };
                (
                    docs.into_iter()
                        .map(|(_, address)| (None, address))
                        .collect(),
                    total,
                    tally,
                )
            }
        };

        let mut counts: HashMap<FacetField, HashMap<String, u32>> =
            run.counted.iter().copied().zip(tally).collect();
        // A filtered field is counted without its own filter, so its other values keep their counts
        // (an answer's question without its own filter, the other questions' filters kept).
        for (index, clause) in run
            .filter_clauses
            .iter()
            .enumerate()
            .filter(|(_, clause)| (run.wanted)(clause.field))
        {
            let field = clause.field;
            let counted_field = if field == FacetField::Indicator {
                FacetField::Subgoal
            } else {
                field
            };
            let counter = FacetCounter {
                fields: vec![counted_field.name()],
                cache: &self.columns,
            };
            let query = query_without(Some(index));
            let key = aggregate_key(&|| format!("{query:?} {counted_field:?}"));
            let mut tally = searcher.search(&query, &self.kept(counter, key))?;
            let values = tally.pop().unwrap_or_default();
            if field == FacetField::Indicator {
                counts.insert(FacetField::Indicator, self.indicator_counts(&values));
            } else if let Some(question) = &clause.question {
                let answers = counts.entry(field).or_default();
                answers.retain(|value, _| question_of(value) != question);
                answers.extend(
                    values
                        .into_iter()
                        .filter(|(value, _)| question_of(value) == question),
                );
            } else {
                counts.insert(field, values);
            }
        }
        if (run.wanted)(FacetField::Indicator) && !counts.contains_key(&FacetField::Indicator) {
            let by_subgoal = counts
                .get(&FacetField::Subgoal)
                .cloned()
                .unwrap_or_default();
            counts.insert(FacetField::Indicator, self.indicator_counts(&by_subgoal));
        }
        Ok(Found {
            addresses,
            total,
            total_exact: true,
            counts,
        })
    }

    /// `collector`, its answer per segment kept under `key` when there is one ([`super::aggregates`]).
    fn kept<C>(&self, collector: C, key: Option<String>) -> Kept<'_, C> {
        Kept {
            inner: collector,
            cache: &self.aggregates,
            key,
        }
    }

    /// A page of hits by relevance with nothing counted but the total: the top hits collected alone,
    /// so no match is visited for counting, and the total counted apart, exactly up to a limit.
    fn top_only(
        &self,
        run: &Run,
        query: &BooleanQuery,
        statistics: &ScopedStatistics,
    ) -> Result<Found, IndexError> {
        let top = TopDocs::with_limit(run.per_page)
            .and_offset(run.offset)
            .order_by_score();
        let docs = run
            .searcher
            .search_with_statistics_provider(query, &top, statistics)?;
        let total = count_up_to(run.searcher, query, self.total_limit.get())?;
        Ok(Found {
            addresses: docs
                .into_iter()
                .map(|(score, address)| (Some(score), address))
                .collect(),
            total: total.count,
            total_exact: total.exact,
            counts: HashMap::new(),
        })
    }

    /// Indicator counts from subgoal counts: an indicator counts the stories of its subgoal.
    fn indicator_counts(&self, by_subgoal: &HashMap<String, u32>) -> HashMap<String, u32> {
        let context = self.context();
        context
            .goals
            .indicators
            .iter()
            .filter_map(|indicator| {
                by_subgoal
                    .get(indicator.subgoal.as_str())
                    .map(|count| (indicator.id.to_string(), *count))
            })
            .collect()
    }

    fn hits(
        &self,
        store: &Store,
        searcher: &Searcher,
        addresses: &[(Option<f32>, DocAddress)],
    ) -> Result<Vec<Hit>, IndexError> {
        let mut hits = Vec::with_capacity(addresses.len());
        // Opening a column costs more than reading a value, so each segment's columns are opened once.
        let mut columns: HashMap<u32, (Option<StrColumn>, Option<StrColumn>)> = HashMap::new();
        for (score, address) in addresses {
            let (ids, languages) = columns.entry(address.segment_ord).or_insert_with(|| {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                (
                    fast.str("id").ok().flatten(),
                    fast.str(FacetField::Language.name()).ok().flatten(),
                )
            });
            let Some(id) =
                keyword_value(ids.as_ref(), address.doc_id).and_then(|id| StoryId::parse(&id).ok())
            else {
                continue;
            };
            // The store decides: a story erased a moment ago is not shown, even if the index still has it.
            let Some(story) = store.get_story(id)? else {
                continue;
            };
            let language = keyword_value(languages.as_ref(), address.doc_id)
                .and_then(|code| Language::parse(&code).ok())
                .unwrap_or_else(Language::dutch);
            hits.push(Hit {
                snippet: SafeHtml::escape(""),
                score: *score,
                story,
                language,
            });
        }
        Ok(hits)
    }

    /// Every field searched with relevance (titles, texts, compound parts, tags), whose lengths
    /// relevance statistics add up.
    fn text_fields(&self) -> Vec<Field> {
        self.fields
            .texts
            .iter()
            .flat_map(|(_, title, text)| [*title, *text])
            .chain([self.fields.parts, self.fields.tags])
            .collect()
    }

    /// Gives each hit its snippet: the excerpt where the `highlight` terms occur most, marked, or else
    /// the story's opening lines. Rarer words weigh more in choosing the excerpt, rarity counted over
    /// the caller's `statistics` (there are none when nothing is highlighted).
    fn mark(
        &self,
        searcher: &Searcher,
        highlight: &[BoxQuery],
        statistics: Option<&ScopedStatistics>,
        hits: &mut [Hit],
    ) -> Result<(), IndexError> {
        let highlight_query =
            BooleanQuery::union(highlight.iter().map(|query| query.box_clone()).collect());
        let mut generators: HashMap<&'static str, SnippetGenerator> = HashMap::new();
        for hit in hits {
            let plain = plain_text(&hit.story.text);
            let mut marked = None;
            if let (false, Some(statistics)) = (highlight.is_empty(), statistics) {
                let analysed = AnalysedLanguage::for_language(&hit.language);
                let generator = match generators.entry(analysed.code) {
                    std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                    std::collections::hash_map::Entry::Vacant(entry) => {
                        let (_, text_field) = self.fields.text_fields(analysed);
                        // Dutch text is read with its compounds' parts too, so "buurt" marks
                        // "buurthuis" where the story only has the compound.
                        let (fields, tokenizer) = if analysed.code == dutch().code {
                            (
                                vec![text_field, self.fields.parts],
                                dutch_with_parts_analyzer(),
                            )
                        } else {
                            (
                                vec![text_field],
                                searcher.index().tokenizer_for_field(text_field)?,
                            )
                        };
                        entry.insert(SnippetGenerator::new(
                            snippet_weights(&highlight_query, &fields, statistics)?,
                            tokenizer,
                            text_field,
                            SNIPPET_CHARS,
                        ))
                    }
                };
                let snippet = generator.snippet(&plain);
                if !snippet.is_empty() {
                    let range = snippet.fragment_range();
                    let html = highlighted_html(snippet.fragment(), snippet.highlighted());
                    // Show that the excerpt is taken from the middle of the text.
                    let before = if range.start > 0 { "… " } else { "" };
                    let after = if range.end < plain.trim_end().len() {
                        " …"
                    } else {
                        ""
                    };
                    marked = Some(SafeHtml::from_escaped(format!(
                        "{before}{}{after}",
                        html.as_str()
                    )));
                }
            }
            hit.snippet =
                marked.unwrap_or_else(|| SafeHtml::escape(&opening(&plain, SNIPPET_CHARS)));
        }
        Ok(())
    }

    /// Makes the snippets of hits found with `snippets: false`, marking `words` (in the query language):
    /// for pages that choose a few stories first and only then need their excerpts. `scope` is the
    /// scope the hits were found in, whose statistics weigh the words.
    pub fn highlight(
        &self,
        hits: &mut [Hit],
        words: &str,
        scope: &Scope,
    ) -> Result<(), IndexError> {
        let parsed = parse_query(words);
        let searcher = self.reader.searcher();
        if !parsed.has_text() {
            return self.mark(&searcher, &[], None, hits);
        }
        let scope_clause = self.scope_clause(scope);
        let statistics = self.statistics.scoped(
            &searcher,
            scope,
            scope_clause.as_deref(),
            &self.text_fields(),
        )?;
        let mut queries: Vec<BoxQuery> = Vec::new();
        for item in parsed.required.iter().flatten() {
            queries.extend(self.expand(item, &statistics, false)?.highlight);
        }
        self.mark(&searcher, &queries, Some(&statistics), hits)
    }
}

/// The weight of each of `query`'s words in `fields` for choosing a snippet, as tantivy's own snippet
/// generator weighs them (the rarer, the heavier; words no document holds are left out) but with the
/// documents counted over the caller's scope only. A word in two fields (a word and a compound's
/// part) weighs as its heavier.
fn snippet_weights(
    query: &dyn Query,
    fields: &[Field],
    statistics: &ScopedStatistics,
) -> Result<BTreeMap<String, f32>, IndexError> {
    let mut terms: BTreeSet<&Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if fields.contains(&term.field()) {
            terms.insert(term);
        }
    });
    let mut weights = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let documents = statistics.visible_doc_freq(term)?;
        if documents > 0 {
            let weight = 1.0 / (1.0 + documents as f32);
            let known = weights.entry(text.to_string()).or_insert(weight);
            *known = known.max(weight);
        }
    }
    Ok(weights)
}

/// The id of the story a document of `searcher` holds.
pub(super) fn story_id_at(searcher: &tantivy::Searcher, address: DocAddress) -> Option<StoryId> {
    let column = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .str("id")
        .ok()
        .flatten();
    keyword_value(column.as_ref(), address.doc_id).and_then(|id| StoryId::parse(&id).ok())
}

/// The first value of a keyword column for a document.
pub(super) fn keyword_value(column: Option<&StrColumn>, doc: tantivy::DocId) -> Option<String> {
    let column = column?;
    let ord = column.term_ords(doc).next()?;
    let mut value = String::new();
    column.ord_to_str(ord, &mut value).ok()?.then_some(value)
}

/// The fragment with each highlighted range in `<mark>`, every piece escaped first.
fn highlighted_html(fragment: &str, ranges: &[std::ops::Range<usize>]) -> SafeHtml {
    let mut html = String::with_capacity(fragment.len() + ranges.len() * 13);
    let mut position = 0;
    for range in ranges {
        if range.start < position || range.end > fragment.len() {
            continue;
        }
        html.push_str(&escape_html(&fragment[position..range.start]));
        html.push_str("<mark>");
        html.push_str(&escape_html(&fragment[range.clone()]));
        html.push_str("</mark>");
        position = range.end;
    }
    html.push_str(&escape_html(&fragment[position..]));
    SafeHtml::from_escaped(html)
}

/// The first `max` characters of a text, cut at a word, with an ellipsis when cut.
pub fn opening(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_added_after_escaping() {
        let html = highlighted_html("<b>buurt</b> & meer", &[3..8, 20..30]);
        assert_eq!(
            html.as_str(),
            "&lt;b&gt;<mark>buurt</mark>&lt;/b&gt; &amp; meer"
        );
    }

    #[test]
    fn openings_cut_at_a_word() {
        assert_eq!(opening("een twee drie", 100), "een twee drie");
        assert_eq!(opening("een twee drie", 9), "een twee …");
    }
}
