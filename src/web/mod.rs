//! The web application: the only part of the program that knows HTTP and HTML.
//!
//! Handlers read like: extract → parse into domain types → one call into the [`Bank`] → return a
//! template struct (or JSON). Pages are rendered on the server with askama templates from `templates/`
//! and work without JavaScript. Bank calls touch disk (sled, tantivy), so they run on the blocking
//! thread pool, keeping the async workers free for other requests.

mod answer_contract;
mod answer_form;
mod answer_labels;
pub mod audit;
pub mod auth;
mod cards;
pub mod command;
pub use crate::present::chart;
mod download;
mod error;
mod filters;
pub(crate) mod forms;
mod handlers;
mod hearing_view;
pub mod i18n;
pub mod metrics;
pub mod oidc;
mod page;
mod page_ctx;
mod paths;
mod pattern_view;
mod phone_link;
mod protect;
mod redaction;
pub use crate::present::report_view;
mod media_view;
mod receipt;
mod round_forms;
pub mod routes;
mod search_notice;
mod search_request;
mod session_forms;
mod story_form;
mod suggestion_view;
mod tree_forms;
mod upload;
use crate::present::views;
mod links;
mod qr;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use jiff::civil::Date;

use crate::bank::Bank;
pub use error::AppError;

/// Largest request body accepted by forms and the API.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub bank: Arc<Bank>,
    /// A fixed "today" for tests; `None` means the real date.
    pub today: Option<Date>,
    /// Whether this server runs the demo municipality (shown in the footer).
    pub demo: bool,
    /// Whether the site is served over https (behind a proxy that ends TLS): cookies are marked Secure.
    pub secure: bool,
    /// Tells open session boards that a story came in for their session.
    pub session_events: tokio::sync::broadcast::Sender<crate::ids::SessionId>,
    /// Requests counted for `/metrics`, and who may read them.
    pub metrics: metrics::SharedMetrics,
    /// Whether staff may log in with a password kept in the bank (`local-login`).
    pub local_login: bool,
    /// Single sign-on through the identity provider, when configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
}

impl AppState {
    pub fn new(bank: Arc<Bank>, today: Option<Date>, demo: bool) -> AppState {
        let (session_events, _) = tokio::sync::broadcast::channel(64);
        AppState {
            bank,
            today,
            demo,
            secure: false,
            session_events,
            metrics: Arc::new(metrics::Metrics::new(None)),
            local_login: true,
            oidc: None,
        }
    }

    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(|| jiff::Zoned::now().date())
    }

    /// Runs a bank call on the blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Bank) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let bank = self.bank.clone();
        tokio::task::spawn_blocking(move || work(&bank))
            .await
            .map_err(|error| AppError::Internal(anyhow::anyhow!("a bank task failed: {error}")))?
            .map_err(|error| AppError::from(crate::bank::BankError::from(error)))
    }
}

/// Every route of the application with its method and audit action, in the order they are added.
pub fn routes() -> Vec<routes::Route> {
    table().into_parts().1
}

