//! A vertical bar chart with value labels, drawn by plotters as SVG.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use super::{
    category_chart, draw_value_labels, element_label, focusable, font, protected, row_chart,
    summary, svg_figure, use_chart_width, value_axis_top, value_label, with_halo, Datum,
};

/// Properties of [`BarChart`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct BarChartProps {
    /// Title, also the chart's accessible name.
    pub title: AttrValue,
    /// Bars.
    pub data: Vec<Datum>,
    /// The key of a bar drawn in the highlight colour: the selected area.
    #[prop_or_default]
    pub highlight: Option<u16>,
    /// Decimals of the value labels.
    pub decimals: usize,
    /// File name of the chart's SVG and PNG exports, without extension.
    #[prop_or(AttrValue::Static("tvaers-chart"))]
    pub export_name: AttrValue,
    /// The `data-testid` of the figure.
    #[prop_or(AttrValue::Static("region-chart"))]
    pub testid: AttrValue,
    /// A value to compare every bar with, drawn as a line across the
    /// chart and named under it, e.g. ("Hele landet", 7123.5).
    #[prop_or_default]
    pub reference: Option<(AttrValue, f64)>,
    /// Display language.
    pub lang: Lang,
}

/// eSundhed-like blue, with AA contrast against white for labels.
const BAR: RGBColor = RGBColor(0x1f, 0x5f, 0x8b);
/// The selected area's bar: dark orange, AA contrast against white.
const HIGHLIGHT: RGBColor = RGBColor(0xa8, 0x4a, 0x00);

/// Above this many categories, bars are drawn horizontally so that every
/// category label stays readable.
const MAX_VERTICAL_BARS: usize = 8;
/// The chart's width on a wide screen.
pub const WIDE: u32 = 640;
/// The chart's width on a phone: drawn at the size it is shown, so text
/// is not scaled down.
pub const NARROW: u32 = 340;

/// Renders the bars to an SVG document `width` pixels wide: vertical bars
/// for a few categories with short labels on a wide screen, horizontal
/// bars (one row each, first on top) for many categories, long labels
/// (product names) or a narrow screen.
pub fn render_svg(
    data: &[Datum],
    (highlight, reference): (Option<u16>, Option<&(AttrValue, f64)>),
    decimals: usize,
    lang: Lang,
    width: u32,
) -> Result<String, String> {
    let reference = reference.map(|(label, value)| (label.as_str(), *value));
    // A label wider than its share of the axis would overlap the next.
    let share = 560 / data.len().max(1);
    let long = data.iter().any(|d| d.label.chars().count() * 7 > share);
    let svg = if data.len() > MAX_VERTICAL_BARS || width < WIDE || long {
        render_horizontal(data, (highlight, reference), decimals, lang, width)
    } else {
        render_vertical(data, (highlight, reference), decimals, lang)
    }?;
    Ok(with_halo(svg))
}

/// Height of the band under horizontal bars that names the reference
/// line, clear of the bars and their labels.
const LEGEND_BAND: u32 = 20;

/// The reference line's colour: the text colour, drawn dashed-looking
/// thin over the bars.
const REFERENCE: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// The colour of a bar.
fn bar_colour(datum: &Datum, highlight: Option<u16>) -> RGBColor {
    if highlight == Some(datum.key) {
        HIGHLIGHT
    } else {
        BAR
    }
}

