//! The pattern views of `/patronen` and a round's analysis, ready for the templates: a question's
//! answers by group (stacked bars and a table), two choice questions crossed (a table with the
//! chi-square test in one B1 sentence) and two sliders as points (a scatter plot and its table).
//!
//! Every count links to the search page with the same filters plus the answers (and group) it
//! counts, so each bar, cell and dot opens the stories behind it. Counts under
//! [`patterns::SMALL`] are greyed with a note; on public pages groups that small are left out.

use crate::bank::Settings;
use crate::index::FacetField;
use crate::patterns::{self, ChiSquare, Contingency, Distribution, GroupCounts, Grouping, SMALL};
use crate::questions::{Kind, Question, SLIDER_BANDS, slider_band};
use crate::story::Story;
use crate::story::render::{SafeHtml, escape_html};
use crate::web::answer_labels::value_label;
use crate::web::i18n::Texts;
use crate::web::search_request::facet_label;

/// The colours of ordered values (slider bands, low to high), then "weet ik niet" and "past niet".
const ORDERED: [&str; 7] = [
    "#c6dbef", "#8fb8de", "#5a93c8", "#2f6eab", "#14477f", "#bdbdbd", "#767676",
];
/// The colours of an agreement scale, from disagree to agree.
const AGREEMENT: [&str; 5] = ["#b2182b", "#ef8a62", "#cfcfcf", "#67a9cf", "#2166ac"];
/// The colours of options that have no order.
const OPTIONS: [&str; 8] = [
    "#1f6fb2", "#d9822b", "#3a8f4b", "#b23a48", "#7a5ea8", "#8c6d31", "#2c8c99", "#767676",
];

/// What a visitor chose to see: question ids and the grouping.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub question: Option<String>,
    pub grouping: Option<String>,
    pub rows: Option<String>,
    pub columns: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

/// One count that opens its stories.
pub struct CellView {
    pub count: u32,
    pub href: String,
    /// Fewer than [`SMALL`] stories: greyed, not a pattern.
    pub small: bool,
    /// 0 to 4: how dark the cell is, by its share of the largest count.
    pub shade: usize,
}

pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
    pub total: CellView,
}

/// A table of counts: rows by columns, each count a link.
pub struct TableView {
    pub caption: String,
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub any_small: bool,
}

/// A value's colour and words, for a chart's legend.
pub struct LegendItem {
    pub colour: &'static str,
    pub label: String,
}

pub struct DistributionView {
    pub chart: SafeHtml,
    pub legend: Vec<LegendItem>,
    pub table: TableView,
    /// Groups left out on a public page because they were too small.
    pub hidden_note: Option<String>,
    pub answered: u32,
}

pub struct ContingencyView {
    pub table: TableView,
    /// The test in words, when there is something to compare.
    pub verdict: Option<String>,
    /// The figures behind the verdict.
    pub figures: Option<String>,
    /// When some cells expect too few stories for the test to be trusted.
    pub caution: Option<String>,
}

pub struct ScatterView {
    pub chart: SafeHtml,
    pub table: TableView,
    pub points: u32,
}

/// A question that can be chosen in a form: (id, text).
pub type QuestionOption = (String, String);

/// Everything `/patronen` and a round show.
pub struct PatternsView {
    /// The questions whose answers can be counted, for the first form.
    pub countable: Vec<QuestionOption>,
    /// Questions with one value per story, for the table of two questions.
    pub single: Vec<QuestionOption>,
    /// Slider questions, for the scatter plot.
    pub sliders: Vec<QuestionOption>,
    /// (code, words) of each grouping.
    pub groupings: Vec<(&'static str, String)>,
    /// What is shown: question, grouping, rows, columns, x, y.
    pub chosen: Choice,
    pub distribution: Option<DistributionView>,
    pub contingency: Option<ContingencyView>,
    pub scatter: Option<ScatterView>,
    /// How many stories were counted.
    pub stories: usize,
}

/// Builds the links to the search page: the filters the pattern view was given, plus what a count
/// counts.
pub struct Links {
    base: Vec<(String, String)>,
}

impl Links {
    /// The pairs of a query string that filter stories (the search text, facets, dates).
    pub fn from_query(pairs: &[(String, String)]) -> Links {
        let filters = |key: &str| {
            matches!(key, "q" | "van" | "tot" | "synoniemen")
                || FacetField::ALL.iter().any(|field| field.name() == key)
        };
        Links {
            base: pairs
                .iter()
                .filter(|(key, _)| filters(key))
                .cloned()
                .collect(),
        }
    }

