//! Photos and spoken stories through the real router: the form with files (and without, as before),
//! clear errors per file in the resident's language, moderation with the reminder and the staff-only
//! recording, publication of the photo with its description and of the transcript (never the voice),
//! and erasure that leaves no byte of either in any file under the data folder.

use axum::http::{StatusCode, header};
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::receipt::ReceiptCode;

use super::support::read_tree;
use super::web::{TestApp, receipt_code};

/// Spelled by the recording's samples: found nowhere else.
const VOICE: &str = "Stemkanariefluit";
/// A word of the transcript staff write.
const TRANSCRIPT: &str = "Zwaluwstaartbrug";

fn holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    read_tree(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|window| window == needle))
        .map(|(path, _)| path.display().to_string())
        .collect()
}

fn story_of(app: &TestApp, code: &str) -> verhalenbank::story::Story {
    let code = ReceiptCode::parse(code).unwrap();
    app.bank
        .raw_store()
        .story_by_receipt(&code.hash())
        .unwrap()
        .unwrap()
}

const FIELDS: &[(&str, &str)] = &[
    ("gevoel", "positive"),
    ("toestemming", "public"),
    ("gebied", "de-hoven"),
];

#[tokio::test]
async fn a_story_without_files_is_told_as_before_in_both_encodings() {
    let app = TestApp::demo();
    let text = (
        "verhaal",
        "Ik ga elke week naar de koffie-inloop en ken nu mijn buren.",
    );
    let mut pairs = FIELDS.to_vec();
    pairs.push(text);
    let (status, _, body) = app.post_form("/vertel", &pairs).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A browser sends the form as multipart with empty file inputs.
    let (status, _, body) = app
        .post_multipart(
            "/vertel",
            &pairs,
            &[("foto1", "", b""), ("opname", "", b"")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let story = story_of(&app, &receipt_code(&body));
    let media = app.bank.media_of(story.id).unwrap();
    assert!(media.is_empty());
    // The form offers photos and a recording.
    let (_, page) = app.get("/vertel?taal=ar").await;
    assert!(page.contains(r#"enctype="multipart/form-data""#));
    assert!(page.contains(r#"accept="image/*""#));
    assert!(page.contains(r#"accept="audio/*" capture"#));
}

#[tokio::test]
async fn each_file_gets_its_own_error_in_the_residents_language() {
    let app = TestApp::demo();
    let before = app.bank.raw_store().story_count();
    let mut pairs = FIELDS.to_vec();
    pairs.push(("verhaal", "Een verhaal dat lang genoeg is om te tellen."));
    pairs.push(("foto1_beschrijving", "Een gif die zich als foto voordoet"));
    let photo = verhalenbank::testing::jpeg_with_exif(40, 30);
    let (status, _, body) = app
        .post_multipart(
            "/vertel?taal=tr",
            &pairs,
            &[
                // The name says JPEG, the bytes say GIF: the bytes count.
                ("foto1", "vakantie.jpg", b"GIF89a\x01\x00\x01\x00"),
                // A real photo without a description.
                ("foto2", "tuin.jpg", &photo),
                ("opname", "stem.m4a", b"this is no sound at all"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("okuyabildiğimiz bir fotoğraf değil"),
        "{body}"
    );
    assert!(
        body.contains("Fotoğrafta ne görüldüğünü bir cümleyle yazın"),
        "{body}"
    );
    assert!(
        body.contains("okuyabildiğimiz bir ses dosyası değil"),
        "{body}"
    );
    assert!(
        body.contains(r##"href="#foto1""##) && body.contains(r##"href="#foto2_beschrijving""##)
    );
    // The browser cannot keep the files: the page asks to choose them again, the text is kept.
    assert!(body.contains("yeniden seçin"), "{body}");
    assert!(body.contains("Een verhaal dat lang genoeg is"));
    assert_eq!(app.bank.raw_store().story_count(), before, "nothing stored");
}

#[tokio::test]
async fn a_photo_and_a_spoken_story_go_through_moderation_and_erasure_leaves_no_byte() {
    let app = TestApp::demo();
    let before = app.bank.raw_store().story_count();
    // The photo: a phone's JPEG with EXIF (camera name, orientation); the recording says VOICE.
    let photo = verhalenbank::testing::jpeg_with_exif(2000, 1000);
    let recording = verhalenbank::testing::wav_with(2, VOICE);
    let mut pairs = FIELDS.to_vec();
    pairs.push(("foto1_beschrijving", "De moestuin achter het buurthuis"));
    // Told by voice alone: no text.
    let (status, _, body) = app
        .post_multipart(
            "/vertel",
            &pairs,
            &[
                ("foto1", "IMG_0001.JPG", &photo),
                ("opname", "opname.wav", &recording),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = receipt_code(&body);
    let story = story_of(&app, &code);
    assert_eq!(app.bank.raw_store().story_count(), before + 1);
    let id = story.id;
    let media = app.bank.media_of(id).unwrap();
    let stored = &media.photos[0];
    assert!(
        !stored.jpeg.windows(9).any(|w| w == b"CanaryCam"),
        "EXIF left in"
    );
    assert_eq!(
        (stored.width, stored.height),
        (800, 1600),
        "upright and resized"
    );
    assert_eq!(media.recording.as_ref().unwrap().bytes, recording);
    assert_eq!(media.recording.as_ref().unwrap().seconds, Some(2));

    // Before moderation nobody outside sees the photo; the recording is never public.
    let (status, _) = app.get(&format!("/verhaal/{id}/foto/1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get(&format!("/moderatie/{id}/opname")).await;
    assert!(status.is_redirection(), "{status}");

    // The moderator sees the photo with the reminder and plays the recording.
    app.login("analist").await;
    let (status, page) = app.get(&format!("/moderatie/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"alt="De moestuin achter het buurthuis""#),
        "{page}"
    );
    assert!(page.contains("gezichten of huisnummers"), "{page}");
    assert!(page.contains(&format!(r#"src="/moderatie/{id}/opname" type="audio/wav""#)));
    let request = axum::http::Request::get(format!("/moderatie/{id}/opname"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "audio/wav");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with("-opname.wav\"")
    );
    // Without a transcript the story cannot be saved; with one it is published.
    let version = app.version_on(&format!("/moderatie/{id}")).await;
    let transcript =
        format!("Bij de {TRANSCRIPT} zaten we elke woensdag samen. Zo leerde ik de buurt kennen.");
    let fields = |text: String| {
        vec![
            ("versie".to_string(), version.clone()),
            ("titel".to_string(), "De moestuin".to_string()),
            ("datum".to_string(), story.date.to_string()),
            ("verhaal".to_string(), text),
            ("rol".to_string(), "resident".to_string()),
            ("gevoel".to_string(), "positive".to_string()),
            ("toestemming".to_string(), "public".to_string()),
            ("besluit".to_string(), "publish".to_string()),
        ]
    };
    let post = |pairs: Vec<(String, String)>| {
        let app = &app;
        async move {
            let borrowed: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post_form(&format!("/moderatie/{id}"), &borrowed).await
        }
    };
    let (status, _, _) = post(fields(String::new())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, body) = post(fields(transcript.clone())).await;
    assert!(status.is_redirection(), "{body}");
    app.logout_locally();
    app.index();

    // Public: the photo with its description, the transcript, and no voice anywhere.
    let (status, page) = app.get(&format!("/verhaal/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!(
        r#"<img src="/verhaal/{id}/foto/1" alt="De moestuin achter het buurthuis""#
    )));
    assert!(page.contains(TRANSCRIPT));
    assert!(!page.contains("opname"), "{page}");
    let request = axum::http::Request::get(format!("/verhaal/{id}/foto/1"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    let (status, _) = app.get(&format!("/moderatie/{id}/opname")).await;
    assert!(status.is_redirection(), "{status}");
    let search = SearchRequest::new(TRANSCRIPT, Scope::Public);
    assert_eq!(app.bank.search(&search).unwrap().total, 1);

    // Withdrawn: no file under the data folder holds a byte of the photo or the voice.
    let data = app.data_dir().to_path_buf();
    let jpeg_window = &stored.jpeg[stored.jpeg.len() / 2..stored.jpeg.len() / 2 + 64];
    assert!(
        !holding(&data, jpeg_window).is_empty(),
        "the photo is on disk at all"
    );
    assert!(
        !holding(&data, VOICE.as_bytes()).is_empty(),
        "the voice is on disk at all"
    );
    let (status, _, body) = app
        .post_form(
            "/mijn-verhaal/intrekken",
            &[("code", &code), ("bevestig", "ja")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(holding(&data, jpeg_window), Vec::<String>::new());
    assert_eq!(holding(&data, VOICE.as_bytes()), Vec::<String>::new());
    assert!(app.bank.media_of(id).unwrap().is_empty());
    let (status, _) = app.get(&format!("/verhaal/{id}/foto/1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_story_forms_take_large_bodies() {
    let app = TestApp::demo();
    // A photo of 2 MB is fine on /vertel (the photo itself is checked), and far too large elsewhere.
    let big = vec![b'x'; 2 * 1024 * 1024];
    let mut pairs = FIELDS.to_vec();
    pairs.push(("verhaal", "Een verhaal dat lang genoeg is om te tellen."));
    pairs.push(("foto1_beschrijving", "Ruis"));
    let (status, _, body) = app
        .post_multipart("/vertel", &pairs, &[("foto1", "ruis.jpg", &big)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("Dit is geen foto die wij kunnen lezen"),
        "{body}"
    );
    let big_text = "x".repeat(big.len());
    let (status, _, _) = app.post_form("/mijn-verhaal", &[("code", &big_text)]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A photo over its own limit is named as too large, not refused as a whole request.
    let huge = vec![0xFF; verhalenbank::media::MAX_PHOTO_BYTES + 1];
    let (status, _, body) = app
        .post_multipart("/vertel", &pairs, &[("foto1", "groot.jpg", &huge)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Deze foto is te groot"), "{body}");
}

/// A story with a photo and a recording, stored as the form stores it.
fn story_with_media(
    bank: &verhalenbank::bank::Bank,
    title: &str,
    marker: &str,
) -> verhalenbank::story::Story {
    let story =
        verhalenbank::testing::story(title, &format!("{title}: een verhaal met beeld en geluid."));
    let media = verhalenbank::media::StoryMedia {
        photos: vec![
            verhalenbank::media::read_photo(
                &verhalenbank::testing::jpeg_with_exif(64, 48),
                "Een bankje in het park",
            )
            .unwrap(),
        ],
        recording: Some(
            verhalenbank::media::read_recording(verhalenbank::testing::wav_with(1, marker))
                .unwrap(),
        ),
    };
    bank.submit_with_media(&story, &ReceiptCode::generate(), &media)
        .unwrap();
    story
}

#[test]
fn the_markdown_export_holds_the_files_beside_the_story_and_imports_them_again() {
    use verhalenbank::config::Config;
    let dir = tempfile::tempdir().unwrap();
    let bank = verhalenbank::bank::Bank::open(&Config::new(&dir.path().join("data"))).unwrap();
    let story = story_with_media(&bank, "Het park", VOICE);
    let stored = bank.media_of(story.id).unwrap();
    let out = dir.path().join("export");
    verhalenbank::export::export_on(
        bank.raw_store(),
        verhalenbank::export::ExportFormat::Markdown,
        &out,
        jiff::civil::date(2026, 12, 7),
    )
    .unwrap();
    let file = verhalenbank::story::file::story_file_name(&story);
    let folder = out.join("stories").join(file.trim_end_matches(".md"));
    assert!(folder.join("foto-1.jpg").is_file());
    assert_eq!(
        std::fs::read(folder.join("opname.wav")).unwrap(),
        stored.recording.as_ref().unwrap().bytes
    );
    let list = std::fs::read_to_string(folder.join("media.toml")).unwrap();
    assert!(
        list.contains(r#"beschrijving = "Een bankje in het park""#),
        "{list}"
    );

    let other = verhalenbank::store::Store::open(&dir.path().join("other")).unwrap();
    let report = verhalenbank::import::import_paths(
        &other,
        std::slice::from_ref(&out),
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let back = other.media(story.id).unwrap();
    assert_eq!(back.recording, stored.recording);
    assert_eq!(back.photos.len(), 1);
    assert_eq!(back.photos[0].alt, stored.photos[0].alt);
    assert_eq!(
        (back.photos[0].width, back.photos[0].height),
        (stored.photos[0].width, stored.photos[0].height)
    );
}

#[test]
fn a_backup_holds_the_files_and_restoring_it_after_an_erasure_leaves_them_out() {
    use verhalenbank::bank::backups::BackupPlan;
    use verhalenbank::config::Config;
    let dir = tempfile::tempdir().unwrap();
    let bank = verhalenbank::bank::Bank::open(&Config::new(&dir.path().join("data"))).unwrap();
    bank.set_backup_plan(BackupPlan {
        dir: dir.path().join("backups"),
        keep: 3,
    })
    .unwrap();
    let kept = story_with_media(&bank, "Blijft", "Blijvendgeluid");
    let erased = story_with_media(&bank, "Gaat weg", VOICE);
    let (file, _) = bank.make_backup().unwrap();
    bank.erase(
        erased.id,
        jiff::civil::date(2026, 12, 7),
        verhalenbank::store::ErasureReason::WithdrawnByTeller,
    )
    .unwrap();
    drop(bank);
    let data = dir.path().join("teruggezet");
    let output = super::support::run(&data, &["restore", file.path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", super::support::text(&output));
    let store = verhalenbank::store::Store::open(&Config::new(&data).store_path()).unwrap();
    assert!(store.media(erased.id).unwrap().is_empty());
    let restored = store.media(kept.id).unwrap();
    assert_eq!(restored.photos.len(), 1);
    assert!(restored.recording.is_some());
    drop(store);
    assert_eq!(holding(&data, VOICE.as_bytes()), Vec::<String>::new());
    assert!(!holding(&data, b"Blijvendgeluid").is_empty());
}
