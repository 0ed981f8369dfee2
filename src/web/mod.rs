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
mod pattern_view;
mod protect;
mod redaction;
pub use crate::present::report_view;
mod media_view;
mod receipt;
mod round_forms;
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
use axum::routing::get;
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

    /// The page frame for a page whose title is the message `title_key`.
    pub fn page(
        &self,
        t: &'static i18n::Texts,
        settings: &crate::bank::Settings,
        title_key: &str,
        nav: page::Nav,
        uri: &axum::http::Uri,
    ) -> page::Page {
        page::Page::new(
            t,
            &settings.municipality.name,
            t.get(title_key).to_string(),
            nav,
            uri,
            self.demo,
        )
    }

    /// The page frame of a resident page, offered in all six languages.
    pub fn resident_page(
        &self,
        t: &'static i18n::Texts,
        settings: &crate::bank::Settings,
        title_key: &str,
        nav: page::Nav,
        uri: &axum::http::Uri,
    ) -> page::Page {
        self.page(t, settings, title_key, nav, uri).for_residents()
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

/// The application's routes.
pub fn router(state: AppState) -> Router {
    use handlers::*;
    // The story forms that may carry photos and a recording: their own body limit, larger than that
    // of every other route (docs/deploy.md says what the reverse proxy must allow).
    let upload_forms = Router::new()
        .route("/vertel", get(tell::form).post(tell::submit))
        .layer(protect::post_limit())
        .route(
            "/aanbieder/verhaal",
            get(provider::form).post(provider::submit),
        )
        .layer(DefaultBodyLimit::max(crate::media::UPLOAD_BODY_BYTES));
    let public_forms = Router::new()
        .route("/vertel/vragen", axum::routing::post(tell::answer))
        .route("/vertel/papier", get(paper::form))
        .route("/mijn-verhaal", get(tell::lookup_form).post(tell::lookup))
        .route(
            "/mijn-verhaal/toestemming",
            axum::routing::post(tell::change_consent),
        )
        .route(
            "/mijn-verhaal/intrekken",
            axum::routing::post(tell::withdraw),
        )
        .route(
            "/s/{code}",
            get(participate::page).post(participate::submit),
        )
        .route("/r/{code}", get(rounds::public).post(rounds::submit))
        .route("/inloggen", get(login::form).post(login::login))
        .route(
            "/wachtwoord",
            get(login::password_form).post(login::change_password),
        )
        .layer(protect::post_limit());
    let mut router = Router::new()
        .route("/", get(overview::page))
        .route("/indicator/{id}", get(evidence::page))
        .route("/indicator/{id}/export.csv", get(evidence::download_csv))
        .route("/indicator/{id}/export.xlsx", get(evidence::download_xlsx))
        .route("/verhaal/{id}", get(story::page))
        .route("/zoeken", get(search::page))
        .route("/patronen", get(patterns::page))
        .route("/zoeken/export.csv", get(search::download_csv))
        .route("/zoeken/export.xlsx", get(search::download_xlsx))
        .route(
            "/zoeken/synoniemen",
            get(synonyms::form).post(synonyms::save),
        )
        .route("/vragen", get(questions::form).post(questions::save))
        .merge(public_forms)
        .merge(upload_forms)
        .route("/verhaal/{id}/foto/{n}", get(media::photo))
        .route("/moderatie/{id}/opname", get(media::recording))
        .route(
            "/aanbieder/papier",
            get(paper::entry_form).post(paper::entry),
        )
        .route("/moderatie", get(moderation::queue))
        .route(
            "/moderatie/{id}",
            get(moderation::edit).post(moderation::save),
        )
        .route("/sessies", get(sessions::list))
        .route(
            "/sessies/nieuw",
            get(sessions::plan_form).post(sessions::plan),
        )
        .route("/sessies/{id}", get(sessions::page))
        .route(
            "/sessies/{id}/status",
            axum::routing::post(sessions::status),
        )
        .route(
            "/sessies/{id}/duiding",
            axum::routing::post(sessions::interpret),
        )
        .route("/sessies/{id}/actie", axum::routing::post(sessions::act))
        .route(
            "/sessies/{id}/gehoord",
            axum::routing::post(sessions::heard),
        )
        .route("/sessies/{id}/bord", get(sessions::board))
        .route("/sessies/{id}/stroom", get(sessions::stream))
        .route("/sessies/{id}/qr.svg", get(sessions::qr))
        .route("/sessies/{id}/verslag", get(sessions::report))
        .route("/rondes", get(rounds::list).post(rounds::start))
        .route("/rondes/{id}", get(rounds::page))
        .route("/rondes/{id}/fase", axum::routing::post(rounds::phase))
        .route("/rondes/{id}/thema/{number}", get(rounds::theme))
        .route(
            "/rondes/{id}/themas",
            axum::routing::post(rounds::theme_change),
        )
        .route("/rondes/{id}/teksten", axum::routing::post(rounds::texts))
        .route(
            "/rondes/{id}/betekenisvol",
            axum::routing::post(rounds::significant),
        )
        .route(
            "/rondes/{id}/verzamelen",
            get(rounds::gather_form).post(rounds::gather),
        )
        .route("/rondes/{id}/qr.svg", get(rounds::qr))
        .route("/verantwoording", get(report::page))
        .route("/verantwoording.md", get(report::markdown))
        .route("/doelenboom", get(tree::tree))
        .route(
            "/doelenboom/nieuw/{kind}",
            get(tree::new_form).post(tree::create),
        )
        .route(
            "/doelenboom/{kind}/{id}",
            get(tree::edit_form).post(tree::update),
        )
        .route(
            "/doelenboom/{kind}/{id}/status",
            axum::routing::post(tree::status),
        )
        .route("/acties", get(actions::list))
        .route("/acties/export.csv", get(actions::download_csv))
        .route("/acties/export.xlsx", get(actions::download_xlsx))
        .route("/acties/{id}", axum::routing::post(actions::update))
        .route(
            "/indicator/{id}/duiding",
            get(evidence::interpretation_form).post(evidence::interpret),
        )
        .route("/uitloggen", axum::routing::post(login::logout))
        .route("/login/oidc", get(login::oidc_start))
        .route(oidc::CALLBACK_PATH, get(login::oidc_return))
        .route("/tweestaps", axum::routing::post(login::second_factor))
        .route("/beheer", get(admin::page))
        .route("/beheer/tokens", axum::routing::post(admin::create_token))
        .route("/beheer/accounts", get(accounts::list).post(accounts::add))
        .route("/beheer/accounts/{name}", get(accounts::show))
        .route(
            "/beheer/accounts/{name}/rol",
            axum::routing::post(accounts::set_role),
        )
        .route(
            "/beheer/accounts/{name}/uitzetten",
            axum::routing::post(accounts::disable),
        )
        .route(
            "/beheer/accounts/{name}/aanzetten",
            axum::routing::post(accounts::enable),
        )
        .route(
            "/beheer/accounts/{name}/wachtwoord",
            axum::routing::post(accounts::reset_password),
        )
        .route(
            "/beheer/accounts/{name}/tweestaps-uit",
            axum::routing::post(accounts::second_factor_off),
        )
        .route("/beheer/back-up", axum::routing::post(admin::make_backup))
        .route("/beheer/back-up/nieuwste", get(admin::download_backup))
        .route(
            "/beheer/tokens/{id}/intrekken",
            axum::routing::post(admin::revoke_token),
        )
        .route(
            "/moderatie/{id}/wissen",
            axum::routing::post(moderation::erase),
        )
        .route(
            "/moderatie/{id}/samenvoegen",
            axum::routing::post(moderation::merge),
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::guarded))
        .route("/taal", get(language::switch))
        .route("/static/style.css", get(assets::stylesheet))
        .route("/static/board.js", get(assets::board_script))
        .route("/static/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
        .nest("/api/v1", api::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::record,
        ))
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
