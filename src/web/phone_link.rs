//! A story told through a phone link: a storytelling session's (`/s/CODE`) and an evaluation round's
//! (`/r/CODE`). Both read the light public form, link the story to what the link belongs to, store it
//! with a receipt code and show that code; [`tell`] does that once, and [`PhoneLink`] says what
//! differs: the page's title and how the story is linked. What each link answers while it takes no
//! stories, the page with the form's problems and what follows a stored story stay in its handler.

use std::collections::BTreeMap;

use crate::bank::Settings;
use crate::rounds::Round;
use crate::sessions::Session;
use crate::story::Story;
use crate::web::AppError;
use crate::web::forms::{FormData, FormErrors};
use crate::web::page::Nav;
use crate::web::page_ctx::PageCtx;
use crate::web::receipt::{TellDone, store_with_receipt};
use crate::web::story_form::read_public_story;

/// What a phone link adds to the story told through it.
pub trait PhoneLink: Sync {
    /// The message key of the page's title; the page shows the link's own title in its place.
    const TITLE_KEY: &'static str;

    /// The session's or round's title.
    fn title(&self) -> &str;

    /// Links the story to the session or round (and what follows from it).
    fn link(&self, story: &mut Story, settings: &Settings);
}

/// A story told in the session: linked to the session, its area and the subgoals of the indicators
/// on its agenda.
impl PhoneLink for Session {
    const TITLE_KEY: &'static str = "participate.title";

    fn title(&self) -> &str {
        &self.title
    }

    fn link(&self, story: &mut Story, settings: &Settings) {
        story.session = Some(self.id.clone());
        story.area = Some(self.area.clone());
        for indicator in self
            .indicators
            .iter()
            .filter_map(|id| settings.goals.indicator(id))
        {
            if !story.subgoals.contains(&indicator.subgoal) {
                story.subgoals.push(indicator.subgoal.clone());
            }
        }
    }
}

/// A story told for the round: gathered into it, and linked to its subgoals when the teller chose
/// none.
impl PhoneLink for Round {
    const TITLE_KEY: &'static str = "rounds.public_title";

    fn title(&self) -> &str {
        &self.title
    }

    fn link(&self, story: &mut Story, _settings: &Settings) {
        story.round = Some(self.id.clone());
        if story.subgoals.is_empty() {
            story.subgoals = self.subgoals.clone();
        }
    }
}

/// What came of a story posted through a phone link.
pub enum Told {
    /// Stored: the page with its receipt code, and the outbox entry to wait on for it to be
    /// searchable.
    Stored(TellDone, u64),
    /// Not stored: what was filled in and its problems, for the form shown again.
    Mistakes(BTreeMap<String, Vec<String>>, FormErrors),
}

/// Reads the posted form and, when it holds a story, links it through `link` and stores it with a
/// receipt code. It enters moderation like every story. `ctx` is a resident page's.
pub async fn tell<L: PhoneLink>(
    ctx: &PageCtx,
    link: &L,
    pairs: Vec<(String, String)>,
) -> Result<Told, AppError> {
    let form = FormData::new(pairs);
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    match read_public_story(&form, &settings, ctx.state.today()) {
        Err(errors) => Ok(Told::Mistakes(form.values(), errors)),
        Ok(mut story) => {
            link.link(&mut story, &settings);
            let mut page = ctx.page(&settings, L::TITLE_KEY, Nav::None);
            page.title = link.title().to_string();
            let (done, seq) =
                store_with_receipt(&ctx.state, page, story, Default::default()).await?;
            Ok(Told::Stored(done, seq))
        }
    }
}
