//! The language switch: remembers the choice in a cookie and goes back to the page it came from.
//! Any of the six languages may be chosen; pages that exist in Dutch and English only answer in one of
//! those and say so (see [`crate::web::i18n`]).

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use crate::web::i18n::{find, language_cookie};

#[derive(Deserialize)]
pub struct Switch {
    naar: String,
    #[serde(default)]
    terug: String,
}

pub async fn switch(Query(switch): Query<Switch>) -> impl IntoResponse {
    let lang = find(switch.naar.trim()).map_or("nl", |texts| texts.lang);
    // Only paths on this site: never an open redirect.
    let back = if switch.terug.starts_with('/')
        && !switch.terug.starts_with("//")
        && !switch.terug.contains('\\')
    {
        switch.terug
    } else {
        "/".to_string()
    };
    (
        [(header::SET_COOKIE, language_cookie(lang))],
        Redirect::to(&back),
    )
}
