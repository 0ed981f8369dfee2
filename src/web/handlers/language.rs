//! The language switch: remembers the choice in a cookie and goes back to the page it came from.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use crate::web::i18n::LANGUAGE_COOKIE;

#[derive(Deserialize)]
pub struct Switch {
    naar: String,
    #[serde(default)]
    terug: String,
}

pub async fn switch(Query(switch): Query<Switch>) -> impl IntoResponse {
    let lang = if switch.naar == "en" { "en" } else { "nl" };
    // Only paths on this site: never an open redirect.
    let back = if switch.terug.starts_with('/')
        && !switch.terug.starts_with("//")
        && !switch.terug.contains('\\')
    {
        switch.terug
    } else {
        "/".to_string()
    };
    let cookie =
        format!("{LANGUAGE_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back))
}