    /// The filters as a query string for another page of patterns (`?round=…`), or empty.
    pub fn query(&self) -> String {
        if self.base.is_empty() {
            String::new()
        } else {
            format!(
                "?{}",
                serde_urlencoded::to_string(&self.base).unwrap_or_default()
            )
        }
    }

    /// The filters as hidden form fields: (name, value).
    pub fn hidden(&self) -> Vec<(String, String)> {
        self.base.clone()
    }

    fn search(&self, extra: &[(&str, String)]) -> String {
        let mut pairs = self.base.clone();
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        format!(
            "/zoeken?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

fn answer(question: &Question, value: &str) -> (&'static str, String) {
    ("answer", format!("{}={value}", question.id))
}

fn shade(count: u32, max: u32) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        1 + ((count as usize * 3) / max as usize).min(3)
    }
}

fn cell(count: u32, max: u32, href: String) -> CellView {
    CellView {
        count,
        href,
        small: count > 0 && count < SMALL,
        shade: shade(count, max),
    }
}

/// The colour of each of a question's values.
fn colours(question: &Question) -> Vec<&'static str> {
    let n = question.filter_values().len();
    match &question.kind {
        Kind::Slider { .. } => ORDERED.iter().copied().take(n).collect(),
        Kind::Agreement { .. } if n == 2 => vec![AGREEMENT[0], AGREEMENT[4]],
        Kind::Agreement { .. } => AGREEMENT.iter().copied().cycle().take(n).collect(),
        _ => OPTIONS.iter().copied().cycle().take(n).collect(),
    }
}

fn options(questions: &[&Question], t: &Texts) -> Vec<QuestionOption> {
    questions
        .iter()
        .map(|q| (q.id.to_string(), q.text.get(t.lang).to_string()))
        .collect()
}

/// The question chosen by id, or the `nth` of `among` when none (or an unknown one) was chosen.
fn pick<'a>(among: &[&'a Question], chosen: &Option<String>, nth: usize) -> Option<&'a Question> {
    chosen
        .as_ref()
        .and_then(|id| among.iter().find(|q| q.id.as_str() == id))
        .or_else(|| among.get(nth))
        .copied()
}

