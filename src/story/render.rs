//! Rendering a story's Markdown to HTML that is safe to put on a page.
//!
//! pulldown-cmark renders; raw HTML in the story is escaped first (a story is text, never markup), and
//! ammonia then sanitises what came out: only ordinary formatting tags, links only to http, https and
//! mailto, with `rel="nofollow noopener noreferrer"`. The result is a [`SafeHtml`], the only kind of
//! story text a template accepts unescaped.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use super::Markdown;

/// HTML that has been sanitised and may be put on a page as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// HTML built by code in this crate that escaped every piece of text it did not write itself, such
    /// as search snippets with highlight marks.
    pub(crate) fn from_escaped(html: String) -> SafeHtml {
        SafeHtml(html)
    }

    /// Text escaped for HTML: always safe.
    pub fn escape(text: &str) -> SafeHtml {
        SafeHtml(escape_html(text))
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders Markdown to sanitised HTML.
pub fn render_markdown(markdown: &Markdown) -> SafeHtml {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    // Raw HTML in a story is shown as text, never interpreted. Images are shown as their description:
    // an outside image would tell a third party who reads the story.
    let events = Parser::new_ext(markdown.as_str(), options).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut rendered = String::with_capacity(markdown.as_str().len() * 3 / 2);
    html::push_html(&mut rendered, events);
    let clean = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer"))
        .clean(&rendered)
        .to_string();
    SafeHtml(clean)
}

/// The story's words without Markdown syntax, for indexing, language detection and snippets.
/// Blocks are separated by a blank line so words of different paragraphs never run together.
pub fn plain_text(markdown: &Markdown) -> String {
    let mut out = String::with_capacity(markdown.as_str().len());
    for event in Parser::new_ext(
        markdown.as_str(),
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) if !out.ends_with(char::is_whitespace) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        render_markdown(&Markdown::new(text)).as_str().to_string()
    }

    #[test]
    fn renders_markdown() {
        insta::assert_snapshot!(render("# Kop\n\nIk ga **elke dinsdag**.\n\n- koffie\n- praten\n\n> Een citaat"), @r"
        <h1>Kop</h1>
        <p>Ik ga <strong>elke dinsdag</strong>.</p>
        <ul>
        <li>koffie</li>
        <li>praten</li>
        </ul>
        <blockquote>
        <p>Een citaat</p>
        </blockquote>
        ");
    }

    #[test]
    fn neutralises_hostile_input() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[klik](javascript:alert(1))",
            "![plaatje](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](JaVaScRiPt:alert(1))",
            "<svg onload=alert(1)>",
        ];
        for case in cases {
            let html = render(case).to_lowercase();
            for tag in ["<script", "<img", "<svg", "<iframe"] {
                assert!(!html.contains(tag), "{case}: {html}");
            }
            // Every real link or image source is http(s) or mailto; hostile URLs may only remain as text.
            for (index, _) in html.match_indices("<a ") {
                let tag = &html[index..index + html[index..].find('>').unwrap()];
                if let Some(start) = tag.find("href=\"") {
                    let url = &tag[start + 6..];
                    assert!(
                        url.starts_with("http") || url.starts_with("mailto:"),
                        "{case}: {html}"
                    );
                }
                assert!(!tag.contains(" on"), "{case}: {html}");
            }
        }
        assert!(render("<b>vet</b>").contains("&lt;b&gt;vet&lt;/b&gt;"));
        assert_eq!(
            render("![een foto van de buurt](https://example.org/x.png)"),
            "<p>een foto van de buurt</p>\n"
        );
    }

    /// The input that once stopped the Markdown fuzz target (fuzz/regressions/markdown): a story may say
    /// "onerror" in words, and then it is text, never an attribute.
    #[test]
    fn words_that_look_like_handlers_stay_text() {
        assert_eq!(render("a+ onerror"), "<p>a+ onerror</p>\n");
        assert_eq!(
            render("de knop onclick=\"x\" deed niets"),
            "<p>de knop onclick=\"x\" deed niets</p>\n"
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        let text = plain_text(&Markdown::new(
            "# Kop\n\nIk ga **elke** [dinsdag](https://x.nl).\n\n- koffie\n- thee",
        ));
        assert_eq!(text, "Kop\nIk ga elke dinsdag.\nkoffie\nthee");
    }

    #[test]
    fn links_get_safe_rel() {
        let html = render("[site](https://example.org)");
        assert!(
            html.contains("rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
    }
}
