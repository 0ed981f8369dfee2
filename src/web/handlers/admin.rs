//! Beheer, for administrators: a link to the accounts (`accounts.rs`), the providers' API tokens (make one, shown once; revoke one) and the
//! audit log (who did what to which story or setting, newest first, by id).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::audit::{Actor, AuditEntry};
use crate::bank::Settings;
use crate::bank::backups::{BackupFile, BackupPlan};
use crate::ids::ProviderId;
use crate::tokens::{ApiToken, TokenInfo};
use crate::web::auth::Admin;
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::{AppError, AppState, unprocessable};

/// Audit entries per page.
const PER_PAGE: usize = 100;

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub page: Page,
    pub tokens: Vec<TokenView>,
    pub providers: Vec<(String, String)>,
    /// A token just made: shown this once.
    pub new_token: Option<String>,
    pub token_error: Option<String>,
    pub entries: Vec<EntryView>,
    pub total: usize,
    pub page_number: usize,
    pub pages: usize,
    /// The backup folder and its newest backup; `None` when backups are off.
    pub backups: Option<BackupsView>,
    /// The file of a backup just made, or why it could not be made.
    pub backup_notice: Option<BackupNotice>,
}

pub struct BackupsView {
    pub dir: String,
    pub keep: usize,
    /// Name, when and size of the newest backup.
    pub latest: Option<(String, String, String)>,
}

pub enum BackupNotice {
    Made(String),
    Failed,
}

