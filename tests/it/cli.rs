//! The import, export and redact commands, driven through the real binary as an operator would.

use super::support::{fixture_folder, read_tree, repo_root, run, story_file, text};

#[test]
fn import_export_import_gives_the_same_bank() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 12);
    let (first, second) = (temp.path().join("a"), temp.path().join("b"));
    let (export_a, export_b) = (temp.path().join("export-a"), temp.path().join("export-b"));

    let output = run(&first, &["import", source.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported 12 stories and 2 measurements"),
        "{}",
        text(&output)
    );

    let output = run(
        &first,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            export_a.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = run(&second, &["import", export_a.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let output = run(
        &second,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            export_b.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));

    let (a, b) = (read_tree(&export_a), read_tree(&export_b));
    assert_eq!(a.len(), 12 + 3);
    assert_eq!(a, b);
}

#[test]
fn importing_twice_is_idempotent() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 5);
    let data = temp.path().join("data");
    for _ in 0..2 {
        let output = run(&data, &["import", source.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output));
    }
    let out = temp.path().join("export");
    run(
        &data,
        &["export", "--format", "json", "--out", out.to_str().unwrap()],
    );
    let stories: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stories.json")).unwrap()).unwrap();
    assert_eq!(stories.as_array().unwrap().len(), 5);
}

#[test]
fn a_malformed_file_is_reported_and_the_good_ones_are_kept() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 6);
    std::fs::write(
        source.join("stories").join("zz-kapot.md"),
        "+++\ntitle = \"kapot\ndate = 2024-13-45\n+++\nTekst.\n",
    )
    .unwrap();
    std::fs::write(
        source.join("stories").join("zz-onbekend-subdoel.md"),
        story_file("Onbekend", "subgoals = [\"bestaat-niet\"]\n", "Tekst."),
    )
    .unwrap();
    let data = temp.path().join("data");
    let output = run(&data, &["import", source.to_str().unwrap()]);
    let report = text(&output);
    assert!(!output.status.success(), "{report}");
    assert!(report.contains("zz-kapot.md:2: field title:"), "{report}");
    assert!(
        report.contains("zz-onbekend-subdoel.md:7: field subgoals: unknown subgoal bestaat-niet"),
        "{report}"
    );
    assert!(report.contains("imported 6 stories"), "{report}");

    let out = temp.path().join("export");
    run(
        &data,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read_dir(out.join("stories")).unwrap().count(), 6);
}

#[test]
fn export_refuses_a_folder_that_is_not_empty() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("export");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("oud.md"), "oud").unwrap();
    let output = run(
        &temp.path().join("data"),
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(text(&output).contains("is not empty"), "{}", text(&output));
}

#[test]
fn csv_export_opens_in_dutch_spreadsheets() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 2);
    std::fs::write(
        source.join("stories").join("formule.md"),
        story_file(
            "=HYPERLINK(\\\"http://x\\\")",
            "",
            "Tekst met ; en \"quotes\".",
        ),
    )
    .unwrap();
    let data = temp.path().join("data");
    assert!(
        run(&data, &["import", source.to_str().unwrap()])
            .status
            .success()
    );
    let out = temp.path().join("csv");
    assert!(
        run(
            &data,
            &["export", "--format", "csv", "--out", out.to_str().unwrap()]
        )
        .status
        .success()
    );
    let stories = std::fs::read(out.join("stories.csv")).unwrap();
    assert!(stories.starts_with("\u{feff}id;title;".as_bytes()));
    let stories = String::from_utf8(stories).unwrap();
    assert!(stories.contains(";\"'=HYPERLINK"), "{stories}");
    let measurements = std::fs::read_to_string(out.join("measurements.csv")).unwrap();
    assert!(
        measurements.contains("bezoekers-koffie-inloop;2025-Q2;;130,5;"),
        "{measurements}"
    );

    // The spreadsheet export reads back in: same stories, formula protection undone.
    let again = temp.path().join("again");
    let output = run(
        &again,
        &[
            "import",
            source.join("municipality.toml").to_str().unwrap(),
            source.join("goals.toml").to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported 3 stories and 2 measurements"),
        "{}",
        text(&output)
    );
}

