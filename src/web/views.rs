//! View helpers shared by pages: figures with their unit, trends, signals and valence balances turned
//! into words and small pictures in the visitor's language.

use super::i18n::Texts;
use crate::bank::Balance;
use crate::evidence::{Measurement, Signal, Trend};
use crate::goals::Indicator;
use crate::municipality::Municipality;
use crate::story::render::SafeHtml;

/// A figure with its unit: "162 personen", "42,5%".
pub fn value_text(t: &Texts, value: f64, unit: &str) -> String {
    let number = t.number(value);
    match unit.trim() {
        "" => number,
        "%" => format!("{number}%"),
        unit => format!("{number} {unit}"),
    }
}

/// A measurement's value, with numerator and denominator when it is a share.
pub fn measurement_text(t: &Texts, measurement: &Measurement, indicator: &Indicator) -> String {
    let value = value_text(t, measurement.value, &indicator.unit);
    match (measurement.numerator, measurement.denominator) {
        (Some(numerator), Some(denominator)) => format!(
            "{value} ({})",
            t.get("figure.of")
                .replace("{n}", &t.number(numerator))
                .replace("{d}", &t.number(denominator))
        ),
        _ => value,
    }
}

pub struct TrendView {
    pub class: &'static str,
    pub arrow: &'static str,
    pub text: String,
}

pub fn trend_view(t: &Texts, trend: Trend, key: &str) -> TrendView {
    let arrow = match trend {
        Trend::Better => "▲",
        Trend::Worse => "▼",
        Trend::Same => "■",
        Trend::Unknown => "–",
    };
    TrendView {
        class: trend.code(),
        arrow,
        text: t.code(key, trend.code()),
    }
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
    use crate::web::i18n::{dutch, english};

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
}