/// Builds every view for `stories`. `public` leaves out groups under [`SMALL`].
pub fn patterns_view(
    t: &Texts,
    settings: &Settings,
    questions: &[Question],
    stories: &[Story],
    chosen: &Choice,
    links: &Links,
    public: bool,
) -> PatternsView {
    let countable: Vec<&Question> = questions
        .iter()
        .filter(|q| patterns::countable(q))
        .collect();
    let single: Vec<&Question> = countable
        .iter()
        .copied()
        .filter(|q| patterns::single_valued(q) && !matches!(q.kind, Kind::Slider { .. }))
        .collect();
    let sliders: Vec<&Question> = countable
        .iter()
        .copied()
        .filter(|q| matches!(q.kind, Kind::Slider { .. }))
        .collect();
    let grouping = chosen
        .grouping
        .as_deref()
        .and_then(Grouping::parse)
        .unwrap_or(Grouping::Area);
    let question = pick(&countable, &chosen.question, 0);
    let rows = pick(&single, &chosen.rows, 0);
    let columns = pick(&single, &chosen.columns, 1).filter(|c| rows.is_none_or(|r| r.id != c.id));
    let x = pick(&sliders, &chosen.x, 0);
    let y = pick(&sliders, &chosen.y, 1).filter(|y| x.is_none_or(|x| x.id != y.id));
    let threshold = public.then_some(SMALL);
    PatternsView {
        countable: options(&countable, t),
        single: options(&single, t),
        sliders: options(&sliders, t),
        groupings: Grouping::ALL
            .iter()
            .map(|g| (g.code(), t.code("patterns.group", g.code())))
            .collect(),
        chosen: Choice {
            question: question.map(|q| q.id.to_string()),
            grouping: Some(grouping.code().to_string()),
            rows: rows.map(|q| q.id.to_string()),
            columns: columns.map(|q| q.id.to_string()),
            x: x.map(|q| q.id.to_string()),
            y: y.map(|q| q.id.to_string()),
        },
        distribution: question.map(|question| {
            let counts = patterns::distribution(
                stories,
                question,
                grouping,
                &settings.municipality,
                threshold,
            );
            distribution_view(t, settings, question, grouping, &counts, links)
        }),
        contingency: rows.zip(columns).map(|(rows, columns)| {
            let counts = patterns::contingency(stories, rows, columns);
            contingency_view(t, rows, columns, &counts, links)
        }),
        scatter: x.zip(y).map(|(x, y)| scatter_view(t, stories, x, y, links)),
        stories: stories.len(),
    }
}

fn group_label(t: &Texts, settings: &Settings, grouping: Grouping, key: &str) -> String {
    let field = match grouping {
        Grouping::Area => FacetField::Area,
        Grouping::Teller => FacetField::Teller,
        Grouping::Valence => FacetField::Valence,
        Grouping::Provider => FacetField::Provider,
        Grouping::Year => FacetField::Year,
    };
    facet_label(t, settings, field, key)
}

fn distribution_view(
    t: &Texts,
    settings: &Settings,
    question: &Question,
    grouping: Grouping,
    counts: &Distribution,
    links: &Links,
) -> DistributionView {
    let labels: Vec<String> = counts
        .values
        .iter()
        .map(|v| value_label(t, question, v))
        .collect();
    let max = counts
        .groups
        .iter()
        .flat_map(|g| g.counts.iter().copied())
        .max()
        .unwrap_or(0);
    let row = |label: String, group: &GroupCounts, key: Option<&str>| {
        let with_group = |mut extra: Vec<(&'static str, String)>| {
            if let Some(key) = key {
                extra.push((grouping.code(), key.to_string()));
            }
            links.search(&extra)
        };
        RowView {
            label,
            cells: counts
                .values
                .iter()
                .zip(&group.counts)
                .map(|(value, &n)| cell(n, max, with_group(vec![answer(question, value)])))
                .collect(),
            total: cell(
                group.total,
                0,
                with_group(
                    counts
                        .values
                        .iter()
                        .map(|value| answer(question, value))
                        .collect(),
                ),
            ),
        }
    };
    let mut rows: Vec<RowView> = counts
        .groups
        .iter()
        .map(|group| {
            row(
                group_label(t, settings, grouping, &group.key),
                group,
                Some(&group.key),
            )
        })
        .collect();
    rows.push(row(t.get("patterns.all").to_string(), &counts.all, None));
    let any_small = rows.iter().any(|r| r.cells.iter().any(|c| c.small));
    let question_text = question.text.get(t.lang).to_string();
    let colours = colours(question);
    let chart = stacked_bars(t, &question_text, &rows, &labels, &colours);
    DistributionView {
        chart,
        legend: labels
            .iter()
            .zip(&colours)
            .map(|(label, colour)| LegendItem {
                colour,
                label: label.clone(),
            })
            .collect(),
        table: TableView {
            caption: format!(
                "{} — {}",
                question_text,
                t.with("patterns.by", &t.code("patterns.group", grouping.code()))
            ),
            corner: t.code("patterns.group", grouping.code()),
            columns: labels,
            rows,
            any_small,
        },
        hidden_note: (counts.hidden_groups > 0)
            .then(|| t.count("patterns.hidden_groups", &counts.hidden_groups)),
        answered: counts.all.total,
    }
}

