//! Hostile input: bytes that are not UTF-8, bodies of 10 MB, Markdown nested thousands deep, titles that
//! climb out of the export folder or a path that climbs out of the site, cells a spreadsheet would run,
//! and a data folder that cannot be written (read-only, or a full disk). Every case gets a clear answer
//! and loses nothing that was already accepted.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::StoryId;

use super::support::{Server, fixture_folder, http, read_addresses, run, story_file, text};
use super::web::TestApp;

fn story_json(title: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "teller": "professional",
        "valence": "positive",
        "consent": "internal",
        "text": text,
    })
}

async fn post_bytes(app: &TestApp, path: &str, kind: &str, body: Vec<u8>) -> (StatusCode, String) {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    let (status, headers, body) = app.send(request).await;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, format!("{kind}\n{body}"))
}

#[tokio::test]
async fn bytes_that_are_not_utf8_get_a_clear_answer() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let mut json = br#"{"title":""#.to_vec();
    json.extend_from_slice(b"\xff\xfe");
    json.extend_from_slice(
        br#"","teller":"professional","valence":"positive","consent":"internal","text":"Een verhaal met kapotte tekens erin."}"#,
    );
    let (status, body) = post_bytes(&app, "/api/v1/stories", "application/json", json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.starts_with("application/problem+json"), "{body}");
    assert!(body.contains("unicode"), "says what is wrong: {body}");
    app.use_token(None);

    // A resident's phone that sends broken bytes in a form: the story is kept, the broken bytes
    // become the replacement character, never raw bytes in the store.
    let form = b"verhaal=Kapotte+tekens+%FF%FE+in+een+verhaal+van+een+bewoner.&gevoel=positive&toestemming=public".to_vec();
    let (status, body) =
        post_bytes(&app, "/vertel", "application/x-www-form-urlencoded", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Bedankt voor uw verhaal"), "{body}");
    let stored: Vec<_> = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .filter(|story| story.text.as_str().contains("Kapotte tekens"))
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].text.as_str().contains('\u{FFFD}'));
}

#[test]
fn an_import_file_that_is_not_utf8_is_named_and_the_rest_is_imported() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("in");
    fixture_folder(&folder, 2);
    let mut broken = story_file("Kapot", "", "Tekst met een kapot teken: ").into_bytes();
    broken.extend_from_slice(b"\xff\xfe einde.\n");
    std::fs::write(folder.join("stories").join("kapot.md"), broken).unwrap();
    let data = temp.path().join("data");
    let output = run(&data, &["import", folder.to_str().unwrap()]);
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains("kapot.md") && said.contains("UTF-8"),
        "names the file and the problem: {said}"
    );
    assert!(said.contains("imported 2 stories"), "{said}");
}

#[tokio::test]
async fn bodies_of_10_mb_are_refused_and_the_server_goes_on() {
    let app = TestApp::demo();
    let big = "a".repeat(10 * 1024 * 1024);
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let json = story_json("Groot", &big).to_string().into_bytes();
    let (status, body) = post_bytes(&app, "/api/v1/stories", "application/json", json).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.starts_with("application/problem+json"), "{body}");
    app.use_token(None);

    let form = format!("verhaal={big}&gevoel=positive&toestemming=public").into_bytes();
    let (status, body) =
        post_bytes(&app, "/vertel", "application/x-www-form-urlencoded", form).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body.starts_with("text/html"),
        "a page, not plain text: {body}"
    );
    assert!(
        body.contains("te groot"),
        "says what to do, in Dutch: {body}"
    );

    let count = app.bank.raw_store().story_count();
    let (status, _) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.bank.raw_store().story_count(),
        count,
        "nothing half stored"
    );
}

