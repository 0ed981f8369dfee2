//! What a municipal team would otherwise use, on the same stories and queries: SQLite FTS5 (rusqlite with
//! the bundled library; text pre-stemmed with Verhalenbank's own Dutch analysis, the same Snowball
//! stemmer, so both engines see the same terms) and PostgreSQL with the `dutch` text search
//! configuration and a GIN index (started here from Debian's packages in a throwaway cluster).
//!
//! Each search does what Verhalenbank's does: the top 10 by relevance with a snippet, the total, and
//! counts per facet (area, valence, provider, teller, year, subgoal, tag) over every match.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use tantivy::tokenizer::TextAnalyzer;
use verhalenbank::index::FacetField;
use verhalenbank::index::analysis::{analyse, dutch};
use verhalenbank::story::Story;
use verhalenbank_dev::queries::GeneratedQuery;

const FACETS: [&str; 5] = ["area", "valence", "provider", "teller", "year"];

fn code<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?}").to_lowercase()
}

/// The filter clauses of a query, as (column, value): subgoal filters test membership.
fn filters(query: &GeneratedQuery) -> Vec<(&'static str, String)> {
    query
        .filters
        .iter()
        .map(|(field, value)| {
            let column = match field {
                FacetField::Valence => "valence",
                FacetField::Area => "area",
                FacetField::Subgoal => "subgoal",
                other => panic!("the query set does not filter on {other:?}"),
            };
            (column, value.to_lowercase())
        })
        .collect()
}

/// One part of a query as the generator writes them: words, "phrases", -exclusions and OR.
enum Part {
    Word(String),
    Phrase(Vec<String>),
    Not(String),
    Or,
}

fn parts(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            parts.push(Part::Phrase(
                after[..end]
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            ));
            rest = after.get(end + 1..).unwrap_or("").trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        parts.push(match word {
            "OR" => Part::Or,
            _ if word.starts_with('-') => Part::Not(word[1..].to_string()),
            _ => Part::Word(word.to_string()),
        });
        rest = rest[end..].trim_start();
    }
    parts
}

pub struct Sqlite {
    connection: rusqlite::Connection,
    analyzer: TextAnalyzer,
    rows: i64,
}

