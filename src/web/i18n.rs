//! The interface language of a request: `?taal=`, the `taal` cookie, then `Accept-Language`, and the
//! extractors [`Lang`] and [`ResidentLang`]; the texts themselves are [`crate::present::i18n`], re-exported
//! here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub use crate::present::i18n::*;

/// Reads a cookie value from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The language chosen by `?taal=xx` in the address, if it names one of the six.
pub fn chosen_in_query(uri: &axum::http::Uri) -> Option<&'static str> {
    let query = uri.query()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .filter(|(key, _)| key == LANGUAGE_COOKIE)
        .find_map(|(_, value)| find(value.trim()).map(|texts| texts.lang))
}

/// The languages of the browser's `Accept-Language`, most wanted first (by their `q`, then their order).
fn browser_languages(parts: &Parts) -> Vec<String> {
    let accept = parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let mut tags: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(order, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim().to_lowercase();
            let quality = pieces
                .find_map(|piece| piece.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("").to_string();
            (quality > 0.0 && !primary.is_empty()).then_some((quality, order, primary))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, tag)| tag).collect()
}

/// The language a request asks for, one of the six: `?taal=` first, then the cookie, then the first of
/// the six the browser lists, then Dutch.
pub fn asked_language(parts: &Parts) -> &'static str {
    if let Some(lang) = chosen_in_query(&parts.uri) {
        return lang;
    }
    if let Some(texts) = cookie(parts, LANGUAGE_COOKIE).and_then(find) {
        return texts.lang;
    }
    browser_languages(parts)
        .iter()
        .find_map(|tag| find(tag))
        .map_or("nl", |texts| texts.lang)
}

/// The language of a page that exists in Dutch and English only: the asked language when it is one of
/// those, else the first of them the browser lists, else Dutch.
fn staff_language(parts: &Parts) -> &'static Texts {
    let asked = asked_language(parts);
    if STAFF_LANGUAGES.contains(&asked) {
        return texts_for(asked);
    }
    browser_languages(parts)
        .iter()
        .find(|tag| STAFF_LANGUAGES.contains(&tag.as_str()))
        .map_or_else(dutch, |tag| texts_for(tag))
}

/// The language of a page for everyone but the resident pages: Dutch or English.
pub struct Lang(pub &'static Texts);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(staff_language(parts)))
    }
}

/// The language of a resident page: any of the six.
pub struct ResidentLang(pub &'static Texts);

impl<S: Send + Sync> FromRequestParts<S> for ResidentLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ResidentLang(texts_for(asked_language(parts))))
    }
}

tokio::task_local! {
    static ASKED: &'static str;
}

/// The language the request being handled asks for (see [`asked_language`]); Dutch outside a request.
pub fn asked() -> &'static str {
    ASKED.try_with(|lang| *lang).unwrap_or("nl")
}

/// The `Set-Cookie` value that remembers a language for a year.
pub fn language_cookie(lang: &str) -> String {
    format!("{LANGUAGE_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly")
}

/// Middleware: remembers the asked language while the request is handled (so a page in Dutch or
/// English can say it has no other), and keeps a language chosen by `?taal=xx` in the cookie, so the
/// rest of the visit stays in it.
pub async fn remember_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let asked = asked_language(&parts);
    let chosen =
        chosen_in_query(&parts.uri).filter(|lang| cookie(&parts, LANGUAGE_COOKIE) != Some(*lang));
    let request = axum::extract::Request::from_parts(parts, body);
    let mut response = ASKED.scope(asked, next.run(request)).await;
    if let Some(lang) = chosen
        && let Ok(value) = axum::http::HeaderValue::from_str(&language_cookie(lang))
    {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = axum::http::Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_asked_language_comes_from_the_address_the_cookie_or_the_browser() {
        assert_eq!(asked_language(&parts("/vertel?taal=ar", &[])), "ar");
        assert_eq!(
            asked_language(&parts("/vertel?taal=ar", &[("cookie", "taal=pl")])),
            "ar"
        );
        assert_eq!(
            asked_language(&parts("/vertel", &[("cookie", "taal=pl")])),
            "pl"
        );
        assert_eq!(
            asked_language(&parts("/vertel?taal=xx", &[("cookie", "taal=uk")])),
            "uk"
        );
        assert_eq!(
            asked_language(&parts(
                "/",
                &[("accept-language", "de-DE, tr;q=0.9, en;q=0.8")]
            )),
            "tr"
        );
        assert_eq!(
            asked_language(&parts("/", &[("accept-language", "en;q=0.5, uk-UA")])),
            "uk"
        );
        assert_eq!(
            asked_language(&parts("/", &[("accept-language", "fr")])),
            "nl"
        );
        // A page in Dutch and English only: the browser's choice of those two, else Dutch.
        assert_eq!(
            staff_language(&parts("/", &[("accept-language", "ar, en;q=0.5")])).lang,
            "en"
        );
        assert_eq!(
            staff_language(&parts("/?taal=pl", &[("accept-language", "pl")])).lang,
            "nl"
        );
    }
}
