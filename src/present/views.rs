//! View helpers shared by pages: figures with their unit, trends, signals and valence balances turned
//! into words and small pictures in the visitor's language.

use crate::bank::Balance;
use crate::evidence::counted::target_progress;
use crate::evidence::{CountedEvidence, Measurement, Signal, Trend};
use crate::goals::{Direction, Indicator};
use crate::index::FacetField;
use crate::municipality::Municipality;
use crate::present::i18n::Texts;
use crate::story::render::SafeHtml;

/// A label and its value, one row of a page's table of facts.
pub struct Row {
    pub label: String,
    pub value: String,
}

/// A figure with its unit: "162 personen", "42,5%".
pub fn value_text(t: &Texts, value: f64, unit: &str) -> String {
    let number = t.number(value);
    match unit.trim() {
        "" => number,
        "%" => t.percent(value),
        unit => format!("{number} {unit}"),
    }
}

/// Below this many people or stories a share is not shown as a percentage: "80%" of five says more
/// than it knows, "4 van 5" does not.
/// The facets the search page shows, in this order; it counts these and the answers to questions
/// (the scale benchmark asks for the same).
pub const SEARCH_PAGE_FACETS: [FacetField; 9] = [
    FacetField::Goal,
    FacetField::Subgoal,
    FacetField::Area,
    FacetField::Provider,
    FacetField::Teller,
    FacetField::Valence,
    FacetField::Tag,
    FacetField::Language,
    FacetField::Year,
];

pub const FEW_FOR_A_SHARE: f64 = 10.0;

/// A share in words: "68,3% (41 van 60)", or for a small group the counts with a warning instead of a
/// percentage ("4 van 5: te weinig om een percentage te tonen"). `few_key` words the warning.
pub fn share_text(
    t: &Texts,
    percent: f64,
    numerator: f64,
    denominator: f64,
    few_key: &str,
) -> String {
    let counts = t
        .get("figure.of")
        .replace("{n}", &t.number(numerator))
        .replace("{d}", &t.number(denominator));
    if denominator < FEW_FOR_A_SHARE {
        t.with(few_key, &counts)
    } else {
        format!("{} ({counts})", t.percent(percent))
    }
}

/// A measurement's value, with numerator and denominator when it is a share.
pub fn measurement_text(t: &Texts, measurement: &Measurement, indicator: &Indicator) -> String {
    match (measurement.numerator, measurement.denominator) {
        (Some(numerator), Some(denominator)) if indicator.unit.trim() == "%" => {
            share_text(t, measurement.value, numerator, denominator, "figure.few")
        }
        (Some(numerator), Some(denominator)) => format!(
            "{} ({})",
            value_text(t, measurement.value, &indicator.unit),
            t.get("figure.of")
                .replace("{n}", &t.number(numerator))
                .replace("{d}", &t.number(denominator))
        ),
        _ => value_text(t, measurement.value, &indicator.unit),
    }
}

/// A change in a figure as people read it: the arrow and a word say which way the figure moved, the
/// colour and a second word whether that is good. A falling loneliness figure shows "▼ gedaald, beter".
pub struct TrendView {
    /// `better`, `worse`, `same` or `unknown`: the colour of the judgement.
    pub class: &'static str,
    /// ▲ rose, ▼ fell, = stayed the same, – nothing to compare.
    pub arrow: &'static str,
    /// "gestegen" or "gedaald"; empty when the figure did not move or cannot be compared.
    pub movement: String,
    /// Whether that is good, in the words of `key`: "beter", "slechter dan bij de start".
    pub text: String,
}

impl TrendView {
    /// The movement and the judgement in one line, for plain text (Markdown, table cells).
    pub fn words(&self) -> String {
        if self.movement.is_empty() {
            self.text.clone()
        } else {
            format!("{} {}, {}", self.arrow, self.movement, self.text)
        }
    }
}

