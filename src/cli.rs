//! The command line: `verhalenbank [--data-dir DIR] <command>`, defined with clap derive.
//!
//! Only the shape of the commands lives here; what they do is in [`crate::commands`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::export::ExportFormat;
use crate::index::SortOrder;

#[derive(Debug, Parser)]
#[command(
    name = "verhalenbank",
    version,
    about = "Verhalenbank: counted and told evidence side by side, for municipalities and the providers they fund"
)]
pub struct Cli {
    /// Folder that holds the store and the search index.
    #[arg(
        long,
        global = true,
        env = "VERHALENBANK_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,

    /// How log lines are written to standard error: text, or json (one object per line).
    #[arg(
        long,
        global = true,
        value_enum,
        env = "VERHALENBANK_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: crate::telemetry::LogFormat,

    /// The configuration file with options for serve (and the data folder and log format); flags and
    /// environment variables override it. Default: verhalenbank.toml in the current folder, if there.
    #[arg(long, global = true, env = "VERHALENBANK_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

// `serve` has many options; the command line is read once, so its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web application. With an empty data folder it first loads the demo municipality.
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "VERHALENBANK_BIND", default_value = "127.0.0.1:3000")]
        bind: std::net::SocketAddr,
        /// Do not load the demo municipality into an empty data folder.
        #[arg(long, env = "VERHALENBANK_NO_DEMO")]
        no_demo: bool,
        /// The demo municipality to load.
        #[arg(long, env = "VERHALENBANK_SAMPLE", default_value = "stories-sample")]
        sample: PathBuf,
        /// The site is served over https (by a proxy that ends TLS): login cookies are marked Secure
        /// and browsers are told to use https only (HSTS).
        #[arg(long, env = "VERHALENBANK_HTTPS")]
        https: bool,
        /// Serve Prometheus metrics at /metrics on the main address to requests that carry this token
        /// (`Authorization: Bearer TOKEN`).
        #[arg(long, env = "VERHALENBANK_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// Serve Prometheus metrics at /metrics on this separate address (such as 127.0.0.1:9464),
        /// for a monitoring agent on the same host or network.
        #[arg(long, env = "VERHALENBANK_METRICS_BIND")]
        metrics_bind: Option<std::net::SocketAddr>,
        /// Write backups into this folder while serving (and the erasure ledger beside them).
        #[arg(long, env = "VERHALENBANK_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// How often to write a backup: 24h, 12h, 30m, 7d. The first comes soon after the start
        /// when the newest backup is older than this.
        #[arg(long, env = "VERHALENBANK_BACKUP_EVERY", default_value = "24h", value_parser = crate::bank::backups::parse_interval)]
        backup_every: std::time::Duration,
        /// How many backups to keep in the backup folder; older ones are deleted.
        #[arg(long, env = "VERHALENBANK_BACKUP_KEEP", default_value_t = 14)]
        backup_keep: usize,
        /// Whether staff may log in with a name and password kept in the bank. Set to false when
        /// everyone logs in through the identity provider (oidc-issuer).
        #[arg(
            long,
            env = "VERHALENBANK_LOCAL_LOGIN",
            default_value_t = true,
            action = clap::ArgAction::Set,
            num_args = 0..=1,
            default_missing_value = "true",
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        local_login: bool,
        /// Single sign-on for staff: the identity provider's issuer URL (OpenID Connect), such as
        /// https://login.microsoftonline.com/TENANT-ID/v2.0 or https://sso.gemeente.nl/realms/NAME.
        #[arg(long, env = "VERHALENBANK_OIDC_ISSUER")]
        oidc_issuer: Option<String>,
        /// The client id the identity provider gave the bank.
        #[arg(long, env = "VERHALENBANK_OIDC_CLIENT_ID")]
        oidc_client_id: Option<String>,
        /// The client secret the identity provider gave the bank.
        #[arg(long, env = "VERHALENBANK_OIDC_CLIENT_SECRET", hide_env_values = true)]
        oidc_client_secret: Option<String>,
        /// The full address of /login/oidc/terug on this site, as registered with the identity
        /// provider. Default: made from the address a request comes in on (https with --https).
        #[arg(long, env = "VERHALENBANK_OIDC_REDIRECT_URL")]
        oidc_redirect_url: Option<String>,
        /// The identity provider's name on the login page ("Inloggen met NAME"). Default: its host name.
        #[arg(long, env = "VERHALENBANK_OIDC_NAME")]
        oidc_name: Option<String>,
        /// The ID token claim that lists a person's groups.
        #[arg(long, env = "VERHALENBANK_OIDC_GROUPS_CLAIM", default_value = "groups")]
        oidc_groups_claim: String,
        /// Which group gives which role: GROUP=ROLE, or GROUP=provider:PROVIDER-ID for provider staff;
        /// repeat for more (in the environment: separated by commas). The group that may do most wins.
        #[arg(
            long,
            env = "VERHALENBANK_OIDC_ROLE",
            value_name = "GROUP=ROLE",
            value_delimiter = ',',
            value_parser = crate::sso::RoleMapping::parse
        )]
        oidc_role: Vec<crate::sso::RoleMapping>,
        /// Whom staff without a role should ask, as the refusal page names them (such as "de
        /// servicedesk, telefoon 14 035"). Default: the bank's administrator.
        #[arg(long, env = "VERHALENBANK_OIDC_CONTACT")]
        oidc_contact: Option<String>,
    },
    /// Write a backup of the whole bank into one file. With the server running on the data folder
    /// the server writes it (through the control socket in the data folder), without stopping.
    Backup {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Fill an empty or new data folder from a backup file. Stories erased after the backup was
    /// made, according to the erasure ledger beside the file (erasures.json), are left out.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// The erasure ledger to apply, when it is not beside the backup file.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Import story files, stories or measurements CSV, goals.toml and municipality.toml (folders recursively).
    Import {
        /// Files or folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Export the whole bank into an empty folder.
    Export {
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
        /// The folder to write into; it must be empty or not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Search the stories from the command line, for scripts and checks.
    Search {
        /// What to look for: words (all must match), "exact phrases", -exclusions, OR, word* (words
        /// that begin so), field:value filters.
        query: String,
        /// Filter on a field, as FIELD=VALUE (goal, subgoal, indicator, area, provider, teller, valence, tag,
        /// language, year, quarter, status, consent); repeat for more.
        #[arg(long = "facet", value_name = "FIELD=VALUE")]
        facets: Vec<String>,
        /// Whose view to search with: municipality (everything), public, or provider:ID.
        #[arg(long, default_value = "municipality")]
        scope: String,
        #[arg(long, value_enum, default_value = "relevance")]
        sort: SortArg,
        /// Only stories on or after this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<jiff::civil::Date>,
        /// Only stories on or before this date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<jiff::civil::Date>,
        #[arg(long, default_value_t = 1)]
        page: usize,
        #[arg(long, default_value_t = 10)]
        per_page: usize,
        /// Which fields to count values of: all (the default), none, or a comma list such as
        /// area,valence,tag. With none, a search with words ordered by relevance counts its total
        /// exactly only up to about a thousand stories and estimates beyond ("about N stories").
        #[arg(long = "facets", value_name = "LIST", default_value = "all")]
        count: String,
        /// Print the results (hits, snippets, facet counts, synonyms used) as JSON.
        #[arg(long)]
        json: bool,
        /// Find exactly what was asked: when no story has every word, find none (instead of the
        /// stories with the most words), and search a word no story has as itself only (instead of
        /// its nearest words).
        #[arg(long)]
        exact: bool,
        /// Search only the words as typed, not also their synonyms from the bank's list.
        #[arg(long)]
        no_synonyms: bool,
    },
    /// Write the yearly accountability report (per goal, or the whole goal tree) as Markdown.
    Report {
        /// The year the report is about.
        #[arg(long)]
        year: i16,
        /// Only this area (stadsdeel or wijk id); the whole municipality when left out.
        #[arg(long)]
        area: Option<String>,
        /// Only this goal (id); the whole goal tree when left out.
        #[arg(long)]
        goal: Option<String>,
        /// The language of the report: nl or en.
        #[arg(long, default_value = "nl")]
        lang: String,
        /// The file to write; standard output when left out.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Manage the accounts of administrators, analysts, facilitators and provider staff.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage the API tokens providers' systems use for the JSON API.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Suggest the personal details to black out in a story read from standard input, as JSON.
    Redact {
        /// Print the text with every suggestion replaced by its placeholder instead.
        #[arg(long, conflicts_with = "evaluate")]
        apply: bool,
        /// Measure the suggestions on an evaluation set (TOML) and print precision and recall per kind.
        #[arg(long, value_name = "FILE")]
        evaluate: Option<PathBuf>,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Write a generated practice bank into a folder: realistic stories built from the demo's
    /// sentences and a Dutch word list, linked to the demo's goals, areas and providers, ready for
    /// `import`. For trying import, search and a machine's capacity before real stories come; the same
    /// number and seed always give the same stories.
    GenCorpus {
        /// How many stories to write.
        #[arg(long)]
        stories: usize,
        /// Another seed gives other stories.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The folder to write into; made when missing.
        #[arg(long)]
        out: PathBuf,
        /// The demo municipality whose settings, sentences and tags the stories draw on.
        #[arg(long, env = "VERHALENBANK_SAMPLE", default_value = "stories-sample")]
        sample: PathBuf,
    },
    /// Write the manual pages (roff, section 1) of verhalenbank and each of its commands into a folder,
    /// as the Debian package installs them.
    Man {
        /// The folder to write into; made when missing.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add an account. Without --password-stdin a strong password is made and shown once.
    Add {
        /// The login name: lowercase letters, digits, '-' and '_'.
        name: String,
        /// admin (beheerder), analyst (analist), facilitator (begeleider) or provider (aanbieder).
        #[arg(long)]
        role: String,
        /// For provider staff: the id of their provider in municipality.toml.
        #[arg(long)]
        provider: Option<String>,
        /// How the person is addressed on pages.
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts: name, role, provider, display name, and "disabled" for accounts turned off.
    List,
    /// Give an account a new password (made and shown once, or read with --password-stdin).
    Password {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account another role (and, for provider staff, its provider).
    Role {
        name: String,
        /// admin (beheerder), analyst (analist), facilitator (begeleider) or provider (aanbieder).
        #[arg(long)]
        role: String,
        /// For provider staff: the id of their provider in municipality.toml.
        #[arg(long)]
        provider: Option<String>,
    },
    /// Turn an account off: it can no longer log in, and its logins end. The account and its history stay.
    Disable { name: String },
    /// Turn an account that was turned off on again.
    Enable { name: String },
    /// Remove an account.
    Remove { name: String },
    /// Turn off an account's two-step verification, for someone who lost the phone with the app.
    SecondFactorOff { name: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Make a token for a provider; it is shown once.
    Add {
        /// The provider's id in municipality.toml.
        #[arg(long)]
        provider: String,
        /// What the token is for, such as the name of the provider's system.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List the tokens: id, provider, day made, label.
    List,
    /// Revoke a token by its id; it stops working at once.
    Revoke { id: String },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

impl From<SortArg> for SortOrder {
    fn from(sort: SortArg) -> SortOrder {
        match sort {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Newest => SortOrder::Newest,
            SortArg::Oldest => SortOrder::Oldest,
        }
    }
}
