//! QR codes for the links participants open on their phones.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::web::AppError;

/// A QR code for an address, as SVG made here (no outside service sees the link).
pub fn qr_svg(url: &str) -> Result<Response, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|error| AppError::Internal(anyhow::anyhow!("QR code: {error}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        svg,
    )
        .into_response())
}