/// A row per group: a bar of its answers, each part as long as its share and a link to its stories.
fn stacked_bars(
    t: &Texts,
    title: &str,
    rows: &[RowView],
    labels: &[String],
    colours: &[&str],
) -> SafeHtml {
    const WIDTH: f64 = 400.0;
    const LABEL: f64 = 18.0;
    const BAR: f64 = 20.0;
    const GAP: f64 = 10.0;
    let step = LABEL + BAR + GAP;
    let height = step * rows.len() as f64;
    let mut svg = format!(
        "<svg class=\"chart stacked\" viewBox=\"0 0 {WIDTH} {height}\" role=\"group\" aria-labelledby=\"verdeling-titel\"><title id=\"verdeling-titel\">{}</title>",
        escape_html(&t.with("patterns.chart_title", title))
    );
    for (index, row) in rows.iter().enumerate() {
        let top = step * index as f64;
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"0\" y=\"{}\">{} ({})</text>",
            top + LABEL - 5.0,
            escape_html(&row.label),
            row.total.count
        ));
        let total: u32 = row.cells.iter().map(|c| c.count).sum();
        if total == 0 {
            continue;
        }
        let mut left = 0.0;
        for ((cell, label), colour) in row.cells.iter().zip(labels).zip(colours) {
            if cell.count == 0 {
                continue;
            }
            let width = WIDTH * f64::from(cell.count) / f64::from(total);
            svg.push_str(&format!(
                "<a href=\"{}\"><title>{}: {} · {}</title><rect x=\"{left:.1}\" y=\"{}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{colour}\" stroke=\"#ffffff\"/></a>",
                escape_html(&cell.href),
                escape_html(&row.label),
                escape_html(label),
                escape_html(&t.count("patterns.stories", &cell.count)),
                top + LABEL,
            ));
            left += width;
        }
    }
    svg.push_str("</svg>");
    SafeHtml::from_escaped(svg)
}

fn contingency_view(
    t: &Texts,
    rows: &Question,
    columns: &Question,
    counts: &Contingency,
    links: &Links,
) -> ContingencyView {
    let column_labels: Vec<String> = counts
        .columns
        .iter()
        .map(|v| value_label(t, columns, v))
        .collect();
    let max = counts.counts.iter().flatten().copied().max().unwrap_or(0);
    let table_rows = counts
        .rows
        .iter()
        .zip(&counts.counts)
        .map(|(row_value, row)| RowView {
            label: value_label(t, rows, row_value),
            cells: counts
                .columns
                .iter()
                .zip(row)
                .map(|(column_value, &n)| {
                    cell(
                        n,
                        max,
                        links.search(&[answer(rows, row_value), answer(columns, column_value)]),
                    )
                })
                .collect(),
            // The stories that answered both questions: this row's answer, and any of the columns'.
            total: cell(
                row.iter().sum(),
                0,
                links.search(
                    &std::iter::once(answer(rows, row_value))
                        .chain(counts.columns.iter().map(|v| answer(columns, v)))
                        .collect::<Vec<_>>(),
                ),
            ),
        })
        .collect::<Vec<_>>();
    let any_small = table_rows.iter().any(|r| r.cells.iter().any(|c| c.small));
    let test = counts.test.as_ref();
    ContingencyView {
        table: TableView {
            caption: t
                .get("patterns.crossed_caption")
                .replace("{rows}", rows.text.get(t.lang))
                .replace("{columns}", columns.text.get(t.lang)),
            corner: String::new(),
            columns: column_labels,
            rows: table_rows,
            any_small,
        },
        verdict: test.map(|test| verdict(t, test)),
        figures: test.map(|test| {
            t.get("patterns.figures")
                .replace("{x2}", &t.number(test.statistic))
                .replace("{df}", &test.degrees_of_freedom.to_string())
                .replace("{p}", &p_text(t, test.p_value))
                .replace("{v}", &t.number(test.cramers_v))
                .replace("{n}", &test.total.to_string())
        }),
        caution: test
            .filter(|test| test.small_expected > 0)
            .map(|test| t.count("patterns.caution", &test.small_expected)),
    }
}

