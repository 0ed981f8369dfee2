//! The yearly accountability report in words: the bank's [`YearlyReport`] turned into texts, charts and
//! tables in the reader's language, once, for both the printable HTML page and the Markdown file.

use std::fmt::Write as _;

use crate::bank::Settings;
use crate::bank::report::{IndicatorYear, SubgoalYear, YearlyReport};
use crate::present::chart::{Point, line_chart};
use crate::present::i18n::Texts;
use crate::present::session_views::{
    ActionView, InterpretationView, action_view, interpretation_view,
};
use crate::present::views::{
    BalanceView, Tally, TrendView, balance_view, measurement_text, trend_view, value_text,
};
use crate::sessions::Session;
use crate::story::render::{SafeHtml, plain_text};
use crate::story::{Coded, Story};

/// Characters of a story quoted in the report.
const QUOTE_CHARS: usize = 320;

pub struct SummaryRow {
    pub id: String,
    pub title: String,
    pub indicators: usize,
    pub better: usize,
    pub worse: usize,
    pub unknown: usize,
    pub targets: String,
    pub stories: String,
}

pub struct QuoteView {
    pub story_id: String,
    pub title: String,
    pub text: String,
    pub who: String,
    pub valence_code: &'static str,
    pub valence: String,
    /// The story's language code (for `lang`), and when it is not the municipality's own language, its
    /// name as a line under the quote.
    pub lang: String,
    pub language: Option<String>,
    /// The staff's translation, when the story has one.
    pub translation: Option<String>,
}

pub struct IndicatorSection {
    pub id: String,
    pub title: String,
    pub level: String,
    pub retired: Option<String>,
    pub latest: Option<String>,
    pub latest_period: String,
    pub last_year: Option<String>,
    pub change: TrendView,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub target_note: Option<String>,
    pub area_note: Option<String>,
    /// Said when a newer figure should already have come (as on the evidence page).
    pub stale: Option<String>,
    pub chart: SafeHtml,
    /// The year's figures: period and value.
    pub figures: Vec<(String, String)>,
    pub interpretations: Vec<InterpretationView>,
    pub actions: Vec<ActionView>,
}

pub struct SubgoalSection {
    pub id: String,
    pub title: String,
    pub retired: Option<String>,
    pub balance: BalanceView,
    pub tags: String,
    pub quotes: Vec<QuoteView>,
    pub indicators: Vec<IndicatorSection>,
}

pub struct GoalSection {
    pub id: String,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub retired: Option<String>,
    pub subgoals: Vec<SubgoalSection>,
}

pub struct ReportView {
    pub title: String,
    /// The area, and the goal when the report is about one.
    pub scope: String,
    pub made: String,
    pub stories: BalanceView,
    pub summary: Vec<SummaryRow>,
    pub goals: Vec<GoalSection>,
}

fn retired_text(t: &Texts, date: Option<jiff::civil::Date>) -> Option<String> {
    date.map(|date| t.with("tree.retired_since", &t.date(&date)))
}

/// The start of `plain`, at most [`QUOTE_CHARS`] characters, ending at a full word.
fn excerpt(plain: &str) -> String {
    let mut text: String = plain.chars().take(QUOTE_CHARS).collect();
    if plain.chars().count() > QUOTE_CHARS {
        // End at the last full word.
        if let Some(space) = text.rfind(' ') {
            text.truncate(space);
        }
        text.push_str(" …");
    }
    text
}

fn quote(t: &Texts, settings: &Settings, story: &Story) -> QuoteView {
    let plain = plain_text(&story.text);
    let text = excerpt(&plain);
    let mut who = vec![t.code("teller", story.teller.code())];
    if let Some(area) = &story.area {
        who.push(settings.municipality.area_name(area).to_string());
    }
    who.push(t.date(&story.date));
    let own = &settings.municipality.default_language;
    let written_in =
        story.language_or_detect(&plain, &crate::language::LanguageDetector::default(), own);
    let language = (written_in != *own).then(|| {
        let name = if t.lang == "nl" {
            written_in.dutch_name()
        } else {
            written_in.native_name()
        };
        t.with("report_year.quote_language", name)
    });
    QuoteView {
        lang: written_in.code().to_string(),
        language,
        translation: story.translation.as_deref().map(excerpt),
        story_id: story.id.to_string(),
        title: story.title.clone(),
        text,
        who: who.join(", "),
        valence_code: story.valence.code(),
        valence: t.code("valence", story.valence.code()),
    }
}

