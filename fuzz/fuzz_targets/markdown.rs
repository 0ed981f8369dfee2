//! Markdown from a story never panics the renderer, and what it renders holds no script, event
//! handler or script URL: the sanitiser lets none through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::story::Markdown;
use verhalenbank::story::render::{plain_text, render_markdown};

/// What in the rendered HTML could run or load something: a script, frame, image, SVG or style element,
/// an event handler attribute, or a script URL. Only tags are looked at: text is escaped, so a story
/// may well say "onerror" in words.
fn dangerous_tag(html: &str) -> Option<&str> {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |end| start + end + 1);
        let tag = &rest[start..end];
        let lower = tag.to_ascii_lowercase();
        let name: String = lower[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let handler = lower
            .split(|c: char| c.is_whitespace() || c == '/')
            .skip(1)
            .any(|attribute| attribute.starts_with("on") && attribute.contains('='));
        if matches!(
            name.as_str(),
            "script" | "iframe" | "img" | "svg" | "style" | "object" | "embed" | "math" | "base"
        ) || handler
            || ["=\"javascript:", "=\"vbscript:", "=\"data:"]
                .iter()
                .any(|scheme| lower.contains(scheme))
        {
            return Some(tag);
        }
        rest = &rest[end..];
    }
    None
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let markdown = Markdown::new(text);
    let html = render_markdown(&markdown);
    if let Some(tag) = dangerous_tag(html.as_str()) {
        panic!("{tag} in {}", html.as_str());
    }
    let _ = plain_text(&markdown);
});
