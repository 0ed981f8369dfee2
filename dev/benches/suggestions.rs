//! The suggestions for staff measured. Subgoal and tag suggestions: leave-one-out on the demo (each
//! story's subgoals and tags suggested from the others) and on a generated bank, top-3 accuracy, how
//! often a right one is first, and the time per suggestion. Near-duplicates: recall on copies of stories
//! with a share of their words changed, false flags among stories that are not copies, and the time
//! one story's check takes.
//!
//! `cargo bench -p verhalenbank-dev --bench suggestions -- [--stories 20000] [--copies 200] [--seed 7]` prints Markdown
//! for BENCHMARKS.md.

use std::time::Instant;

use verhalenbank::bank::{Bank, Suggested, story_words};
use verhalenbank::config::Config;
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::{Markdown, Moderation, Story, StoryId, TellerRole, Valence};
use verhalenbank::valence::{ValenceModel, Word};
use verhalenbank_dev::corpus::Material;
use verhalenbank_dev::rng::Rng;
use verhalenbank_dev::{Percentiles, millis};

/// Shares of words changed in the copies.
const EDITS: [f64; 6] = [0.0, 0.05, 0.10, 0.20, 0.30, 0.50];

fn option(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The story's text with about `share` of its words replaced by words of `other`, and as many of
/// the rest left out or doubled as a person retyping it would.
fn edited(story: &Story, other: &Story, share: f64, rng: &mut Rng) -> String {
    let donor: Vec<&str> = other.text.as_str().split_whitespace().collect();
    let mut words = Vec::new();
    for word in story.text.as_str().split_whitespace() {
        if rng.chance(share) {
            match rng.below(3) {
                0 => {}
                1 => {
                    words.push(word);
                    words.push(*rng.pick(&donor));
                }
                _ => words.push(*rng.pick(&donor)),
            }
        } else {
            words.push(word);
        }
    }
    words.join(" ")
}

/// How often a kind of suggestion was right: stories that carry something of the kind, stories
/// whose first suggestion is one of their own, stories with one of their own among the three.
#[derive(Default)]
struct Hits {
    counted: usize,
    first: usize,
    three: usize,
}

impl Hits {
    fn count<T: PartialEq>(&mut self, own: &[T], suggested: &[Suggested<T>]) {
        if own.is_empty() {
            return;
        }
        self.counted += 1;
        self.first += usize::from(suggested.first().is_some_and(|s| own.contains(&s.item)));
        self.three += usize::from(suggested.iter().any(|s| own.contains(&s.item)));
    }
}

/// What always suggesting the three tags the other stories carry most would get right, over the
/// same stories as [`leave_one_out`]: the figure a tag suggestion has to beat.
fn common_tags(stories: &[&Story]) -> Hits {
    let counted: Vec<&Story> = stories
        .iter()
        .copied()
        .filter(|s| !matches!(s.moderation, Moderation::Rejected(_)))
        .collect();
    let mut hits = Hits::default();
    for story in &counted {
        let mut often: std::collections::BTreeMap<&str, usize> = Default::default();
        for other in counted.iter().filter(|other| other.id != story.id) {
            for tag in &other.tags {
                *often.entry(tag).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&str, usize)> = often.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let three: Vec<Suggested<String>> = ranked
            .iter()
            .take(3)
            .map(|(tag, stories)| Suggested {
                item: tag.to_string(),
                stories: *stories,
                examples: Vec::new(),
                weight: 0.0,
            })
            .collect();
        hits.count(&story.tags, &three);
    }
    hits
}

/// Leave-one-out over `stories` (those not rejected): the subgoal and tag suggestions each measured
/// on the stories that carry a subgoal or a tag, and the time per suggestion (both together).
fn leave_one_out(
    bank: &Bank,
    stories: &[&Story],
) -> anyhow::Result<(Hits, Hits, Vec<std::time::Duration>)> {
    let (mut subgoals, mut tags, mut times) = (Hits::default(), Hits::default(), Vec::new());
    for story in stories {
        if (story.subgoals.is_empty() && story.tags.is_empty())
            || matches!(story.moderation, Moderation::Rejected(_))
        {
            continue;
        }
        let started = Instant::now();
        let suggested = bank.suggest_links(story)?;
        times.push(started.elapsed());
        subgoals.count(&story.subgoals, &suggested.subgoals);
        tags.count(&story.tags, &suggested.tags);
    }
    Ok((subgoals, tags, times))
}

/// Leave-one-out of the valence over the stories residents told themselves (not rejected): each
/// story's valence suggested by a model learned from the others (stories, a valence suggested, the
/// suggestion right, always answering the most common valence right, time per suggestion with the
/// model learned).
fn valence_leave_one_out(
    bank: &Bank,
    stories: &[&Story],
) -> anyhow::Result<(usize, usize, usize, usize, Vec<std::time::Duration>)> {
    let told: Vec<&Story> = stories
        .iter()
        .copied()
        .filter(|s| s.teller == TellerRole::Resident)
        .filter(|s| !matches!(s.moderation, Moderation::Rejected(_)))
        .collect();
    let all: Vec<(StoryId, Valence, Vec<Word>)> = told
        .iter()
        .map(|s| (s.id, s.valence, story_words(&s.title, s.text.as_str())))
        .collect();
    let (mut suggested, mut right, mut times) = (0, 0, Vec::new());
    // The bank's own model for the time a suggestion takes as staff see it.
    bank.suggest_valence("", "")?;
    for (id, valence, own) in &all {
        let model = ValenceModel::learn(
            all.iter()
                .filter(|(other, ..)| other != id)
                .map(|(_, v, w)| (*v, w.as_slice())),
        );
        if let Some(found) = model.suggest(own) {
            suggested += 1;
            right += usize::from(found.valence == *valence);
        }
    }
    for story in told.iter().take(500) {
        let started = Instant::now();
        bank.suggest_valence(&story.title, story.text.as_str())?;
        times.push(started.elapsed());
    }
    let most_common = [Valence::Positive, Valence::Negative, Valence::Mixed]
        .into_iter()
        .map(|v| told.iter().filter(|s| s.valence == v).count())
        .max()
        .unwrap_or(0);
    Ok((told.len(), suggested, right, most_common, times))
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let generated = option(&args, "--stories", 20_000) as usize;
    let copies = option(&args, "--copies", 200) as usize;
    let seed = option(&args, "--seed", 7);
    let sample = verhalenbank_dev::root().join("stories-sample");
    let dir = tempfile::tempdir()?;
    let bank = Bank::open(&Config::new(dir.path()))?;
    bank.load_demo_if_empty(&sample)?;
    bank.catch_up_index()?;
    let demo = bank.all_stories(SearchRequest::new("", Scope::Municipality))?;
    let demo_refs: Vec<&Story> = demo.iter().collect();
    let demo_suggested = leave_one_out(&bank, &demo_refs)?;
    let demo_valence = valence_leave_one_out(&bank, &demo_refs)?;
    let demo_common_tags = common_tags(&demo_refs);
    // False flags among the demo's own stories, written by people.
    let mut demo_flagged = Vec::new();
    for story in &demo {
        if !bank.near_duplicates(story)?.is_empty() {
            demo_flagged.push(story.title.clone());
        }
    }
    let material = Material::load(&sample)?;
    for n in 0..generated {
        let (mut story, _) = material.story(seed, n);
        story.moderation = Moderation::Published;
        bank.submit(&story, None)?;
    }
    bank.catch_up_index()?;
    let all = bank.all_stories(SearchRequest::new("", Scope::Municipality))?;
    eprintln!("{} stories in the bank", all.len());
    let demo_ids: std::collections::HashSet<StoryId> = demo.iter().map(|s| s.id).collect();
    let mut pick = Rng::new(seed ^ 0x5eed);
    let generated_sample: Vec<&Story> = (0..copies.max(500))
        .map(|_| pick.pick(&all))
        .filter(|s| !demo_ids.contains(&s.id))
        .collect();
    let generated_suggested = leave_one_out(&bank, &generated_sample)?;
    let generated_valence = valence_leave_one_out(&bank, &generated_sample)?;

    // False flags: stories that are no copy of one another, yet marked alike: every demo story,
    // and a sample of the whole bank.
    let mut times = Vec::new();
    let mut check = |story: &Story| -> anyhow::Result<bool> {
        let started = Instant::now();
        let found = bank.near_duplicates(story)?;
        times.push(started.elapsed());
        Ok(!found.is_empty())
    };
    let mut rng = Rng::new(seed);
    let sampled = copies.max(500);
    let mut flagged = 0;
    for _ in 0..sampled {
        flagged += usize::from(check(rng.pick(&all))?);
    }

    // Recall: copies with a share of their words changed, each checked against the bank. Every
    // copy is of another story, so no copy stands between a later one and its original.
    let mut order: Vec<usize> = (0..all.len()).collect();
    for at in (1..order.len()).rev() {
        order.swap(at, rng.below(at + 1));
    }
    let mut originals = order.into_iter().map(|at| &all[at]);
    let mut rows = Vec::new();
    for share in EDITS {
        let mut made = Vec::new();
        for _ in 0..copies {
            let Some(original) = originals.next() else {
                break;
            };
            let original = original.clone();
            let other = rng.pick(&all);
            let mut copy = original.clone();
            copy.id = StoryId::new_random();
            copy.moderation = Moderation::Submitted;
            copy.text = Markdown::new(&edited(&original, other, share, &mut rng));
            bank.submit(&copy, None)?;
            made.push((original.id, copy));
        }
        bank.catch_up_index()?;
        let mut found_original = 0;
        let mut alike = Vec::new();
        for (original, copy) in &made {
            let found = bank.near_duplicates(copy)?;
            if let Some(likeness) = found.iter().find(|l| l.story.id == *original) {
                found_original += 1;
                alike.push(likeness.resemblance);
            }
        }
        alike.sort_by(f64::total_cmp);
        let median = alike.get(alike.len() / 2).copied().unwrap_or(0.0);
        rows.push((share, found_original, made.len(), median));
    }

    println!(
        "Subgoal and tag suggestions, leave-one-out (each story's subgoals and tags suggested from the other stories'):\n"
    );
    println!(
        "| bank | suggested | stories | right one first | right one in the top 3 | suggestion time p50 / p99 (subgoals and tags together) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, (subgoals, tags, times)) in [
        (format!("demo ({} stories)", demo.len()), demo_suggested),
        (
            format!(
                "demo + {generated} generated ({} stories), a sample",
                all.len()
            ),
            generated_suggested,
        ),
    ] {
        let time = Percentiles::of(times);
        for (kind, hits) in [("subgoals", subgoals), ("tags", tags)] {
            println!(
                "| {name} | {kind} | {} | {} ({:.1}%) | {} ({:.1}%) | {} / {} |",
                hits.counted,
                hits.first,
                percent(hits.first, hits.counted),
                hits.three,
                percent(hits.three, hits.counted),
                millis(time.p50),
                millis(time.p99)
            );
        }
    }
    println!(
        "| demo ({} stories) | always the three tags the other stories carry most | {} | {} ({:.1}%) | {} ({:.1}%) | |",
        demo.len(),
        demo_common_tags.counted,
        demo_common_tags.first,
        percent(demo_common_tags.first, demo_common_tags.counted),
        demo_common_tags.three,
        percent(demo_common_tags.three, demo_common_tags.counted),
    );
    println!();
    println!(
        "Valence suggestions, leave-one-out over the stories residents told themselves (each story's valence suggested from the others'):\n"
    );
    println!(
        "| bank | stories | a valence suggested | right | always the most common valence | suggestion time p50 / p99 |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, (told, suggested, right, most_common, times)) in [
        (format!("demo ({} stories)", demo.len()), demo_valence),
        (
            format!(
                "demo + {generated} generated ({} stories), a sample",
                all.len()
            ),
            generated_valence,
        ),
    ] {
        let time = Percentiles::of(times);
        println!(
            "| {name} | {told} | {suggested} | {right} ({:.1}% of those suggested) | {:.1}% | {} / {} |",
            percent(right, suggested),
            percent(most_common, told),
            millis(time.p50),
            millis(time.p99)
        );
    }
    println!();
    let time = Percentiles::of(times);
    println!(
        "Near-duplicates on the demo plus {generated} generated stories ({} in all), flagged from {:.0}% shingles in common:\n",
        all.len(),
        verhalenbank::duplicates::FLAGGED * 100.0
    );
    println!("| words changed in the copy | copies found | recall | median resemblance found |");
    println!("| --- | --- | --- | --- |");
    for (share, found, made, median) in rows {
        println!(
            "| {:.0}% | {found} of {made} | {:.1}% | {:.0}% |",
            share * 100.0,
            100.0 * found as f64 / made as f64,
            median * 100.0
        );
    }
    println!(
        "\nMarked alike without being made as a copy here: {} of the {} demo stories ({}), and {flagged} of {sampled} stories drawn from the whole bank ({:.2}%; generated stories are put together from the demo's sentences, so some do repeat much of one).",
        demo_flagged.len(),
        demo.len(),
        demo_flagged.join("; "),
        100.0 * flagged as f64 / sampled as f64
    );
    println!(
        "One story's check (index candidates and shingles): p50 {}, p99 {}, max {} over {} checks.",
        millis(time.p50),
        millis(time.p99),
        millis(time.max),
        time.count
    );
    Ok(())
}