fn indicator_section(
    t: &Texts,
    settings: &Settings,
    sessions: &[Session],
    row: &IndicatorYear,
    area: Option<&crate::ids::AreaId>,
    today: jiff::civil::Date,
) -> IndicatorSection {
    let indicator = &row.indicator;
    let counted = &row.counted;
    let points: Vec<Point> = row
        .history
        .iter()
        .map(|m| Point {
            label: t.period(&m.period),
            value: m.value,
        })
        .collect();
    IndicatorSection {
        id: indicator.id.to_string(),
        title: indicator.title.clone(),
        level: t.code("level", indicator.level.code()),
        retired: retired_text(t, row.retired),
        latest: counted
            .latest
            .as_ref()
            .map(|m| measurement_text(t, m, indicator)),
        latest_period: counted
            .latest
            .as_ref()
            .map(|m| t.period(&m.period))
            .unwrap_or_default(),
        last_year: row.last_year.as_ref().map(|m| {
            format!(
                "{} ({})",
                measurement_text(t, m, indicator),
                t.period(&m.period)
            )
        }),
        change: trend_view(t, row.change, indicator.direction, "report_year.change"),
        baseline: indicator
            .baseline
            .map(|v| value_text(t, v, &indicator.unit)),
        target: indicator.target.map(|v| value_text(t, v, &indicator.unit)),
        target_note: counted.target_reached.map(|reached| {
            t.get(if reached {
                "figure.target_reached"
            } else {
                "figure.target_not_reached"
            })
            .to_string()
        }),
        area_note: match (area, counted.area_fallback) {
            (Some(area), true) => Some(t.with(
                "figure.area_fallback",
                settings.municipality.area_name(area),
            )),
            _ => None,
        },
        stale: counted
            .stale_since
            .map(|latest| t.with("signal.stale", &t.period(&latest))),
        chart: line_chart(
            t,
            &format!("grafiek-{}", indicator.id),
            &indicator.title,
            &indicator.unit,
            &points,
            indicator.baseline,
            indicator.target,
        ),
        figures: counted
            .series
            .iter()
            .map(|m| (t.period(&m.period), measurement_text(t, m, indicator)))
            .collect(),
        interpretations: row
            .interpretations
            .iter()
            .map(|i| interpretation_view(t, settings, sessions, i))
            .collect(),
        actions: row
            .actions
            .iter()
            .map(|a| action_view(t, settings, a, today))
            .collect(),
    }
}

fn subgoal_section(
    t: &Texts,
    settings: &Settings,
    sessions: &[Session],
    row: &SubgoalYear,
    area: Option<&crate::ids::AreaId>,
    today: jiff::civil::Date,
) -> SubgoalSection {
    SubgoalSection {
        id: row.subgoal.id.to_string(),
        title: row.subgoal.title.clone(),
        retired: retired_text(t, row.retired),
        balance: balance_view(t, &row.stories),
        tags: row
            .tags
            .iter()
            .map(|tag| format!("{} ({})", tag.value, tag.count))
            .collect::<Vec<_>>()
            .join(", "),
        quotes: row
            .quotes
            .iter()
            .map(|story| quote(t, settings, story))
            .collect(),
        indicators: row
            .indicators
            .iter()
            .map(|i| indicator_section(t, settings, sessions, i, area, today))
            .collect(),
    }
}