/// A p-value with its sign, as people read it: "= 0,042", or "< 0,001" for smaller ones.
fn p_text(t: &Texts, p: f64) -> String {
    if p < 0.001 {
        format!("< {}", decimal(t, 0.001))
    } else {
        format!("= {}", decimal(t, p))
    }
}

/// A number with exactly three decimals in the page's language.
fn decimal(t: &Texts, value: f64) -> String {
    let text = format!("{value:.3}");
    if matches!(t.lang, "en" | "ar") {
        text
    } else {
        text.replace('.', ",")
    }
}

/// The test's outcome in one or two B1 sentences: how likely chance is, and how strong the link.
fn verdict(t: &Texts, test: &ChiSquare) -> String {
    let how = if test.p_value < 0.001 {
        t.get("patterns.chance_rare").to_string()
    } else if test.p_value < 0.01 {
        t.get("patterns.chance_thousand")
            .replace("{n}", &t.number((test.p_value * 1000.0).round()))
    } else {
        t.get("patterns.chance_hundred")
            .replace("{n}", &t.number((test.p_value * 100.0).round()))
    };
    let chance = t
        .get("patterns.chance")
        .replace("{p}", &p_text(t, test.p_value))
        .replace("{how}", &how);
    let conclusion = if test.p_value < 0.05 {
        let strength = match test.cramers_v {
            v if v < 0.1 => "weak",
            v if v < 0.3 => "small",
            v if v < 0.5 => "medium",
            _ => "strong",
        };
        t.code("patterns.together", strength)
    } else {
        t.get("patterns.maybe_chance").to_string()
    };
    format!("{chance} {conclusion}")
}

