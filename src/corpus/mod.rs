//! The corpus generator behind `verhalenbank gen-corpus`: a reproducible folder of realistic stories
//! for trying a machine's capacity and for the benchmarks, linked to the demo municipality's goal
//! tree, areas, providers and activities.
//!
//! Text is not random letters. Sentences are the demo stories' own sentences (their patterns, function
//! words and punctuation), and in Dutch ones a share of the content words is swapped for words drawn from
//! a frequency-ranked Dutch word list (`words/nl-common.txt`, see `words/README.md`) by a Zipf law over
//! rank, so the vocabulary is large and skewed the way real text is, with inflected forms because the
//! list holds them. Stories in other languages reuse the demo's sentences in that language. Lengths run
//! from two sentences to about a page. Everything follows from the seed: story `n` has its own random
//! stream, so the output is the same whatever the number of threads.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::civil::Date;

pub mod rng;

use crate::goals::GoalTree;
use crate::ids::{ActivityId, AreaId, SubgoalId};
use crate::language::{Language, LanguageDetector};
use crate::municipality::{AreaKind, Municipality};
use crate::story::file::story_to_file;
use crate::story::front_matter::parse_story_file;
use crate::story::{Catalog, Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence};
use rng::Rng;

/// Frequency-ranked Dutch words, most frequent first.
const DUTCH_WORDS: &str = include_str!("words/nl-common.txt");
/// The most frequent words are function words; they stay as the sentence has them.
const FUNCTION_WORDS: usize = 250;
/// Share of a Dutch sentence's content words swapped for a word from the list.
const SWAP_SHARE: f64 = 0.35;
/// Stories per folder, so no folder holds more than a file manager can show.
const PER_FOLDER: usize = 1000;

/// What a generated corpus holds.
#[derive(Debug, Clone, Default)]
pub struct CorpusReport {
    pub stories: usize,
    /// Bytes of story text (titles and bodies), without front matter.
    pub text_bytes: u64,
    pub measurements: usize,
    pub languages: BTreeMap<String, usize>,
}

/// Draws ranks from a Zipf law (weight 1/(rank + offset)).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(count: usize, offset: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..count)
            .map(|rank| {
                total += 1.0 / (rank as f64 + offset);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let target = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative
            .partition_point(|&c| c < target)
            .min(self.cumulative.len() - 1)
    }
}

/// What the generator draws from: sentences per language, the word list, and the demo's settings.
pub struct Material {
    municipality: Municipality,
    goals: GoalTree,
    /// Sentences of the demo stories, per language code; Dutch first.
    sentences: Vec<(Language, Vec<String>)>,
    tags: Vec<String>,
    words: Vec<&'static str>,
    zipf: Zipf,
    wijken: Vec<AreaId>,
    subgoals: Vec<SubgoalId>,
    sample: PathBuf,
}