#[tokio::test]
async fn markdown_nested_thousands_deep_renders() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let texts = [
        format!("Diep genest. {} einde", ">".repeat(60_000)),
        format!(
            "Diep genest.\n\n{}",
            (0..400)
                .map(|depth| format!("{}- punt\n", "  ".repeat(depth)))
                .collect::<String>()
        ),
        format!(
            "Diep genest. {}x{}",
            "*[".repeat(20_000),
            "]()*".repeat(20_000)
        ),
        format!("Diep genest. {}", "<div>".repeat(30_000)),
    ];
    let mut ids = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let (status, _, body) = app
            .post_json("/api/v1/stories", &story_json(&format!("Diep {n}"), text))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        ids.push(body["id"].as_str().unwrap().to_string());
    }
    app.use_token(None);
    app.login("analist").await;
    app.index();
    for id in ids {
        let (status, page) = app.get(&format!("/verhaal/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Diep genest"));
        assert!(!page.contains("<div><div>"), "raw HTML stays text");
    }
}

#[tokio::test]
async fn paths_that_climb_out_of_the_site_are_not_found() {
    let app = TestApp::demo();
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2F..%2FCargo.toml",
        "/indicator/..%2F..%2Fetc%2Fpasswd",
        "/verhaal/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/stories/..%2Fsettings",
    ] {
        let (status, body) = app.get(path).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "{path}: {status}"
        );
        assert!(!body.contains("[package]"), "{path}");
    }
}

#[test]
fn an_export_stays_in_its_folder_whatever_the_titles_say() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("in");
    fixture_folder(&folder, 0);
    for (n, title) in [
        "../../../../uitgebroken",
        "..\\\\..\\\\uitgebroken",
        "/tmp/uitgebroken",
        "%2e%2e%2fuitgebroken",
        "CON",
        ".",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(
            folder.join("stories").join(format!("s{n}.md")),
            story_file(title, "", "Een verhaal met een titel die een pad is."),
        )
        .unwrap();
    }
    let data = temp.path().join("data");
    let output = run(&data, &["import", folder.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let out = temp.path().join("deep").join("uit");
    let output = run(&data, &["export", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));

    let root = out.canonicalize().unwrap();
    let mut stories = 0;
    for entry in walkdir::WalkDir::new(temp.path()) {
        let path = entry.unwrap().path().canonicalize().unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.contains("uitgebroken") {
            assert!(
                path.starts_with(&root),
                "{} left the export folder",
                path.display()
            );
        }
        if path.starts_with(&root) && name.ends_with(".md") {
            stories += 1;
        }
    }
    assert!(stories >= 6, "every story exported, {stories} files");
    assert!(!std::path::Path::new("/tmp/uitgebroken.md").exists());
}

#[tokio::test]
async fn exported_cells_never_run_as_a_formula() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let mut story = story_json(
        "=HYPERLINK(\"https://aanval.invalid\",\"klik\")",
        "+cmd|' /C calc'!A0 staat in dit verhaal over formuleproef.",
    );
    story["tags"] = serde_json::json!(["@SUM(1+1)", "-2+3"]);
    let (status, _, body) = app.post_json("/api/v1/stories", &story).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.use_token(None);
    app.login("analist").await;
    app.index();
    let (status, csv) = app.get("/zoeken/export.csv?q=formuleproef").await;
    assert_eq!(status, StatusCode::OK);
    let mut saw = 0;
    for cell in csv.lines().skip(1).flat_map(|line| line.split(';')) {
        let cell = cell.trim_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '@', '-']) || cell.parse::<f64>().is_ok(),
            "a cell a spreadsheet would run: {cell}"
        );
        if cell.starts_with("'=") || cell.starts_with("'@") {
            saw += 1;
        }
    }
    assert!(
        saw >= 2,
        "the title and the tag are in the export, protected: {csv}"
    );
}

/// Sets the mode of every folder under `root` (itself included) to `folders` and of every file to `files`.
fn set_modes(root: &std::path::Path, folders: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            folders
        } else {
            files
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// A temporary folder with `count` fixture stories imported into `data/` there; also returns the
/// folder they came from and the data folder.
fn imported_bank(count: usize) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("in");
    fixture_folder(&folder, count);
    let data = temp.path().join("data");
    let output = run(&data, &["import", folder.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    (temp, folder, data)
}

/// Runs `verhalenbank args...` as a user who may not write in `data`: the data folder is made
/// read-only, and as root (who may write anyway) the binary runs as `nobody`.
fn run_read_only(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    set_modes(data, 0o555, 0o444);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_verhalenbank"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .current_dir(std::env::temp_dir());
    // Root may write anywhere, so as root the binary runs as `nobody` (the uid is read from /proc).
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(2) == Some("0"))
    });
    if root {
        command.uid(65534).gid(65534);
    }
    let output = command.output().unwrap();
    set_modes(data, 0o755, 0o644);
    output
}

