//! A line chart of an indicator's figures as inline SVG, drawn on the server so it shows without
//! JavaScript and prints. The chart is an image with a text alternative (title and description); the
//! page puts the same figures in a table for screen readers and print.

use crate::present::i18n::Texts;
use crate::story::render::{SafeHtml, escape_html};

// A narrow drawing, so its text stays legible when a phone scales it down; the stylesheet enlarges the
// text further on small screens.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 62.0;
/// Room beside the plot for the "start" and "doel" labels, so they never sit under the data line.
const RIGHT: f64 = 58.0;
/// Room above the plot for the unit of the y axis.
const TOP: f64 = 30.0;
const BOTTOM: f64 = 36.0;
/// The least distance between the "start" and "doel" labels.
const LABEL_GAP: f64 = 20.0;

/// One point: its label on the x axis and its value.
pub struct Point {
    pub label: String,
    pub value: f64,
}

/// Draws the series with optional baseline and target lines, the unit above the y axis. `id` prefixes
/// the element ids that tie the title and description to the image.
pub fn line_chart(
    t: &Texts,
    id: &str,
    title: &str,
    unit: &str,
    points: &[Point],
    baseline: Option<f64>,
    target: Option<f64>,
) -> SafeHtml {
    let id = escape_html(id);
    let values = points.iter().map(|p| p.value).chain(baseline).chain(target);
    let (mut low, mut high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    // Counts and shares start at zero, so a small change is not drawn as a big one.
    if low >= 0.0 {
        low = 0.0;
    }
    if high <= low {
        high = low + 1.0;
    }
    let step = nice_step((high - low) / 4.0);
    low = (low / step).floor() * step;
    high = (high / step).ceil() * step;
    let steps = ((high - low) / step).round() as usize;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let x = |index: usize| {
        if points.len() <= 1 {
            LEFT + plot_width / 2.0
        } else {
            LEFT + plot_width * index as f64 / (points.len() - 1) as f64
        }
    };
    let y = |value: f64| TOP + plot_height * (1.0 - (value - low) / (high - low));

    let description = match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => t
            .get("chart.description")
            .replace("{first}", &t.number(first.value))
            .replace("{from}", &first.label)
            .replace("{last}", &t.number(last.value))
            .replace("{to}", &last.label),
        (Some(only), _) => t
            .get("chart.description_one")
            .replace("{value}", &t.number(only.value))
            .replace("{period}", &only.label),
        _ => t.get("chart.empty").to_string(),
    };
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape_html(title),
        escape_html(&description)
    );
    for tick in 0..=steps {
        let value = low + step * tick as f64;
        let at = y(value);
        svg += &format!(
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            escape_html(&t.number(value))
        );
    }
    let unit = unit.trim();
    if !unit.is_empty() {
        svg += &format!(
            r#"<text class="axis unit" x="{}" y="{}" text-anchor="start">{}</text>"#,
            4.0,
            TOP - 12.0,
            escape_html(unit)
        );
    }
    // The labels stand beside the plot, right of the lines' ends; two close together are moved apart.
    let mut labels: Vec<(&str, f64, f64, &str)> = [
        ("baseline", baseline, "chart.baseline"),
        ("target", target, "chart.target"),
    ]
    .into_iter()
    .filter_map(|(class, value, key)| value.map(|v| (class, v, y(v) + 5.0, key)))
    .collect();
    if let [first, second] = labels.as_mut_slice() {
        let gap = (first.2 - second.2).abs();
        if gap < LABEL_GAP {
            let shift = (LABEL_GAP - gap) / 2.0;
            let (upper, lower) = if first.2 <= second.2 {
                (first, second)
            } else {
                (second, first)
            };
            upper.2 -= shift;
            lower.2 += shift;
        }
    }
    for (class, value, label_y, key) in labels {
        let at = y(value);
        svg += &format!(
            r#"<line class="{class}" x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}"/><text class="{class}-label" x="{}" y="{label_y:.1}" text-anchor="start">{}</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT + 6.0,
            escape_html(t.get(key))
        );
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value)))
            .collect();
        svg += &format!(r#"<polyline class="series" points="{}"/>"#, path.join(" "));
    }
    for (index, point) in points.iter().enumerate() {
        svg += &format!(
            r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {}</title></circle>"#,
            x(index),
            y(point.value),
            escape_html(&point.label),
            escape_html(&t.number(point.value))
        );
    }
    // Period labels: first, last and, when there is room, every few in between.
    let every = points.len().div_ceil(5).max(1);
    for (index, point) in points.iter().enumerate() {
        let last = points.len() - 1;
        // Every few, and the last; a strided label too close to the last one is left out.
        if (index % every == 0 && index + every <= last) || index == last {
            // The outermost labels are anchored inwards so they are not cut off at the edges.
            let anchor = match index {
                0 if points.len() > 1 => "start",
                last if last + 1 == points.len() && points.len() > 1 => "end",
                _ => "middle",
            };
            svg += &format!(
                r#"<text class="axis" x="{:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
                x(index),
                HEIGHT - 10.0,
                escape_html(&point.label)
            );
        }
    }
    svg += "</svg>";
    SafeHtml::from_escaped(svg)
}

/// A round step near `rough`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(rough: f64) -> f64 {
    if rough.is_nan() || rough <= 0.0 || !rough.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let fraction = rough / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::i18n::dutch;

    /// An attribute of the `start` or `doel` label, as a number.
    fn label_attribute(svg: &str, class: &str, name: &str) -> f64 {
        let rest = &svg[svg.find(&format!(r#"class="{class}-label""#)).unwrap()..];
        let start = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = start + rest[start..].find('"').unwrap();
        rest[start..end].parse().unwrap()
    }

    #[test]
    fn draws_points_lines_and_a_text_alternative() {
        let points = vec![
            Point {
                label: "2025 K1".to_string(),
                value: 120.0,
            },
            Point {
                label: "2025 K2".to_string(),
                value: 150.5,
            },
        ];
        let svg = line_chart(
            dutch(),
            "c1",
            "Bezoekers <koffie>",
            "personen",
            &points,
            Some(100.0),
            Some(200.0),
        );
        let svg = svg.as_str();
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("Bezoekers &lt;koffie&gt;"));
        assert!(svg.contains("<polyline"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(r#"class="target""#) && svg.contains(r#"class="baseline""#));
        assert!(svg.contains("150,5"), "{svg}");
        assert!(
            svg.contains(">200</text>") && svg.contains(">50</text>"),
            "round ticks: {svg}"
        );
        // The unit stands above the y axis; "start" and "doel" beside the plot, right of the data.
        assert!(svg.contains(r#"class="axis unit""#) && svg.contains(">personen</text>"));
        let label_x = |class: &str| label_attribute(svg, class, "x");
        assert!(label_x("target") > WIDTH - RIGHT && label_x("baseline") > WIDTH - RIGHT);
        let empty = line_chart(dutch(), "c2", "Leeg", "", &[], None, None);
        assert!(!empty.as_str().contains("<polyline"));
        assert!(!empty.as_str().contains("unit"));
    }

    #[test]
    fn close_start_and_target_labels_are_moved_apart() {
        let points = vec![Point {
            label: "2025".to_string(),
            value: 50.0,
        }];
        let svg = line_chart(dutch(), "c3", "Dicht", "%", &points, Some(40.0), Some(41.0));
        let svg = svg.as_str();
        let label_y = |class: &str| label_attribute(svg, class, "y");
        assert!((label_y("target") - label_y("baseline")).abs() >= LABEL_GAP - 0.1);
    }
}