impl Material {
    /// Reads the demo folder (`municipality.toml`, `goals.toml`, `questions.toml`, `stories/`).
    pub fn load(sample: &Path) -> anyhow::Result<Material> {
        let read = |name: &str| {
            std::fs::read_to_string(sample.join(name))
                .with_context(|| format!("reading {}", sample.join(name).display()))
        };
        let municipality = Municipality::from_toml(&read("municipality.toml")?)
            .map_err(|e| anyhow::anyhow!("municipality.toml: {e}"))?;
        let goals = GoalTree::from_toml(&read("goals.toml")?)
            .map_err(|e| anyhow::anyhow!("goals.toml: {e}"))?;
        // Optional: a folder without questions has stories without answers.
        let questions = match std::fs::read_to_string(sample.join(crate::questions::FILE_NAME)) {
            Ok(text) => crate::questions::QuestionSet::from_toml(&text)
                .map_err(|e| anyhow::anyhow!("questions.toml: {e:?}"))?,
            Err(_) => crate::questions::QuestionSet::default(),
        };
        let catalog = Catalog {
            municipality: &municipality,
            goals: &goals,
            sessions: &[],
            rounds: &[],
            questions: &questions,
        };
        let mut by_language: BTreeMap<String, (Language, Vec<String>)> = BTreeMap::new();
        let mut tags = Vec::new();
        let detector = LanguageDetector::default();
        let mut files: Vec<_> = std::fs::read_dir(sample.join("stories"))
            .with_context(|| format!("reading {}/stories", sample.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)?;
            // Session and round links are not needed here; a file that names one is read without it.
            let Ok(story) = parse_story_file(&strip_links(&text), catalog) else {
                continue;
            };
            let plain = crate::story::render::plain_text(&story.text);
            let language =
                story.language_or_detect(&plain, &detector, &municipality.default_language);
            let entry = by_language
                .entry(language.code().to_string())
                .or_insert_with(|| (language.clone(), Vec::new()));
            entry.1.extend(sentences(story.text.as_str()));
            tags.extend(story.tags.iter().cloned());
        }
        tags.sort();
        tags.dedup();
        let dutch = Language::dutch();
        let mut sentences: Vec<(Language, Vec<String>)> = by_language.into_values().collect();
        sentences.sort_by_key(|(language, _)| language != &dutch);
        anyhow::ensure!(
            sentences
                .first()
                .is_some_and(|(language, _)| language == &dutch),
            "{} has no Dutch stories to draw sentences from",
            sample.display()
        );
        let words: Vec<&'static str> = DUTCH_WORDS.lines().filter(|w| !w.is_empty()).collect();
        let zipf = Zipf::new(words.len().saturating_sub(FUNCTION_WORDS), 20.0);
        let wijken = municipality
            .areas
            .iter()
            .filter(|area| area.kind == AreaKind::Wijk)
            .map(|area| area.id.clone())
            .collect();
        let subgoals = goals
            .subgoals
            .iter()
            .filter(|subgoal| subgoal.retired.is_none())
            .map(|subgoal| subgoal.id.clone())
            .collect();
        Ok(Material {
            municipality,
            goals,
            sentences,
            tags,
            words,
            zipf,
            wijken,
            subgoals,
            sample: sample.to_path_buf(),
        })
    }

