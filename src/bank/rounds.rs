//! The bank's part for narrative evaluation rounds: the stories gathered into a round, the patterns in
//! them (counts that lead to the stories behind them), the stories that may still be gathered, and
//! gathering them.

use std::collections::HashMap;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer,
};

use super::{Bank, Change, Refused};
use crate::ids::{AreaId, RoundId, SubgoalId};
use crate::index::analysis::{analyse, dutch};
use crate::index::search::MAX_PER_PAGE;
use crate::index::{FacetField, Scope, SearchRequest, SearchResults, SortOrder};
use crate::rounds::Round;
use crate::rounds::analysis::{Matrix, subgoal_tags, valence_by_area};
use crate::rounds::themes::{self, Themes, Words};
use crate::store::{StoreError, Versioned};
use crate::story::{Story, StoryId, Valence};

/// Tags shown as columns of the subgoal × tag matrix.
const MATRIX_TAGS: usize = 8;

/// A round with its stories and the patterns in them.
pub struct RoundAnalysis {
    pub round: Round,
    /// The stories gathered into the round, newest first.
    pub stories: Vec<Story>,
    /// The stadsdeel (top-level area) of each story, as the valence × area matrix counts it.
    stadsdelen: HashMap<StoryId, Option<AreaId>>,
    pub subgoal_tags: Matrix<SubgoalId, String>,
    /// Rows are stadsdelen (top-level areas); `None` holds stories without an area.
    pub valence_area: Matrix<Option<AreaId>, Valence>,
    /// The stories grouped into themes: the round's kept themes once an analyst edited them.
    pub themes: Themes,
}

/// Which cell of a matrix a reader opened, to list the stories behind it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub subgoal: Option<SubgoalId>,
    pub tag: Option<String>,
    /// `Some(None)` is the row of stories without an area.
    pub area: Option<Option<AreaId>>,
    pub valence: Option<Valence>,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self == &Cell::default()
    }
}

impl RoundAnalysis {
    /// The stories behind a cell: those matching every part of it.
    pub fn stories_in(&self, cell: &Cell) -> Vec<&Story> {
        self.stories
            .iter()
            .filter(|story| {
                cell.subgoal
                    .as_ref()
                    .is_none_or(|s| story.subgoals.contains(s))
                    && cell.tag.as_ref().is_none_or(|t| story.tags.contains(t))
                    && cell.valence.is_none_or(|v| story.valence == v)
                    && cell
                        .area
                        .as_ref()
                        .is_none_or(|a| &self.stadsdelen[&story.id] == a)
            })
            .collect()
    }
}

impl Bank {
    /// The stories gathered into a round that `scope` may see, newest first.
    pub fn round_stories(&self, round: &RoundId, scope: &Scope) -> anyhow::Result<Vec<Story>> {
        let mut request =
            SearchRequest::new("", scope.clone()).filter(FacetField::Round, round.as_str());
        request.sort = SortOrder::Newest;
        self.all_stories(request)
    }

    /// How many stories `scope` may see in a round.
    pub fn round_story_count(&self, round: &RoundId, scope: &Scope) -> anyhow::Result<usize> {
        let mut request =
            SearchRequest::new("", scope.clone()).filter(FacetField::Round, round.as_str());
        request.per_page = 1;
        request.snippets = false;
        request.facets = Some(Vec::new());
        Ok(self.index.search(&self.store, &request)?.total)
    }

    /// A round, its stories and the patterns in them; `scope` decides which stories count.
    pub fn round_analysis(
        &self,
        id: &RoundId,
        scope: &Scope,
    ) -> anyhow::Result<Option<RoundAnalysis>> {
        let Some(round) = self.store.round(id)? else {
            return Ok(None);
        };
        let settings = self.settings()?;
        let stories = self.round_stories(&round.id, scope)?;
        let stadsdelen: HashMap<StoryId, Option<AreaId>> = stories
            .iter()
            .map(|story| {
                let stadsdeel = story.area.as_ref().and_then(|area| {
                    settings
                        .municipality
                        .area_and_ancestors(area)
                        .last()
                        .cloned()
                });
                (story.id, stadsdeel)
            })
            .collect();
        let refs: Vec<&Story> = stories.iter().collect();
        let subgoal_tags = subgoal_tags(&refs, &round.subgoals, MATRIX_TAGS);
        let valence_area = valence_by_area(&refs, |story| stadsdelen[&story.id].clone());
        let themes = round_themes(&round, &stories, &settings);
        Ok(Some(RoundAnalysis {
            round,
            stories,
            stadsdelen,
            subgoal_tags,
            valence_area,
            themes,
        }))
    }

