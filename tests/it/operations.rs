//! Running the bank as a service: health and readiness for load balancers, Prometheus metrics behind a
//! token or on an address of their own, and log lines a collector can read (JSON, no colour codes).

use std::path::Path;

use crate::support::{Server, free_address, http, text};

fn get(address: &str, path: &str, headers: &str) -> String {
    http(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n"),
    )
}

fn status(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn health_readiness_and_metrics_behind_a_token() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), &["--metrics-token", "meet-geheim"], "warn");
    let address = server.address.clone();

    let health = get(&address, "/healthz", "");
    assert_eq!(status(&health), 200, "{health}");
    let ready = get(&address, "/readyz", "");
    assert_eq!(status(&ready), 200, "{ready}");
    assert!(ready.ends_with("ready\n"), "{ready}");

    assert_eq!(status(&get(&address, "/metrics", "")), 401);
    assert_eq!(
        status(&get(&address, "/metrics", "Authorization: Bearer fout\r\n")),
        401
    );

    // A page with an id in its path is counted under its route template, never its path.
    let story_id = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        status(&get(&address, &format!("/verhaal/{story_id}"), "")),
        404
    );
    let metrics = get(
        &address,
        "/metrics",
        "Authorization: Bearer meet-geheim\r\n",
    );
    assert_eq!(status(&metrics), 200, "{metrics}");
    assert!(
        metrics.contains("application/openmetrics-text"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            r#"verhalenbank_http_requests_total{route="/healthz",method="GET",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"route="/verhaal/{id}",method="GET",status="404"} 1"#),
        "{metrics}"
    );
    assert!(!metrics.contains(story_id), "no path in the metrics");
    assert!(metrics.contains("verhalenbank_http_request_duration_seconds_bucket"));
    // The demo's 99 stories by status, as the overview counts them.
    let stories: u64 = metrics
        .lines()
        .filter(|line| line.starts_with("verhalenbank_stories{"))
        .map(|line| line.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(stories, 99, "{metrics}");
    assert!(metrics.contains(r#"verhalenbank_stories{status="submitted"}"#));
    for gauge in [
        "verhalenbank_outbox_depth ",
        "verhalenbank_index_lag 0",
        "verhalenbank_erased_stories 0",
        "verhalenbank_last_backup_age_seconds ",
    ] {
        assert!(metrics.contains(gauge), "{gauge} in {metrics}");
    }
    server.stop();
}

#[test]
fn metrics_on_their_own_address_and_not_on_the_main_one() {
    let data = tempfile::tempdir().unwrap();
    let metrics_address = free_address();
    let server = Server::start(
        data.path(),
        &["--no-demo", "--metrics-bind", &metrics_address],
        "warn",
    );
    // Without a token the main address has no metrics at all.
    assert_eq!(status(&get(&server.address, "/metrics", "")), 404);
    let metrics = get(&metrics_address, "/metrics", "");
    assert_eq!(status(&metrics), 200, "{metrics}");
    assert!(metrics.contains("verhalenbank_index_lag"), "{metrics}");
    // The metrics address serves nothing else.
    assert_eq!(status(&get(&metrics_address, "/", "")), 404);
    server.stop();
}

#[test]
fn json_log_lines_without_colour_codes() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), &["--log-format", "json"], "info");
    let printed = server.stop();
    let events: Vec<serde_json::Value> = printed
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(
        events
            .iter()
            .any(|event| event["fields"]["message"] == "search index rebuilt from the store"),
        "{printed}"
    );
    assert!(events.iter().all(|event| event["level"].is_string()));
    // What the server says as it starts, on standard output, is a JSON line too: every line is one.
    assert!(!printed.contains(" INFO "), "{printed}");
    assert!(!printed.contains('\u{1b}'), "no colour codes: {printed:?}");
    for line in printed.lines().filter(|line| !line.trim().is_empty()) {
        assert!(line.starts_with('{'), "a line that is not JSON: {line}");
    }
    let runs = events
        .iter()
        .find(|event| event["fields"]["address"].is_string())
        .unwrap_or_else(|| panic!("the address as a JSON line: {printed}"));
    assert!(
        runs["fields"]["address"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert_eq!(
        runs["fields"]["data_dir"].as_str().unwrap(),
        data.path().to_str().unwrap()
    );
    assert!(
        events.iter().any(|event| event["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Demo municipality loaded"))),
        "{printed}"
    );

    // An error that stops the start (the address is taken) is a JSON line as well.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "--log-format",
            "json",
            "serve",
            "--no-demo",
            "--bind",
            &address,
        ])
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = text(&output);
    for line in said.lines().filter(|line| !line.trim().is_empty()) {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if event["level"] == "ERROR" {
            assert!(
                event["fields"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("is in use"),
                "{line}"
            );
        }
    }
    assert!(said.contains("\"level\":\"ERROR\""), "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");

    let text = Server::start(data.path(), &["--no-demo"], "info").stop();
    assert!(text.contains(" INFO "), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes in a pipe: {text:?}"
    );
}

