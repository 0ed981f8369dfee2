//! Unit tests of the store: records round trip, the outbox follows every write, format versions guard
//! the data.

use super::*;
use crate::evidence::Period;
use crate::ids::{AreaId, IndicatorId, SubgoalId};
use crate::testing;

fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    (dir, store)
}

#[test]
fn stories_round_trip_and_feed_the_outbox() {
    let (_dir, store) = open_temp();
    let mut story = testing::story(
        "Weer onder de mensen",
        "Ik ga elke dinsdag naar de koffie-inloop.",
    );
    story.subgoals = vec![SubgoalId::parse("sterker-netwerk").unwrap()];
    story.area = Some(AreaId::parse("de-hoven").unwrap());
    story.tags = vec!["koffie".to_string()];
    let first = store.put_story(&story).unwrap();
    assert_eq!(store.get_story(story.id).unwrap(), Some(story.clone()));

    let other = testing::story("Hulp bij de post", "Meneer krijgt veel brieven.");
    let second = store.put_story(&other).unwrap();
    assert!(second > first);
    assert_eq!(store.story_count(), 2);

    let outbox = store.outbox_after(0, 10).unwrap();
    let ops: Vec<_> = outbox
        .iter()
        .map(|(_, entry)| (entry.story, entry.op))
        .collect();
    assert_eq!(
        ops,
        vec![(story.id, OutboxOp::Upsert), (other.id, OutboxOp::Upsert)]
    );
    assert_eq!(store.outbox_after(first, 10).unwrap().len(), 1);
    assert_eq!(store.last_outbox_seq().unwrap(), second);

    assert!(
        store
            .erase_story(
                story.id,
                jiff::civil::date(2026, 1, 1),
                crate::store::ErasureReason::ErasedByStaff
            )
            .unwrap()
    );
    assert_eq!(store.get_story(story.id).unwrap(), None);
    let last = store.outbox_after(second, 10).unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(
        last[0].1,
        OutboxEntry {
            story: story.id,
            op: OutboxOp::Erase
        }
    );

    store.prune_outbox(second).unwrap();
    assert_eq!(store.outbox_after(0, 10).unwrap().len(), 1);
}

#[test]
fn receipts_find_their_story_and_leave_with_it() {
    let (_dir, store) = open_temp();
    let story = testing::story("Mijn verhaal", "Ik vertel het via het formulier.");
    let code = crate::story::receipt::ReceiptCode::generate();
    store.put_story_with_receipt(&story, &code.hash()).unwrap();
    assert_eq!(
        store.story_by_receipt(&code.hash()).unwrap(),
        Some(story.clone())
    );
    let other = crate::story::receipt::ReceiptCode::generate();
    assert_eq!(store.story_by_receipt(&other.hash()).unwrap(), None);
    store
        .erase_story(
            story.id,
            jiff::civil::date(2026, 1, 1),
            crate::store::ErasureReason::ErasedByStaff,
        )
        .unwrap();
    assert_eq!(store.story_by_receipt(&code.hash()).unwrap(), None);
    assert!(store.t().receipts.is_empty());
}

#[test]
fn settings_and_measurements_round_trip() {
    let (_dir, store) = open_temp();
    assert!(store.is_empty());
    store.set_municipality(&testing::municipality()).unwrap();
    store.set_goal_tree(&testing::goal_tree()).unwrap();
    assert_eq!(store.municipality().unwrap(), Some(testing::municipality()));
    assert_eq!(store.goal_tree().unwrap(), Some(testing::goal_tree()));

    let measurement = Measurement {
        indicator: IndicatorId::parse("bezoekers-koffie-inloop").unwrap(),
        period: Period::Quarter(2025, 1),
        area: None,
        value: 42.5,
        numerator: None,
        denominator: None,
        source: Some("Registratie".to_string()),
    };
    store
        .put_measurements(std::slice::from_ref(&measurement))
        .unwrap();
    let replaced = Measurement {
        value: 43.0,
        ..measurement.clone()
    };
    store
        .put_measurements(std::slice::from_ref(&replaced))
        .unwrap();
    assert_eq!(store.measurements().unwrap(), vec![replaced]);
}