    /// Stories in the bank that fit the round (period, areas, providers, subgoals) and are in no round
    /// yet, matching `query` as the search page does (with its words' synonyms when `synonyms`); at
    /// most one page, as search results whose hits are those candidates, so the page can say how it
    /// searched.
    pub fn round_candidates(
        &self,
        round: &Round,
        query: &str,
        synonyms: bool,
    ) -> anyhow::Result<SearchResults> {
        let mut request = SearchRequest::new(query, Scope::Municipality);
        request.synonyms = synonyms;
        request.lenient = true;
        request.from = Some(round.from);
        request.to = Some(round.to);
        for area in &round.areas {
            request = request.filter(FacetField::Area, area.as_str());
        }
        for provider in &round.providers {
            request = request.filter(FacetField::Provider, provider.as_str());
        }
        for subgoal in &round.subgoals {
            request = request.filter(FacetField::Subgoal, subgoal.as_str());
        }
        request.per_page = MAX_PER_PAGE;
        request.facets = Some(Vec::new());
        if query.trim().is_empty() {
            request.sort = SortOrder::Newest;
        }
        let mut results = self.index.search(&self.store, &request)?;
        results.hits.retain(|hit| hit.story.round.is_none());
        Ok(results)
    }

    pub fn round(&self, id: &RoundId) -> anyhow::Result<Option<Round>> {
        Ok(self.store.round(id)?)
    }

    /// Every round, newest period first.
    pub fn rounds(&self) -> anyhow::Result<Vec<Round>> {
        Ok(self.store.rounds()?)
    }

    /// The round whose short link has this code.
    pub fn round_by_code(&self, code: &str) -> anyhow::Result<Option<Round>> {
        Ok(self.store.round_by_code(code)?)
    }

    /// Stores a round just begun, durably.
    pub fn add_round(&self, round: &Round) -> anyhow::Result<()> {
        Ok(self.store.put_round(round)?)
    }

    /// A round with its version, which a change names when it is saved.
    pub fn round_versioned(&self, id: &RoundId) -> anyhow::Result<Option<Versioned<Round>>> {
        Ok(self.store.round_versioned(id)?)
    }

    /// Changes a round with `change` in one step that reads, checks and writes it: refused with
    /// [`Refused::Changed`] when someone else changed it after version `read_at`, the version the
    /// change was made from. Returns the new version.
    pub fn change_round(
        &self,
        id: &RoundId,
        read_at: u64,
        change: impl FnOnce(&mut Round),
    ) -> anyhow::Result<Change<u64>> {
        let outcome = Refused::of_update(self.store.update_round(id, read_at, change)?);
        if outcome.is_ok() {
            tracing::info!(round = %id, "round changed");
        }
        Ok(outcome)
    }