impl Sqlite {
    pub fn create(path: &Path) -> anyhow::Result<Sqlite> {
        let _ = std::fs::remove_file(path);
        let connection = rusqlite::Connection::open(path)?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -262144;
             PRAGMA mmap_size = 2147483648;
             CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, area TEXT,
                 valence TEXT, provider TEXT, teller TEXT, year INTEGER);
             CREATE TABLE subgoals (rowid INTEGER, subgoal TEXT);
             CREATE TABLE tags (rowid INTEGER, tag TEXT);
             CREATE VIRTUAL TABLE fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
             BEGIN;",
        )?;
        Ok(Sqlite {
            connection,
            analyzer: dutch().analyzer(),
            rows: 0,
        })
    }

    pub fn add(&mut self, story: &Story, plain: &str) -> anyhow::Result<()> {
        self.rows += 1;
        let rowid = self.rows;
        let terms = analyse(&mut self.analyzer, &format!("{} {plain}", story.title)).join(" ");
        let c = &self.connection;
        c.prepare_cached("INSERT INTO meta VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(rusqlite::params![
                rowid,
                story.id.to_string(),
                story.title,
                story.area.as_ref().map(|a| a.to_string()),
                code(&story.valence),
                story.provider.as_ref().map(|p| p.to_string()),
                code(&story.teller),
                story.date.year(),
            ])?;
        for subgoal in &story.subgoals {
            c.prepare_cached("INSERT INTO subgoals VALUES (?1, ?2)")?
                .execute(rusqlite::params![rowid, subgoal.to_string()])?;
        }
        for tag in &story.tags {
            c.prepare_cached("INSERT INTO tags VALUES (?1, ?2)")?
                .execute(rusqlite::params![rowid, tag])?;
        }
        c.prepare_cached("INSERT INTO fts (rowid, terms) VALUES (?1, ?2)")?
            .execute(rusqlite::params![rowid, terms])?;
        if rowid % 20_000 == 0 {
            c.execute_batch("COMMIT; BEGIN;")?;
        }
        Ok(())
    }

    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.connection.execute_batch(
            "COMMIT;
             CREATE INDEX subgoals_by_row ON subgoals (rowid);
             CREATE INDEX subgoals_by_value ON subgoals (subgoal, rowid);
             CREATE INDEX tags_by_row ON tags (rowid);
             CREATE INDEX meta_by_area ON meta (area);
             CREATE INDEX meta_by_valence ON meta (valence);
             INSERT INTO fts (fts) VALUES ('optimize');
             ANALYZE;",
        )?;
        Ok(())
    }

    /// The FTS5 expression for a query, with every word analysed as the stories were.
    fn expression(&mut self, text: &str) -> String {
        let mut out = Vec::new();
        for part in parts(text) {
            match part {
                Part::Word(word) => {
                    let terms = analyse(&mut self.analyzer, &word);
                    if !terms.is_empty() {
                        out.push(format!("\"{}\"", terms.join(" ")));
                    }
                }
                Part::Phrase(words) => {
                    let terms = analyse(&mut self.analyzer, &words.join(" "));
                    out.push(format!("\"{}\"", terms.join(" ")));
                }
                Part::Not(word) => {
                    let terms = analyse(&mut self.analyzer, &word);
                    out.push(format!("NOT \"{}\"", terms.join(" ")));
                }
                Part::Or => out.push("OR".to_string()),
            }
        }
        out.join(" ")
    }

    /// Top 10 with snippets, and with `facets` the total and the facet counts.
    pub fn search(&mut self, query: &GeneratedQuery, facets: bool) -> anyhow::Result<usize> {
        let expression = self.expression(&query.text);
        let mut params = vec![expression];
        let mut clauses = String::new();
        for (column, value) in filters(query) {
            params.push(value);
            let n = params.len();
            if column == "subgoal" {
                clauses.push_str(&format!(
                    " AND meta.rowid IN (SELECT rowid FROM subgoals WHERE subgoal = ?{n})"
                ));
            } else {
                clauses.push_str(&format!(" AND meta.{column} = ?{n}"));
            }
        }
        let matching =
            format!("FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?1{clauses}");
        let top = format!(
            "SELECT meta.id, meta.title, snippet(fts, 0, '<mark>', '</mark>', '…', 24) {matching} \
             ORDER BY rank LIMIT 10"
        );
        let mut seen = 0;
        let mut statement = self.connection.prepare_cached(&top)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            let snippet: String = row.get(2)?;
            seen += snippet.len().min(1);
        }
        drop(rows);
        drop(statement);
        if !facets {
            return Ok(seen);
        }
        let mut counts = String::new();
        for facet in FACETS {
            counts.push_str(&format!(
                "SELECT '{facet}', CAST(meta.{facet} AS TEXT), count(*) FROM hits \
                 JOIN meta ON meta.rowid = hits.r GROUP BY meta.{facet} UNION ALL "
            ));
        }
        let facets = format!(
            "WITH hits AS MATERIALIZED (SELECT meta.rowid AS r {matching}) {counts}\
             SELECT 'subgoal', subgoal, count(*) FROM hits JOIN subgoals ON subgoals.rowid = hits.r \
             GROUP BY subgoal UNION ALL \
             SELECT 'tag', tag, count(*) FROM hits JOIN tags ON tags.rowid = hits.r GROUP BY tag \
             UNION ALL SELECT 'total', NULL, count(*) FROM hits"
        );
        let mut statement = self.connection.prepare_cached(&facets)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            let count: i64 = row.get(2)?;
            seen += count as usize;
        }
        Ok(seen)
    }

    /// The ids of every story a query's text matches.
    pub fn matching(&mut self, text: &str) -> anyhow::Result<HashSet<String>> {
        let expression = self.expression(text);
        let mut statement = self.connection.prepare_cached(
            "SELECT meta.id FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?1",
        )?;
        let ids = statement
            .query_map([expression], |row| row.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

/// A throwaway PostgreSQL cluster on a Unix socket.
pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
}

fn as_postgres_user(command: &mut Command) -> Command {
    let running_as_root = std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(1) == Some("0"))
    });
    if running_as_root {
        let mut wrapped = Command::new("runuser");
        wrapped.args(["-u", "postgres", "--"]);
        wrapped.arg(command.get_program());
        wrapped.args(command.get_args());
        wrapped
    } else {
        let mut plain = Command::new(command.get_program());
        plain.args(command.get_args());
        plain
    }
}