#[test]
fn the_demo_municipality_round_trips() {
    let temp = tempfile::tempdir().unwrap();
    let sample = repo_root().join("stories-sample");
    let (first, second) = (temp.path().join("a"), temp.path().join("b"));
    let (export_a, export_b) = (temp.path().join("export-a"), temp.path().join("export-b"));
    let output = run(&first, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    run(
        &first,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            export_a.to_str().unwrap(),
        ],
    );
    assert!(
        run(&second, &["import", export_a.to_str().unwrap()])
            .status
            .success()
    );
    run(
        &second,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            export_b.to_str().unwrap(),
        ],
    );
    let exported = read_tree(&export_a);
    assert!(
        exported.len() >= 80 + 3,
        "only {} files in the demo export",
        exported.len()
    );
    assert_eq!(exported, read_tree(&export_b));
}

/// A CSV file of an export: its header and rows, after the byte order mark.
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let text = std::str::from_utf8(&bytes)
        .unwrap()
        .strip_prefix('\u{feff}')
        .expect("a byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_export_of_the_demo_holds_interpretations_and_actions() {
    let temp = tempfile::tempdir().unwrap();
    let sample = repo_root().join("stories-sample");
    let data = temp.path().join("data");
    assert!(
        run(&data, &["import", sample.to_str().unwrap()])
            .status
            .success()
    );
    let out = temp.path().join("csv");
    let output = run(
        &data,
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("2 interpretations and 3 actions"),
        "{}",
        text(&output)
    );

    let (columns, rows) = read_csv(&out.join("interpretations.csv"));
    assert_eq!(
        columns,
        [
            "id",
            "indicator",
            "area",
            "period",
            "date",
            "participants",
            "recognise",
            "explain",
            "value",
            "improve",
            "stories",
            "session"
        ]
    );
    assert_eq!(rows.len(), 2);
    let koffie = rows
        .iter()
        .find(|row| row[1] == "bezoekers-koffie-inloop")
        .unwrap();
    assert_eq!(
        (&koffie[2][..], &koffie[3][..], &koffie[4][..]),
        ("noord", "2025", "2026-03-10")
    );
    assert!(koffie[9].starts_with("Een telefoonketen"), "{koffie:?}");

    let (columns, rows) = read_csv(&out.join("actions.csv"));
    assert_eq!(
        columns,
        [
            "id",
            "title",
            "owner",
            "due",
            "status",
            "overdue",
            "indicator",
            "area",
            "session",
            "outcome",
            "created"
        ]
    );
    assert_eq!(rows.len(), 3);
    let done = rows.iter().find(|row| row[4] == "done").unwrap();
    assert_eq!(done[3], "2026-05-31");
    assert_eq!(done[5], "nee", "a finished action is never overdue");
    assert!(rows.iter().all(|row| row[5] == "ja" || row[5] == "nee"));

    // The export folder imports again: stories and figures are read, the two tables for reading are
    // skipped (sessions.toml carries interpretations and actions).
    let again = temp.path().join("again");
    let output = run(
        &again,
        &[
            "import",
            sample.join("municipality.toml").to_str().unwrap(),
            sample.join("goals.toml").to_str().unwrap(),
            sample.join("sessions.toml").to_str().unwrap(),
            sample.join("rounds.toml").to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("skipped 2 files"),
        "{}",
        text(&output)
    );
}

#[test]
fn xlsx_export_writes_one_workbook_with_a_sheet_per_table() {
    use calamine::{Data, Reader};
    let temp = tempfile::tempdir().unwrap();
    let sample = repo_root().join("stories-sample");
    let data = temp.path().join("data");
    assert!(
        run(&data, &["import", sample.to_str().unwrap()])
            .status
            .success()
    );
    let out = temp.path().join("xlsx");
    let output = run(
        &data,
        &["export", "--format", "xlsx", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output));
    let files: Vec<_> = read_tree(&out).into_iter().map(|(path, _)| path).collect();
    assert_eq!(files, [std::path::PathBuf::from("verhalenbank.xlsx")]);

    let mut workbook =
        calamine::open_workbook::<calamine::Xlsx<_>, _>(out.join("verhalenbank.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["verhalen", "metingen", "duidingen", "acties"]
    );
    let header = |range: &calamine::Range<Data>| -> Vec<String> {
        range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|cell| cell.to_string())
            .collect()
    };

    let stories = workbook.worksheet_range("verhalen").unwrap();
    let columns = header(&stories);
    assert_eq!(&columns[..3], ["id", "title", "date"]);
    let title = columns.iter().position(|c| c == "title").unwrap();
    let date = columns.iter().position(|c| c == "date").unwrap();
    let row = stories
        .rows()
        .find(|row| {
            row[title] == Data::String("Waarom ik patiënten doorverwijs naar Fit in de Wijk".into())
        })
        .expect("a Dutch title with its diaeresis intact");
    assert!(matches!(row[date], Data::DateTime(_)), "{:?}", row[date]);
    assert!(stories.rows().count() > 80);

    let figures = workbook.worksheet_range("metingen").unwrap();
    assert_eq!(
        header(&figures),
        [
            "indicator",
            "period",
            "area",
            "value",
            "numerator",
            "denominator",
            "source"
        ]
    );
    assert!(
        figures
            .rows()
            .skip(1)
            .all(|row| matches!(row[3], Data::Float(_)))
    );

    let interpretations = workbook.worksheet_range("duidingen").unwrap();
    assert_eq!(interpretations.rows().count(), 1 + 2);
    assert_eq!(header(&interpretations)[6], "recognise");

    let actions = workbook.worksheet_range("acties").unwrap();
    assert_eq!(actions.rows().count(), 1 + 3);
    assert_eq!(header(&actions)[5], "overdue");
    assert!(
        actions
            .rows()
            .skip(1)
            .all(|row| matches!(row[3], Data::DateTime(_)))
    );
}

#[test]
fn accounts_are_added_listed_and_removed_from_the_command_line() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    assert!(
        run(&data, &["import", sample.to_str().unwrap()])
            .status
            .success()
    );

    let output = run(
        &data,
        &[
            "user",
            "add",
            "jet",
            "--role",
            "admin",
            "--display-name",
            "Jet de Vries",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let shown = text(&output);
    let password = shown
        .lines()
        .find_map(|line| line.strip_prefix("password (shown only now): "))
        .expect("a made password is shown once")
        .to_string();
    let output = run(
        &data,
        &[
            "user",
            "add",
            "piet",
            "--role",
            "aanbieder",
            "--provider",
            "buurtwerk",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));

    for (args, message) in [
        (
            vec!["user", "add", "jet", "--role", "admin"],
            "an account named jet already exists",
        ),
        (
            vec!["user", "add", "kees", "--role", "gast"],
            "expected admin, analyst, facilitator or provider",
        ),
        (
            vec!["user", "add", "kees", "--role", "provider"],
            "provider staff must belong to a provider",
        ),
        (
            vec![
                "user",
                "add",
                "kees",
                "--role",
                "provider",
                "--provider",
                "nergens",
            ],
            "expected a provider id from municipality.toml",
        ),
        (
            vec!["user", "add", "Kees Kip", "--role", "analyst"],
            "is not a valid login name",
        ),
    ] {
        let output = run(&data, &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            text(&output).contains(message),
            "{args:?}: {}",
            text(&output)
        );
    }

    let list = text(&run(&data, &["user", "list"]));
    assert!(list.contains("jet\tadmin\tJet de Vries"), "{list}");
    assert!(list.contains("piet\tprovider buurtwerk\tpiet"), "{list}");
    assert!(!list.contains(&password), "passwords are never listed");
    // Only the hash is on disk: the password appears in no file of the data folder.
    for (path, bytes) in read_tree(&data) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&password),
            "{} holds the password",
            path.display()
        );
    }
    // The changes /beheer makes, from the command line too.
    let last = run(&data, &["user", "disable", "jet"]);
    assert!(!last.status.success());
    assert!(
        text(&last).contains("last administrator"),
        "{}",
        text(&last)
    );
    assert!(run(&data, &["user", "disable", "piet"]).status.success());
    assert!(
        text(&run(&data, &["user", "list"])).contains("piet\tprovider buurtwerk\tpiet\tdisabled")
    );
    assert!(run(&data, &["user", "enable", "piet"]).status.success());
    let role = run(&data, &["user", "role", "piet", "--role", "analist"]);
    assert!(
        text(&role).contains("piet is now analyst"),
        "{}",
        text(&role)
    );
    assert!(text(&run(&data, &["user", "list"])).contains("piet\tanalyst\tpiet\n"));
    assert!(run(&data, &["user", "remove", "piet"]).status.success());
    assert!(!text(&run(&data, &["user", "list"])).contains("piet"));
}

