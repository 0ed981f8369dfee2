//! Accounts on `/beheer/accounts`, for administrators: every account with its role, provider, second
//! factor and whether it can log in; adding one, and on an account's own page giving it another role,
//! turning it off or on, making a new password (shown once, never kept or logged) and turning its
//! second factor off. Every change goes through the same store functions as `verhalenbank user`, and
//! the audit log records it by route with the account as its target.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::accounts::{AccountChange, AccountError, Role, RoleKind, User};
use crate::bank::Settings;
use crate::ids::{ProviderId, UserName};
use crate::web::AppError;
use crate::web::auth::Admin;
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;

/// One account as the list and its own page show it.
pub struct AccountView {
    pub name: String,
    pub display_name: String,
    pub role: String,
    pub role_code: &'static str,
    pub provider: String,
    pub provider_id: String,
    pub second_factor: bool,
    pub disabled: bool,
    pub created: String,
    /// The administrator looking at the page.
    pub is_you: bool,
}

fn account_view(t: &Texts, settings: &Settings, user: &User, you: &UserName) -> AccountView {
    AccountView {
        name: user.name.to_string(),
        display_name: user.display_name.clone(),
        role: t.code("accounts.roles", user.role.code()),
        role_code: user.role.code(),
        provider: user.role.provider().map_or_else(String::new, |id| {
            settings
                .municipality
                .provider(id)
                .map_or_else(|| id.to_string(), |provider| provider.name.clone())
        }),
        provider_id: user
            .role
            .provider()
            .map_or_else(String::new, ToString::to_string),
        second_factor: user.second_factor.is_some(),
        disabled: user.disabled,
        created: t.date(&user.created),
        is_you: user.name == *you,
    }
}

/// The roles for a select, with their names.
fn roles(t: &Texts) -> Vec<(&'static str, String)> {
    RoleKind::ALL
        .iter()
        .map(|role| (role.code(), t.code("accounts.roles", role.code())))
        .collect()
}

fn providers(settings: &Settings) -> Vec<(String, String)> {
    settings
        .municipality
        .providers
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect()
}

