//! Downloads of what a page shows, as a spreadsheet: a CSV file or an Excel workbook. The page's links
//! carry its query string, so the download holds the same selection as the screen.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;

use crate::export::{Download, Table, csv_download, xlsx_download};

/// The kind of file a download link asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Csv,
    Xlsx,
}

impl Sheet {
    /// The file: a CSV of the first table, or a workbook with a worksheet per table.
    pub fn file(self, tables: &[Table], today: Date) -> anyhow::Result<Download> {
        match (self, tables.first()) {
            (Sheet::Csv, Some(table)) => csv_download(table, today),
            (Sheet::Csv, None) => anyhow::bail!("a CSV download needs a table"),
            (Sheet::Xlsx, _) => xlsx_download(tables, today),
        }
    }
}

/// The file as an attachment, not kept in caches: it may hold personal data.
pub fn attachment(download: Download) -> Response {
    (
        [
            (header::CONTENT_TYPE, download.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        download.bytes,
    )
        .into_response()
}

/// A query string to put after a download link's path: `?` and the pairs without those named in
/// `leave_out`, or nothing.
pub fn query_string(pairs: &[(String, String)], leave_out: &[&str]) -> String {
    let kept: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(key, value)| !leave_out.contains(&key.as_str()) && !value.trim().is_empty())
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_the_selection_and_leaves_out_the_page() {
        let pairs: Vec<(String, String)> = [
            ("q", "geld zorgen"),
            ("area", "noord"),
            ("area", "zuid"),
            ("pagina", "3"),
            ("van", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            query_string(&pairs, &["pagina"]),
            "?q=geld+zorgen&area=noord&area=zuid"
        );
        assert_eq!(query_string(&pairs[3..], &["pagina"]), "");
    }
}