#[test]
fn settings_changes_are_counted_and_pruning_remembered() {
    let (_dir, store) = open_temp();
    assert_eq!(store.settings_version().unwrap(), 0);
    store.set_goal_tree(&testing::goal_tree()).unwrap();
    store.set_goal_tree(&testing::goal_tree()).unwrap();
    assert_eq!(
        store.settings_version().unwrap(),
        1,
        "an unchanged tree is no change"
    );
    store.set_municipality(&testing::municipality()).unwrap();
    assert_eq!(store.settings_version().unwrap(), 2);

    let seq = store.put_story(&testing::story("Titel", "Tekst")).unwrap();
    assert!(store.wait_for_outbox_after(seq - 1, std::time::Duration::ZERO));
    assert!(!store.wait_for_outbox_after(seq, std::time::Duration::from_millis(1)));
    store.prune_outbox(seq).unwrap();
    assert_eq!(store.outbox_pruned_through().unwrap(), seq);
}

#[test]
fn refuses_newer_and_unknown_formats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert(FORMAT_VERSION_KEY, &(FORMAT_VERSION + 1).to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let error = Store::open(&path).err().expect("newer format refused");
    assert!(matches!(error, StoreError::NewerFormat { .. }), "{error}");
    assert!(error.to_string().contains("newer Verhalenbank"));

    let other = dir.path().join("other");
    {
        let db = sled::open(&other).unwrap();
        db.insert(b"iets", b"anders").unwrap();
        db.flush().unwrap();
    }
    let error = Store::open(&other).err().expect("unknown format refused");
    assert!(matches!(error, StoreError::UnknownFormat), "{error}");
}

/// A store as format 2 left it: story records plain JSON, the format number 2. Made by writing with
/// this build and turning the records back into the JSON they hold.
fn format_2_store(path: &Path, stories: &[Story]) {
    let store = Store::open(path).unwrap();
    store.put_stories(stories).unwrap();
    let t = store.t();
    for item in t.stories.iter() {
        let (key, bytes) = item.unwrap();
        let json = compression::unpack(&bytes).unwrap().into_owned();
        assert!(json.starts_with(b"{"));
        t.stories.insert(key, json).unwrap();
    }
    t.meta
        .insert(FORMAT_VERSION_KEY, &2u32.to_be_bytes())
        .unwrap();
    t.db.flush().unwrap();
}

/// Whether every story record in the store at `path` is compressed.
fn all_packed(store: &Store) -> bool {
    store
        .t()
        .stories
        .iter()
        .values()
        .all(|bytes| compression::is_packed(&bytes.unwrap()))
}

#[test]
fn a_format_2_store_is_migrated_to_compressed_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let stories = [
        testing::story("Een", "Elke dinsdag koffie in de buurtkamer."),
        testing::story("Twee", "De wijkcoach kwam langs en nu durf ik weer."),
    ];
    format_2_store(&path, &stories);
    {
        // Plain records read as they are, before any migration.
        let db = sled::open(&path).unwrap();
        let tree = db.open_tree("stories").unwrap();
        let (_, bytes) = tree.first().unwrap().unwrap();
        assert!(!compression::is_packed(&bytes));
        let record: StoryRecord = decode(&bytes, "story").unwrap();
        assert!(stories.contains(&record.into_story().unwrap()));
    }

    let store = Store::open(&path).unwrap();
    assert_eq!(format_of(&store).unwrap(), Some(FORMAT_VERSION));
    assert!(all_packed(&store));
    for story in &stories {
        let read = store.get_story_versioned(story.id).unwrap().unwrap();
        assert_eq!(&read.item, story);
        assert_eq!(read.version, 1, "the migration keeps each record's version");
    }
    // Written again after the migration, compressed, at the next version.
    store.put_story(&stories[0]).unwrap();
    assert_eq!(
        store
            .get_story_versioned(stories[0].id)
            .unwrap()
            .unwrap()
            .version,
        2
    );
    assert!(all_packed(&store));
}

#[test]
fn a_migration_cut_short_by_a_crash_runs_again_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let story = testing::story("Blijft", "Dit verhaal blijft staan, na elke crash.");
    format_2_store(&path, std::slice::from_ref(&story));
    // Crashed while the migration's copy was being written: the old database is untouched, at
    // format 2, beside half a copy.
    let fresh = path.with_file_name("store.rewrite");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("db"), b"half a copy").unwrap();

    let store = Store::open(&path).unwrap();
    assert_eq!(format_of(&store).unwrap(), Some(FORMAT_VERSION));
    assert!(all_packed(&store));
    assert_eq!(store.get_story(story.id).unwrap(), Some(story.clone()));
    assert!(!fresh.exists());
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_story(story.id).unwrap(), Some(story));
}

