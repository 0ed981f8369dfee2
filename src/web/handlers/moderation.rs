//! Moderation: the queue of stories waiting for a decision (and the published and rejected ones), and
//! the page where a moderator checks a story, corrects its details and links, and publishes or rejects
//! it with a reason.

use crate::web::auth::Analyst;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::index::{FacetField, Scope, SearchRequest, SortOrder};
use crate::story::{Moderation, StoryId};
use crate::web::cards::{StoryCard, hit_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::handlers::media::{PhotoView, RecordingView, photo_views, recording_view};
use crate::web::i18n::Lang;
use crate::web::page::{Nav, Page};
use crate::web::story_form::{FormView, read_full_story, values_of};
use crate::web::{AppError, AppState, unprocessable};

pub struct Tab {
    pub code: &'static str,
    pub label: String,
    pub count: u32,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation.html")]
pub struct QueuePage {
    pub page: Page,
    pub tabs: Vec<Tab>,
    pub items: Vec<QueueItem>,
    /// Some story goes first because it holds words of the signal list.
    pub any_urgent: bool,
    pub saved: Option<String>,
    /// A story was just erased.
    pub erased: bool,
}

/// A story in the moderation list: its card, and while it waits, how long it has waited and the
/// words of the signal list it holds.
pub struct QueueItem {
    pub card: StoryCard,
    /// "Wacht 3 dagen", for a story waiting for moderation whose day of receipt is known.
    pub waiting: Option<String>,
    /// "Schulden: deurwaarder", one per word of the signal list the story holds; none when it
    /// does not go first.
    pub urgent: Vec<String>,
}

/// The moderation list for stories waiting for a decision: those holding words of the signal list
/// first (longest waiting first among them), then the others in the order searched.
fn waiting_first(
    t: &crate::web::i18n::Texts,
    municipality: &crate::municipality::Municipality,
    hits: &[crate::index::Hit],
    urgent: Vec<(crate::story::Story, Vec<crate::index::SignalMatch>)>,
    today: jiff::civil::Date,
) -> Vec<QueueItem> {
    let waiting = |story: &crate::story::Story| {
        story.received.map(|day| match (today - day).get_days() {
            ..=0 => t.get("signals.waiting_today").to_string(),
            days => t.count("signals.waiting", &days),
        })
    };
    let mut items: Vec<QueueItem> = urgent
        .iter()
        .map(|(story, words)| QueueItem {
            card: crate::web::cards::plain_card(t, municipality, story),
            waiting: waiting(story),
            urgent: words
                .iter()
                .map(|found| format!("{}: {}", found.subject, found.word))
                .collect(),
        })
        .collect();
    items.extend(
        hits.iter()
            .filter(|hit| !urgent.iter().any(|(story, _)| story.id == hit.story.id))
            .map(|hit| QueueItem {
                card: hit_card(t, municipality, hit),
                waiting: waiting(&hit.story),
                urgent: Vec::new(),
            }),
    );
    items
}

const STATES: [&str; 3] = ["submitted", "published", "rejected"];

pub async fn queue(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<QueuePage, AppError> {
    let form = FormData::new(pairs);
    let status: &'static str = form
        .get("status")
        .and_then(|s| STATES.iter().find(|c| **c == s))
        .copied()
        .unwrap_or("submitted");
    let saved_id = form
        .get("opgeslagen")
        .and_then(|id| StoryId::parse(id).ok());
    let (settings, results, saved, urgent) = state
        .run(move |bank| {
            let mut request =
                SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, status);
            request.sort = if status == "submitted" {
                SortOrder::Oldest
            } else {
                SortOrder::Newest
            };
            request.per_page = 100;
            let results = bank.search(&request)?;
            // Stories holding a word of the signal list go first, wherever they are in the queue;
            // the words found are shown, never logged or kept.
            let mut urgent = Vec::new();
            if status == "submitted" {
                for (id, words) in bank.signals_waiting()? {
                    if let Some(story) = bank.visible_story(id, &Scope::Municipality)? {
                        urgent.push((story, words));
                    }
                }
                urgent.sort_by(|(a, _), (b, _)| {
                    (a.received.unwrap_or(a.date), a.date, a.id).cmp(&(
                        b.received.unwrap_or(b.date),
                        b.date,
                        b.id,
                    ))
                });
            }
            let saved = match saved_id {
                Some(id) => bank
                    .visible_story(id, &Scope::Municipality)?
                    .map(|story| story.title),
                None => None,
            };
            Ok((bank.settings()?, results, saved, urgent))
        })
        .await?;
    let counts = results
        .facets
        .get(&FacetField::Status)
        .cloned()
        .unwrap_or_default();
    let tabs = STATES
        .iter()
        .map(|code| Tab {
            code,
            label: t.code("status", code),
            count: counts
                .iter()
                .find(|c| c.value == *code)
                .map_or(0, |c| c.count),
            current: *code == status,
        })
        .collect();
    let any_urgent = !urgent.is_empty();
    Ok(QueuePage {
        any_urgent,
        page: state.page(t, &settings, "moderation.title", Nav::Moderation, &uri),
        tabs,
        items: if status == "submitted" {
            waiting_first(
                t,
                &settings.municipality,
                &results.hits,
                urgent,
                state.today(),
            )
        } else {
            results
                .hits
                .iter()
                .map(|hit| QueueItem {
                    card: hit_card(t, &settings.municipality, hit),
                    waiting: None,
                    urgent: Vec::new(),
                })
                .collect()
        },
        saved,
        erased: form.get("gewist").is_some(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "moderate.html")]
pub struct ModeratePage {
    pub page: Page,
    pub id: String,
    pub status: String,
    pub reason: String,
    pub decision_error: Option<String>,
    pub form: FormView,
    /// Personal details the detector found, to accept (black out) or dismiss.
    pub suggestions: Vec<crate::web::redaction::SuggestionView>,
    /// The version of the story the form was filled in from, sent back with it.
    pub version: u64,
    /// The story was told on a paper form and typed in by staff.
    pub on_paper: bool,
    /// The story's photos, to check for faces and house numbers before publishing.
    pub photos: Vec<PhotoView>,
    /// The teller's recording, to listen to and write down as the story's text.
    pub recording: Option<RecordingView>,
}

/// The views of a story's photos and recording for the moderation page.
async fn media_views(
    state: &AppState,
    id: StoryId,
) -> Result<(Vec<PhotoView>, Option<RecordingView>), AppError> {
    let media = state.run(move |bank| bank.media_of(id)).await?;
    Ok((
        photo_views(id, &media.photos),
        media.recording.as_ref().map(|r| recording_view(id, r)),
    ))
}

pub async fn edit(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Result<ModeratePage, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let (settings, story) = state
        .run(move |bank| Ok((bank.settings()?, bank.story_to_change(id)?)))
        .await?;
    let read = story?.ok_or(AppError::NotFound)?;
    let story = read.item;
    let (photos, recording) = media_views(&state, story.id).await?;
    let reason = match &story.moderation {
        Moderation::Rejected(reason) => reason.clone(),
        _ => String::new(),
    };
    Ok(ModeratePage {
        page: state.page(t, &settings, "moderation.edit_title", Nav::Moderation, &uri),
        id: story.id.to_string(),
        status: t.code("status", story.moderation.code()),
        reason,
        decision_error: None,
        version: read.version,
        photos,
        recording,
        on_paper: story.channel == Some(crate::story::Channel::Paper),
        suggestions: crate::web::redaction::suggestion_views(t, &story.title, story.text.as_str()),
        form: FormView::new(
            t,
            &settings,
            values_of(&story),
            &FormErrors::default(),
            false,
        ),
    })
}

pub async fn save(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let form = FormData::new(pairs);
    let (settings, existing) = state
        .run(move |bank| Ok((bank.settings()?, bank.story_to_change(id)?)))
        .await?;
    let existing = existing?.ok_or(AppError::NotFound)?.item;
    let read_at = form.version()?;
    let reason = form.text("reden");
    let decision = match form.get("besluit") {
        Some("publish") => Ok(Some(Moderation::Published)),
        Some("reject") if !reason.is_empty() => Ok(Some(Moderation::Rejected(reason.clone()))),
        Some("reject") => Err("moderation.error_reason"),
        _ => Ok(None),
    };
    let read = read_full_story(&form, &settings, Some(&existing), state.today());
    match (read, decision) {
        (Ok(mut story), Ok(decision)) => {
            if let Some(moderation) = decision {
                story.moderation = moderation;
            }
            let accepted = form.all("afschermen");
            if !accepted.is_empty() {
                use crate::web::redaction::black_out;
                story.title = black_out("titel", &story.title, &accepted);
                story.text = crate::story::Markdown::new(&black_out(
                    "verhaal",
                    story.text.as_str(),
                    &accepted,
                ));
            }
            let id = story.id;
            // A story erased or changed by someone else after the moderator opened it is left as it
            // is, and the page says so.
            state
                .run(move |bank| bank.save_moderated(&story, read_at))
                .await??;
            Ok(Redirect::to(&format!("/moderatie?opgeslagen={id}")).into_response())
        }
        (read, decision) => {
            let errors = read.err().unwrap_or_default();
            let page = state.page(
                t,
                &settings,
                "moderation.edit_title_error",
                Nav::Moderation,
                &uri,
            );
            let (photos, recording) = media_views(&state, existing.id).await?;
            Ok(unprocessable(ModeratePage {
                page,
                photos,
                recording,
                id: existing.id.to_string(),
                status: t.code("status", existing.moderation.code()),
                reason,
                decision_error: decision.err().map(|key| t.get(key).to_string()),
                version: read_at,
                on_paper: existing.channel == Some(crate::story::Channel::Paper),
                suggestions: crate::web::redaction::suggestion_views(
                    t,
                    &form.text("titel"),
                    &form.text("verhaal"),
                ),
                form: FormView::new(t, &settings, form.values(), &errors, false),
            }))
        }
    }
}

/// Erases a story for good, for example when its teller asks staff to withdraw it. The box that
/// confirms it must be ticked.
pub async fn erase(
    Analyst(user): Analyst,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    if FormData::new(pairs).get("bevestig") != Some("ja") {
        return Ok(Redirect::to(&format!("/moderatie/{id}?wissen=bevestig")).into_response());
    }
    let today = state.today();
    let erased = state
        .run(move |bank| bank.erase(id, today, crate::store::ErasureReason::ErasedByStaff))
        .await?;
    if !erased {
        return Err(AppError::NotFound);
    }
    crate::web::audit::note_story(id);
    tracing::info!(story = %id, user = %user.name, "story erased by staff");
    Ok(Redirect::to("/moderatie?gewist=1").into_response())
}