impl Postgres {
    /// Makes and starts a cluster in a folder of its own under /tmp, which the `postgres` user can reach.
    pub fn start() -> anyhow::Result<Postgres> {
        let bin = ["15", "16", "17"]
            .iter()
            .map(|v| PathBuf::from(format!("/usr/lib/postgresql/{v}/bin")))
            .find(|bin| bin.join("initdb").exists())
            .context("PostgreSQL is not installed (apt-get install postgresql-15)")?;
        let dir = PathBuf::from(format!("/tmp/verhalenbank-bench-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status();
        let data = dir.join("data");
        let status =
            as_postgres_user(Command::new(bin.join("initdb")).arg("-D").arg(&data).args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ]))
            .stdout(std::process::Stdio::null())
            .status()
            .context("running initdb")?;
        anyhow::ensure!(status.success(), "initdb failed");
        let options = format!(
            "-k {} -c listen_addresses='' -c shared_buffers=512MB -c work_mem=32MB -c max_wal_size=4GB",
            dir.display()
        );
        let status = as_postgres_user(
            Command::new(bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-w", "-l"])
                .arg(dir.join("log"))
                .args(["-o", &options, "start"]),
        )
        .stdout(std::process::Stdio::null())
        .status()
        .context("running pg_ctl")?;
        anyhow::ensure!(
            status.success(),
            "pg_ctl start failed; see {}/log",
            dir.display()
        );
        let version = Command::new(bin.join("postgres"))
            .arg("--version")
            .output()?;
        eprintln!(
            "started {} in {}",
            String::from_utf8_lossy(&version.stdout).trim(),
            dir.display()
        );
        Ok(Postgres { dir, bin })
    }

    fn connect(&self) -> anyhow::Result<postgres::Client> {
        Ok(postgres::Client::connect(
            &format!("host={} user=postgres dbname=postgres", self.dir.display()),
            postgres::NoTls,
        )?)
    }

    pub fn loader(&self) -> anyhow::Result<PgLoader> {
        let mut client = self.connect()?;
        client.batch_execute(
            "DROP TABLE IF EXISTS stories;
             CREATE TABLE stories (id text, title text, body text, area text, valence text,
                 provider text, teller text, year int, subgoals text[], tags text[]);",
        )?;
        Ok(PgLoader {
            client,
            buffer: Vec::new(),
        })
    }

    pub fn searcher(&self) -> anyhow::Result<PgSearcher> {
        Ok(PgSearcher {
            client: self.connect()?,
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_postgres_user(
            Command::new(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["-m", "fast", "stop"]),
        )
        .stdout(std::process::Stdio::null())
        .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Rows for COPY, sent in chunks.
pub struct PgLoader {
    client: postgres::Client,
    buffer: Vec<u8>,
}

/// A value in COPY's text format.
fn copy_text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn copy_array(values: &[String]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    copy_text(&format!("{{{}}}", quoted.join(",")))
}

impl PgLoader {
    pub fn add(&mut self, story: &Story, plain: &str) -> anyhow::Result<()> {
        let optional = |value: Option<String>| value.map_or("\\N".to_string(), |v| copy_text(&v));
        writeln!(
            self.buffer,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            story.id,
            copy_text(&story.title),
            copy_text(plain),
            optional(story.area.as_ref().map(|a| a.to_string())),
            code(&story.valence),
            optional(story.provider.as_ref().map(|p| p.to_string())),
            code(&story.teller),
            story.date.year(),
            copy_array(
                &story
                    .subgoals
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
            ),
            copy_array(&story.tags),
        )?;
        if self.buffer.len() > 16 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        let mut writer = self.client.copy_in("COPY stories FROM STDIN")?;
        writer.write_all(&self.buffer)?;
        writer.finish()?;
        self.buffer.clear();
        Ok(())
    }

    /// Sends the rest, then builds the text search column and the indexes.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        self.client.batch_execute(
            "ALTER TABLE stories ADD COLUMN tsv tsvector GENERATED ALWAYS AS
                 (to_tsvector('dutch', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED;
             CREATE INDEX stories_text ON stories USING gin (tsv);
             CREATE INDEX stories_subgoals ON stories USING gin (subgoals);
             CREATE INDEX stories_area ON stories (area);
             CREATE INDEX stories_valence ON stories (valence);",
        )?;
        self.client.batch_execute("VACUUM ANALYZE stories")?;
        Ok(())
    }
}

pub struct PgSearcher {
    client: postgres::Client,
}

impl PgSearcher {
    /// Top 10 with headlines, and with `facets` the total and the facet counts.
    pub fn search(&mut self, query: &GeneratedQuery, facets: bool) -> anyhow::Result<usize> {
        let mut params = vec![query.text.clone()];
        let mut clauses = String::new();
        for (column, value) in filters(query) {
            params.push(value);
            let n = params.len();
            if column == "subgoal" {
                clauses.push_str(&format!(" AND ${n} = ANY (subgoals)"));
            } else {
                clauses.push_str(&format!(" AND {column} = ${n}"));
            }
        }
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|p| p as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let matching =
            format!("FROM stories, websearch_to_tsquery('dutch', $1) q WHERE tsv @@ q{clauses}");
        let top = format!(
            "SELECT id, title, ts_headline('dutch', body, q) FROM \
             (SELECT id, title, body, q, ts_rank(tsv, q) AS r {matching} ORDER BY r DESC LIMIT 10) t"
        );
        let mut seen = 0;
        for row in self.client.query(top.as_str(), &refs)? {
            let headline: String = row.get(2);
            seen += headline.len().min(1);
        }
        if !facets {
            return Ok(seen);
        }
        let mut counts = String::new();
        for facet in FACETS {
            counts.push_str(&format!(
                "SELECT '{facet}', {facet}::text, count(*) FROM hits GROUP BY {facet} UNION ALL "
            ));
        }
        let facets = format!(
            "WITH hits AS MATERIALIZED (SELECT area, valence, provider, teller, year, subgoals, tags \
             {matching}) {counts}\
             SELECT 'subgoal', s, count(*) FROM hits, unnest(subgoals) s GROUP BY s UNION ALL \
             SELECT 'tag', t, count(*) FROM hits, unnest(tags) t GROUP BY t UNION ALL \
             SELECT 'total', NULL, count(*) FROM hits"
        );
        for row in self.client.query(facets.as_str(), &refs)? {
            let count: i64 = row.get(2);
            seen += count as usize;
        }
        Ok(seen)
    }

    pub fn matching(&mut self, text: &str) -> anyhow::Result<HashSet<String>> {
        Ok(self
            .client
            .query(
                "SELECT id FROM stories WHERE tsv @@ websearch_to_tsquery('dutch', $1)",
                &[&text],
            )?
            .into_iter()
            .map(|row| row.get::<_, String>(0))
            .collect())
    }
}