/// Which way a figure moved, told from whether the move was better and which way is better.
fn movement(trend: Trend, direction: Direction) -> Option<Direction> {
    match (trend, direction) {
        (Trend::Better, way) => Some(way),
        (Trend::Worse, Direction::Up) => Some(Direction::Down),
        (Trend::Worse, Direction::Down) => Some(Direction::Up),
        (Trend::Same | Trend::Unknown, _) => None,
    }
}

pub fn trend_view(t: &Texts, trend: Trend, direction: Direction, key: &str) -> TrendView {
    let moved = movement(trend, direction);
    let arrow = match (trend, moved) {
        (_, Some(Direction::Up)) => "▲",
        (_, Some(Direction::Down)) => "▼",
        (Trend::Same, None) => "=",
        _ => "–",
    };
    TrendView {
        class: trend.code(),
        arrow,
        movement: match moved {
            Some(Direction::Up) => t.get("movement.up").to_string(),
            Some(Direction::Down) => t.get("movement.down").to_string(),
            None => String::new(),
        },
        text: t.code(key, trend.code()),
    }
}

/// How a goal's indicators are doing, counted: the overview's summary per goal and the yearly report's
/// "In één oogopslag" table are both made of it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub indicators: usize,
    pub better: usize,
    pub worse: usize,
    /// The same, or nothing to compare with.
    pub unknown: usize,
    /// Indicators with a target and a figure, and how many of them reached it.
    pub with_target: usize,
    pub targets_reached: usize,
}

impl Tally {
    /// Counts each indicator's change and whether it reached its target (`None`: no target or figure).
    pub fn of(indicators: impl IntoIterator<Item = (Trend, Option<bool>)>) -> Tally {
        let mut tally = Tally::default();
        for (change, reached) in indicators {
            tally.indicators += 1;
            match change {
                Trend::Better => tally.better += 1,
                Trend::Worse => tally.worse += 1,
                Trend::Same | Trend::Unknown => tally.unknown += 1,
            }
            if let Some(reached) = reached {
                tally.with_target += 1;
                tally.targets_reached += usize::from(reached);
            }
        }
        tally
    }

    /// "1 van 2": targets reached of the indicators that have one.
    pub fn targets_text(&self, t: &Texts) -> String {
        t.get("figure.of")
            .replace("{n}", &self.targets_reached.to_string())
            .replace("{d}", &self.with_target.to_string())
    }
}

/// The way from baseline to target and where the latest figure stands on it, as a bar and in words.
pub struct ProgressView {
    pub bar: SafeHtml,
    pub start: String,
    pub target: String,
    pub text: String,
    /// `reached`, `on-the-way` or `away`.
    pub class: &'static str,
}

/// The progress of an indicator with a target and a latest figure. Without a baseline a count that
/// should rise starts from zero; one that should fall has no way to draw and shows words only.
pub fn progress_view(
    t: &Texts,
    indicator: &Indicator,
    counted: &CountedEvidence,
) -> Option<ProgressView> {
    let target = indicator.target?;
    let latest = counted.latest.as_ref()?.value;
    let baseline = indicator.baseline.or(match indicator.direction {
        Direction::Up => Some(0.0),
        Direction::Down => None,
    });
    let reached = counted.target_reached == Some(true);
    let progress = target_progress(baseline, Some(target), latest);
    let (class, text) = if reached {
        ("reached", t.get("progress.reached").to_string())
    } else {
        match progress {
            Some(p) if p < 0.0 => ("away", t.get("progress.away").to_string()),
            Some(p) => ("on-the-way", t.with("progress.way", &t.percent(100.0 * p))),
            None => ("on-the-way", t.get("figure.target_not_reached").to_string()),
        }
    };
    let filled = if reached {
        100.0
    } else {
        progress.map_or(0.0, |p| (100.0 * p).clamp(0.0, 100.0))
    };
    let bar = format!(
        r#"<svg class="progress-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="track" x="0" y="0" width="100" height="8"/><rect class="fill" x="0" y="0" width="{filled:.1}" height="8"/></svg>"#
    );
    Some(ProgressView {
        bar: SafeHtml::from_escaped(bar),
        start: baseline
            .map(|b| t.with("progress.start", &value_text(t, b, &indicator.unit)))
            .unwrap_or_default(),
        target: t.with("progress.target", &value_text(t, target, &indicator.unit)),
        text,
        class,
    })
}