#[test]
fn damaged_records_are_reported_not_panicked_on() {
    let (_dir, store) = open_temp();
    let story = testing::story("Titel", "Tekst");
    store.put_story(&story).unwrap();
    store
        .t()
        .stories
        .insert(
            story.id.as_bytes(),
            b"{\"v\":\"1\",\"id\":\"x\"}".as_slice(),
        )
        .unwrap();
    let error = store.get_story(story.id).unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
}

#[test]
fn a_bsn_never_reaches_the_disk() {
    let (dir, store) = open_temp();
    let mut story = testing::story(
        "Brief over 111222333",
        "Mijn BSN is 123.456.782 en dat vroegen ze drie keer. Mijn klantnummer 123456789 klopt niet als BSN.",
    );
    story.teller_name = Some("Mevrouw A (bsn 111 222 333)".to_string());
    story.moderation = crate::story::Moderation::Rejected("bevat BSN 123456782".to_string());
    store.put_story(&story).unwrap();
    let read = store.get_story(story.id).unwrap().unwrap();
    assert_eq!(read.title, "Brief over [BSN]");
    assert_eq!(
        read.text.as_str(),
        "Mijn BSN is [BSN] en dat vroegen ze drie keer. Mijn klantnummer 123456789 klopt niet als BSN."
    );
    assert_eq!(read.teller_name.as_deref(), Some("Mevrouw A (bsn [BSN])"));
    assert_eq!(
        read.moderation,
        crate::story::Moderation::Rejected("bevat BSN [BSN]".to_string())
    );
    drop(store);
    // The files are read with the compressed records unpacked: the text that stays is found there.
    assert!(!testing::files_holding(dir.path(), b"klantnummer 123456789").is_empty());
    for entry in walkdir::WalkDir::new(dir.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = testing::with_frames_unpacked(&std::fs::read(entry.path()).unwrap());
            let text = String::from_utf8_lossy(&bytes);
            for bsn in ["111222333", "123.456.782", "123456782", "111 222 333"] {
                assert!(
                    !text.contains(bsn),
                    "{} holds {bsn}",
                    entry.path().display()
                );
            }
        }
    }
}

#[test]
fn an_erasure_rewrites_the_database_and_sequence_numbers_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let store = Store::open(&path).unwrap();
    let keep = testing::story("Blijft", "Dit verhaal blijft staan.");
    let gone = testing::story("Weg", "Mijn geheime woord is Snorrelpiet.");
    store.put_stories(&[keep.clone(), gone.clone()]).unwrap();
    assert!(!testing::files_holding(&path, b"Snorrelpiet").is_empty());
    let before = store.last_outbox_seq().unwrap();
    store.prune_outbox(before).unwrap();
    assert!(
        store
            .erase_story(
                gone.id,
                jiff::civil::date(2026, 2, 3),
                ErasureReason::WithdrawnByTeller
            )
            .unwrap()
    );
    assert!(
        !store
            .erase_story(
                gone.id,
                jiff::civil::date(2026, 2, 3),
                ErasureReason::WithdrawnByTeller
            )
            .unwrap(),
        "erasing twice finds nothing the second time"
    );
    // The erase entry follows on from the pruned ones, after the rewrite too.
    let erased = store.outbox_after(before, 10).unwrap();
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].0, before + 1);
    assert_eq!(store.put_story(&keep).unwrap(), before + 2);
    assert_eq!(store.get_story(keep.id).unwrap(), Some(keep.clone()));
    assert_eq!(store.story_count(), 1);
    assert!(!path.with_file_name("store.old").exists());
    assert!(!path.with_file_name("store.rewrite").exists());
    assert_eq!(
        testing::files_holding(&path, b"Snorrelpiet"),
        Vec::<std::path::PathBuf>::new()
    );
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.put_story(&keep).unwrap(), before + 3);
    assert_eq!(
        store.erasures().unwrap(),
        vec![Erasure {
            story: gone.id,
            date: jiff::civil::date(2026, 2, 3),
            reason: ErasureReason::WithdrawnByTeller,
        }]
    );
}

