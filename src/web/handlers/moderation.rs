//! Moderation: the queue of stories waiting for a decision (and the published and rejected ones), and
//! the page where a moderator checks a story, corrects its details and links, and publishes or rejects
//! it with a reason.

use crate::web::auth::Analyst;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::index::{FacetField, Scope, SearchRequest, SortOrder};
use crate::story::render::{SafeHtml, render_markdown};
use crate::story::{Moderation, StoryId};
use crate::web::cards::{StoryCard, hit_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::media_view::{PhotoView, RecordingView, photo_views, recording_view};
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::story_form::{FormView, chosen_tag, read_full_story, values_of};
use crate::web::suggestion_view::{
    SubgoalSuggestionView, TagSuggestionView, subgoal_views, tag_views,
};
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
    /// A resend was just merged into the story it repeats.
    pub merged: bool,
    /// The list of published stories linked to no subgoal.
    pub unlinked: bool,
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
    /// Stories this one is (almost) the same as: (id, title, "94% gelijk").
    pub alike: Vec<(String, String, String)>,
}

/// The stories each waiting story is (almost) the same as, with the resemblance in words.
type AlikeMap = std::collections::HashMap<StoryId, Vec<(String, String, String)>>;

fn alike_links(
    t: &crate::web::i18n::Texts,
    found: &[crate::duplicates::Likeness],
) -> Vec<(String, String, String)> {
    found
        .iter()
        .map(|likeness| {
            (
                likeness.story.id.to_string(),
                likeness.story.title.clone(),
                t.with("duplicates.percent", &likeness.percent().to_string()),
            )
        })
        .collect()
}

/// The moderation list for stories waiting for a decision: those holding words of the signal list
/// first (longest waiting first among them), then the others in the order searched.
fn waiting_first(
    t: &crate::web::i18n::Texts,
    municipality: &crate::municipality::Municipality,
    hits: &[crate::index::Hit],
    urgent: Vec<(crate::story::Story, Vec<crate::index::SignalMatch>)>,
    today: jiff::civil::Date,
    alike: &AlikeMap,
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
            alike: alike.get(&story.id).cloned().unwrap_or_default(),
        })
        .collect();
    items.extend(
        hits.iter()
            .filter(|hit| !urgent.iter().any(|(story, _)| story.id == hit.story.id))
            .map(|hit| QueueItem {
                card: hit_card(t, municipality, hit),
                waiting: waiting(&hit.story),
                urgent: Vec::new(),
                alike: alike.get(&hit.story.id).cloned().unwrap_or_default(),
            }),
    );
    items
}

const STATES: [&str; 3] = ["submitted", "published", "rejected"];

/// The list of published stories linked to no subgoal (stories imported without links, or published
/// without them): each page shows the suggested subgoals.
const UNLINKED: &str = "unlinked";

/// Published stories linked to no subgoal, newest first.
fn unlinked_stories(per_page: usize) -> SearchRequest {
    let mut request =
        SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, "published");
    request.unlinked = true;
    request.sort = SortOrder::Newest;
    request.facets = Some(Vec::new());
    request.snippets = per_page > 1;
    request.per_page = per_page;
    request
}