/// The application's routes, each added with its audit action (see [`routes::Routes`]).
fn table() -> routes::Routes {
    use handlers::*;
    use routes::Routes;
    const SUBMITTED: &str = "story.submitted";
    const DOWNLOADED: &str = "export.downloaded";
    // The story forms that may carry photos and a recording: their own body limit, larger than that
    // of every other route (docs/deploy.md says what the reverse proxy must allow).
    let upload_forms = Routes::new()
        .get("/vertel", tell::form)
        .post("/vertel", tell::submit, SUBMITTED)
        .map(|router| router.layer(protect::post_limit()))
        .get("/aanbieder/verhaal", provider::form)
        .post("/aanbieder/verhaal", provider::submit, SUBMITTED)
        .map(|router| router.layer(DefaultBodyLimit::max(crate::media::UPLOAD_BODY_BYTES)));
    let public_forms = Routes::new()
        .post("/vertel/vragen", tell::answer, "story.answered")
        .get("/vertel/papier", paper::form)
        .get("/mijn-verhaal", tell::lookup_form)
        .post("/mijn-verhaal", tell::lookup, "story.looked_up")
        .post(
            "/mijn-verhaal/toestemming",
            tell::change_consent,
            "story.consent_changed",
        )
        .post("/mijn-verhaal/intrekken", tell::withdraw, "story.withdrawn")
        .get(paths::SESSION_LINK, participate::page)
        .post(paths::SESSION_LINK, participate::submit, SUBMITTED)
        .get(paths::ROUND_LINK, rounds::public)
        .post(paths::ROUND_LINK, rounds::submit, SUBMITTED)
        .get(paths::LOGIN, login::form)
        .post(paths::LOGIN, login::login, "login")
        .get("/wachtwoord", login::password_form)
        .post("/wachtwoord", login::change_password, "password.changed")
        .map(|router| router.layer(protect::post_limit()));
    Routes::new()
        .get("/", overview::page)
        .get(paths::INDICATOR, evidence::page)
        .get_logged(
            "/indicator/{id}/export.csv",
            evidence::download_csv,
            DOWNLOADED,
        )
        .get_logged(
            "/indicator/{id}/export.xlsx",
            evidence::download_xlsx,
            DOWNLOADED,
        )
        .get(paths::STORY, story::page)
        .get(paths::SEARCH, search::page)
        .get("/patronen", patterns::page)
        .get_logged("/zoeken/export.csv", search::download_csv, DOWNLOADED)
        .get_logged("/zoeken/export.xlsx", search::download_xlsx, DOWNLOADED)
        .get(paths::SYNONYMS, synonyms::form)
        .post(paths::SYNONYMS, synonyms::save, "synonyms.changed")
        .get(paths::QUESTIONS, questions::form)
        .post(paths::QUESTIONS, questions::save, "questions.changed")
        .merge(public_forms)
        .merge(upload_forms)
        .get(paths::STORY_PHOTO, media::photo)
        // Listening to a teller's voice is reading personal data: it is logged like a download.
        .get_logged(paths::STORY_RECORDING, media::recording, "recording.played")
        .get("/aanbieder/papier", paper::entry_form)
        .post("/aanbieder/papier", paper::entry, SUBMITTED)
        .get(paths::MODERATION, moderation::queue)
        .get(paths::MODERATE, moderation::edit)
        .post(paths::MODERATE, moderation::save, "story.moderated")
        .get("/sessies", sessions::list)
        .get("/sessies/nieuw", sessions::plan_form)
        .post("/sessies/nieuw", sessions::plan, "session.planned")
        .get(paths::SESSION, sessions::page)
        .post(
            "/sessies/{id}/status",
            sessions::status,
            "session.status_changed",
        )
        .post(
            "/sessies/{id}/duiding",
            sessions::interpret,
            "interpretation.recorded",
        )
        .post("/sessies/{id}/actie", sessions::act, "action.added")
        .post(
            "/sessies/{id}/gehoord",
            sessions::heard,
            "session.heard_written",
        )
        .get("/sessies/{id}/bord", sessions::board)
        .get("/sessies/{id}/stroom", sessions::stream)
        .get("/sessies/{id}/qr.svg", sessions::qr)
        .get("/sessies/{id}/verslag", sessions::report)
        .get("/rondes", rounds::list)
        .post("/rondes", rounds::start, "round.started")
        .get(paths::ROUND, rounds::page)
        .post("/rondes/{id}/fase", rounds::phase, "round.phase_changed")
        .get("/rondes/{id}/thema/{number}", rounds::theme)
        .post(
            "/rondes/{id}/themas",
            rounds::theme_change,
            "round.themes_changed",
        )
        .post("/rondes/{id}/teksten", rounds::texts, "round.texts_written")
        .post(
            "/rondes/{id}/betekenisvol",
            rounds::significant,
            "round.significant_chosen",
        )
        .get(paths::ROUND_GATHER, rounds::gather_form)
        .post(
            paths::ROUND_GATHER,
            rounds::gather,
            "round.stories_gathered",
        )
        .get("/rondes/{id}/qr.svg", rounds::qr)
        .get("/verantwoording", report::page)
        .get_logged("/verantwoording.md", report::markdown, DOWNLOADED)
        .get("/doelenboom", tree::tree)
        .get(paths::TREE_NEW, tree::new_form)
        .post(paths::TREE_NEW, tree::create, "goal_tree.item_added")
        .get(paths::TREE_ITEM, tree::edit_form)
        .post(paths::TREE_ITEM, tree::update, "goal_tree.item_changed")
        .post(
            "/doelenboom/{kind}/{id}/status",
            tree::status,
            "goal_tree.item_retired_or_restored",
        )
        .get("/acties", actions::list)
        .get_logged("/acties/export.csv", actions::download_csv, DOWNLOADED)
        .get_logged("/acties/export.xlsx", actions::download_xlsx, DOWNLOADED)
        .post("/acties/{id}", actions::update, "action.updated")
        .get("/indicator/{id}/duiding", evidence::interpretation_form)
        .post(
            "/indicator/{id}/duiding",
            evidence::interpret,
            "interpretation.recorded",
        )
        .post("/uitloggen", login::logout, "logout")
        .get("/login/oidc", login::oidc_start)
        // The identity provider sends people back with a GET: a login (or its refusal) like the form's.
        .get_logged(oidc::CALLBACK_PATH, login::oidc_return, "login.sso")
        .post("/tweestaps", login::second_factor, "second_factor.changed")
        .get("/beheer", admin::page)
        .post("/beheer/tokens", admin::create_token, "token.created")
        .get("/beheer/accounts", accounts::list)
        .post("/beheer/accounts", accounts::add, "user.added")
        .get(paths::ACCOUNT, accounts::show)
        .post(
            "/beheer/accounts/{name}/rol",
            accounts::set_role,
            "user.role_changed",
        )
        .post(
            "/beheer/accounts/{name}/uitzetten",
            accounts::disable,
            "user.disabled",
        )
        .post(
            "/beheer/accounts/{name}/aanzetten",
            accounts::enable,
            "user.enabled",
        )
        .post(
            "/beheer/accounts/{name}/wachtwoord",
            accounts::reset_password,
            "user.password_set",
        )
        .post(
            "/beheer/accounts/{name}/tweestaps-uit",
            accounts::second_factor_off,
            "second_factor.changed",
        )
        .post("/beheer/back-up", admin::make_backup, "backup.made")
        .get_logged(
            "/beheer/back-up/nieuwste",
            admin::download_backup,
            "backup.downloaded",
        )
        .post(
            "/beheer/tokens/{id}/intrekken",
            admin::revoke_token,
            "token.revoked",
        )
        .post("/moderatie/{id}/wissen", moderation::erase, "story.erased")
        .post(
            "/moderatie/{id}/samenvoegen",
            moderation::merge,
            "story.merged",
        )
        .get("/healthz", health::healthz)
        .get("/readyz", health::readyz)
        .get("/metrics", metrics::guarded)
        .get(paths::LANGUAGE, language::switch)
        .get("/static/style.css", assets::stylesheet)
        .get("/static/board.js", assets::board_script)
        .get("/static/favicon.svg", assets::favicon)
        .get("/favicon.ico", assets::favicon)
        .nest(paths::API, api::routes())
}