fn render_vertical(
    data: &[Datum],
    (highlight, reference): (Option<u16>, Option<(&str, f64)>),
    decimals: usize,
    lang: Lang,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDE, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = value_axis_top(
            data.iter()
                .filter_map(|d| d.value)
                .chain(reference.map(|r| r.1)),
        );
        let n = data.len().max(1);
        let labels: Vec<String> = data.iter().map(|d| d.label.clone()).collect();
        let mut chart = category_chart(&root, &labels, top, lang)?;
        // A fifth of each category's width on either side of its bar.
        let gap = (f64::from(chart.plotting_area().dim_in_pixel().0) / n as f64 * 0.2) as u32;
        chart
            .draw_series(data.iter().enumerate().filter_map(|(i, d)| {
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), d.value?),
                    ],
                    bar_colour(d, highlight).filled(),
                );
                bar.set_margin(0, 0, gap, gap);
                Some(bar)
            }))
            .map_err(|e| e.to_string())?;
        if let Some((label, v)) = reference {
            chart
                .draw_series(LineSeries::new(
                    [(SegmentValue::Exact(0), v), (SegmentValue::Exact(n), v)],
                    REFERENCE.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            // Named in the top left corner, clear of the bars' labels.
            let style = font().pos(Pos::new(HPos::Left, VPos::Top));
            chart
                .draw_series([Text::new(
                    format!("\u{2015} {label}"),
                    (SegmentValue::Exact(0), top),
                    style,
                )])
                .map_err(|e| e.to_string())?;
        }
        // Over the line.
        draw_value_labels(&mut chart, data, (decimals, lang), 0.01)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn render_horizontal(
    data: &[Datum],
    (highlight, reference): (Option<u16>, Option<(&str, f64)>),
    decimals: usize,
    lang: Lang,
    width: u32,
) -> Result<String, String> {
    const ROW: u32 = 24;
    let n = data.len();
    let band = if reference.is_some() { LEGEND_BAND } else { 0 };
    let height = 60 + ROW * n as u32 + band;
    // Rows are drawn bottom-up; reverse so the first category is on top.
    let row_of = |i: usize| n - 1 - i;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = value_axis_top(
            data.iter()
                .filter_map(|d| d.value)
                .chain(reference.map(|r| r.1)),
        );
        let labels: Vec<String> = data.iter().map(|d| d.label.clone()).collect();
        let (plot, legend) = root.split_vertically(height - band);
        let mut chart = row_chart(&plot, &labels, top, lang, width)?;
        chart
            .draw_series(data.iter().enumerate().filter_map(|(i, d)| {
                let row = row_of(i);
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row)),
                        (d.value?, SegmentValue::Exact(row + 1)),
                    ],
                    bar_colour(d, highlight).filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                Some(bar)
            }))
            .map_err(|e| e.to_string())?;
        if let Some((label, v)) = reference {
            chart
                .draw_series(LineSeries::new(
                    [(v, SegmentValue::Exact(0)), (v, SegmentValue::Exact(n))],
                    REFERENCE.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            // Named in a band of its own under the chart, at the right.
            let style = font().pos(Pos::new(HPos::Right, VPos::Center));
            legend
                .draw(&Text::new(
                    format!("\u{2015} {label}"),
                    ((width - 12) as i32, (band / 2) as i32),
                    style,
                ))
                .map_err(|e| e.to_string())?;
        }
        // Over the line.
        let label_style = font().pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(data.iter().enumerate().filter_map(|(i, d)| {
                let (text, v) = value_label(d, decimals, lang)?;
                Some(Text::new(
                    text,
                    (v + top * 0.01, SegmentValue::CenterOf(row_of(i))),
                    label_style.clone(),
                ))
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// [`NARROW`] on a phone-sized viewport, else [`WIDE`].
pub(super) fn chart_width() -> u32 {
    let viewport = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .unwrap_or(f64::from(WIDE));
    if viewport < 700.0 {
        NARROW
    } else {
        WIDE
    }
}

/// A bar chart in a `figure` with the title as its caption. It is redrawn
/// when the viewport crosses the phone breakpoint.
#[function_component(BarChart)]
pub fn bar_chart(props: &BarChartProps) -> Html {
    let width = use_chart_width();
    let svg = use_memo(
        (
            props.data.clone(),
            props.highlight,
            props.reference.clone(),
            props.decimals,
            props.lang,
            width,
        ),
        |(data, highlight, reference, decimals, lang, width)| {
            let labels: Vec<String> = data
                .iter()
                .filter(|d| d.value.is_some())
                .map(|d| element_label(&d.label, d, *decimals, *lang))
                .collect();
            render_svg(
                data,
                (*highlight, reference.as_ref()),
                *decimals,
                *lang,
                *width,
            )
            .map(|svg| focusable(svg, &[BAR, HIGHLIGHT], 0, &labels))
        },
    );
    let figure = use_node_ref();
    let reference = props.reference.as_ref().map(|(label, value)| {
        let shown = format_number(*value, props.decimals, props.lang);
        html! {
            <p class="reference" data-testid="reference" data-value={value.to_string()}>
                <span class="reference-line" aria-hidden="true"></span>
                { format!("{label}: {shown}") }
            </p>
        }
    });
    svg_figure(
        (&props.title, &props.testid, &props.export_name),
        props.lang,
        &svg,
        (
            protected(&props.data),
            reference.unwrap_or_default(),
            summary(
                &[(String::new(), props.data.clone())],
                false,
                props.decimals,
                props.lang,
            ),
        ),
        figure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_a_bar_and_a_danish_label_per_value() {
        let data = vec![
            Datum::exact(1, "Nordjylland", Some(7123.46)),
            Datum::exact(2, "Sjælland", None),
            Datum::exact(3, "Syddanmark", Some(6000.0)),
        ];
        let svg = render_svg(&data, (None, None), 1, Lang::Da, WIDE).expect("renders");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("7.123,5"), "Danish value label");
        assert!(svg.contains("6.000,0"));
        assert!(svg.contains("Nordjylland"));
        assert_eq!(
            svg.matches("fill=\"#1F5F8B\"").count(),
            2,
            "one bar per value"
        );
        // The selected area's bar stands out, horizontal bars too.
        for width in [WIDE, NARROW] {
            let svg = render_svg(&data, (Some(3), None), 1, Lang::Da, width).expect("renders");
            assert_eq!(svg.matches("fill=\"#1F5F8B\"").count(), 1);
            assert_eq!(svg.matches("fill=\"#A84A00\"").count(), 1);
        }
    }

    #[test]
    fn the_reference_line_is_drawn_and_named() {
        let data = vec![
            Datum::exact(1, "Nordjylland", Some(10.0)),
            Datum::exact(2, "Sjælland", Some(20.0)),
        ];
        let reference = (AttrValue::from("Hele landet"), 90.0);
        for width in [WIDE, NARROW] {
            let without = render_svg(&data, (None, None), 0, Lang::Da, width).expect("renders");
            let with =
                render_svg(&data, (None, Some(&reference)), 0, Lang::Da, width).expect("renders");
            assert!(!without.contains("Hele landet"));
            assert!(with.contains("Hele landet"), "the line is named");
            let line = "stroke=\"#222222\" stroke-width=\"2\"";
            assert!(with.contains(line), "the line is drawn");
            assert!(!without.contains(line));
            // The value labels come after the line, so they are drawn
            // over it, each on a white outline of itself.
            let drawn = with.find(line).expect("the line");
            for value in [">\n10\n</text>", ">\n20\n</text>"] {
                assert!(with.rfind(value).expect("a value label") > drawn, "{value}");
            }
            assert_eq!(
                with.matches("<text ").count(),
                with.matches("<text stroke=\"#FFFFFF\"").count(),
            );
        }
        // Horizontal bars name the line in a band under the axis, below
        // every other text: never on a bar's label.
        let with =
            render_svg(&data, (None, Some(&reference)), 0, Lang::Da, NARROW).expect("renders");
        let y_of = |text: &str| -> i32 {
            let end = with.find(text).expect("drawn");
            let start = with[..end].rfind("<text ").expect("a text element");
            let y = &with[start..end];
            let y = &y[y.find(" y=\"").expect("y") + 4..];
            y[..y.find('"').expect("closed")].parse().expect("a number")
        };
        let legend = y_of("\u{2015} Hele landet");
        for other in ["Nordjylland", ">\n10\n", ">\n20\n", ">\n0\n"] {
            assert!(
                legend > y_of(other) + 12,
                "{other} at {}, the legend at {legend}",
                y_of(other)
            );
        }
    }

    #[test]
    fn a_suppressed_value_draws_no_bar_and_says_it_is_protected() {
        let mut data = vec![
            Datum::exact(1, "Læsø", None),
            Datum::exact(2, "Aarhus", Some(35.0)),
        ];
        data[0].status = shared::disclosure::Status::Suppressed;
        data[1].status = shared::disclosure::Status::Perturbed;
        for width in [WIDE, NARROW] {
            let svg = render_svg(&data, (None, None), 0, Lang::Da, width).expect("renders");
            assert_eq!(svg.matches("fill=\"#1F5F8B\"").count(), 1, "one bar");
            assert_eq!(
                svg.matches("beskyttet").count(),
                1,
                "the protected value is named"
            );
        }
        assert!(protected(&data));
        assert!(!protected(&[Datum::exact(1, "Aarhus", Some(35.0))]));
    }
}