pub async fn queue(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<QueuePage, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let unlinked = form.get("status") == Some(UNLINKED);
    let status: &'static str = form
        .get("status")
        .and_then(|s| STATES.iter().find(|c| **c == s))
        .copied()
        .unwrap_or(if unlinked { "published" } else { "submitted" });
    let saved_id = form
        .get("opgeslagen")
        .and_then(|id| StoryId::parse(id).ok());
    let (settings, results, saved, urgent, alike, (unlinked_count, unlinked_hits)) = ctx
        .state
        .run(move |bank| {
            let to_link = bank.search(&unlinked_stories(if unlinked { 100 } else { 1 }))?;
            let to_link = (to_link.total, unlinked.then_some(to_link.hits));
            let mut request =
                SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, status);
            request.sort = if status == "submitted" {
                SortOrder::Oldest
            } else {
                SortOrder::Newest
            };
            // The list of stories without a subgoal shows its own hits: this search only counts the
            // other tabs then.
            request.per_page = if unlinked { 1 } else { 100 };
            request.snippets = !unlinked;
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
            // Each waiting story's near-duplicates, asked again each time: nothing of them is kept.
            let mut alike = Vec::new();
            if status == "submitted" {
                // An urgent story is usually among the hits too: each is asked once.
                let mut asked = std::collections::HashSet::new();
                let waiting = results
                    .hits
                    .iter()
                    .map(|hit| &hit.story)
                    .chain(urgent.iter().map(|(story, _)| story))
                    .filter(|story| asked.insert(story.id));
                for story in waiting {
                    let found = bank.near_duplicates(story)?;
                    if !found.is_empty() {
                        alike.push((story.id, found));
                    }
                }
            }
            let saved = match saved_id {
                Some(id) => bank
                    .visible_story(id, &Scope::Municipality)?
                    .map(|story| story.title),
                None => None,
            };
            Ok((bank.settings()?, results, saved, urgent, alike, to_link))
        })
        .await?;
    let alike: AlikeMap = alike
        .into_iter()
        .map(|(id, found)| (id, alike_links(t, &found)))
        .collect();
    let counts = results
        .facets
        .get(&FacetField::Status)
        .cloned()
        .unwrap_or_default();
    let mut tabs: Vec<Tab> = STATES
        .iter()
        .map(|code| Tab {
            code,
            label: t.code("status", code),
            count: counts
                .iter()
                .find(|c| c.value == *code)
                .map_or(0, |c| c.count),
            current: *code == status && !unlinked,
        })
        .collect();
    tabs.push(Tab {
        code: UNLINKED,
        label: t.get("moderation.unlinked").to_string(),
        count: unlinked_count as u32,
        current: unlinked,
    });
    let any_urgent = !urgent.is_empty();
    Ok(QueuePage {
        any_urgent,
        page: ctx.page(&settings, "moderation.title", Nav::Moderation),
        tabs,
        unlinked,
        items: if let Some(hits) = &unlinked_hits {
            hits.iter()
                .map(|hit| QueueItem {
                    card: hit_card(t, &settings.municipality, hit),
                    waiting: None,
                    urgent: Vec::new(),
                    alike: Vec::new(),
                })
                .collect()
        } else if status == "submitted" {
            waiting_first(
                t,
                &settings.municipality,
                &results.hits,
                urgent,
                ctx.state.today(),
                &alike,
            )
        } else {
            results
                .hits
                .iter()
                .map(|hit| QueueItem {
                    card: hit_card(t, &settings.municipality, hit),
                    waiting: None,
                    urgent: Vec::new(),
                    alike: Vec::new(),
                })
                .collect()
        },
        saved,
        erased: form.get("gewist").is_some(),
        merged: form.get("samengevoegd").is_some(),
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
    /// This story's text, beside the stories it is (almost) the same as.
    pub own_text: SafeHtml,
    pub alike: Vec<AlikeView>,
    /// Merging was asked for but the two are not an exact resend.
    pub merge_refused: bool,
    /// Subgoals suggested from the most alike linked stories, each added with one button.
    pub subgoal_suggestions: Vec<SubgoalSuggestionView>,
    /// Tags suggested from the most alike tagged stories, each added with one button.
    pub tag_suggestions: Vec<TagSuggestionView>,
}

/// A story this one is (almost) the same as, to compare side by side.
pub struct AlikeView {
    pub id: String,
    pub title: String,
    /// "94% gelijk".
    pub percent: String,
    pub meta: String,
    pub text: SafeHtml,
    /// An exact resend by the same provider: it can be merged into this one.
    pub mergeable: bool,
}

fn alike_views(
    t: &crate::web::i18n::Texts,
    settings: &crate::bank::Settings,
    story: &crate::story::Story,
    found: &[crate::duplicates::Likeness],
) -> Vec<AlikeView> {
    found
        .iter()
        .map(|likeness| {
            let other = &likeness.story;
            let provider = other
                .provider
                .as_ref()
                .map(|p| settings.municipality.provider_name(p).to_string());
            AlikeView {
                id: other.id.to_string(),
                title: other.title.clone(),
                percent: t.with("duplicates.percent", &likeness.percent().to_string()),
                meta: [
                    Some(t.date(&other.date)),
                    provider,
                    Some(t.code("status", other.moderation.code())),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                text: render_markdown(&other.text),
                mergeable: crate::duplicates::exact_resend(other, story),
            }
        })
        .collect()
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
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<ModeratePage, AppError> {
    let t = ctx.t;
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let (settings, story, found, suggested) = ctx
        .state
        .run(move |bank| {
            let story = bank.story_to_change(id)?;
            let (found, suggested) = match &story {
                Ok(Some(read)) => (
                    bank.near_duplicates(&read.item)?,
                    bank.suggest_links(&read.item)?,
                ),
                _ => (Vec::new(), Default::default()),
            };
            Ok((bank.settings()?, story, found, suggested))
        })
        .await?;
    let read = story?.ok_or(AppError::NotFound)?;
    let story = read.item;
    let alike = alike_views(t, &settings, &story, &found);
    let subgoal_suggestions = subgoal_views(t, &settings, &story.subgoals, &suggested.subgoals);
    let tag_suggestions = tag_views(t, &story.tags, &suggested.tags);
    let (photos, recording) = media_views(&ctx.state, story.id).await?;
    let reason = match &story.moderation {
        Moderation::Rejected(reason) => reason.clone(),
        _ => String::new(),
    };
    Ok(ModeratePage {
        page: ctx.page(&settings, "moderation.edit_title", Nav::Moderation),
        id: story.id.to_string(),
        status: t.code("status", story.moderation.code()),
        reason,
        decision_error: None,
        version: read.version,
        photos,
        recording,
        on_paper: story.channel == Some(crate::story::Channel::Paper),
        own_text: render_markdown(&story.text),
        alike,
        subgoal_suggestions,
        tag_suggestions,
        merge_refused: FormData::new(query).get("samenvoegen") == Some("niet-gelijk"),
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
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let form = FormData::new(pairs);
    let (settings, existing) = ctx
        .state
        .run(move |bank| Ok((bank.settings()?, bank.story_to_change(id)?)))
        .await?;
    let existing = existing?.ok_or(AppError::NotFound)?.item;
    let read_at = form.version()?;
    let reason = form.text("reden");
    // A suggested subgoal accepted with its button: added to the story, which stays as it was
    // otherwise (no decision is taken with it), and the page comes back.
    let accepted_subgoal = form
        .get("voorstel")
        .and_then(|id| crate::ids::SubgoalId::parse(id).ok())
        .filter(|id| settings.goals.subgoal(id).is_some());
    // A suggested tag accepted with its button, in the same way.
    let accepted_tag = form.get("voorstel-onderwerp").and_then(chosen_tag);
    let suggestion_accepted = accepted_subgoal.is_some() || accepted_tag.is_some();
    let decision = match form.get("besluit") {
        _ if suggestion_accepted => Ok(None),
        Some("publish") => Ok(Some(Moderation::Published)),
        Some("reject") if !reason.is_empty() => Ok(Some(Moderation::Rejected(reason.clone()))),
        Some("reject") => Err("moderation.error_reason"),
        _ => Ok(None),
    };
    let read = read_full_story(&form, &settings, Some(&existing), ctx.state.today());
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
            if let Some(subgoal) = &accepted_subgoal
                && !story.subgoals.contains(subgoal)
            {
                story.subgoals.push(subgoal.clone());
            }
            if let Some(tag) = &accepted_tag
                && !story.tags.contains(tag)
            {
                story.tags.push(tag.clone());
            }
            let id = story.id;
            // A story erased or changed by someone else after the moderator opened it is left as it
            // is, and the page says so.
            ctx.state
                .run(move |bank| bank.save_moderated(&story, read_at))
                .await??;
            if accepted_subgoal.is_some() {
                return Ok(
                    Redirect::to(&format!("{}#subdoel", paths::moderate(id))).into_response()
                );
            }
            if accepted_tag.is_some() {
                return Ok(
                    Redirect::to(&format!("{}#onderwerpen", paths::moderate(id))).into_response(),
                );
            }
            Ok(Redirect::to(&format!("{}?opgeslagen={id}", paths::MODERATION)).into_response())
        }
        (read, decision) => {
            let errors = read.err().unwrap_or_default();
            let page = ctx.page(&settings, "moderation.edit_title_error", Nav::Moderation);
            let (photos, recording) = media_views(&ctx.state, existing.id).await?;
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
                own_text: render_markdown(&existing.text),
                alike: Vec::new(),
                merge_refused: false,
                subgoal_suggestions: Vec::new(),
                tag_suggestions: Vec::new(),
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
        return Ok(
            Redirect::to(&format!("{}?wissen=bevestig", paths::moderate(id))).into_response(),
        );
    }
    let today = state.today();
    let erased = state
        .run(move |bank| {
            bank.erase(
                id,
                today,
                crate::story::erasure::ErasureReason::ErasedByStaff,
            )
        })
        .await?;
    if !erased {
        return Err(AppError::NotFound);
    }
    crate::web::audit::note_story(id);
    tracing::info!(story = %id, user = %user.name, "story erased by staff");
    Ok(Redirect::to("/moderatie?gewist=1").into_response())
}

/// Merges an exact resend into the story it repeats (`met`): the resend is erased, the other story
/// stays. Refused, back on the resend's page with a note, unless both have the same title and text
/// and come from the same provider.
pub async fn merge(
    Analyst(user): Analyst,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let original = FormData::new(pairs)
        .get("met")
        .and_then(|other| StoryId::parse(other).ok())
        .ok_or(AppError::NotFound)?;
    let today = state.today();
    let merged = state
        .run(move |bank| bank.merge_resend(id, original, today))
        .await?;
    match merged {
        crate::bank::Merged::Done => {
            crate::web::audit::note_story(id);
            tracing::info!(story = %id, user = %user.name, "resend merged by staff");
            Ok(Redirect::to("/moderatie?samengevoegd=1").into_response())
        }
        crate::bank::Merged::NotExact => Ok(Redirect::to(&format!(
            "/moderatie/{id}?samenvoegen=niet-gelijk#lijkt-op"
        ))
        .into_response()),
        crate::bank::Merged::Missing => Err(AppError::NotFound),
    }
}
