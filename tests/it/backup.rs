//! Backups: taken while the bank serves, restored into an empty folder, never bringing back a story
//! erased after they were made, and refused whole when damaged.

use std::path::Path;
use std::sync::Arc;

use verhalenbank::bank::Bank;
use verhalenbank::bank::backups::BackupPlan;
use verhalenbank::config::Config;
use verhalenbank::store::{ErasureReason, Store};
use verhalenbank::story::receipt::ReceiptCode;

use crate::support::{Server, read_tree, run, text};
use crate::web::TestApp;

/// Restores `file` with the real binary into a new folder under `parent`.
fn restore(file: &Path, parent: &Path, name: &str) -> (std::path::PathBuf, String) {
    let data = parent.join(name);
    let output = run(&data, &["restore", file.to_str().unwrap()]);
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    (data, said)
}

#[test]
fn a_backup_taken_under_concurrent_submissions_restores_to_a_consistent_bank() {
    let dir = tempfile::tempdir().unwrap();
    let bank = Arc::new(Bank::open(&Config::new(&dir.path().join("data"))).unwrap());
    const WRITERS: usize = 4;
    const EACH: usize = 40;
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let bank = bank.clone();
            std::thread::spawn(move || {
                for n in 0..EACH {
                    let story = verhalenbank::testing::story(
                        &format!("Schrijver {writer} verhaal {n}"),
                        &format!("Tekst {n} van schrijver {writer}."),
                    );
                    bank.submit(&story, Some(&ReceiptCode::generate())).unwrap();
                }
            })
        })
        .collect();
    // Backups while the writers write, until they are done.
    let mut backups = Vec::new();
    while writers.iter().any(|writer| !writer.is_finished()) || backups.len() < 3 {
        let path = dir.path().join(format!("b{}.backup", backups.len()));
        verhalenbank::bank::backups::write_backup_file(bank.raw_store(), &path).unwrap();
        backups.push(path);
    }
    for writer in writers {
        writer.join().unwrap();
    }
    let mut counts = Vec::new();
    for (n, backup) in backups.iter().enumerate() {
        let (data, _) = restore(backup, dir.path(), &format!("r{n}"));
        let store = Store::open(&Config::new(&data).store_path()).unwrap();
        let titles: std::collections::BTreeSet<String> =
            store.stories().map(|story| story.unwrap().title).collect();
        // One point in time: each writer's stories are the first k it wrote, never a gap.
        for writer in 0..WRITERS {
            let k = (0..EACH)
                .take_while(|n| titles.contains(&format!("Schrijver {writer} verhaal {n}")))
                .count();
            assert!(
                (k..EACH).all(|n| !titles.contains(&format!("Schrijver {writer} verhaal {n}"))),
                "backup {n}: writer {writer} has a gap after story {k}"
            );
        }
        // Every story's outbox entry and receipt code came with it, and no more.
        assert_eq!(store.last_outbox_seq().unwrap() as usize, titles.len());
        assert_eq!(store.receipt_count(), titles.len(), "backup {n}");
        counts.push(titles.len());
        drop(store);
        // The restored bank opens and searches every story.
        let restored = Bank::open(&Config::new(&data)).unwrap();
        let mut request =
            verhalenbank::index::SearchRequest::new("", verhalenbank::index::Scope::Municipality);
        request.per_page = 1;
        assert_eq!(restored.search(&request).unwrap().total, titles.len());
    }
    assert!(
        counts.windows(2).all(|pair| pair[0] <= pair[1]),
        "{counts:?}"
    );
}