    /// Takes a story about to be erased out of every round's kept themes, each round read and written
    /// in one step (a write by someone else in between makes it read again). Done before the erasure,
    /// so the rewrite that follows it leaves no round record holding the id.
    pub(super) fn forget_in_round_themes(&self, story: StoryId) -> anyhow::Result<()> {
        for round in self.store.rounds()? {
            if !round.themes.iter().any(|t| t.stories.contains(&story)) {
                continue;
            }
            while let Some(Versioned { version, .. }) = self.store.round_versioned(&round.id)? {
                let update = self.store.update_round(&round.id, version, |round| {
                    round.forget_in_themes(&story);
                })?;
                if !matches!(update, crate::store::Update::Stale) {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Gathers stories into a round (a story belongs to one round at most; one already in another round
    /// stays there), and waits (a moment at most) until the index has them, so the round's page shows
    /// them at once. Returns how many were added.
    pub fn gather_into_round(&self, round: &RoundId, stories: &[StoryId]) -> anyhow::Result<usize> {
        let mut added = 0;
        let mut last = 0;
        for id in stories {
            // Read and written as one step: a write by someone else in between makes it read again.
            while let Some(Versioned {
                item: mut story,
                version,
            }) = self.store.get_story_versioned(*id)?
                && story.round.is_none()
            {
                story.round = Some(round.clone());
                match self.store.put_story_checked(&story, version) {
                    Ok(seq) => {
                        last = seq;
                        added += 1;
                        break;
                    }
                    Err(StoreError::Changed(_)) => continue,
                    // Erased since it was read: it stays erased and is not gathered.
                    Err(StoreError::Erased(_)) => break,
                    Err(error) => return Err(error.into()),
                }
            }
        }
        tracing::info!(round = %round, added, "stories gathered into a round");
        // The round's page, shown next, finds its stories through the index. The stories are stored
        // either way; a slow index only delays them there, which the operator should hear of.
        if !self
            .index
            .wait_until_indexed(last, std::time::Duration::from_secs(2))
        {
            tracing::warn!(round = %round, added, "gathered stories not yet searchable after 2 s: the round's page shows them once the index catches up");
        }
        Ok(added)
    }
}

/// The round's themes among `stories`: its kept themes once an analyst edited them, computed from the
/// stories' words otherwise. A story's words are its tags (each counted twice: the teller or staff
/// chose them) and the Dutch words of its title and text, or of its Dutch translation when it was told
/// in another language; a story in another language without a translation brings its tags only.
pub fn round_themes(round: &Round, stories: &[Story], settings: &super::Settings) -> Themes {
    let mut counter = WordCounter::new();
    let detector = crate::language::LanguageDetector::default();
    let words: Vec<(StoryId, Words)> = stories
        .iter()
        .map(|story| {
            let mut words: Words = story
                .tags
                .iter()
                .flat_map(|tag| {
                    let pair = (format!("#{}", tag.to_lowercase()), tag.clone());
                    [pair.clone(), pair]
                })
                .collect();
            let plain = crate::story::render::plain_text(&story.text);
            let language = story.language_or_detect(
                &plain,
                &detector,
                &settings.municipality.default_language,
            );
            if language.code() == "nl" {
                words.extend(counter.theme_words(&format!("{}\n{plain}", story.title)));
            } else if let Some(translation) = &story.translation {
                words.extend(counter.theme_words(translation));
            }
            (story.id, words)
        })
        .collect();
    if round.themes.is_empty() {
        themes::themes(&words)
    } else {
        themes::kept_themes(&words, &round.themes)
    }
}

/// Splits text into words for the themes: lowercased, Dutch stop words left out, keyed by their Dutch
/// stem (the search index's Dutch analysis) so inflections count together.
pub(super) struct WordCounter {
    words: TextAnalyzer,
    stems: TextAnalyzer,
}

impl WordCounter {
    pub(super) fn new() -> WordCounter {
        let mut builder = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .dynamic();
        if let Some(stop) = StopWordFilter::new(tantivy::tokenizer::Language::Dutch) {
            builder = builder.filter_dynamic(stop);
        }
        WordCounter {
            words: builder.build(),
            stems: dutch().analyzer(),
        }
    }

    /// The words for the themes: [`WordCounter::words`] without [`THEME_STOP_WORDS`].
    fn theme_words(&mut self, text: &str) -> Vec<(String, String)> {
        let mut words = self.words(text);
        words.retain(|(_, word)| !THEME_STOP_WORDS.contains(&word.as_str()));
        words
    }

    pub(super) fn words(&mut self, text: &str) -> Vec<(String, String)> {
        analyse(&mut self.words, text)
            .into_iter()
            .filter(|word| word.chars().count() > 3 && !word.chars().any(|c| c.is_ascii_digit()))
            .filter(|word| !EXTRA_STOP_WORDS.contains(&word.as_str()))
            .filter_map(|word| {
                let stem = analyse(&mut self.stems, &word).into_iter().next()?;
                Some((stem, word))
            })
            .collect()
    }
}

/// Everyday words that say little about a theme, beyond Snowball's Dutch stop words.
const EXTRA_STOP_WORDS: &[&str] = &[
    "heel", "echt", "gewoon", "even", "weer", "gaat", "gaan", "ging", "kwam", "komt", "komen",
    "zegt", "zeggen", "zei", "keer", "paar", "elke", "iedere", "alle", "veel", "meer", "nooit",
    "altijd", "soms", "toen", "daar", "hier", "zich", "heeft", "hebben", "had", "hadden", "wordt",
    "worden", "werd", "kunnen", "konden", "moet", "moeten", "zijn", "waren", "mijn", "onze",
    "jaar", "week", "dag", "dagen", "eerst", "steeds", "goed", "beter", "graag", "zoals", "omdat",
    "want", "maar", "ook", "nog", "wel", "niet", "geen", "iets", "niets", "alles",
];

/// More everyday words left out of the themes only (the valence suggestion reads the same words with
/// the shorter list above): common verbs in their frequent forms, adverbs, prepositions, numbers, days,
/// months and words of time.
const THEME_STOP_WORDS: &[&str] = &[
    "heel",
    "echt",
    "gewoon",
    "even",
    "weer",
    "gaat",
    "gaan",
    "ging",
    "gingen",
    "gegaan",
    "kwam",
    "kwamen",
    "komt",
    "komen",
    "gekomen",
    "zegt",
    "zeggen",
    "zei",
    "zeiden",
    "gezegd",
    "keer",
    "paar",
    "elke",
    "iedere",
    "alle",
    "allemaal",
    "veel",
    "meer",
    "meest",
    "minder",
    "nooit",
    "altijd",
    "soms",
    "vaak",
    "toen",
    "daar",
    "hier",
    "zich",
    "heeft",
    "hebben",
    "had",
    "hadden",
    "gehad",
    "wordt",
    "worden",
    "werd",
    "werden",
    "geworden",
    "kunnen",
    "konden",
    "moet",
    "moeten",
    "moest",
    "moesten",
    "zijn",
    "waren",
    "geweest",
    "mijn",
    "onze",
    "jullie",
    "hun",
    "jaar",
    "jaren",
    "week",
    "weken",
    "dag",
    "dagen",
    "maand",
    "maanden",
    "uur",
    "uren",
    "eerst",
    "eerste",
    "steeds",
    "goed",
    "beter",
    "graag",
    "zoals",
    "omdat",
    "want",
    "maar",
    "ook",
    "nog",
    "wel",
    "niet",
    "geen",
    "iets",
    "niets",
    "alles",
    "begon",
    "begonnen",
    "begint",
    "beginnen",
    "begonnen",
    "kreeg",
    "kregen",
    "krijg",
    "krijgt",
    "krijgen",
    "gekregen",
    "deed",
    "deden",
    "gedaan",
    "doet",
    "doen",
    "maakt",
    "maken",
    "maakte",
    "gemaakt",
    "vond",
    "vonden",
    "vindt",
    "vinden",
    "gevonden",
    "denk",
    "denkt",
    "dacht",
    "dachten",
    "weet",
    "wist",
    "wisten",
    "weten",
    "geweten",
    "zag",
    "zagen",
    "zien",
    "gezien",
    "ziet",
    "stond",
    "staat",
    "staan",
    "zat",
    "zitten",
    "zit",
    "lag",
    "ligt",
    "liggen",
    "liep",
    "loopt",
    "lopen",
    "nam",
    "neemt",
    "nemen",
    "genomen",
    "gaf",
    "geeft",
    "geven",
    "gegeven",
    "wilde",
    "wilden",
    "willen",
    "mocht",
    "mag",
    "mogen",
    "laat",
    "liet",
    "laten",
    "gelaten",
    "houd",
    "houdt",
    "hield",
    "blijf",
    "blijft",
    "bleef",
    "blijven",
    "gebleven",
    "vraag",
    "vroeg",
    "vroegen",
    "gevraagd",
    "vertel",
    "vertelt",
    "vertelde",
    "verteld",
    "praten",
    "lang",
    "lange",
    "langer",
    "kort",
    "groot",
    "grote",
    "klein",
    "kleine",
    "nieuw",
    "nieuwe",
    "oud",
    "oude",
    "andere",
    "ander",
    "anders",
    "eigen",
    "zelf",
    "samen",
    "echter",
    "daarna",
    "sinds",
    "tijdens",
    "verder",
    "bijna",
    "zeker",
    "misschien",
    "natuurlijk",
    "ineens",
    "opeens",
    "eigenlijk",
    "helemaal",
    "precies",
    "ongeveer",
    "tijd",
    "keer",
    "nu",
    "vandaag",
    "gisteren",
    "morgen",
    "straks",
    "later",
    "vroeger",
    "vorige",
    "volgende",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "januari",
    "februari",
    "maart",
    "april",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "twintig",
    "dertig",
    "veertig",
    "vijftig",
    "zestig",
    "zeventig",
    "tachtig",
    "negentig",
    "honderd",
    "half",
    "halve",
    "helft",
    "mensen",
    "iemand",
    "niemand",
    "ieder",
    "iedereen",
    "elkaar",
    "zo'n",
    "zulke",
    "welke",
    "waar",
    "waarom",
    "wanneer",
    "hoe",
    "wat",
    "dingen",
    "ding",
    "manier",
    "kant",
    "stuk",
    "beetje",
    "ja",
    "nee",
    "oké",
    "achter",
    "boven",
    "onder",
    "naast",
    "tussen",
    "tegen",
    "langs",
    "zonder",
    "binnen",
    "buiten",
    "rond",
    "rondom",
    "vanaf",
    "vanuit",
    "richting",
    "terug",
    "mee",
    "heen",
    "gewoond",
];