impl ReportView {
    pub fn new(
        t: &Texts,
        settings: &Settings,
        sessions: &[Session],
        report: &YearlyReport,
        today: jiff::civil::Date,
    ) -> ReportView {
        let request = &report.request;
        let area = request.area.as_ref();
        let mut scope = vec![match area {
            Some(area) => settings.municipality.area_name(area).to_string(),
            None => t.get("filter.whole_municipality").to_string(),
        }];
        if let Some(goal) = request.goal.as_ref().and_then(|g| settings.goals.goal(g)) {
            scope.push(goal.title.clone());
        }
        let summary = report
            .goals
            .iter()
            .map(|goal| {
                let indicators: Vec<&IndicatorYear> =
                    goal.subgoals.iter().flat_map(|s| &s.indicators).collect();
                let tally = Tally::of(
                    indicators
                        .iter()
                        .map(|i| (i.change, i.counted.target_reached)),
                );
                SummaryRow {
                    id: goal.goal.id.to_string(),
                    title: goal.goal.title.clone(),
                    indicators: tally.indicators,
                    better: tally.better,
                    worse: tally.worse,
                    unknown: tally.unknown,
                    targets: tally.targets_text(t),
                    stories: balance_view(t, &goal.stories).text,
                }
            })
            .collect();
        ReportView {
            title: t
                .get("report_year.heading")
                .replace("{year}", &request.year.to_string())
                .replace("{municipality}", &settings.municipality.name),
            scope: scope.join(" · "),
            made: t.with("report_year.made", &t.date(&today)),
            stories: balance_view(t, &report.stories),
            summary,
            goals: report
                .goals
                .iter()
                .map(|goal| GoalSection {
                    id: goal.goal.id.to_string(),
                    title: goal.goal.title.clone(),
                    theme: goal.theme.as_ref().map(|theme| theme.name.clone()),
                    description: goal.goal.description.clone(),
                    retired: retired_text(t, goal.retired),
                    subgoals: goal
                        .subgoals
                        .iter()
                        .map(|s| subgoal_section(t, settings, sessions, s, area, today))
                        .collect(),
                })
                .collect(),
        }
    }

    /// The report as Markdown: the same sections, with the figures as tables and the quotes as block
    /// quotes. Text from stories and interpretations is escaped so it cannot become markup.
    pub fn markdown(&self, t: &Texts) -> String {
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(
            w,
            "# {}\n\n{}  \n{}\n",
            md(&self.title),
            md(&self.scope),
            md(&self.made)
        );
        let _ = writeln!(w, "{}\n", md(t.get("report_year.intro")));
        let _ = writeln!(w, "## {}\n", md(t.get("report_year.summary")));
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} |",
            t.get("report_year.col_goal"),
            t.get("report_year.col_indicators"),
            t.get("report_year.col_better"),
            t.get("report_year.col_worse"),
            t.get("report_year.col_unknown"),
            t.get("report_year.col_targets"),
            t.get("report_year.col_stories"),
        );
        let _ = writeln!(w, "| --- | ---: | ---: | ---: | ---: | --- | --- |");
        for row in &self.summary {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&row.title),
                row.indicators,
                row.better,
                row.worse,
                row.unknown,
                md(&row.targets),
                md(&row.stories)
            );
        }
        let _ = writeln!(
            w,
            "\n{} {}\n",
            md(t.get("report_year.all_stories")),
            md(&self.stories.text)
        );
        for goal in &self.goals {
            let theme = goal
                .theme
                .as_ref()
                .map(|theme| format!("{}: ", md(theme)))
                .unwrap_or_default();
            let _ = writeln!(w, "## {theme}{}\n", md(&goal.title));
            if let Some(retired) = &goal.retired {
                let _ = writeln!(w, "*{}*\n", md(retired));
            }
            if let Some(description) = &goal.description {
                let _ = writeln!(w, "{}\n", md(description));
            }
            for subgoal in &goal.subgoals {
                write_subgoal(w, t, subgoal);
            }
        }
        let _ = writeln!(w, "---\n\n{}", md(t.get("report_year.method")));
        out
    }
}

