//! The reliability benchmark: crash safety and behaviour under load, measured on the real server from
//! outside (RELIABILITY.md).
//!
//! `cargo bench -p verhalenbank-dev --bench reliability -- crash --cycles 50` kills the server with SIGKILL while 8 clients
//! submit, 50 times, and checks that no acknowledged story is lost or unfindable after the restart.
//! `cargo bench -p verhalenbank-dev --bench reliability -- load --stories 100000` runs 50 clients at 200 requests/s for
//! 60 s on a generated corpus (`--read-only` sends searches instead of submissions, so the bank stays
//! the same size and memory that still grows is not new data). Both print a Markdown report; a lost
//! story or a failed request makes the run fail.

// Shared with the scale benchmark, which uses other parts of it.
#[allow(dead_code)]
#[path = "../common/client.rs"]
mod client;
mod crash;
mod load;

use std::path::PathBuf;
use std::time::Duration;

use verhalenbank_dev::millis;

struct Options {
    crash: Option<usize>,
    load: Option<load::Options>,
    seed: u64,
    work: PathBuf,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            crash: None,
            load: None,
            seed: 11,
            work: verhalenbank_dev::root().join("target/bench-reliability"),
        };
        let number = |value: String, what: &str| -> usize {
            value
                .replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("{what} takes a number"))
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
            match arg.as_str() {
                "crash" => options.crash = Some(50),
                "load" => {
                    options.load = Some(load::Options {
                        stories: 100_000,
                        seconds: 60,
                        clients: 50,
                        rate: 200.0,
                        seed: 7,
                        read_only: false,
                    })
                }
                "--cycles" => options.crash = Some(number(value(), "--cycles")),
                "--stories" => load_options(&mut options).stories = number(value(), "--stories"),
                "--seconds" => {
                    load_options(&mut options).seconds = number(value(), "--seconds") as u64
                }
                "--clients" => load_options(&mut options).clients = number(value(), "--clients"),
                "--rate" => load_options(&mut options).rate = number(value(), "--rate") as f64,
                "--read-only" => load_options(&mut options).read_only = true,
                "--seed" => options.seed = number(value(), "--seed") as u64,
                "--work" => options.work = PathBuf::from(value()),
                // cargo bench passes this to every bench target.
                "--bench" => {}
                other => panic!(
                    "unknown option {other} (crash [--cycles N], load [--stories N --seconds S --clients C --rate R --read-only])"
                ),
            }
        }
        options
    }
}

fn load_options(options: &mut Options) -> &mut load::Options {
    options
        .load
        .as_mut()
        .expect("--stories, --seconds, --clients and --rate come after `load`")
}

fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    anyhow::ensure!(
        options.crash.is_some() || options.load.is_some(),
        "say what to run: crash [--cycles N] and/or load [--stories N --seconds S]"
    );
    // Another build can be measured against this one (VERHALENBANK_BINARY=path), on the same corpus.
    let binary = verhalenbank_dev::product_binary()?;
    println!("# Reliability benchmark\n");
    let mut failures = Vec::new();
    if let Some(cycles) = options.crash {
        let report = crash::run(&binary, &options.work.join("crash"), cycles, options.seed)?;
        println!("## Crash test: {cycles} SIGKILL cycles, 8 concurrent submitters\n");
        println!("| measured | figure |\n| --- | --- |");
        println!(
            "| kills | {} while submitting, {} while starting (opening the store, healing the index) |",
            report.kills_while_submitting, report.kills_while_starting
        );
        println!(
            "| stories acknowledged | {} |\n| acknowledged, lost from the store | {} |\n| acknowledged, not found by search within 5 s of restart | {} |",
            report.acknowledged, report.lost, report.unfindable
        );
        println!(
            "| stored but never acknowledged (cut off by the kill) | {} |",
            report.unacknowledged_but_stored
        );
        println!(
            "| restart until the server answers: p50 / max | {} / {} |",
            millis(report.ready.p50),
            millis(report.ready.max)
        );
        println!(
            "| restart until every story of the cycle before is found: p50 / max | {} / {} |\n",
            millis(report.recovered.p50),
            millis(report.recovered.max)
        );
        if report.lost + report.unfindable > 0 {
            failures.push(format!(
                "{} acknowledged stories lost, {} not findable in time",
                report.lost, report.unfindable
            ));
        }
    }
    if let Some(load) = &options.load {
        let report = load::run(
            &binary,
            &options.work.join(format!("load-{}", load.stories)),
            load,
        )?;
        println!(
            "## Load test: {} clients, {:.0} requests/s for {} s, {} stories{}\n",
            load.clients,
            load.rate,
            load.seconds,
            load.stories,
            if load.read_only {
                ", read only (searches instead of submissions)"
            } else {
                ""
            }
        );
        println!("```\n{}```\n", load::describe(&report));
        let growth = report.anon_late as f64 / report.anon_early.max(1) as f64;
        println!(
            "target p99 ≤200 ms: {}; 0 errors: {}; growth of the server's own memory from the first to the last quarter {:+.1}%\n",
            if report.all.p99 <= Duration::from_millis(200) {
                "✓"
            } else {
                "✗"
            },
            if report.errors == 0 { "✓" } else { "✗" },
            (growth - 1.0) * 100.0
        );
        println!(
            "The server's memory second by second: {}\n",
            report.memory_series.display()
        );
        if report.errors > 0 {
            failures.push(format!("{} requests failed under load", report.errors));
        }
    }
    anyhow::ensure!(failures.is_empty(), "{}", failures.join("; "));
    Ok(())
}