/// Runs `verhalenbank redact` with `input` on standard input.
fn redact(data: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
        .arg("--data-dir")
        .arg(data)
        .arg("redact")
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the verhalenbank binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn redact_suggests_and_applies_without_a_data_folder() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("nergens");
    let story = "Cliënt Jan Kloosterboer woont op Kerkweg 3a, 7411 AB Veenstede; bel 06-12345678.";

    let output = redact(&data, &[], story);
    assert!(output.status.success(), "{}", text(&output));
    let suggestions: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let kinds: Vec<&str> = suggestions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["name", "address", "postcode", "phone"]);
    assert_eq!(suggestions[0]["start"], 7);
    assert_eq!(suggestions[0]["end"], 23);
    assert_eq!(suggestions[0]["text"], "Jan Kloosterboer");

    let output = redact(&data, &["--apply"], story);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "Cliënt [naam] woont op [adres], [postcode] Veenstede; bel [telefoonnummer]."
    );
    assert!(
        !data.exists(),
        "redact must not create or open a data folder"
    );
}

#[test]
fn redact_evaluates_a_set() {
    let temp = tempfile::tempdir().unwrap();
    let set = repo_root().join("tests/redaction/sentences.toml");
    let output = redact(
        &temp.path().join("data"),
        &["--evaluate", set.to_str().unwrap()],
        "",
    );
    assert!(output.status.success(), "{}", text(&output));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("sentences") && report.contains("overall"),
        "{report}"
    );
}