fn write_subgoal(w: &mut String, t: &Texts, subgoal: &SubgoalSection) {
    let _ = writeln!(w, "### {}\n", md(&subgoal.title));
    if let Some(retired) = &subgoal.retired {
        let _ = writeln!(w, "*{}*\n", md(retired));
    }
    for indicator in &subgoal.indicators {
        let _ = writeln!(w, "#### {}\n", md(&indicator.title));
        let mut facts = vec![format!("{}: {}", t.get("indicator.level"), indicator.level)];
        if let Some(retired) = &indicator.retired {
            facts.push(retired.clone());
        }
        match &indicator.latest {
            Some(latest) => facts.push(format!(
                "{}: **{}** ({})",
                t.get("report_year.latest"),
                md(latest),
                md(&indicator.latest_period)
            )),
            None => facts.push(t.get("report_year.no_figures").to_string()),
        }
        if let Some(last_year) = &indicator.last_year {
            facts.push(format!(
                "{}: {} – {}",
                t.get("report_year.last_year"),
                md(last_year),
                md(&indicator.change.words())
            ));
        }
        if let Some(baseline) = &indicator.baseline {
            facts.push(format!("{}: {}", t.get("figure.baseline"), md(baseline)));
        }
        if let Some(target) = &indicator.target {
            let note = indicator.target_note.as_deref().unwrap_or_default();
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" – {}", md(note))
            };
            facts.push(format!("{}: {}{note}", t.get("figure.target"), md(target)));
        }
        if let Some(note) = &indicator.area_note {
            facts.push(md(note));
        }
        if let Some(stale) = &indicator.stale {
            facts.push(format!("**{}** {}", md(t.get("signal.label")), md(stale)));
        }
        for fact in facts {
            let _ = writeln!(w, "- {}", fact.trim_end());
        }
        if !indicator.figures.is_empty() {
            let _ = writeln!(
                w,
                "\n| {} | {} |\n| --- | ---: |",
                t.get("report_year.period"),
                t.get("report_year.value")
            );
            for (period, value) in &indicator.figures {
                let _ = writeln!(w, "| {} | {} |", md(period), md(value));
            }
        }
        for interpretation in &indicator.interpretations {
            let _ = writeln!(
                w,
                "\n**{} {}**\n",
                md(t.get("report_year.interpretation")),
                md(&interpretation.date)
            );
            for (question, answer) in &interpretation.answers {
                let _ = writeln!(w, "- *{}* {}", md(question), md(answer));
            }
        }
        if !indicator.actions.is_empty() {
            let _ = writeln!(w, "\n**{}**\n", md(t.get("report_year.actions")));
            for action in &indicator.actions {
                let _ = writeln!(
                    w,
                    "- {} ({}; {}: {}; {}: {})",
                    md(&action.title),
                    md(&action.status),
                    t.get("actions.owner"),
                    md(&action.owner),
                    t.get("actions.due"),
                    md(&action.due)
                );
                if let Some(outcome) = &action.outcome {
                    let _ = writeln!(w, "  {} {}", md(t.get("actions.outcome")), md(outcome));
                }
            }
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "**{}** {}\n",
        md(t.get("report_year.stories")),
        md(&subgoal.balance.text)
    );
    if !subgoal.tags.is_empty() {
        let _ = writeln!(
            w,
            "{} {}\n",
            md(t.get("report_year.topics")),
            md(&subgoal.tags)
        );
    }
    for quote in &subgoal.quotes {
        let _ = writeln!(w, "> {}\n>", md(&quote.text));
        if let Some(language) = &quote.language {
            let _ = writeln!(w, "> *{}*\n>", md(language));
        }
        if let Some(translation) = &quote.translation {
            let _ = writeln!(
                w,
                "> {} {}\n>",
                md(t.get("report_year.quote_translation")),
                md(translation)
            );
        }
        let _ = writeln!(w, "> — {} ({})\n", md(&quote.who), md(&quote.valence));
    }
}

/// Text made safe for Markdown: characters that start markup are escaped, lines are joined.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_text_cannot_become_markup() {
        assert_eq!(
            md("<script>x</script> *vet* [link](http://x)\n# kop | cel"),
            "\\<script\\>x\\</script\\> \\*vet\\* \\[link\\](http://x) \\# kop \\| cel"
        );
    }
}