/// The application's router: the route table with the audit log, metrics, limits, login, language and
/// security headers around it.
pub fn router(state: AppState) -> Router {
    let (routes, list) = table().into_parts();
    let audit = audit::Audit {
        state: state.clone(),
        routes: list.into(),
    };
    let mut router = routes
        .route_layer(axum::middleware::from_fn_with_state(audit, audit::record))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(protect::friendly_too_large))
        .layer(axum::middleware::from_fn(auth::remember_visitor))
        .layer(axum::middleware::from_fn(i18n::remember_language))
        .layer(axum::middleware::from_fn(protect::same_origin))
        .layer(auth::layer(state.bank.clone(), state.secure));
    for layer in protect::security_headers() {
        router = router.layer(layer);
    }
    if state.secure {
        router = router.layer(protect::strict_transport_security());
    }
    router.with_state(state)
}

/// A form shown again with its problems: 422 Unprocessable Content.
pub fn unprocessable(page: impl axum::response::IntoResponse) -> axum::response::Response {
    let mut response = page.into_response();
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// How `serve` starts.
pub struct ServeOptions {
    pub bind: SocketAddr,
    pub demo: bool,
    pub sample: PathBuf,
    /// Served over https by a proxy: Secure cookies and HSTS.
    pub https: bool,
    /// The token that reads `/metrics` on the main address.
    pub metrics_token: Option<String>,
    /// A separate address that serves `/metrics` without a token.
    pub metrics_bind: Option<SocketAddr>,
    /// The data folder, where the control socket goes.
    pub data_dir: PathBuf,
    /// The backup folder and how often to write a backup there.
    pub backups: Option<(crate::bank::backups::BackupPlan, std::time::Duration)>,
    /// Whether staff may log in with a password kept in the bank.
    pub local_login: bool,
    /// Single sign-on through the identity provider, when configured.
    pub oidc: Option<oidc::OidcSettings>,
}

/// Runs the server until Ctrl-C or SIGTERM, then stops the indexer after a last catch-up and flushes.
pub async fn serve(bank: Arc<Bank>, options: ServeOptions) -> anyhow::Result<()> {
    let loaded = if options.demo {
        let sample = options.sample.clone();
        let loader = bank.clone();
        tokio::task::spawn_blocking(move || loader.load_demo_if_empty(&sample)).await??
    } else {
        false
    };
    if loaded {
        crate::telemetry::announce(
            &format!("Demo municipality loaded from {}", options.sample.display()),
            &[("sample", options.sample.display().to_string())],
        );
    }
    bank.start_indexer();
    auth::StoredSessions::prune(bank.clone())?;
    if let Some((plan, every)) = options.backups.clone() {
        crate::telemetry::announce(
            &format!(
                "Backups every {} s into {} (the newest {} kept)",
                every.as_secs(),
                plan.dir.display(),
                plan.keep
            ),
            &[
                ("backup_dir", plan.dir.display().to_string()),
                ("every_seconds", every.as_secs().to_string()),
                ("keep", plan.keep.to_string()),
            ],
        );
        bank.set_backup_plan(plan)?;
        bank.start_backup_schedule(every);
    }
    let _control = crate::control::listen(bank.clone(), &options.data_dir)?;
    let mut state = AppState::new(bank.clone(), None, options.demo);
    state.secure = options.https;
    state.metrics = Arc::new(metrics::Metrics::new(options.metrics_token.as_deref()));
    state.local_login = options.local_login;
    if let Some(settings) = options.oidc.clone() {
        crate::telemetry::announce(
            &format!("Single sign-on through {}", settings.issuer),
            &[("issuer", settings.issuer.clone())],
        );
        let known = bank.settings()?;
        for mapping in &settings.roles {
            if let Some(provider) = mapping.role.provider()
                && known.municipality.provider(provider).is_none()
            {
                tracing::warn!(
                    group = %mapping.group,
                    provider = %provider,
                    "oidc-role maps a group to a provider that is not in municipality.toml: its members are refused until it is"
                );
            }
        }
        state.oidc = Some(Arc::new(oidc::Oidc::new(settings)?));
    }
    let shutdown = shutdown_signal()?;
    if let Some(metrics_bind) = options.metrics_bind {
        let listener = tokio::net::TcpListener::bind(metrics_bind)
            .await
            .with_context(|| format!("binding {metrics_bind} for the metrics"))?;
        let metrics_address = listener.local_addr()?;
        crate::telemetry::announce(
            &format!("Metrics at http://{metrics_address}/metrics"),
            &[("metrics_address", metrics_address.to_string())],
        );
        let metrics_router = metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, metrics_router).await {
                tracing::error!(%error, "the metrics address stopped");
            }
        });
    }
    let listener = match tokio::net::TcpListener::bind(options.bind).await {
        Ok(listener) => listener,
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "the address {} is in use (another Verhalenbank, or another program, listens there); choose another with --bind ADDRESS:PORT (or VERHALENBANK_BIND)",
            options.bind
        ),
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!("binding {}", options.bind)));
        }
    };
    let address = listener.local_addr()?;
    crate::telemetry::announce(
        &format!(
            "Verhalenbank runs at http://{address} with the data folder {}",
            options.data_dir.display()
        ),
        &[
            ("address", format!("http://{address}")),
            ("data_dir", options.data_dir.display().to_string()),
        ],
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    tracing::info!("shutting down: indexing what is left and flushing the store");
    tokio::task::spawn_blocking(move || bank.shutdown()).await??;
    Ok(())
}

/// Registers for SIGTERM and Ctrl-C at once, before the server says it listens, so that a stop coming
/// right after the start is a graceful one too; the future ends when either arrives.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => {},
                _ = interrupt.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