/// What the form to add an account holds, and what is wrong with it.
#[derive(Default)]
pub struct NewAccountForm {
    pub name: String,
    pub display_name: String,
    pub role: String,
    pub provider: String,
    /// (field id, message)
    pub errors: Vec<(&'static str, String)>,
}

impl NewAccountForm {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(id, _)| *id == field)
            .map(|(_, text)| text.as_str())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub page: Page,
    pub accounts: Vec<AccountView>,
    pub roles: Vec<(&'static str, String)>,
    pub providers: Vec<(String, String)>,
    pub form: NewAccountForm,
    /// The account just added and its password: shown this once.
    pub added: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub page: Page,
    pub account: AccountView,
    pub roles: Vec<(&'static str, String)>,
    pub providers: Vec<(String, String)>,
    /// What was just done, as a text key.
    pub notice: Option<&'static str>,
    /// A new password just made: shown this once.
    pub new_password: Option<String>,
    /// Why the change asked for was refused: (field id, message).
    pub error: Option<(&'static str, String)>,
}

/// The message for a refused change, and the field it is about.
fn refusal(t: &Texts, error: &AccountError) -> (&'static str, String) {
    let (field, key) = match error {
        AccountError::NameTaken => ("naam", "accounts.error_taken"),
        AccountError::ProviderMissing => ("aanbieder", "accounts.error_provider_missing"),
        AccountError::ProviderNotAllowed => ("aanbieder", "accounts.error_provider_not_allowed"),
        AccountError::ProviderUnknown => ("aanbieder", "accounts.error_provider_unknown"),
        AccountError::LastAdmin => ("rol", "accounts.error_last_admin"),
        AccountError::NoSecondFactor => ("tweestaps", "accounts.factor_off_text"),
        AccountError::PasswordTooShort | AccountError::Hashing(_) | AccountError::NoSuchAccount => {
            ("naam", "error.internal")
        }
    };
    (field, t.get(key).to_string())
}

/// A page that must not be kept by the browser or a proxy: it shows a password.
fn not_stored(page: impl IntoResponse) -> Response {
    let mut response = page.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

async fn accounts_page(
    ctx: &PageCtx,
    you: &UserName,
    form: NewAccountForm,
    added: Option<(String, String)>,
) -> Result<AccountsPage, AppError> {
    let t = ctx.t;
    let (settings, users) = ctx
        .state
        .run(|bank| Ok((bank.settings()?, bank.users()?)))
        .await?;
    Ok(AccountsPage {
        page: ctx.page(&settings, "accounts.title", Nav::Admin),
        accounts: users
            .iter()
            .map(|user| account_view(t, &settings, user, you))
            .collect(),
        roles: roles(t),
        providers: providers(&settings),
        form,
        added,
    })
}

pub async fn list(Admin(admin): Admin, ctx: PageCtx) -> Result<AccountsPage, AppError> {
    accounts_page(&ctx, &admin.name, NewAccountForm::default(), None).await
}

/// Adds an account with a made password, shown once on the page that answers.
pub async fn add(
    Admin(admin): Admin,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let data = FormData::new(pairs);
    let mut form = NewAccountForm {
        name: data.text("naam").trim().to_lowercase(),
        display_name: data.text("weergavenaam"),
        role: data.text("rol"),
        provider: data.text("aanbieder"),
        errors: Vec::new(),
    };
    let name = UserName::parse(&form.name).ok();
    if name.is_none() {
        form.errors
            .push(("naam", t.get("accounts.error_name").to_string()));
    }
    let role = RoleKind::parse(&form.role);
    if role.is_none() {
        form.errors
            .push(("rol", t.get("accounts.error_role").to_string()));
    }
    let provider = match form.provider.as_str() {
        "" => Ok(None),
        id => ProviderId::parse(id).map(Some),
    };
    let (Some(name), Some(role), Ok(provider)) = (name, role, provider) else {
        if form.errors.is_empty() {
            form.errors.push((
                "aanbieder",
                t.get("accounts.error_provider_unknown").to_string(),
            ));
        }
        let page = accounts_page(&ctx, &admin.name, form, None).await?;
        return Ok(crate::web::unprocessable(page));
    };
    let password = crate::accounts::generate_password();
    let today = ctx.state.today();
    let user = match Role::new(role, provider)
        .and_then(|role| User::new(name.clone(), &form.display_name, role, &password, today))
    {
        Ok(user) => user,
        Err(error) => {
            form.errors.push(refusal(t, &error));
            let page = accounts_page(&ctx, &admin.name, form, None).await?;
            return Ok(crate::web::unprocessable(page));
        }
    };
    let added = ctx.state.run(move |bank| bank.add_user(&user)).await?;
    if let Err(error) = added {
        form.errors.push(refusal(t, &error));
        let page = accounts_page(&ctx, &admin.name, form, None).await?;
        return Ok(crate::web::unprocessable(page));
    }
    tracing::info!(account = %name, role = role.code(), "account added");
    crate::web::audit::note_target(format!("user:{name}"));
    let page = accounts_page(
        &ctx,
        &admin.name,
        NewAccountForm::default(),
        Some((name.to_string(), password)),
    )
    .await?;
    Ok(not_stored(page))
}

async fn account_page(
    ctx: &PageCtx,
    you: &UserName,
    name: UserName,
) -> Result<AccountPage, AppError> {
    let t = ctx.t;
    let (settings, user) = ctx
        .state
        .run(move |bank| Ok((bank.settings()?, bank.user(&name)?)))
        .await?;
    let user = user.ok_or(AppError::NotFound)?;
    let mut page = ctx.page(&settings, "accounts.title", Nav::Admin);
    page.title = t.with("accounts.account_title", user.name.as_str());
    Ok(AccountPage {
        page,
        account: account_view(t, &settings, &user, you),
        roles: roles(t),
        providers: providers(&settings),
        notice: None,
        new_password: None,
        error: None,
    })
}

fn account_name(name: &str) -> Result<UserName, AppError> {
    UserName::parse(name).map_err(|_| AppError::NotFound)
}

/// One account's page; `klaar` names the change just made, to say it was saved.
pub async fn show(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<AccountPage, AppError> {
    let mut page = account_page(&ctx, &admin.name, account_name(&name)?).await?;
    page.notice = match FormData::new(pairs).get("klaar") {
        Some("rol") => Some("accounts.role_saved"),
        Some("uit") => Some("accounts.disabled_done"),
        Some("aan") => Some("accounts.enabled_done"),
        Some("tweestaps") => Some("accounts.factor_done"),
        _ => None,
    };
    Ok(page)
}

/// Makes `change` to the account in the path; on success sends the administrator back to its page
/// with `done` as the notice, otherwise shows the page with why (422).
async fn change(
    ctx: PageCtx,
    admin: User,
    name: String,
    change: AccountChange,
    done: &str,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let name = account_name(&name)?;
    let action = change.audit_action();
    let account = name.clone();
    let changed = ctx
        .state
        .run(move |bank| bank.change_user(&account, change))
        .await?;
    match changed {
        Ok(_) => {
            tracing::info!(account = %name, action, "account changed");
            crate::web::audit::note_target(format!("user:{name}"));
            Ok(Redirect::to(&format!("{}?klaar={done}", paths::account(&name))).into_response())
        }
        Err(AccountError::NoSuchAccount) => Err(AppError::NotFound),
        Err(error) => {
            let mut page = account_page(&ctx, &admin.name, name).await?;
            page.error = Some(refusal(t, &error));
            Ok(crate::web::unprocessable(page))
        }
    }
}

/// Gives the account another role, with the provider for provider staff.
pub async fn set_role(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let Some(kind) = form.get("rol").and_then(RoleKind::parse) else {
        let mut page = account_page(&ctx, &admin.name, account_name(&name)?).await?;
        page.error = Some(("rol", t.get("accounts.error_role").to_string()));
        return Ok(crate::web::unprocessable(page));
    };
    let provider = match form.get("aanbieder").unwrap_or("") {
        "" => None,
        id => Some(ProviderId::parse(id).map_err(|_| AppError::BadRequest("error.bad_request"))?),
    };
    let role = match Role::new(kind, provider) {
        Ok(role) => role,
        Err(error) => {
            let mut page = account_page(&ctx, &admin.name, account_name(&name)?).await?;
            page.error = Some(refusal(t, &error));
            return Ok(crate::web::unprocessable(page));
        }
    };
    change(ctx, admin, name, AccountChange::Role(role), "rol").await
}

pub async fn disable(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    change(ctx, admin, name, AccountChange::Disable, "uit").await
}

pub async fn enable(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    change(ctx, admin, name, AccountChange::Enable, "aan").await
}

pub async fn second_factor_off(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let off = AccountChange::SecondFactorOff;
    change(ctx, admin, name, off, "tweestaps").await
}

/// Makes a new password for the account and shows it this once; the account's logins end.
pub async fn reset_password(
    Admin(admin): Admin,
    ctx: PageCtx,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let name = account_name(&name)?;
    let password = crate::accounts::generate_password();
    let account = name.clone();
    let reset = AccountChange::Password(password.clone());
    let changed = ctx
        .state
        .run(move |bank| bank.change_user(&account, reset))
        .await?;
    match changed {
        Ok(_) => {}
        Err(AccountError::NoSuchAccount) => return Err(AppError::NotFound),
        Err(error) => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a made password was refused: {error}"
            )));
        }
    }
    tracing::info!(account = %name, "new password made for an account");
    crate::web::audit::note_target(format!("user:{name}"));
    let mut page = account_page(&ctx, &admin.name, name).await?;
    page.new_password = Some(password);
    Ok(not_stored(page))
}