#[test]
fn a_story_erased_after_a_backup_stays_erased_after_restoring_it() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let bank = Bank::open(&Config::new(&dir.path().join("data"))).unwrap();
    bank.set_backup_plan(BackupPlan {
        dir: backups.clone(),
        keep: 14,
    })
    .unwrap();
    let kept = verhalenbank::testing::story("Blijft", "Dit verhaal blijft bewaard.");
    let erased =
        verhalenbank::testing::story("Gaat weg", "Het woord zeldzaamkanarie staat hierin.");
    bank.submit(&kept, None).unwrap();
    bank.submit(&erased, Some(&ReceiptCode::generate()))
        .unwrap();
    let (file, summary) = bank.make_backup().unwrap();
    assert_eq!(summary.stories, 2);
    // The backup carries the story's record as the store keeps it, compressed: the word is in the
    // file only behind the compression, which the check on the restored folder below looks through.
    let carried = std::fs::read(&file.path).unwrap();
    assert!(!carried.windows(15).any(|w| w == b"zeldzaamkanarie"));
    assert!(
        verhalenbank::testing::with_frames_unpacked(&carried)
            .windows(15)
            .any(|w| w == b"zeldzaamkanarie")
    );
    assert!(
        bank.erase(
            erased.id,
            jiff::civil::date(2026, 12, 1),
            ErasureReason::WithdrawnByTeller
        )
        .unwrap()
    );
    drop(bank);

    let (data, said) = restore(&file.path, dir.path(), "teruggezet");
    assert!(said.contains("restored 1 stories"), "{said}");
    assert!(
        said.contains("left out 1 stories erased after the backup"),
        "{said}"
    );
    let store = Store::open(&Config::new(&data).store_path()).unwrap();
    assert!(store.get_story(erased.id).unwrap().is_none());
    assert!(store.get_story(kept.id).unwrap().is_some());
    assert!(store.is_erased(erased.id).unwrap());
    assert_eq!(
        store.erasures().unwrap()[0].date,
        jiff::civil::date(2026, 12, 1)
    );
    drop(store);
    // Its words are in no file of the restored folder, index included.
    Bank::open(&Config::new(&data)).unwrap();
    for (path, bytes) in read_tree(&data) {
        let bytes = verhalenbank::testing::with_frames_unpacked(&bytes);
        assert!(
            !bytes.windows(15).any(|w| w == b"zeldzaamkanarie"),
            "{} still holds the erased story's words",
            path.display()
        );
    }

    // Without the ledger beside it, the backup alone would bring the story back: the ledger is what
    // keeps it out.
    let elsewhere = dir.path().join("elders");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let copy = elsewhere.join("kopie.backup");
    std::fs::copy(&file.path, &copy).unwrap();
    let (_, said) = restore(&copy, dir.path(), "zonder-grootboek");
    assert!(said.contains("restored 2 stories"), "{said}");
    assert!(said.contains("no erasure ledger"), "{said}");
    let output = run(
        &dir.path().join("met-grootboek"),
        &[
            "restore",
            copy.to_str().unwrap(),
            "--ledger",
            backups.join("erasures.json").to_str().unwrap(),
        ],
    );
    assert!(
        text(&output).contains("left out 1 stories"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_damaged_backup_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bank = Bank::open(&Config::new(&data)).unwrap();
    bank.submit(&verhalenbank::testing::story("Een", "Een verhaal."), None)
        .unwrap();
    drop(bank);
    let file = dir.path().join("goed.backup");
    let output = run(&data, &["backup", "--out", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("backup of 1 stories"),
        "{}",
        text(&output)
    );
    let good = std::fs::read(&file).unwrap();

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let cut = good[..good.len() - 40].to_vec();
    for (name, bytes, expected) in [
        (
            "omgedraaid.backup",
            flipped,
            "the backup file is damaged: its checksum does not match",
        ),
        ("afgebroken.backup", cut, "the backup file is damaged"),
        (
            "anders.backup",
            b"id;naam\n1;iets\n".repeat(10),
            "not a Verhalenbank backup",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let target = dir.path().join(format!("doel-{name}"));
        let output = run(&target, &["restore", path.to_str().unwrap()]);
        assert!(!output.status.success(), "{name} restored");
        assert!(
            text(&output).contains(expected),
            "{name}: {}",
            text(&output)
        );
        // Nothing half-restored is left to trip the next try.
        assert!(!target.join("store").exists(), "{name}");
    }
    // A folder that holds something already is not overwritten.
    let output = run(&data, &["restore", file.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(text(&output).contains("is not empty"), "{}", text(&output));
}

#[test]
fn backups_while_serving_from_the_command_line_and_on_a_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    let server = Server::start(
        &data,
        &[
            "--backup-dir",
            backups.to_str().unwrap(),
            "--backup-every",
            "24h",
            "--backup-keep",
            "2",
        ],
        "warn",
    );
    // Asked of the running server through its control socket: the data folder is locked.
    let live = dir.path().join("nu.backup");
    let output = run(&data, &["backup", "--out", live.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("backup of the running bank"),
        "{}",
        text(&output)
    );
    server.stop();
    // The scheduled first backup was made soon after the start, with the ledger beside it.
    let scheduled = verhalenbank::bank::backups::backups_in(&backups).unwrap();
    assert!(!scheduled.is_empty());
    assert!(backups.join("erasures.json").exists());

    let stopped = dir.path().join("stil.backup");
    assert!(
        run(&data, &["backup", "--out", stopped.to_str().unwrap()])
            .status
            .success()
    );
    let export = |data: &Path, out: &Path| {
        let output = run(
            data,
            &["export", "--format", "json", "--out", out.to_str().unwrap()],
        );
        assert!(output.status.success(), "{}", text(&output));
        read_tree(out)
    };
    let original = export(&data, &dir.path().join("e1"));
    for (n, file) in [&live, &stopped, &scheduled[0].path]
        .into_iter()
        .enumerate()
    {
        let (restored, _) = restore(file, dir.path(), &format!("r{n}"));
        assert_eq!(
            export(&restored, &dir.path().join(format!("e-r{n}"))),
            original,
            "the bank restored from {} differs",
            file.display()
        );
    }
}

#[tokio::test]
async fn administrators_make_and_download_a_backup_on_beheer() {
    let app = TestApp::demo();
    app.login("beheerder").await;
    // Without a backup folder the page says how to turn backups on, and there is nothing to make.
    let (_, page) = app.get("/beheer").await;
    assert!(page.contains("Back-ups staan uit"), "{page}");
    assert_eq!(app.post_form("/beheer/back-up", &[]).await.0, 404);

    let folder = tempfile::tempdir().unwrap();
    app.bank
        .set_backup_plan(BackupPlan {
            dir: folder.path().to_path_buf(),
            keep: 2,
        })
        .unwrap();
    let (_, page) = app.get("/beheer").await;
    assert!(page.contains("Er is nog geen back-up"), "{page}");
    assert_eq!(app.get("/beheer/back-up/nieuwste").await.0, 404);
    let mut names = Vec::new();
    for _ in 0..3 {
        let (status, _, page) = app.post_form("/beheer/back-up", &[]).await;
        assert_eq!(status, 200, "{page}");
        let name = page
            .split("De back-up ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .to_string();
        names.push(name);
    }
    // The newest two are kept.
    let kept: Vec<String> = verhalenbank::bank::backups::backups_in(folder.path())
        .unwrap()
        .into_iter()
        .map(|file| file.name)
        .collect();
    assert_eq!(kept, vec![names[2].clone(), names[1].clone()]);
    let (status, headers, body) = app
        .send(
            axum::http::Request::get("/beheer/back-up/nieuwste")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&names[2])
    );
    assert!(body.starts_with("VERHALENBANK-BACKUP\n"));
    // Both are in the audit log, by file name.
    let (_, page) = app.get("/beheer").await;
    assert!(page.contains("Back-up gemaakt"), "{page}");
    assert!(page.contains("Back-up gedownload"), "{page}");
    assert!(page.contains(&format!("backup:{}", names[2])), "{page}");
    // Analysts may not.
    app.login("analist").await;
    assert_eq!(app.post_form("/beheer/back-up", &[]).await.0, 403);
}