pub struct SignalView {
    pub class: &'static str,
    pub text: String,
}

fn area_names(municipality: &Municipality, areas: &[crate::ids::AreaId]) -> String {
    areas
        .iter()
        .map(|area| municipality.area_name(area))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn signal_views(t: &Texts, municipality: &Municipality, signals: &[Signal]) -> Vec<SignalView> {
    signals
        .iter()
        .map(|signal| match signal {
            Signal::FiguresWithoutStories { areas } => SignalView {
                class: "gap",
                text: t.with(
                    "signal.figures_without_stories",
                    &area_names(municipality, areas),
                ),
            },
            Signal::StoriesWithoutFigures { areas } => SignalView {
                class: "gap",
                text: t.with(
                    "signal.stories_without_figures",
                    &area_names(municipality, areas),
                ),
            },
            Signal::OnlyPositive { count } => SignalView {
                class: "one-sided",
                text: t.with("signal.only_positive", &count.to_string()),
            },
            Signal::TooFewStories { count } => SignalView {
                class: "thin",
                text: t.with("signal.too_few", &count.to_string()),
            },
            Signal::StaleFigures { latest } => SignalView {
                class: "stale",
                text: t.with("signal.stale", &t.period(latest)),
            },
            Signal::AgainstDirection { previous, latest } => SignalView {
                class: "against",
                text: t
                    .get("signal.against")
                    .replace("{previous}", &t.number(*previous))
                    .replace("{latest}", &t.number(*latest)),
            },
            Signal::NoFigures => SignalView {
                class: "thin",
                text: t.get("signal.no_figures").to_string(),
            },
        })
        .collect()
}

/// Stories and their valence as words and a small bar.
pub struct BalanceView {
    pub text: String,
    pub bar: SafeHtml,
}

pub fn balance_view(t: &Texts, balance: &Balance) -> BalanceView {
    let parts = [
        ("positive", balance.positive),
        ("mixed", balance.mixed),
        ("negative", balance.negative),
    ];
    let text = if balance.count == 0 {
        t.get("balance.none").to_string()
    } else {
        let mut words = vec![t.count("stories", &balance.count)];
        for (code, count) in parts {
            if count > 0 {
                words.push(format!(
                    "{} {}",
                    t.number(count as f64),
                    t.code("valence_short", code)
                ));
            }
        }
        format!("{}: {}", words[0], words[1..].join(", "))
    };
    let mut bar = String::from(
        r#"<svg class="balance" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">"#,
    );
    if balance.count > 0 {
        let mut x = 0.0;
        for (code, count) in parts {
            let width = 100.0 * count as f64 / balance.count as f64;
            if width > 0.0 {
                bar += &format!(
                    r#"<rect class="{code}" x="{x:.2}" y="0" width="{width:.2}" height="6"/>"#
                );
                x += width;
            }
        }
    } else {
        bar += r#"<rect class="empty" x="0" y="0" width="100" height="6"/>"#;
    }
    bar += "</svg>";
    BalanceView {
        text,
        bar: SafeHtml::from_escaped(bar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::i18n::{dutch, english};

    #[test]
    fn figures_and_balances_in_words() {
        assert_eq!(value_text(dutch(), 42.5, "%"), "42,5%");
        assert_eq!(value_text(english(), 1620.0, "personen"), "1,620 personen");
        let balance = Balance {
            count: 5,
            positive: 3,
            negative: 2,
            mixed: 0,
        };
        let view = balance_view(dutch(), &balance);
        assert_eq!(view.text, "5 verhalen: 3 positief, 2 knelpunt");
        assert_eq!(view.bar.as_str().matches("<rect").count(), 2);
    }

    #[test]
    fn percentages_round_alike_and_small_groups_show_counts_with_a_warning() {
        assert_eq!(value_text(dutch(), 68.333, "%"), "68,3%");
        assert_eq!(value_text(dutch(), 70.0, "%"), "70%");
        assert_eq!(
            share_text(dutch(), 68.333, 41.0, 60.0, "figure.few"),
            "68,3% (41 van 60)"
        );
        let few = share_text(dutch(), 80.0, 4.0, 5.0, "figure.few");
        assert!(few.starts_with("4 van 5 (te weinig"), "{few}");
        assert!(!few.contains('%'), "{few}");
        let stories = share_text(dutch(), 100.0, 1.0, 1.0, "scores.few");
        assert!(stories.contains("te weinig verhalen"), "{stories}");
    }

    #[test]
    fn progress_marks_a_reached_target_whichever_way_is_better() {
        use crate::evidence::{EvidenceFilter, Period, counted_evidence};
        let tree = crate::testing::goal_tree();
        let mut indicator = tree.indicators.first().unwrap().clone();
        let figure = |value: f64| Measurement {
            indicator: indicator.id.clone(),
            period: Period::Year(2025),
            area: None,
            value,
            numerator: None,
            denominator: None,
            source: None,
        };
        let today = jiff::civil::date(2025, 6, 1);
        let view = |indicator: &Indicator, value: f64| {
            let counted = counted_evidence(
                indicator,
                &[figure(value)],
                &EvidenceFilter::default(),
                &[],
                today,
            );
            progress_view(dutch(), indicator, &counted).unwrap()
        };
        indicator.direction = Direction::Up;
        indicator.unit = String::new();
        indicator.baseline = Some(80.0);
        indicator.target = Some(100.0);
        let over = view(&indicator, 106.0);
        assert_eq!(
            (over.class, over.text.as_str()),
            ("reached", "Doel gehaald")
        );
        assert!(over.bar.as_str().contains(r#"width="100.0""#));
        let half = view(&indicator, 90.0);
        assert_eq!(half.class, "on-the-way");
        assert!(half.text.contains("50%"), "{}", half.text);
        indicator.direction = Direction::Down;
        indicator.unit = "%".to_string();
        indicator.baseline = Some(47.5);
        indicator.target = Some(40.0);
        let fell = view(&indicator, 44.8);
        assert!(fell.text.contains("36%"), "{}", fell.text);
        assert_eq!(fell.start, "start 47,5%");
        assert_eq!(view(&indicator, 39.0).class, "reached");
        assert_eq!(view(&indicator, 50.0).class, "away");
    }

    #[test]
    fn tallies_count_changes_and_targets() {
        let tally = Tally::of([
            (Trend::Better, Some(true)),
            (Trend::Worse, Some(false)),
            (Trend::Unknown, None),
            (Trend::Same, None),
        ]);
        assert_eq!(
            (tally.indicators, tally.better, tally.worse, tally.unknown),
            (4, 1, 1, 2)
        );
        assert_eq!(tally.targets_text(dutch()), "1 van 2");
    }

    #[test]
    fn the_arrow_says_which_way_the_figure_moved_and_the_word_whether_that_is_good() {
        // Loneliness (lower is better) fell: down arrow, "beter".
        let fell = trend_view(dutch(), Trend::Better, Direction::Down, "trend");
        assert_eq!((fell.arrow, fell.class), ("▼", "better"));
        assert_eq!(fell.words(), "▼ gedaald, beter");
        // A waiting time (lower is better) rose: up arrow, "slechter".
        let rose = trend_view(dutch(), Trend::Worse, Direction::Down, "trend");
        assert_eq!((rose.arrow, rose.class), ("▲", "worse"));
        assert_eq!(rose.words(), "▲ gestegen, slechter");
        let reach = trend_view(dutch(), Trend::Worse, Direction::Up, "since_baseline");
        assert_eq!(reach.words(), "▼ gedaald, slechter dan bij de start");
        let same = trend_view(dutch(), Trend::Same, Direction::Up, "trend");
        assert_eq!((same.arrow, same.words().as_str()), ("=", "gelijk"));
        let up = trend_view(english(), Trend::Better, Direction::Up, "trend");
        assert_eq!(up.words(), "▲ risen, better");
    }
}