#[test]
fn a_configuration_file_for_serve_with_environment_and_flags_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verhalenbank.toml");
    let from_file = dir.path().join("uit-bestand");
    std::fs::write(
        &file,
        format!(
            "data-dir = {:?}\nno-demo = true\nmetrics-token = \"uit-het-bestand\"\nbackup-keep = 3\n",
            from_file.to_str().unwrap()
        ),
    )
    .unwrap();
    let binary = env!("CARGO_BIN_EXE_verhalenbank");
    let user_list = |extra_env: Option<(&str, &Path)>, flag: Option<&Path>| {
        let mut command = std::process::Command::new(binary);
        command.env_remove("VERHALENBANK_DATA_DIR");
        if let Some((name, value)) = extra_env {
            command.env(name, value);
        }
        command.arg("--config").arg(&file);
        if let Some(flag) = flag {
            command.arg("--data-dir").arg(flag);
        }
        let output = command.args(["user", "list"]).output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    };
    // The file's data folder, unless the environment or a flag says otherwise.
    user_list(None, None);
    assert!(from_file.join("store").exists());
    let from_env = dir.path().join("uit-omgeving");
    user_list(Some(("VERHALENBANK_DATA_DIR", &from_env)), None);
    assert!(from_env.join("store").exists());
    let from_flag = dir.path().join("uit-vlag");
    user_list(Some(("VERHALENBANK_DATA_DIR", &from_env)), Some(&from_flag));
    assert!(from_flag.join("store").exists());

    // serve takes its options from the file: no demo, and the metrics token.
    let data = dir.path().join("server");
    let server = Server::start(&data, &["--config", file.to_str().unwrap()], "warn");
    let metrics = get(
        &server.address,
        "/metrics",
        "Authorization: Bearer uit-het-bestand\r\n",
    );
    assert_eq!(status(&metrics), 200, "{metrics}");
    assert!(
        !metrics.contains(r#"verhalenbank_stories{status="published"}"#),
        "no demo: {metrics}"
    );
    server.stop();

    // A key that is no option is refused, with the keys there are.
    std::fs::write(&file, "bnid = \"127.0.0.1:4000\"\n").unwrap();
    let output = std::process::Command::new(binary)
        .arg("--config")
        .arg(&file)
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = text(&output);
    assert!(said.contains("unknown key bnid"), "{said}");
    assert!(
        said.contains("backup-dir") && said.contains("bind"),
        "{said}"
    );
}

#[test]
fn the_import_summary_says_how_many_stories_wait_for_moderation_or_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    crate::support::fixture_folder(&folder, 2);
    std::fs::write(
        folder.join("stories").join("nieuw.md"),
        crate::support::story_file("Nog niet beoordeeld", "", "Dit verhaal wacht nog."),
    )
    .unwrap();
    std::fs::write(
        folder.join("stories").join("los.md"),
        crate::support::story_file(
            "Gepubliceerd zonder subdoel",
            "status = \"published\"\n",
            "Dit verhaal is aan niets gekoppeld.",
        ),
    )
    .unwrap();
    let output = crate::support::run(
        &dir.path().join("data"),
        &["import", folder.to_str().unwrap()],
    );
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("imported 4 stories"), "{said}");
    assert!(
        said.contains("1 of these stories are submitted and wait for moderation"),
        "{said}"
    );
    assert!(
        said.contains("1 of these stories are published without a subgoal")
            && said.contains("/moderatie?status=unlinked"),
        "{said}"
    );
}