fn scatter_view(
    t: &Texts,
    stories: &[Story],
    x: &Question,
    y: &Question,
    links: &Links,
) -> ScatterView {
    let points = patterns::scatter(stories, x, y);
    let bands: Vec<String> = SLIDER_BANDS
        .iter()
        .map(|(low, high)| format!("{low}-{high}"))
        .collect();
    // The table: y's bands from high to low (as the plot), x's bands as columns.
    let mut counts = vec![vec![0u32; bands.len()]; bands.len()];
    for ((px, py), n) in &points {
        let column = bands.iter().position(|b| *b == slider_band(*px));
        let row = bands.iter().position(|b| *b == slider_band(*py));
        if let (Some(r), Some(c)) = (row, column) {
            counts[r][c] += n;
        }
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    let rows = bands
        .iter()
        .enumerate()
        .rev()
        .map(|(r, y_band)| RowView {
            label: y_band.replace('-', "–"),
            cells: bands
                .iter()
                .enumerate()
                .map(|(c, x_band)| {
                    cell(
                        counts[r][c],
                        max,
                        links.search(&[answer(x, x_band), answer(y, y_band)]),
                    )
                })
                .collect(),
            // The stories with a point on both sliders: this band of y, and any band of x.
            total: cell(
                counts[r].iter().sum(),
                0,
                links.search(
                    &std::iter::once(answer(y, y_band))
                        .chain(bands.iter().map(|b| answer(x, b)))
                        .collect::<Vec<_>>(),
                ),
            ),
        })
        .collect::<Vec<_>>();
    let any_small = rows.iter().any(|r| r.cells.iter().any(|c| c.small));
    let total = points.iter().map(|(_, n)| n).sum();
    let poles = |q: &Question| match &q.kind {
        Kind::Slider { left, right } => {
            (left.get(t.lang).to_string(), right.get(t.lang).to_string())
        }
        _ => (String::new(), String::new()),
    };
    let (x_left, x_right) = poles(x);
    let (y_low, y_high) = poles(y);
    let caption = t
        .get("patterns.scatter_caption")
        .replace("{y}", y.text.get(t.lang))
        .replace("{x}", x.text.get(t.lang));
    let chart = scatter_svg(
        t,
        x,
        y,
        &caption,
        &points,
        links,
        [&x_left, &x_right, &y_low, &y_high],
    );
    ScatterView {
        chart,
        table: TableView {
            caption,
            corner: String::new(),
            columns: bands.iter().map(|b| b.replace('-', "–")).collect(),
            rows,
            any_small,
        },
        points: total,
    }
}

/// The two sliders' points: a dot per pair of answers, larger for more stories, each a link to the
/// stories in the same bands of both sliders.
fn scatter_svg(
    t: &Texts,
    x: &Question,
    y: &Question,
    title: &str,
    points: &[((u8, u8), u32)],
    links: &Links,
    [x_left, x_right, y_low, y_high]: [&String; 4],
) -> SafeHtml {
    const SIZE: f64 = 400.0;
    const LEFT: f64 = 20.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 34.0;
    const BOTTOM: f64 = 50.0;
    let plot = SIZE - LEFT - RIGHT;
    let plot_height = SIZE - TOP - BOTTOM;
    let px = |v: u8| LEFT + plot * f64::from(v) / 100.0;
    let py = |v: u8| TOP + plot_height * (1.0 - f64::from(v) / 100.0);
    let mut svg = format!(
        "<svg class=\"chart scatter\" viewBox=\"0 0 {SIZE} {SIZE}\" role=\"group\" aria-labelledby=\"punten-titel\"><title id=\"punten-titel\">{}</title>",
        escape_html(title)
    );
    svg.push_str(&format!(
        "<rect class=\"frame\" x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot}\" height=\"{plot_height}\" fill=\"none\" stroke=\"#767676\"/>"
    ));
    for quarter in 1..4 {
        let at = f64::from(quarter) * 25.0;
        svg.push_str(&format!(
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{TOP}\" y2=\"{1:.1}\"/><line class=\"grid\" x1=\"{LEFT}\" x2=\"{2:.1}\" y1=\"{3:.1}\" y2=\"{3:.1}\"/>",
            LEFT + plot * at / 100.0,
            TOP + plot_height,
            LEFT + plot,
            TOP + plot_height * (1.0 - at / 100.0),
        ));
    }
    let axis = |x: f64, y: f64, anchor: &str, text: &str| {
        format!(
            "<text class=\"axis\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
            escape_html(text)
        )
    };
    svg.push_str(&axis(LEFT, 16.0, "start", &format!("↑ {y_high}")));
    svg.push_str(&axis(
        LEFT,
        TOP + plot_height + 18.0,
        "start",
        &format!("↓ {y_low}"),
    ));
    svg.push_str(&axis(LEFT, SIZE - 6.0, "start", &format!("← {x_left}")));
    svg.push_str(&axis(
        SIZE - RIGHT,
        SIZE - 6.0,
        "end",
        &format!("{x_right} →"),
    ));
    for ((vx, vy), n) in points {
        let radius = 4.0 + 2.5 * f64::from(*n).sqrt();
        let href = links.search(&[answer(x, &slider_band(*vx)), answer(y, &slider_band(*vy))]);
        svg.push_str(&format!(
            "<a href=\"{}\"><title>{vx} · {vy}: {}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{radius:.1}\" fill=\"#1f6fb2\" fill-opacity=\"0.6\" stroke=\"#14477f\"/></a>",
            escape_html(&href),
            escape_html(&t.count("patterns.stories", n)),
            px(*vx),
            py(*vy),
        ));
    }
    svg.push_str("</svg>");
    SafeHtml::from_escaped(svg)
}
