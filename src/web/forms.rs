//! Reading submitted forms and query strings into domain values. Forms arrive as name/value pairs
//! (checkboxes repeat their name); each form's reader turns them into a story or a filter and says what
//! is missing or wrong with message keys, so the page can show the form again with the problem marked.

use std::collections::BTreeMap;

/// The pairs of a form body or query string.
pub struct FormData {
    pairs: Vec<(String, String)>,
    /// A recording came with the form: the story may be told by voice alone.
    spoken: bool,
}

impl FormData {
    pub fn new(pairs: Vec<(String, String)>) -> FormData {
        FormData {
            pairs,
            spoken: false,
        }
    }

    /// Marks the form as carrying a recording, so the story's text may be left empty (staff write
    /// the transcript in moderation).
    pub fn spoken(mut self, spoken: bool) -> FormData {
        self.spoken = spoken;
        self
    }

    pub fn is_spoken(&self) -> bool {
        self.spoken
    }

    /// The first non-empty value of a field, trimmed.
    /// The version of the record the form was filled in from (the hidden field `versie`), which a
    /// change names so that it cannot overwrite someone else's change made meanwhile.
    pub fn version(&self) -> Result<u64, crate::web::AppError> {
        self.get("versie")
            .and_then(|text| text.parse().ok())
            .ok_or(crate::web::AppError::BadRequest("error.bad_request"))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .find(|value| !value.is_empty())
    }

    /// Every non-empty value of a field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value.trim().to_string())
            .collect()
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }

    /// A text box that holds a whole file (the synonyms list, the questions): its lines as typed,
    /// with the CRLF browsers send as LF, ending in a newline as text files do; empty stays empty.
    pub fn file_text(&self, name: &str) -> String {
        let mut text = self.text(name).replace("\r\n", "\n");
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// Fields as a map of lists, to fill a form again after an error.
    pub fn values(&self) -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in &self.pairs {
            map.entry(key.clone()).or_default().push(value.clone());
        }
        map
    }
}

/// Problems found in a submitted form: field name → message key.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<(&'static str, &'static str)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.0.push((field, key));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message key for a field, if it has a problem.
    #[cfg(test)]
    pub fn of(&self, field: &str) -> Option<&'static str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, key)| *key)
    }
}

#[cfg(test)]
mod tests {
    use super::FormData;

    fn form(value: &str) -> FormData {
        FormData::new(vec![("inhoud".to_string(), value.to_string())])
    }

    #[test]
    fn a_file_in_a_text_box_gets_lf_lines_and_a_final_newline() {
        assert_eq!(form("a = 1\r\nb = 2").file_text("inhoud"), "a = 1\nb = 2\n");
        assert_eq!(form("a = 1\n").file_text("inhoud"), "a = 1\n");
        assert_eq!(form("").file_text("inhoud"), "");
        assert_eq!(
            form("x").file_text("ander"),
            "",
            "a field not sent is empty"
        );
    }
}
