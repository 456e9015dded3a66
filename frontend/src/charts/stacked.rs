//! Stacked bars: one horizontal bar per category, its segments the parts
//! that add up to it (men and women), drawn by plotters as SVG. Only
//! counts are stacked: rates and means of parts do not add up.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use shared::disclosure::Status;
use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use super::{
    element_label, focusable, font, protected, row_chart, summary, svg_figure, use_chart_width,
    value_axis_top, Datum,
};

/// Segment colours, in segment order: each with AA contrast against
/// white, and told apart from each other by lightness as well as hue.
pub const SEGMENT_COLOURS: [RGBColor; 2] = [RGBColor(0x1f, 0x5f, 0x8b), RGBColor(0xb0, 0x4a, 0x8c)];

/// Properties of [`StackedBarChart`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct StackedBarChartProps {
    /// Title, also the chart's accessible name.
    pub title: AttrValue,
    /// The segments, in stacking order: a name and one datum per category
    /// (the categories are the first segment's, in order).
    pub segments: Vec<(String, Vec<Datum>)>,
    /// Decimals of the totals.
    pub decimals: usize,
    /// File name of the chart's SVG and PNG exports, without extension.
    pub export_name: AttrValue,
    /// The `data-testid` of the figure.
    pub testid: AttrValue,
    /// Display language.
    pub lang: Lang,
}

/// A category's total: the sum of its segments (a missing one is none),
/// `None` when a segment is suppressed.
fn total(segments: &[(String, Vec<Datum>)], i: usize) -> Option<f64> {
    let mut sum = 0.0;
    for (_, data) in segments {
        match data.get(i) {
            Some(d) if d.status == Status::Suppressed => return None,
            Some(d) => sum += d.value.unwrap_or(0.0),
            None => {}
        }
    }
    Some(sum)
}

/// Renders the stacked bars to an SVG document `width` pixels wide, with
/// the segments' legend on top and each category's total after its bar.
pub fn render_svg(
    segments: &[(String, Vec<Datum>)],
    decimals: usize,
    lang: Lang,
    width: u32,
) -> Result<String, String> {
    const ROW: u32 = 24;
    const LEGEND: u32 = 28;
    let categories: Vec<String> = segments
        .first()
        .map(|(_, data)| data.iter().map(|d| d.label.clone()).collect())
        .unwrap_or_default();
    let n = categories.len().max(1);
    let height = 60 + LEGEND + ROW * n as u32;
    let row_of = |i: usize| n - 1 - i;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (legend, body) = root.split_vertically(LEGEND);
        let mut x = 12;
        for ((name, _), colour) in segments.iter().zip(SEGMENT_COLOURS) {
            legend
                .draw(&Rectangle::new([(x, 10), (x + 12, 22)], colour.filled()))
                .map_err(|e| e.to_string())?;
            let style = font().pos(Pos::new(HPos::Left, VPos::Center));
            legend
                .draw(&Text::new(name.clone(), (x + 18, 16), style))
                .map_err(|e| e.to_string())?;
            x += 30 + 8 * name.chars().count() as i32;
        }
        let top = value_axis_top((0..categories.len()).map(|i| {
            segments
                .iter()
                .filter_map(|(_, data)| data.get(i)?.value)
                .sum::<f64>()
        }));
        let mut chart = row_chart(&body, &categories, top, lang, width)?;
        for i in 0..categories.len() {
            let mut start = 0.0;
            for ((_, data), colour) in segments.iter().zip(SEGMENT_COLOURS) {
                let Some(v) = data.get(i).and_then(|d| d.value) else {
                    continue;
                };
                let mut bar = Rectangle::new(
                    [
                        (start, SegmentValue::Exact(row_of(i))),
                        (start + v, SegmentValue::Exact(row_of(i) + 1)),
                    ],
                    colour.filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                chart.draw_series([bar]).map_err(|e| e.to_string())?;
                start += v;
            }
            // The total after the bar; a bar with a protected part says so.
            let text = match total(segments, i) {
                Some(_) if start == 0.0 => continue,
                Some(sum) => format_number(sum, decimals, lang),
                None => crate::i18n::PROTECTED_PART.get(lang).to_string(),
            };
            let style = font().pos(Pos::new(HPos::Left, VPos::Center));
            chart
                .draw_series([Text::new(
                    text,
                    (start + top * 0.01, SegmentValue::CenterOf(row_of(i))),
                    style,
                )])
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Stacked bars in a `figure` with the title as its caption, redrawn when
/// the viewport crosses the phone breakpoint.
#[function_component(StackedBarChart)]
pub fn stacked_bar_chart(props: &StackedBarChartProps) -> Html {
    let width = use_chart_width();
    let svg = use_memo(
        (props.segments.clone(), props.decimals, props.lang, width),
        |(segments, decimals, lang, width)| {
            // In drawing order: category by category, its parts in turn.
            let categories = segments.first().map_or(0, |(_, data)| data.len());
            let labels: Vec<String> = (0..categories)
                .flat_map(|i| {
                    segments.iter().filter_map(move |(name, data)| {
                        let d = data.get(i).filter(|d| d.value.is_some())?;
                        Some(element_label(
                            &format!("{}, {name}", d.label),
                            d,
                            *decimals,
                            *lang,
                        ))
                    })
                })
                .collect();
            render_svg(segments, *decimals, *lang, *width)
                .map(|svg| focusable(svg, &SEGMENT_COLOURS, segments.len(), &labels))
        },
    );
    let figure = use_node_ref();
    let any_protected = props.segments.iter().any(|(_, data)| protected(data));
    svg_figure(
        (&props.title, &props.testid, &props.export_name),
        props.lang,
        &svg,
        (
            any_protected,
            Html::default(),
            summary(&props.segments, false, props.decimals, props.lang),
        ),
        figure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::bar::WIDE;

    fn segment(name: &str, values: [Option<f64>; 2]) -> (String, Vec<Datum>) {
        let data = ["Nordjylland", "Sjælland"]
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (label, v))| Datum::exact(i as u16 + 1, *label, v))
            .collect();
        (name.to_string(), data)
    }

    #[test]
    fn each_part_is_a_segment_and_each_bar_is_labelled_with_its_total() {
        let segments = vec![
            segment("Mænd", [Some(1200.0), Some(300.0)]),
            segment("Kvinder", [Some(1300.0), None]),
        ];
        let mut segments = segments;
        segments[1].1[1].status = Status::Suppressed;
        let svg = render_svg(&segments, 0, Lang::Da, WIDE).expect("renders");
        assert_eq!(
            svg.matches("fill=\"#1F5F8B\"").count(),
            3,
            "legend + 2 bars"
        );
        assert_eq!(svg.matches("fill=\"#B04A8C\"").count(), 2, "legend + 1 bar");
        assert!(svg.contains("2.500"), "the first bar's total");
        assert!(
            svg.contains("Mænd") && svg.contains("Kvinder"),
            "the legend"
        );
        assert!(
            svg.contains(crate::i18n::PROTECTED_PART.get(Lang::Da)),
            "a bar with a missing part says so instead of a total"
        );
        assert_eq!(total(&segments, 0), Some(2500.0));
        assert_eq!(total(&segments, 1), None);
    }
}
