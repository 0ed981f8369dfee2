//! What each command-line command does: open what it needs, make one call into the core, and report in
//! words an operator can act on. Returns the process exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use std::time::Instant;

use crate::bank::{open_index, open_store};
use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::export::{ExportFormat, export};
use crate::ids::ProviderId;
use crate::import::import_paths;
use crate::index::indexer::Indexer;
use crate::index::{FacetField, Scope, SearchRequest};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::new(&cli.data_dir);
    match cli.command {
        Command::Serve { .. } => {
            anyhow::bail!("the serve command is run by the web layer (`web::command::run`)")
        }
        Command::Backup { out } => backup_command(&config, &out),
        Command::Man { out } => man_command(&out),
        Command::Restore { file, ledger } => restore_command(&config, &file, ledger.as_deref()),
        Command::Import { paths } => import(&config, &paths),
        Command::Export { format, out } => export_command(&config, format, &out),
        Command::User { action } => user_command(&config, action),
        Command::Token { action } => token_command(&config, action),
        Command::Report {
            year,
            area,
            goal,
            lang,
            out,
        } => report_command(&config, year, area, goal, &lang, out),
        Command::Search {
            query,
            facets,
            count,
            scope,
            sort,
            from,
            to,
            page,
            per_page,
            json,
            exact,
            no_synonyms,
        } => {
            let mut request = SearchRequest::new(&query, parse_scope(&scope)?);
            request.lenient = !exact;
            for facet in &facets {
                let (field, value) = facet.split_once(['=', ':']).with_context(|| {
                    format!("--facet {facet}: expected FIELD=VALUE, for example area=noord")
                })?;
                let field = FacetField::parse(field).with_context(|| {
                    format!("--facet {facet}: unknown field {field}; expected one of goal, subgoal, indicator, area, provider, teller, valence, tag, language, year, quarter, status, consent")
                })?;
                request = request.filter(field, value);
            }
            request.sort = sort.into();
            request.from = from;
            request.to = to;
            request.page = page;
            request.per_page = per_page;
            request.synonyms = !no_synonyms;
            request.facets =
                FacetField::wanted(&count).map_err(|message| anyhow::anyhow!("--{message}"))?;
            // Without facets nothing needs every match visited, so the total may be an estimate too.
            request.exact_total = request
                .facets
                .as_ref()
                .is_none_or(|facets| !facets.is_empty());
            search(&config, &request, json)
        }
        Command::Redact { apply, evaluate } => redact(apply, evaluate.as_deref()),
        Command::Reindex => reindex(&config),
        Command::GenCorpus {
            stories,
            seed,
            out,
            sample,
        } => gen_corpus(stories, seed, &out, &sample),
    }
}

