//! Markdown from a story never panics the renderer, and what it renders holds no script, event
//! handler or script URL: the sanitiser lets none through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::story::Markdown;
use verhalenbank::story::render::{plain_text, render_markdown};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let markdown = Markdown::new(text);
    let html = render_markdown(&markdown).as_str().to_ascii_lowercase();
    for forbidden in [
        "<script",
        "javascript:",
        "<iframe",
        "<img",
        "<svg",
        "<style",
        " onerror",
        " onload",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} in {html}");
    }
    let _ = plain_text(&markdown);
});