fn backups_view(
    t: &Texts,
    plan: Option<BackupPlan>,
    latest: Option<BackupFile>,
) -> Option<BackupsView> {
    let zone = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    plan.map(|plan| BackupsView {
        dir: plan.dir.display().to_string(),
        keep: plan.keep,
        latest: latest.map(|file| {
            let when = jiff::Timestamp::try_from(file.modified)
                .map(|at| {
                    at.to_zoned(zone.clone())
                        .strftime("%d-%m-%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let size = t.with(
                "admin.backup_size",
                &format!("{:.1}", file.bytes as f64 / 1e6).replace('.', ","),
            );
            (file.name, when, size)
        }),
    })
}

pub struct TokenView {
    pub id: String,
    pub provider: String,
    pub label: String,
    pub created: String,
}

pub struct EntryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The story's moderation page, when the entry is about a story that still exists.
    pub link: Option<String>,
    pub target: String,
    pub refused: bool,
    pub status: u16,
}

fn provider_name(settings: &Settings, id: &ProviderId) -> String {
    settings
        .municipality
        .provider(id)
        .map_or_else(|| id.to_string(), |provider| provider.name.clone())
}

fn entry_view(t: &Texts, settings: &Settings, entry: &AuditEntry, exists: bool) -> EntryView {
    let zone = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    let actor = match &entry.actor {
        Actor::User(name) => name.to_string(),
        Actor::Anonymous => t.get("admin.actor_anonymous").to_string(),
        Actor::Token(provider) => t.with("admin.actor_token", &provider_name(settings, provider)),
        Actor::Command => t.get("admin.actor_command").to_string(),
    };
    let story = entry.target.strip_prefix("story:");
    EntryView {
        at: entry
            .at
            .to_zoned(zone)
            .strftime("%d-%m-%Y %H:%M:%S")
            .to_string(),
        actor,
        action: t.code("admin.action", &entry.action),
        link: story.filter(|_| exists).map(paths::moderate),
        target: entry.target.clone(),
        refused: entry.status >= 400,
        status: entry.status,
    }
}

async fn admin_page(
    ctx: &PageCtx,
    page_number: usize,
    new_token: Option<String>,
    token_error: Option<String>,
) -> Result<AdminPage, AppError> {
    let t = ctx.t;
    let (settings, tokens, entries, total, plan, latest) = ctx
        .state
        .run(move |bank| {
            let entries = bank.audit_page((page_number - 1) * PER_PAGE, PER_PAGE)?;
            Ok((
                bank.settings()?,
                bank.tokens()?,
                entries,
                bank.audit_count(),
                bank.backup_plan(),
                bank.latest_backup()?,
            ))
        })
        .await?;
    Ok(AdminPage {
        page: ctx.page(&settings, "admin.title", Nav::Admin),
        tokens: tokens
            .iter()
            .map(|token: &TokenInfo| TokenView {
                id: token.id.clone(),
                provider: provider_name(&settings, &token.provider),
                label: token.label.clone(),
                created: t.date(&token.created),
            })
            .collect(),
        providers: settings
            .municipality
            .providers
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        new_token,
        token_error,
        entries: entries
            .iter()
            .map(|(entry, exists)| entry_view(t, &settings, entry, *exists))
            .collect(),
        total,
        page_number,
        pages: total.div_ceil(PER_PAGE).max(1),
        backups: backups_view(t, plan, latest),
        backup_notice: None,
    })
}

pub async fn page(
    Admin(_): Admin,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<AdminPage, AppError> {
    let page_number = FormData::new(pairs)
        .get("pagina")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    admin_page(&ctx, page_number, None, None).await
}

/// Makes a token for a provider and shows it once.
pub async fn create_token(
    Admin(_): Admin,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let provider = form
        .get("aanbieder")
        .and_then(|id| ProviderId::parse(id).ok());
    let label = form.text("omschrijving");
    let today = ctx.state.today();
    let made = ctx
        .state
        .run(move |bank| {
            let settings = bank.settings()?;
            let Some(provider) = provider.filter(|id| settings.municipality.provider(id).is_some())
            else {
                return Ok(None);
            };
            let token = ApiToken::generate();
            let info = TokenInfo::new(&token.hash(), provider, &label, today);
            bank.put_token(&token.hash(), &info)?;
            tracing::info!(token = %info.id, provider = %info.provider, "API token made");
            Ok(Some((token, info)))
        })
        .await?;
    match made {
        Some((token, info)) => {
            crate::web::audit::note_target(format!("token:{}", info.id));
            let shown = token.reveal().to_string();
            Ok(admin_page(&ctx, 1, Some(shown), None)
                .await?
                .into_response())
        }
        None => {
            let error = t.get("admin.token_error_provider").to_string();
            Ok(unprocessable(admin_page(&ctx, 1, None, Some(error)).await?))
        }
    }
}

pub async fn revoke_token(
    Admin(_): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let key = id.clone();
    let revoked = state.run(move |bank| bank.revoke_token(&key)).await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    tracing::info!(token = %id, "API token revoked");
    crate::web::audit::note_target(format!("token:{id}"));
    Ok(Redirect::to("/beheer").into_response())
}

/// Makes a backup in the backup folder now and says which file it is.
pub async fn make_backup(Admin(_): Admin, ctx: PageCtx) -> Result<Response, AppError> {
    let made = ctx
        .state
        .run(|bank| {
            if bank.backup_plan().is_none() {
                return Ok(None);
            }
            Ok(Some(bank.make_backup().map_err(|error| {
                tracing::error!(error = %format!("{error:#}"), "a backup from /beheer failed");
            })))
        })
        .await?;
    let Some(made) = made else {
        return Err(AppError::NotFound);
    };
    let failed = made.is_err();
    let mut page = admin_page(&ctx, 1, None, None).await?;
    page.backup_notice = Some(match made {
        Ok((file, _)) => {
            crate::web::audit::note_target(format!("backup:{}", file.name));
            BackupNotice::Made(file.name)
        }
        Err(()) => BackupNotice::Failed,
    });
    let mut response = page.into_response();
    if failed {
        *response.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    }
    Ok(response)
}

/// Sends the newest backup as a download.
pub async fn download_backup(
    Admin(_): Admin,
    State(state): State<AppState>,
) -> Result<Response, AppError> {
    let found = state
        .run(|bank| {
            let Some(file) = bank.latest_backup()? else {
                return Ok(None);
            };
            let bytes = std::fs::read(&file.path)?;
            Ok(Some((file.name, bytes)))
        })
        .await?;
    let Some((name, bytes)) = found else {
        return Err(AppError::NotFound);
    };
    crate::web::audit::note_target(format!("backup:{name}"));
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/octet-stream".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