#[test]
fn a_rewrite_cut_short_by_a_crash_is_finished_or_undone_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let story = testing::story("Blijft", "Dit verhaal blijft staan.");
    {
        let store = Store::open(&path).unwrap();
        store.put_story(&story).unwrap();
    }
    let fresh = path.with_file_name("store.rewrite");
    let old = path.with_file_name("store.old");

    // Crashed while copying: the half copy is thrown away, the store is as it was.
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("db"), b"half a copy").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_story(story.id).unwrap(), Some(story.clone()));
    assert!(!fresh.exists());
    drop(store);

    // Crashed between the two renames: the finished copy is put in place.
    std::fs::rename(&path, &fresh).unwrap();
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("db"), b"the old database").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_story(story.id).unwrap(), Some(story));
    assert!(!fresh.exists() && !old.exists());
}

#[test]
fn an_erasure_left_pending_by_a_crash_is_rewritten_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        store
            .put_story(&testing::story("Weg", "Kriebelsnuit"))
            .unwrap();
        let story = store.stories().next().unwrap().unwrap();
        // As if the process died after the erasure and before the rewrite.
        store.t().stories.remove(story.id.as_bytes()).unwrap();
        store.t().meta.insert(ERASURE_PENDING_KEY, &[1u8]).unwrap();
        store.flush().unwrap();
    }
    // The removed record is still in sled's log, compressed.
    assert!(!testing::files_holding(&path, b"Kriebelsnuit").is_empty());
    let store = Store::open(&path).unwrap();
    assert!(!store.t().meta.contains_key(ERASURE_PENDING_KEY).unwrap());
    drop(store);
    assert_eq!(
        testing::files_holding(&path, b"Kriebelsnuit"),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn an_erasure_gives_the_space_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let store = Store::open(&path).unwrap();
    let size = || -> u64 {
        walkdir::WalkDir::new(&path)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| entry.metadata().unwrap().len())
            .sum()
    };
    let small = testing::story("Klein", "Een kort verhaal.");
    store.put_story(&small).unwrap();
    let empty = size();
    // Large stories, each written a few times as moderation does. Their letters are drawn at random
    // (a fixed seed), so compressing the records cannot make them small.
    let mut seed: u64 = 7;
    let mut letters = |count: usize| -> String {
        (0..count)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                if i % 8 == 7 {
                    ' '
                } else {
                    char::from(b'a' + (seed >> 33) as u8 % 26)
                }
            })
            .collect()
    };
    let large: Vec<Story> = (0..4)
        .map(|n| testing::story(&format!("Groot {n}"), &letters(1_200_000)))
        .collect();
    for _ in 0..3 {
        store.put_stories(&large).unwrap();
    }
    let full = size();
    assert!(full > empty + 4_000_000, "{empty} → {full}");
    for story in &large {
        store
            .erase_story(
                story.id,
                jiff::civil::date(2026, 1, 1),
                ErasureReason::ErasedByStaff,
            )
            .unwrap();
    }
    let after = size();
    assert!(after < empty + 1_000_000, "{empty} → {full} → {after}");
    assert_eq!(store.get_story(small.id).unwrap(), Some(small));
}

#[test]
fn no_write_brings_an_erased_story_back() {
    let (_dir, store) = open_temp();
    let keep = testing::story("Blijft", "Dit verhaal blijft staan.");
    let gone = testing::story("Weg", "Dit verhaal wordt gewist.");
    store.put_stories(&[keep.clone(), gone.clone()]).unwrap();
    let date = jiff::civil::date(2026, 2, 3);
    assert!(
        store
            .erase_story(gone.id, date, ErasureReason::ErasedByStaff)
            .unwrap()
    );
    assert!(store.is_erased(gone.id).unwrap());
    let seq = store.last_outbox_seq().unwrap();

    // One story, many, or with a receipt: each refuses the erased id and writes nothing at all.
    let receipt = ReceiptHash([7; 32]);
    let refused = [
        store.put_story(&gone),
        store.put_stories(&[keep.clone(), gone.clone()]),
        store.put_story_with_receipt(&gone, &receipt),
    ];
    for result in refused {
        assert!(
            matches!(result, Err(StoreError::Erased(id)) if id == gone.id),
            "{result:?}"
        );
    }
    assert_eq!(store.get_story(gone.id).unwrap(), None);
    assert_eq!(store.story_by_receipt(&receipt).unwrap(), None);
    assert_eq!(
        store.last_outbox_seq().unwrap(),
        seq,
        "no outbox entry either"
    );

    // An import leaves it out and stores the rest.
    let mut changed = keep.clone();
    changed.title = "Blijft, veranderd".to_string();
    let (_, left_out) = store
        .put_stories_except_erased(&[changed.clone(), gone.clone()])
        .unwrap();
    assert_eq!(left_out, 1);
    assert_eq!(store.get_story(keep.id).unwrap(), Some(changed));
    assert_eq!(store.get_story(gone.id).unwrap(), None);
}

