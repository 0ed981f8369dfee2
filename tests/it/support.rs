//! Helpers shared by the integration tests: run the real binary on a temporary data folder, write small
//! fixture folders.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use verhalenbank::testing;

/// The repository root, where `stories-sample/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `verhalenbank --data-dir DATA args...` and returns its output.
pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the verhalenbank binary runs")
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A story file with the required fields and the given extra front matter lines.
pub fn story_file(title: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2025-03-14\nteller = \"resident\"\nvalence = \"positive\"\nconsent = \"public\"\n{extra}+++\n{body}\n"
    )
}

/// A folder with the test municipality, goal tree, a measurements CSV and `count` good story files.
pub fn fixture_folder(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir.join("stories")).unwrap();
    std::fs::write(dir.join("municipality.toml"), testing::MUNICIPALITY_TOML).unwrap();
    std::fs::write(dir.join("goals.toml"), testing::GOALS_TOML).unwrap();
    std::fs::write(
        dir.join("measurements.csv"),
        "indicator;period;area;value\nbezoekers-koffie-inloop;2025-Q1;noord;120\nbezoekers-koffie-inloop;2025-Q2;;130,5\n",
    )
    .unwrap();
    for n in 0..count {
        let file = story_file(
            &format!("Verhaal {n}"),
            "area = \"de-hoven\"\nsubgoals = [\"sterker-netwerk\"]\ntags = [\"koffie\"]\nstatus = \"published\"\n",
            &format!("Dit is verhaal nummer {n} over de buurt."),
        );
        std::fs::write(dir.join("stories").join(format!("verhaal-{n:03}.md")), file).unwrap();
    }
}

/// Every file under `dir` with its contents, for comparing two exports.
pub fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|path| {
            let contents = std::fs::read(&path).unwrap();
            (path.strip_prefix(dir).unwrap().to_path_buf(), contents)
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Sends one raw HTTP/1.1 request (which should say `Connection: close`) and returns the whole answer.
pub fn http(address: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Reads what the server prints as it starts, up to the line with its address, into `printed`; the
/// line is text or JSON (`--log-format json`). Returns the address and, with `--metrics-bind`, the
/// metrics address, both as `host:port`.
pub fn read_addresses(stdout: &mut impl BufRead, printed: &mut String) -> (String, Option<String>) {
    let mut metrics = None;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server stopped: {printed}"
        );
        *printed += &line;
        let (address, metrics_address) = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(json) => (
                json["fields"]["address"].as_str().map(str::to_string),
                json["fields"]["metrics_address"]
                    .as_str()
                    .map(str::to_string),
            ),
            Err(_) => (
                line.strip_prefix("Verhalenbank runs at ")
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(str::to_string),
                line.strip_prefix("Metrics at ")
                    .map(|rest| rest.trim().trim_end_matches("/metrics").to_string()),
            ),
        };
        if let Some(address) = metrics_address {
            metrics = Some(address.trim_start_matches("http://").to_string());
        }
        if let Some(address) = address {
            return (address.trim_start_matches("http://").to_string(), metrics);
        }
    }
}

/// The real server on a loopback port it chose itself, with its output collected.
pub struct Server {
    child: std::process::Child,
    /// Where it listens, as `host:port`.
    pub address: String,
    /// Where its metrics are, with `--metrics-bind`.
    pub metrics_address: Option<String>,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    /// What the server printed up to the line that says it listens.
    printed: String,
    stderr: std::thread::JoinHandle<String>,
}

impl Server {
    /// Starts `verhalenbank --data-dir DATA serve --bind 127.0.0.1:0 args...` in the repository root
    /// (where the demo's `stories-sample/` is) and waits until it says where it listens. The server
    /// binds the port itself, so no other program can take it in between; a port 0 in `args` (such as
    /// `--metrics-bind 127.0.0.1:0`) is read back the same way.
    pub fn start(data: &Path, args: &[&str], rust_log: &str) -> Server {
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(repo_root())
            .env("RUST_LOG", rust_log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        // Drained all along, so a chatty log can never fill the pipe and stall the server.
        let stderr = std::thread::spawn(move || {
            let mut all = String::new();
            std::io::Read::read_to_string(&mut std::io::BufReader::new(stderr), &mut all).unwrap();
            all
        });
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut printed = String::new();
        let (address, metrics_address) = read_addresses(&mut stdout, &mut printed);
        Server {
            child,
            address,
            metrics_address,
            stdout,
            printed,
            stderr,
        }
    }

    /// Stops the server with SIGTERM, checks it exits cleanly, and returns everything it printed.
    pub fn stop(mut self) -> String {
        assert!(
            Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status()
                .unwrap()
                .success()
        );
        let status = self.child.wait().unwrap();
        assert!(status.success(), "clean exit after SIGTERM: {status}");
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.stdout, &mut rest).unwrap();
        format!("{}{rest}{}", self.printed, self.stderr.join().unwrap())
    }
}
