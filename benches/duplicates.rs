//! Near-duplicate detection measured: recall on copies of stories with a share of their words
//! changed, false flags among stories that are not copies, and the time one story's check takes, on
//! the demo plus a generated bank.
//!
//! `cargo bench --bench duplicates -- [--stories 20000] [--copies 200] [--seed 7]` prints a Markdown
//! table for BENCHMARKS.md.

use std::path::Path;
use std::time::Instant;

use verhalenbank::bank::Bank;
use verhalenbank::bench::corpus::Material;
use verhalenbank::bench::rng::Rng;
use verhalenbank::bench::{Percentiles, millis};
use verhalenbank::config::Config;
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::{Markdown, Moderation, Story, StoryId};

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

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let generated = option(&args, "--stories", 20_000) as usize;
    let copies = option(&args, "--copies", 200) as usize;
    let seed = option(&args, "--seed", 7);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("stories-sample");
    let dir = tempfile::tempdir()?;
    let bank = Bank::open(&Config::new(dir.path()))?;
    bank.load_demo_if_empty(&sample)?;
    bank.catch_up_index()?;
    let demo = bank.all_stories(SearchRequest::new("", Scope::Municipality))?;
    let material = Material::load(&sample)?;
    for n in 0..generated {
        let (mut story, _) = material.story(seed, n);
        story.moderation = Moderation::Published;
        bank.submit(&story, None)?;
    }
    bank.catch_up_index()?;
    let all = bank.all_stories(SearchRequest::new("", Scope::Municipality))?;
    eprintln!("{} stories in the bank", all.len());

    // False flags: stories that are no copy of one another, yet marked alike: every demo story,
    // and a sample of the whole bank.
    let mut times = Vec::new();
    let mut check = |story: &Story| -> anyhow::Result<bool> {
        let started = Instant::now();
        let found = bank.near_duplicates(story)?;
        times.push(started.elapsed());
        Ok(!found.is_empty())
    };
    let mut demo_flagged = 0;
    for story in &demo {
        demo_flagged += usize::from(check(story)?);
    }
    let mut rng = Rng::new(seed);
    let sampled = copies.max(500);
    let mut flagged = 0;
    for _ in 0..sampled {
        flagged += usize::from(check(rng.pick(&all))?);
    }

    // Recall: copies with a share of their words changed, each checked against the bank.
    let mut rows = Vec::new();
    for share in EDITS {
        let mut made = Vec::new();
        for _ in 0..copies {
            let original = rng.pick(&all).clone();
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
        // The copies go again, so each share is measured against the same bank.
        for (_, copy) in &made {
            bank.erase(
                copy.id,
                jiff::civil::date(2026, 12, 7),
                verhalenbank::store::ErasureReason::ErasedByStaff,
            )?;
        }
        alike.sort_by(f64::total_cmp);
        let median = alike.get(alike.len() / 2).copied().unwrap_or(0.0);
        rows.push((share, found_original, made.len(), median));
    }

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
        "\nFalse flags: {demo_flagged} of the {} demo stories, and {flagged} of {sampled} stories drawn from the whole bank ({:.2}%), were marked alike without being a copy.",
        demo.len(),
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