#[test]
fn figures_are_read_as_dutch_files_write_them_and_two_way_values_are_reported() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 0);
    // A Dutch file: the point separates thousands.
    std::fs::write(
        source.join("measurements.csv"),
        "indicator;period;area;value;numerator;denominator;source\nbezoekers-koffie-inloop;2019-Q1;;2.710;;;\nbezoekers-koffie-inloop;2019-Q2;;42,5;;;\n",
    )
    .unwrap();
    // A file that writes decimal points: 2.710 could be either, so it is refused and the rest counts.
    std::fs::write(
        source.join("export-elders.csv"),
        "indicator,period,area,value\nbezoekers-koffie-inloop,2020-Q1,,88.5\nbezoekers-koffie-inloop,2020-Q2,,2.710\nbezoekers-koffie-inloop,2020-Q3,,97\n",
    )
    .unwrap();
    let data = temp.path().join("data");
    let output = run(&data, &["import", source.to_str().unwrap()]);
    let report = text(&output);
    assert!(!output.status.success(), "{report}");
    assert!(
        report.contains(
            "export-elders.csv:3: field value: found \"2.710\", which could be 2710 or 2.71 because this file writes decimals with a point (line 2: \"88.5\")"
        ),
        "{report}"
    );
    assert!(report.contains("4 measurements"), "{report}");

    let out = temp.path().join("export");
    let output = run(
        &data,
        &["export", "--format", "json", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output));
    let figures: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("measurements.json")).unwrap()).unwrap();
    let mut values: Vec<(String, f64)> = figures
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["period"].as_str().unwrap().to_string(),
                m["value"].as_f64().unwrap(),
            )
        })
        .collect();
    values.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        values,
        [
            ("2019-Q1".to_string(), 2710.0),
            ("2019-Q2".to_string(), 42.5),
            ("2020-Q1".to_string(), 88.5),
            ("2020-Q3".to_string(), 97.0),
        ]
    );
}