    /// Story `n` of a corpus made with `seed`, and the language it is written in. The story itself
    /// names no language: import detects it, as it does for files people write.
    pub fn story(&self, seed: u64, n: usize) -> (Story, Language) {
        let mut rng = Rng::new(seed.wrapping_mul(0x0100_0000_01B3) ^ n as u64);
        // About one story in eleven is in another language, as in a city with many newcomers.
        let (language, pool) = if self.sentences.len() > 1 && rng.chance(0.09) {
            let (language, pool) = &self.sentences[1 + rng.below(self.sentences.len() - 1)];
            (language, pool)
        } else {
            let (language, pool) = &self.sentences[0];
            (language, pool)
        };
        let dutch = language == &Language::dutch();
        // Paragraphs 1..=6 (most stories 1 to 3), sentences per paragraph 2..=6.
        let paragraphs = 1 + (rng.unit().powi(2) * 6.0) as usize;
        let mut text = String::new();
        let mut first_sentence = String::new();
        for p in 0..paragraphs {
            if p > 0 {
                text.push_str("\n\n");
            }
            let count = 2 + rng.below(5);
            for s in 0..count {
                let sentence = rng.pick(pool).clone();
                let sentence = if dutch {
                    self.vary(&sentence, &mut rng)
                } else {
                    sentence
                };
                if s > 0 {
                    text.push(' ');
                }
                if first_sentence.is_empty() {
                    first_sentence = sentence.clone();
                }
                text.push_str(&sentence);
            }
        }
        let title = title_from(&first_sentence, &mut rng);
        let date = Date::new(2021, 1, 1)
            .expect("a valid date")
            .checked_add(jiff::Span::new().days(rng.below(6 * 365 - 30) as i64))
            .expect("a date in range");
        let provider = (!self.municipality.providers.is_empty() && rng.chance(0.85))
            .then(|| rng.pick(&self.municipality.providers).id.clone());
        let activity = provider.as_ref().and_then(|provider| {
            let activities: Vec<&ActivityId> = self
                .municipality
                .activities
                .iter()
                .filter(|activity| &activity.provider == provider)
                .map(|activity| &activity.id)
                .collect();
            (!activities.is_empty() && rng.chance(0.7)).then(|| (*rng.pick(&activities)).clone())
        });
        let area =
            (!self.wijken.is_empty() && rng.chance(0.92)).then(|| rng.pick(&self.wijken).clone());
        let mut subgoals = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let subgoal = rng.pick(&self.subgoals).clone();
            if !subgoals.contains(&subgoal) {
                subgoals.push(subgoal);
            }
        }
        let mut tags = Vec::new();
        if !self.tags.is_empty() {
            for _ in 0..rng.below(4) {
                let tag = rng.pick(&self.tags).clone();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
        let mut scores = BTreeMap::new();
        if rng.chance(0.3) {
            for statement in self.goals.statements.iter().filter(|statement| {
                subgoals.contains(&statement.subgoal) && statement.retired.is_none()
            }) {
                let range = statement.scale.range();
                let span = (*range.end() - *range.start()) as usize + 1;
                // Skewed towards agreeing, as stories told at an activity are.
                let score = *range.start() + (rng.unit().sqrt() * span as f64) as u8;
                scores.insert(statement.id.clone(), score.min(*range.end()));
            }
        }
        let teller = pick_weighted(
            &mut rng,
            &[
                (TellerRole::Resident, 50),
                (TellerRole::Professional, 25),
                (TellerRole::Volunteer, 12),
                (TellerRole::Carer, 10),
                (TellerRole::Municipality, 3),
            ],
        );
        let valence = pick_weighted(
            &mut rng,
            &[
                (Valence::Positive, 55),
                (Valence::Negative, 25),
                (Valence::Mixed, 20),
            ],
        );
        let consent = if rng.chance(0.45) {
            Consent::Public
        } else {
            Consent::Internal
        };
        let moderation = if rng.chance(0.9) {
            Moderation::Published
        } else {
            Moderation::Submitted
        };
        let text = Markdown::new(&text);
        let story = Story {
            // Two short stories can come out the same; the number keeps them apart.
            id: StoryId::derived(&format!("{title} #{seed}/{n}"), date, text.as_str()),
            title,
            date,
            teller,
            valence,
            consent,
            consent_date: Some(date),
            provider,
            area,
            activity,
            indicator: None,
            translation: None,
            subgoals,
            tags,
            language: None,
            teller_name: None,
            session: None,
            round: None,
            channel: None,
            received: None,
            scores,
            answers: Default::default(),
            moderation,
            text,
        };
        (story, language.clone())
    }

    /// A Dutch sentence with a share of its content words swapped for words from the list.
    fn vary(&self, sentence: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(sentence.len() + 16);
        let mut word = String::new();
        let mut first = true;
        let flush = |word: &mut String, out: &mut String, rng: &mut Rng, first: &mut bool| {
            if word.is_empty() {
                return;
            }
            let lower = word.chars().next().is_some_and(char::is_lowercase);
            let swappable = word.chars().count() >= 4 && (lower || *first);
            if swappable && rng.chance(SWAP_SHARE) {
                let replacement = self.words[FUNCTION_WORDS + self.zipf.draw(rng)];
                if lower {
                    out.push_str(replacement);
                } else {
                    out.push_str(&capitalise(replacement));
                }
            } else {
                out.push_str(word);
            }
            *first = false;
            word.clear();
        };
        for c in sentence.chars() {
            if c.is_alphabetic() {
                word.push(c);
            } else {
                flush(&mut word, &mut out, rng, &mut first);
                out.push(c);
            }
        }
        flush(&mut word, &mut out, rng, &mut first);
        out
    }

    /// Writes `count` stories, the settings and figures to `out`, on `threads` threads.
    pub fn write(
        &self,
        out: &Path,
        count: usize,
        seed: u64,
        threads: usize,
        progress: &indicatif::ProgressBar,
    ) -> anyhow::Result<CorpusReport> {
        std::fs::create_dir_all(out.join("stories"))
            .with_context(|| format!("making {}", out.display()))?;
        for name in ["municipality.toml", "goals.toml"] {
            std::fs::copy(self.sample.join(name), out.join(name))
                .with_context(|| format!("copying {name}"))?;
        }
        let measurements = self.write_measurements(out)?;
        progress.set_length(count as u64);
        let threads = threads.max(1);
        let folders = count.div_ceil(PER_FOLDER);
        let parts: Vec<anyhow::Result<CorpusReport>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|thread| {
                    scope.spawn(move || -> anyhow::Result<CorpusReport> {
                        let mut report = CorpusReport::default();
                        for folder in (thread..folders).step_by(threads) {
                            let dir = out.join("stories").join(format!("{folder:04}"));
                            std::fs::create_dir_all(&dir)?;
                            let end = ((folder + 1) * PER_FOLDER).min(count);
                            for n in folder * PER_FOLDER..end {
                                let (story, language) = self.story(seed, n);
                                report.text_bytes +=
                                    (story.title.len() + story.text.as_str().len()) as u64;
                                *report
                                    .languages
                                    .entry(language.code().to_string())
                                    .or_default() += 1;
                                std::fs::write(
                                    dir.join(format!("{n:07}.md")),
                                    story_to_file(&story),
                                )
                                .with_context(|| format!("writing story {n}"))?;
                                report.stories += 1;
                            }
                            progress.inc((end - folder * PER_FOLDER) as u64);
                        }
                        Ok(report)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a generator thread panicked"))
                .collect()
        });
        let mut report = CorpusReport {
            measurements,
            ..CorpusReport::default()
        };
        for part in parts {
            let part = part?;
            report.stories += part.stories;
            report.text_bytes += part.text_bytes;
            for (language, n) in part.languages {
                *report.languages.entry(language).or_default() += n;
            }
        }
        progress.finish_and_clear();
        Ok(report)
    }

    /// The demo's figures, plus the same series for the three years before, a little lower each year
    /// back, so the evidence pages have a longer history to draw.
    fn write_measurements(&self, out: &Path) -> anyhow::Result<usize> {
        let path = self.sample.join("measurements.csv");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(0);
        };
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let rows: Vec<&str> = lines.filter(|line| !line.trim().is_empty()).collect();
        let mut csv = format!("{header}\n");
        let mut count = 0;
        for back in (1..=3).rev() {
            for row in &rows {
                let mut columns: Vec<String> = row.split(';').map(str::to_string).collect();
                if columns.len() < 4 {
                    continue;
                }
                let Some(year) = columns[1].get(..4).and_then(|y| y.parse::<i32>().ok()) else {
                    continue;
                };
                if year != 2024 {
                    continue;
                }
                columns[1] = format!("{}{}", year - back, &columns[1][4..]);
                let factor = 1.0 - 0.04 * back as f64;
                for index in [3, 4] {
                    if let Ok(value) = columns[index].parse::<f64>() {
                        columns[index] = format_number(value * factor, &columns[index]);
                    }
                }
                let _ = writeln!(csv, "{}", columns.join(";"));
                count += 1;
            }
        }
        for row in &rows {
            let _ = writeln!(csv, "{row}");
            count += 1;
        }
        std::fs::write(out.join("measurements.csv"), csv)?;
        Ok(count)
    }
}

/// Keeps the number's style: whole numbers stay whole.
fn format_number(value: f64, original: &str) -> String {
    if original.contains('.') {
        format!("{value:.1}")
    } else {
        format!("{}", value.round() as i64)
    }
}

/// Removes `session = ...` and `round = ...` lines from front matter: the generator reads the demo's
/// stories without their sessions and rounds.
fn strip_links(text: &str) -> String {
    text.lines()
        .filter(|line| !(line.starts_with("session ") || line.starts_with("round ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sentences of a text: split after `.`, `!` or `?` followed by white space; Markdown quote and
/// list markers dropped; very short fragments left out.
pub fn sentences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph
            .lines()
            .map(|line| line.trim_start_matches(['>', '-', '*', ' ']))
            .collect::<Vec<_>>()
            .join(" ");
        let mut current = String::new();
        let mut chars = paragraph.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            let at_end = matches!(c, '.' | '!' | '?')
                && chars.peek().is_none_or(|next| next.is_whitespace());
            if at_end {
                push_sentence(&mut found, &mut current);
            }
        }
        push_sentence(&mut found, &mut current);
    }
    found
}

fn push_sentence(found: &mut Vec<String>, current: &mut String) {
    let sentence = current.trim();
    if sentence.split_whitespace().count() >= 3 {
        found.push(sentence.to_string());
    }
    current.clear();
}

/// A title from the first sentence: its first three to six words, without closing punctuation.
fn title_from(sentence: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let take = (3 + rng.below(4)).min(words.len());
    let title = words[..take].join(" ");
    let title = title.trim_end_matches(|c: char| !c.is_alphanumeric());
    capitalise(title)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pick_weighted<T: Copy>(rng: &mut Rng, choices: &[(T, usize)]) -> T {
    let total: usize = choices.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.below(total);
    for (choice, weight) in choices {
        if roll < *weight {
            return *choice;
        }
        roll -= weight;
    }
    choices[choices.len() - 1].0
}

/// Makes a corpus of `count` stories in `out` from the demo in `sample`.
pub fn generate(
    sample: &Path,
    out: &Path,
    count: usize,
    seed: u64,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<CorpusReport> {
    let material = Material::load(sample)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    material.write(out, count, seed, threads, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material() -> Material {
        Material::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stories-sample"))
            .expect("the demo loads")
    }

    #[test]
    fn stories_are_reproducible_varied_and_importable() {
        let material = material();
        let (a, _) = material.story(7, 42);
        let (b, _) = material.story(7, 42);
        assert_eq!(story_to_file(&a), story_to_file(&b));
        assert_ne!(story_to_file(&a), story_to_file(&material.story(8, 42).0));
        let catalog = Catalog {
            municipality: &material.municipality,
            goals: &material.goals,
            sessions: &[],
            rounds: &[],
            questions: &crate::questions::QuestionSet::default(),
        };
        let mut languages = std::collections::BTreeSet::new();
        let mut lengths = Vec::new();
        for n in 0..400 {
            let (story, language) = material.story(7, n);
            let parsed = parse_story_file(&story_to_file(&story), catalog).expect("parses back");
            assert_eq!(parsed.id, story.id);
            assert!(!story.subgoals.is_empty());
            languages.insert(language.code().to_string());
            lengths.push(story.text.as_str().len());
        }
        assert!(languages.len() >= 2, "{languages:?}");
        lengths.sort_unstable();
        assert!(lengths[0] < 400 && lengths[399] > 2000, "{lengths:?}");
    }

    #[test]
    fn word_frequencies_follow_a_zipf_law() {
        let material = material();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for n in 0..2000 {
            for word in material
                .story(3, n)
                .0
                .text
                .as_str()
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
            {
                *counts.entry(word.to_lowercase()).or_default() += 1;
            }
        }
        let mut frequencies: Vec<usize> = counts.values().copied().collect();
        frequencies.sort_unstable_by(|a, b| b.cmp(a));
        // Far more distinct words than the demo has, and rank × frequency roughly level over ranks
        // 10 to 1000 (within a factor of 4) as in real text.
        assert!(
            frequencies.len() > 5000,
            "{} distinct words",
            frequencies.len()
        );
        let product = |rank: usize| (rank * frequencies[rank - 1]) as f64;
        let ratio = product(1000) / product(10);
        assert!((0.25..4.0).contains(&ratio), "rank×frequency ratio {ratio}");
    }

    #[test]
    fn sentences_split_on_closing_punctuation() {
        assert_eq!(
            sentences("Ik ging er heen. Het was fijn! Kom je ook?\n\n> Ja, zeker weten dat."),
            vec![
                "Ik ging er heen.",
                "Het was fijn!",
                "Kom je ook?",
                "Ja, zeker weten dat."
            ]
        );
    }
}
