//! Presentation without HTTP: the interface texts in six languages, numbers, charts and views of the
//! bank's data in words, and the yearly report in words. The web pages and the command line (the
//! report's Markdown) both use it; it knows nothing of requests, routes or templates.

pub mod chart;
pub mod i18n;
pub mod report_view;
pub mod session_views;
pub mod views;