#[test]
fn importing_an_export_made_before_an_erasure_says_what_it_left_out() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 4);
    let data = temp.path().join("data");
    let export = temp.path().join("export");
    let output = run(&data, &["import", source.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let output = run(
        &data,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            export.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));

    // One story is erased after the export was made.
    {
        let config = verhalenbank::config::Config::new(&data);
        let store = verhalenbank::store::Store::open(&config.store_path()).unwrap();
        let id = store.stories().next().unwrap().unwrap().id;
        let today = jiff::civil::date(2026, 11, 23);
        assert!(
            store
                .erase_story(id, today, verhalenbank::store::ErasureReason::ErasedByStaff)
                .unwrap()
        );
    }

    let output = run(&data, &["import", export.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported 3 stories"),
        "{}",
        text(&output)
    );
    assert!(
        text(&output).contains("left out 1 stories that were erased"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_bulk_import_gives_back_the_room_the_store_log_kept_and_keeps_every_story() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("bron");
    fixture_folder(&source, 1_000);
    // Stories of a few kilobytes of words drawn at random (a fixed seed), so that what the log keeps
    // shows even with the records compressed.
    let mut seed: u64 = 11;
    for n in 0..1_000 {
        let words: Vec<String> = (0..400)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let length = 3 + (seed >> 60) as usize % 6;
                (0..length)
                    .map(|i| char::from(b'a' + ((seed >> (8 + 5 * i)) % 26) as u8))
                    .collect()
            })
            .collect();
        let file = story_file(
            &format!("Verhaal {n}"),
            "area = \"de-hoven\"\nstatus = \"published\"\n",
            &words.join(" "),
        );
        std::fs::write(
            source.join("stories").join(format!("verhaal-{n:03}.md")),
            file,
        )
        .unwrap();
    }
    let data = temp.path().join("data");
    let output = run(&data, &["import", source.to_str().unwrap()]);
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    let line = said
        .lines()
        .find(|line| line.starts_with("the store was rewritten after the import"))
        .unwrap_or_else(|| panic!("a bulk import rewrites the store: {said}"));
    let sizes: Vec<f64> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    let [after, before] = sizes[..] else {
        panic!("two sizes in {line}")
    };
    assert!(after < before, "{line}");
    let out = temp.path().join("export");
    let output = run(
        &data,
        &["export", "--format", "json", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output));
    let stories: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stories.json")).unwrap()).unwrap();
    assert_eq!(stories.as_array().unwrap().len(), 1_000);

    // A small import leaves the store as it is.
    let small = temp.path().join("klein");
    fixture_folder(&small, 5);
    let output = run(
        &temp.path().join("data-klein"),
        &["import", small.to_str().unwrap()],
    );
    assert!(!text(&output).contains("rewritten"), "{}", text(&output));
}

#[test]
fn a_generated_practice_bank_is_the_same_for_a_seed_and_imports_whole() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let generate = |out: &std::path::Path, seed: &str| {
        let output = run(
            &data,
            &[
                "gen-corpus",
                "--stories",
                "120",
                "--seed",
                seed,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(output.status.success(), "{}", text(&output));
        assert!(
            text(&output).contains("wrote 120 stories"),
            "{}",
            text(&output)
        );
        read_tree(out)
    };
    let (a, b, c) = (
        temp.path().join("a"),
        temp.path().join("b"),
        temp.path().join("c"),
    );
    let first = generate(&a, "7");
    assert_eq!(first, generate(&b, "7"));
    assert_ne!(first, generate(&c, "8"));

    let output = run(&data, &["import", a.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported 120 stories"),
        "{}",
        text(&output)
    );
}