/// Writes a generated practice bank and says what it holds.
fn gen_corpus(
    stories: usize,
    seed: u64,
    out: &std::path::Path,
    sample: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let sample = crate::config::beside_sources(sample.to_path_buf());
    let progress =
        ProgressBar::with_draw_target(Some(stories as u64), ProgressDrawTarget::stderr());
    let report = crate::corpus::generate(&sample, out, stories, seed, &progress)?;
    let languages: Vec<String> = report
        .languages
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    println!(
        "wrote {} stories ({:.1} MB of text; {}) and {} figures to {}",
        report.stories,
        report.text_bytes as f64 / 1e6,
        languages.join(", "),
        report.measurements,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Single sign-on's settings from `serve`'s options: `None` without an issuer; an error that names the
/// missing option when it is half configured, or when password logins are off without it.
/// Writes a backup: asked of the server when one runs on the data folder, else read from the store.
fn backup_command(config: &Config, out: &std::path::Path) -> anyhow::Result<ExitCode> {
    use crate::bank::backups::{write_atomically, write_backup_file};
    let mut asked = false;
    let from_server = write_atomically(out, |file| {
        let mut writer = std::io::BufWriter::new(file);
        asked = crate::control::request_backup(&config.data_dir, &mut writer)?;
        anyhow::ensure!(asked, "no server answers");
        std::io::Write::flush(&mut writer)?;
        Ok(())
    });
    if asked {
        from_server.with_context(|| format!("writing the backup {}", out.display()))?;
        crate::store::backup::verify_backup(out).with_context(|| {
            format!(
                "the backup the server sent to {} is incomplete",
                out.display()
            )
        })?;
        let bytes = std::fs::metadata(out)?.len();
        println!(
            "backup of the running bank written to {} ({bytes} bytes)",
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::ensure!(
        config.store_path().exists(),
        "there is no bank in {} (no store folder); choose the data folder with --data-dir",
        config.data_dir.display()
    );
    let store = open_store(config)?;
    let summary = write_backup_file(&store, out)?;
    audit(
        &store,
        "backup.made",
        format!("{} stories", summary.stories),
    );
    println!(
        "backup of {} stories written to {} ({} bytes)",
        summary.stories,
        out.display(),
        summary.bytes
    );
    Ok(ExitCode::SUCCESS)
}

/// Fills an empty data folder from a backup, leaving out stories erased since.
fn restore_command(
    config: &Config,
    file: &std::path::Path,
    ledger: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let report = crate::bank::backups::restore(config, file, ledger)?;
    println!(
        "restored {} stories from the backup made {} into {}",
        report.stories,
        report.made,
        config.data_dir.display()
    );
    match &report.ledger {
        Some(ledger) => println!(
            "left out {} stories erased after the backup was made (erasure ledger {})",
            report.left_out,
            ledger.display()
        ),
        None => println!(
            "no erasure ledger beside the backup ({}); nothing left out",
            crate::bank::backups::LEDGER_FILE
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_scope(scope: &str) -> anyhow::Result<Scope> {
    match scope.split_once(':') {
        None if scope == "municipality" => Ok(Scope::Municipality),
        None if scope == "public" => Ok(Scope::Public),
        Some(("provider", id)) => Ok(Scope::Provider(
            ProviderId::parse(id).with_context(|| format!("--scope {scope}: bad provider id"))?,
        )),
        _ => anyhow::bail!("--scope {scope}: expected municipality, public or provider:ID"),
    }
}

fn search(config: &Config, request: &SearchRequest, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(config)?;
    let index = open_index(config, &store)?;
    let results = index.search(&store, request)?;
    let output = if json {
        serde_json::to_string_pretty(&results)? + "\n"
    } else {
        let about = if results.total_exact { "" } else { "about " };
        let mut text = format!("{about}{} stories\n", results.total);
        if results.relaxed {
            text += "no story has every word; these are the stories with the most words\n";
        }
        if let Some(suggestion) = &results.suggestion {
            text += &format!("did you mean: {suggestion}\n");
        }
        for expanded in &results.expanded {
            let words = expanded.words.join(", ");
            text += &match expanded.kind {
                crate::index::ExpansionKind::Typo => {
                    format!("{} is in no story; searched for {words}\n", expanded.word)
                }
                crate::index::ExpansionKind::Prefix => {
                    format!("{}* stands for: {words}\n", expanded.word)
                }
                crate::index::ExpansionKind::ShortPrefix => format!(
                    "{}*: fewer than 3 letters before the star; searched for the word itself\n",
                    expanded.word
                ),
            };
        }
        if !results.synonyms_used.is_empty() {
            text += &format!("also searched for: {}\n", results.synonyms_used.join(", "));
        }
        for hit in &results.hits {
            let snippet = hit
                .snippet
                .as_str()
                .replace("<mark>", "*")
                .replace("</mark>", "*");
            let snippet = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            text += &format!(
                "\n{}  {}  ({})\n  {}\n",
                hit.story.date,
                hit.story.title,
                hit.story.id,
                unescape(&snippet)
            );
        }
        text
    };
    write_stdout(&output)?;
    Ok(ExitCode::SUCCESS)
}

/// An optional id given with `flag` that must name something that exists; otherwise an error that
/// says what was `expected`.
fn known_id<T>(
    flag: &str,
    text: Option<String>,
    parse: impl Fn(&str) -> Result<T, crate::ids::IdError>,
    exists: impl Fn(&T) -> bool,
    expected: &str,
) -> anyhow::Result<Option<T>> {
    text.map(|text| {
        parse(&text)
            .ok()
            .filter(|id| exists(id))
            .with_context(|| format!("{flag} {text}: expected {expected}"))
    })
    .transpose()
}

/// Writes the manual pages from the command-line definition: `verhalenbank.1` and one per command
/// (`verhalenbank-serve.1`, `verhalenbank-user-add.1`, ...), so they always say what the binary takes.
fn man_command(out: &std::path::Path) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    std::fs::create_dir_all(out).with_context(|| format!("making {}", out.display()))?;
    clap_mangen::generate_to(Cli::command(), out)
        .with_context(|| format!("writing the manual pages into {}", out.display()))?;
    let count = std::fs::read_dir(out)?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".1"))
        .count();
    write_stdout(&format!(
        "{count} manual pages written to {}\n",
        out.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The password for an account: read from standard input, or made and shown once.
fn new_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
    } else {
        Ok((crate::accounts::generate_password(), true))
    }
}

/// Adds, lists, changes and removes accounts, through the same store functions as `/beheer`.
/// Passwords are shown only when made here, and only once.
fn user_command(config: &Config, action: crate::cli::UserAction) -> anyhow::Result<ExitCode> {
    use crate::accounts::{AccountChange, AccountError, Role, RoleKind, User};
    use crate::cli::UserAction;
    use crate::ids::UserName;
    let store = open_store(config)?;
    let parse_name = |name: &str| {
        UserName::parse(name).with_context(|| format!("{name:?} is not a valid login name"))
    };
    let municipality = store.municipality()?.unwrap_or_default();
    let parse_role = |role: &str, provider: Option<String>| -> anyhow::Result<Role> {
        let kind = RoleKind::parse(role).with_context(|| {
            format!("--role {role}: expected admin, analyst, facilitator or provider")
        })?;
        let provider = known_id(
            "--provider",
            provider,
            ProviderId::parse,
            |id| municipality.provider(id).is_some(),
            "a provider id from municipality.toml",
        )?;
        Ok(Role::new(kind, provider)?)
    };
    let refused = |name: &UserName, error: AccountError| match error {
        AccountError::NameTaken => anyhow::anyhow!("an account named {name} already exists"),
        AccountError::NoSuchAccount => anyhow::anyhow!("there is no account named {name}"),
        AccountError::NoSecondFactor => anyhow::anyhow!("{name} has no two-step verification"),
        other => anyhow::anyhow!("{name}: {other}"),
    };
    let change = |name: &UserName, change: AccountChange| -> anyhow::Result<User> {
        let action = change.audit_action();
        let user = store
            .change_user(name, change)?
            .map_err(|error| refused(name, error))?;
        audit(&store, action, format!("user:{name}"));
        Ok(user)
    };
    let today = jiff::Zoned::now().date();
    match action {
        UserAction::Add {
            name,
            role,
            provider,
            display_name,
            password_stdin,
        } => {
            let name = parse_name(&name)?;
            anyhow::ensure!(
                store.user(&name)?.is_none(),
                "an account named {name} already exists"
            );
            let role = parse_role(&role, provider)?;
            let (password, made) = new_password(password_stdin)?;
            let user = User::new(name, &display_name, role, &password, today)?;
            store
                .add_user(&user)?
                .map_err(|error| refused(&user.name, error))?;
            audit(&store, "user.added", format!("user:{}", user.name));
            let mut text = format!("added {} ({})\n", user.name, user.role.code());
            if made {
                text += &format!("password (shown only now): {password}\n");
            }
            write_stdout(&text)?;
        }
        UserAction::List => {
            let mut text = String::new();
            for user in store.users()? {
                let provider = user
                    .role
                    .provider()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default();
                let disabled = if user.disabled { "\tdisabled" } else { "" };
                text += &format!(
                    "{}\t{}{provider}\t{}{disabled}\n",
                    user.name,
                    user.role.code(),
                    user.display_name
                );
            }
            write_stdout(&text)?;
        }
        UserAction::Password {
            name,
            password_stdin,
        } => {
            let name = parse_name(&name)?;
            anyhow::ensure!(
                store.user(&name)?.is_some(),
                "there is no account named {name}"
            );
            let (password, made) = new_password(password_stdin)?;
            change(&name, AccountChange::Password(password.clone()))?;
            let mut text = format!("new password for {name}\n");
            if made {
                text += &format!("password (shown only now): {password}\n");
            }
            write_stdout(&text)?;
        }
        UserAction::Role {
            name,
            role,
            provider,
        } => {
            let name = parse_name(&name)?;
            let role =
                parse_role(&role, provider).map_err(|error| anyhow::anyhow!("{name}: {error}"))?;
            let user = change(&name, AccountChange::Role(role))?;
            write_stdout(&format!("{name} is now {}\n", user.role.code()))?;
        }
        UserAction::Disable { name } => {
            let name = parse_name(&name)?;
            change(&name, AccountChange::Disable)?;
            write_stdout(&format!("{name} is turned off and can no longer log in\n"))?;
        }
        UserAction::Enable { name } => {
            let name = parse_name(&name)?;
            change(&name, AccountChange::Enable)?;
            write_stdout(&format!("{name} can log in again\n"))?;
        }
        UserAction::SecondFactorOff { name } => {
            let name = parse_name(&name)?;
            change(&name, AccountChange::SecondFactorOff)?;
            write_stdout(&format!("two-step verification turned off for {name}\n"))?;
        }
        UserAction::Remove { name } => {
            let name = parse_name(&name)?;
            anyhow::ensure!(
                store.remove_user(&name)?,
                "there is no account named {name}"
            );
            audit(&store, "user.removed", format!("user:{name}"));
            write_stdout(&format!("removed {name}\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn token_command(config: &Config, action: crate::cli::TokenAction) -> anyhow::Result<ExitCode> {
    use crate::cli::TokenAction;
    use crate::tokens::{ApiToken, TokenInfo};
    let store = open_store(config)?;
    match action {
        TokenAction::Add { provider, label } => {
            let municipality = store.municipality()?.unwrap_or_default();
            let provider = known_id(
                "--provider",
                Some(provider),
                ProviderId::parse,
                |id| municipality.provider(id).is_some(),
                "a provider id from municipality.toml",
            )?
            .expect("a provider was given");
            let token = ApiToken::generate();
            let info = TokenInfo::new(&token.hash(), provider, &label, jiff::Zoned::now().date());
            store.put_token(&token.hash(), &info)?;
            audit(&store, "token.created", format!("token:{}", info.id));
            write_stdout(&format!(
                "made token {} for {}\ntoken (shown only now): {}\n",
                info.id,
                info.provider,
                token.reveal()
            ))?;
        }
        TokenAction::List => {
            let mut text = String::new();
            for token in store.tokens()? {
                text += &format!(
                    "{}\t{}\t{}\t{}\n",
                    token.id, token.provider, token.created, token.label
                );
            }
            write_stdout(&text)?;
        }
        TokenAction::Revoke { id } => {
            anyhow::ensure!(store.revoke_token(&id)?, "there is no token with id {id}");
            audit(&store, "token.revoked", format!("token:{id}"));
            write_stdout(&format!("revoked {id}\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Records a command in the audit log. The command has done its work by now, so a log that cannot be
/// written is reported without failing it.
fn audit(store: &crate::store::Store, action: &str, target: String) {
    let entry = crate::audit::AuditEntry::new(crate::audit::Actor::Command, action, target, 0);
    if let Err(error) = store.append_audit(&entry).and_then(|()| store.flush()) {
        tracing::error!(%error, action, "the audit log could not be written");
    }
}

/// Writes the yearly report as Markdown, as the report page's download does.
fn report_command(
    config: &Config,
    year: i16,
    area: Option<String>,
    goal: Option<String>,
    lang: &str,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    use crate::bank::report::ReportRequest;
    use crate::ids::{AreaId, GoalId};
    let bank = crate::bank::Bank::open(config)?;
    let settings = bank.settings()?;
    let area = known_id(
        "--area",
        area,
        AreaId::parse,
        |id| settings.municipality.area(id).is_some(),
        "an area id from municipality.toml",
    )?;
    let goal = known_id(
        "--goal",
        goal,
        GoalId::parse,
        |id| settings.goals.goal(id).is_some(),
        "a goal id from goals.toml",
    )?;
    let t = match lang {
        "nl" => crate::present::i18n::dutch(),
        "en" => crate::present::i18n::english(),
        other => anyhow::bail!("--lang {other}: expected nl or en"),
    };
    let today = jiff::Zoned::now().date();
    let report = bank.yearly_report(&ReportRequest { year, area, goal }, today)?;
    let view = crate::present::report_view::ReportView::new(
        t,
        &settings,
        &bank.sessions()?,
        &report,
        today,
    );
    let text = view.markdown(t);
    match out {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => write_stdout(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Suggests redactions for the text on standard input, or measures the detector on an evaluation set.
/// Needs no data folder: nothing is opened or stored, and the text goes nowhere but standard output.
fn redact(apply: bool, evaluate: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    use std::io::Read;
    if let Some(path) = evaluate {
        let set = std::fs::read_to_string(path)
            .with_context(|| format!("reading the evaluation set {}", path.display()))?;
        let evaluation = crate::redact::evaluate(&set)
            .with_context(|| format!("evaluating on {}", path.display()))?;
        let mut output = evaluation.to_string();
        if !evaluation.mistakes.is_empty() {
            output += "\nmistakes (sentence, kind, text):\n";
            for mistake in &evaluation.mistakes {
                let what = if mistake.missed { "missed" } else { "wrong " };
                output += &format!(
                    "  {what} {:>4} {:<9} {}\n",
                    mistake.case,
                    mistake.kind.as_str(),
                    mistake.text
                );
            }
        }
        write_stdout(&output)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the text from standard input")?;
    let suggestions = crate::redact::suggest(&text);
    let output = if apply {
        crate::redact::apply(&text, &suggestions)
    } else {
        serde_json::to_string_pretty(&suggestions)? + "\n"
    };
    write_stdout(&output)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a reader that stopped reading (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Turns the escaped snippet back into plain text for a terminal.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn reindex(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(config)?;
    let started = Instant::now();
    let index = open_index(config, &store)?;
    index.rebuild(&store)?;
    println!(
        "rebuilt the search index: {} stories in {:.1} s",
        index.document_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Stories an import must store before the store is rewritten after it; a small import leaves
/// little to give back, and the rewrite copies the whole bank.
const REWRITE_AFTER_STORIES: usize = 1_000;

fn import(config: &Config, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    for path in paths {
        anyhow::ensure!(path.exists(), "{} does not exist", path.display());
    }
    let store = Arc::new(open_store(config)?);
    let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} bestanden ({eta})")
            .expect("valid progress template"),
    );
    let started = Instant::now();
    // The index follows the outbox while stories are read and stored, on the other core, as the
    // server's indexer does; stopping it catches up on the last ones.
    let index = Arc::new(open_index(config, &store)?);
    let indexer = Indexer::start(store.clone(), index.clone());
    let imported = import_paths(&store, paths, &progress);
    indexer.stop();
    let report = imported.map_err(|stopped| {
        progress.finish_and_clear();
        let kept = stopped.stored;
        match stopped.error.unwritable() {
            Some(why) => anyhow::anyhow!(
                "the import stopped: Verhalenbank cannot write in the data folder {} ({why}). \
                 {kept} stories were stored before it stopped and are kept; make room and run \
                 the same import again: stories already stored are skipped",
                config.data_dir.display()
            ),
            None => anyhow::Error::new(stopped),
        }
    })?;
    audit(
        &store,
        "import",
        format!(
            "{} stories, {} measurements",
            report.stories, report.measurements
        ),
    );
    index.catch_up(&store)?;
    // A bulk import leaves sled's log holding every page it wrote over and the outbox the index has
    // consumed: the rewrite an erasure uses gives that room back.
    let rewritten = if report.stories >= REWRITE_AFTER_STORIES {
        let before = store.size_on_disk()?;
        store.compact()?;
        Some((before, store.size_on_disk()?))
    } else {
        None
    };
    tracing::info!(
        stories = report.stories,
        seconds = started.elapsed().as_secs_f64(),
        "import stored and indexed"
    );
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    println!(
        "imported {} stories and {} measurements from {} files{}{}",
        report.stories,
        report.measurements,
        report.files,
        if report.municipality {
            ", the municipality"
        } else {
            ""
        },
        if report.goal_tree {
            ", the goal tree"
        } else {
            ""
        },
    );
    if let Some((before, after)) = rewritten {
        println!(
            "the store was rewritten after the import to give back the room its log kept: {:.1} MB on disk, from {:.1} MB",
            after as f64 / 1e6,
            before as f64 / 1e6
        );
    }
    if report.awaiting_moderation > 0 {
        println!(
            "{} of these stories are submitted and wait for moderation (/moderatie) before the public sees them; give a story status = \"published\" in its file to publish it on import",
            report.awaiting_moderation
        );
    }
    if report.unlinked > 0 {
        println!(
            "{} of these stories are published without a subgoal: moderation lists them under \"Zonder subdoel\" (/moderatie?status=unlinked) with suggested subgoals to link them",
            report.unlinked
        );
    }
    if report.sessions > 0 || report.rounds > 0 {
        println!(
            "imported {} storytelling sessions and {} evaluation rounds",
            report.sessions, report.rounds
        );
    }
    if let Some(groups) = report.synonym_groups {
        println!("imported the synonyms list ({groups} groups)");
    }
    if let Some(questions) = report.questions {
        println!("imported the questions about the story ({questions} questions)");
    }
    if let Some(words) = report.signal_words {
        println!("imported the urgent-signal list ({words} words)");
    }
    if report.erased > 0 {
        println!(
            "left out {} stories that were erased from this bank; an erased story is never stored again",
            report.erased
        );
    }
    if !report.skipped.is_empty() {
        println!(
            "skipped {} files that are not stories, figures or settings",
            report.skipped.len()
        );
    }
    if report.is_success() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} problems in {} files; those files (or rows) were not imported, everything else was",
            report.errors.len(),
            report.failed_files
        );
        Ok(ExitCode::FAILURE)
    }
}

fn export_command(
    config: &Config,
    format: ExportFormat,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let store = open_store(config)?;
    let summary = export(&store, format, out)?;
    audit(&store, "export", format!("{} stories", summary.stories));
    println!(
        "exported {} stories, {} measurements, {} interpretations and {} actions to {} ({} files)",
        summary.stories,
        summary.measurements,
        summary.interpretations,
        summary.actions,
        out.display(),
        summary.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