#[test]
fn a_read_only_data_folder_gets_a_clear_error_and_stays_whole() {
    let (temp, folder, data) = imported_bank(3);
    // Reachable for `nobody` when the tests run as root.
    std::fs::set_permissions(
        temp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();

    for args in [
        vec!["serve", "--no-demo", "--bind", "127.0.0.1:0"],
        vec!["search", "buurt"],
        vec!["import", folder.to_str().unwrap()],
    ] {
        let output = run_read_only(&data, &args);
        let said = text(&output);
        assert!(!output.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("cannot write in the data folder") && said.contains("permission denied"),
            "{args:?}: {said}"
        );
    }
    let output = run(&data, &["search", "buurt"]);
    assert!(text(&output).contains("3 stories"), "{}", text(&output));
}

#[test]
fn a_full_disk_refuses_new_stories_clearly_and_keeps_every_acknowledged_one() {
    let (_temp, _, data) = imported_bank(3);
    let token =
        String::from_utf8_lossy(&run(&data, &["token", "add", "--provider", "buurtwerk"]).stdout)
            .split_whitespace()
            .find(|word| word.starts_with("vbk_"))
            .unwrap()
            .to_string();
    let size_kb = std::fs::metadata(data.join("store").join("db"))
        .unwrap()
        .len()
        / 1024;

    // A file-size limit a little above the store's size: the disk is "full" once the store grows.
    // SIGXFSZ is ignored, so writes fail with an error instead of killing the server.
    let mut child = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {}; exec \"$0\" --data-dir \"$1\" serve --no-demo --bind 127.0.0.1:0",
            size_kb + 1024
        ))
        .arg(env!("CARGO_BIN_EXE_verhalenbank"))
        .arg(&data)
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let (address, _) = read_addresses(&mut stdout, &mut String::new());
    // Drained all along, so the server never writes to a full or closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let filler: String = (0..3_000)
        .map(|n| char::from(b'a' + (n * 7 % 26) as u8))
        .collect();
    let mut acknowledged = Vec::new();
    let mut refusal = None;
    for n in 0..2_000 {
        let body = story_json(
            &format!("Vol {n}"),
            &format!("Een verhaal om de schijf te vullen, nummer {n}: {filler}"),
        )
        .to_string();
        let answer = http(
            &address,
            &format!(
                "POST /api/v1/stories HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        if answer.starts_with("HTTP/1.1 201") {
            let json = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
            let json: serde_json::Value = serde_json::from_str(json).unwrap();
            acknowledged.push(StoryId::parse(json["id"].as_str().unwrap()).unwrap());
        } else {
            refusal = Some(answer);
            break;
        }
    }
    let refusal = refusal.expect("the disk filled up");
    assert!(refusal.starts_with("HTTP/1.1 507"), "{refusal}");
    assert!(refusal.contains("storage is full"), "{refusal}");
    assert!(!acknowledged.is_empty(), "some stories fit first");
    let _ = child.kill();
    let _ = child.wait();

    // With room again, every acknowledged story is there and found.
    let server = Server::start(&data, &["--no-demo"], "warn");
    drop(server.stop());
    let store = verhalenbank::store::Store::open(&data.join("store")).unwrap();
    for id in &acknowledged {
        assert!(
            store.get_story(*id).unwrap().is_some(),
            "{id} was acknowledged"
        );
    }
    let index = verhalenbank::index::SearchIndex::open(&data.join("index"), &store).unwrap();
    let found = index
        .search(
            &store,
            &SearchRequest::new("schijf vullen", Scope::Municipality),
        )
        .unwrap();
    assert!(found.total >= acknowledged.len());
}
