//! The control socket: a Unix socket in the data folder (`control.sock`, readable by the folder's
//! owner only) through which commands reach a running server. The data folder is locked while the
//! server runs, so `verhalenbank backup` asks the server for the backup through it instead of
//! opening the store itself.
//!
//! One request per connection, one line: `backup`. The answer is a line `ok` followed by the backup
//! file, or a line `error: …`. The client checks the file's checksum, so a connection that broke off
//! gives no backup rather than half of one.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use crate::bank::Bank;

/// The socket's name in the data folder.
pub const SOCKET: &str = "control.sock";

/// The socket of a running server; removed when dropped.
pub struct ControlSocket {
    path: PathBuf,
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Listens on the data folder's control socket, on a thread of its own, for as long as the process
/// runs. A socket file left by a server that stopped without removing it is replaced.
pub fn listen(bank: Arc<Bank>, data_dir: &Path) -> anyhow::Result<ControlSocket> {
    use std::os::unix::fs::PermissionsExt;
    let path = data_dir.join(SOCKET);
    if UnixStream::connect(&path).is_ok() {
        anyhow::bail!(
            "another Verhalenbank server answers on {}; stop it first",
            path.display()
        );
    }
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)
        .with_context(|| format!("opening the control socket {}", path.display()))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("protecting the control socket {}", path.display()))?;
    std::thread::Builder::new()
        .name("control".to_string())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let bank = bank.clone();
                // One thread per request, so a slow reader does not hold up the next one.
                let _ = std::thread::Builder::new()
                    .name("control-request".to_string())
                    .spawn(move || {
                        if let Err(error) = answer(&bank, stream) {
                            tracing::warn!(error = %format!("{error:#}"), "a control request failed");
                        }
                    });
            }
        })?;
    Ok(ControlSocket { path })
}

fn answer(bank: &Bank, stream: UnixStream) -> anyhow::Result<()> {
    let mut line = String::new();
    BufReader::new(&stream).take_line(&mut line)?;
    let mut out = std::io::BufWriter::new(&stream);
    match line.trim() {
        "backup" => {
            out.write_all(b"ok\n")?;
            let summary = bank.write_backup(&mut out)?;
            out.flush()?;
            let entry = crate::audit::AuditEntry::new(
                crate::audit::Actor::Command,
                "backup.made",
                format!("{} stories", summary.stories),
                0,
            );
            bank.append_audit(&entry)?;
            tracing::info!(
                stories = summary.stories,
                bytes = summary.bytes,
                "backup sent to the command line"
            );
        }
        other => {
            let other: String = other.chars().take(40).collect();
            writeln!(out, "error: unknown request {other:?}")?;
        }
    }
    Ok(())
}

/// Reads one line, at most a little over what a request needs.
trait TakeLine {
    fn take_line(self, line: &mut String) -> std::io::Result<usize>;
}

impl<R: std::io::Read> TakeLine for BufReader<R> {
    fn take_line(self, line: &mut String) -> std::io::Result<usize> {
        std::io::Read::take(self, 256).read_line(line)
    }
}

/// Asks the server running on `data_dir` for a backup and writes it to `out`. `Ok(false)` when no
/// server answers there.
pub fn request_backup(data_dir: &Path, out: &mut impl Write) -> anyhow::Result<bool> {
    let path = data_dir.join(SOCKET);
    let Ok(mut stream) = UnixStream::connect(&path) else {
        return Ok(false);
    };
    stream.write_all(b"backup\n")?;
    let mut reader = BufReader::with_capacity(1 << 20, stream);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    match first.trim_end() {
        "ok" => {
            std::io::copy(&mut reader, out).context("receiving the backup from the server")?;
            Ok(true)
        }
        error => anyhow::bail!("the running server refused the backup: {error}"),
    }
}