#[test]
fn of_many_changes_made_from_one_version_exactly_one_is_stored() {
    use crate::ids::RoundId;
    use crate::rounds::{Round, RoundPhase};
    let (_dir, store) = open_temp();
    let id = RoundId::parse("minder-alleen").unwrap();
    store
        .put_round(&Round {
            id: id.clone(),
            title: "Minder alleen".to_string(),
            question: "Wat helpt?".to_string(),
            from: jiff::civil::date(2025, 1, 1),
            to: jiff::civil::date(2025, 12, 31),
            providers: vec![],
            areas: vec![],
            subgoals: vec![],
            phase: RoundPhase::Collect,
            code: "abc234".to_string(),
            significant: vec![],
            synthesis: None,
            feedback: None,
            themes: vec![],
        })
        .unwrap();
    let read_at = store.round_versioned(&id).unwrap().unwrap().version;
    assert_eq!(read_at, 1);

    // Eight people save at once, each from the version they all read.
    let outcomes: Vec<Update> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|n| {
                let (store, id) = (&store, &id);
                scope.spawn(move || {
                    store
                        .update_round(id, read_at, |round| {
                            round.synthesis = Some(format!("versie {n}"))
                        })
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let done = outcomes
        .iter()
        .filter(|o| matches!(o, Update::Done { version: 2 }))
        .count();
    assert_eq!(done, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Update::Done { .. } | Update::Stale))
    );
    let stored = store.round_versioned(&id).unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert!(stored.item.synthesis.is_some());
    let missing = RoundId::parse("bestaat-niet").unwrap();
    assert_eq!(
        store.update_round(&missing, 0, |_| {}).unwrap(),
        Update::Missing
    );

    // Stories too: a write from an old version is refused, a fresh one goes on.
    let story = testing::story("Titel", "Tekst");
    store.put_story(&story).unwrap();
    let first = store
        .get_story_versioned(story.id)
        .unwrap()
        .unwrap()
        .version;
    store.put_story(&story).unwrap();
    assert!(matches!(
        store.put_story_checked(&story, first),
        Err(StoreError::Changed(_))
    ));
    store.put_story_checked(&story, first + 1).unwrap();
    assert_eq!(
        store
            .get_story_versioned(story.id)
            .unwrap()
            .unwrap()
            .version,
        first + 2
    );
}

#[test]
fn a_round_stored_before_themes_existed_reads_with_none_and_keeps_them_once_set() {
    use crate::ids::RoundId;
    let (_dir, store) = open_temp();
    // A round record as the released format wrote it, without `themes`.
    let old = br#"{"v":"1","version":3,"id":"minder-alleen","title":"Minder alleen","question":"Wat helpt?","from":"2025-01-01","to":"2025-12-31","phase":"collect","code":"abc234"}"#;
    store
        .t()
        .rounds
        .insert("minder-alleen".as_bytes(), old.as_slice())
        .unwrap();
    let id = RoundId::parse("minder-alleen").unwrap();
    let read = store.round_versioned(&id).unwrap().unwrap();
    assert!(read.item.themes.is_empty());
    let story = crate::story::StoryId::parse("6b0f0e51-2a55-4c2b-9a8e-2f1d7c3a9b01").unwrap();
    let kept = crate::rounds::themes::KeptTheme {
        number: 1,
        name: Some("<b>Vervoer</b>".to_string()),
        stories: vec![story],
        dropped: false,
    };
    let theme = kept.clone();
    let update = store
        .update_round(&id, read.version, move |round| round.themes = vec![theme])
        .unwrap();
    assert!(matches!(update, Update::Done { .. }));
    assert_eq!(store.round(&id).unwrap().unwrap().themes, vec![kept]);
}
