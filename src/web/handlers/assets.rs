//! The stylesheet, the session board's script and the site's icon, compiled into the binary so the
//! server needs no files beside it.

use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../../assets/style.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

const BOARD_SCRIPT: &str = include_str!("../../../assets/board.js");

/// The board's one script: reload when a story comes in. Without it the board refreshes by itself.
pub async fn board_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        BOARD_SCRIPT,
    )
}

const FAVICON: &str = include_str!("../../../assets/favicon.svg");

/// The site's icon, an SVG that every page links to. `/favicon.ico`, which browsers ask for on their
/// own, gets the same icon rather than a 404.
pub async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        FAVICON,
    )
}
