//! Charts drawn with plotters into SVG. Components hand them typed series;
//! charts never see tiles. The pieces the plotters charts share are here:
//! colours, font, the value axis, the categories-along-x chart, and the
//! `figure` that shows a drawn chart with its caption and export buttons.

pub mod bar;
pub mod funnel;
pub mod line;
pub mod map;
pub mod stacked;

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;
use shared::disclosure::Status;
use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use crate::components::chart_export::ChartExport;

/// Text and axes.
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grid lines.
const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);

/// Labels and axis text.
fn font() -> TextStyle<'static> {
    TextStyle::from(("sans-serif", 13).into_font()).color(&INK)
}

/// The value axis runs to a bit above the largest value, for the labels.
fn value_axis_top(values: impl IntoIterator<Item = f64>) -> f64 {
    let max = values.into_iter().fold(0.0_f64, f64::max);
    if max > 0.0 {
        max * 1.18
    } else {
        1.0
    }
}

/// A chart with `labels` as categories along x and values from 0 to `top`
/// up y.
type CategoryChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordf64>>;

/// Builds a [`CategoryChart`] on `root` and draws its axes and grid.
fn category_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    labels: &[String],
    top: f64,
    lang: Lang,
) -> Result<CategoryChart<'a, 'b>, String> {
    let n = labels.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        // An integer range is inclusive in plotters' segmented
        // coordinates: 0..n-1 gives exactly n segments.
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .x_labels(n)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| format_number(*y, 0, lang))
        .label_style(font())
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// A chart with values from 0 to `top` along x and categories as rows
/// (the first on top).
type RowChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

/// Builds a [`RowChart`] `width` pixels wide on `root` with `labels` as
/// its rows, and draws its axes and grid. Row `i` of the labels is drawn
/// at segment `labels.len() - 1 - i`.
fn row_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    labels: &[String],
    top: f64,
    lang: Lang,
    width: u32,
) -> Result<RowChart<'a, 'b>, String> {
    let n = labels.len().max(1);
    let narrow = width < bar::WIDE;
    // The label area fits the longest label, up to about two fifths of
    // the chart; a longer label is shortened with "…" (the table twin has
    // it whole).
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
    let (least, most) = if narrow { (80, 130) } else { (110, 260) };
    let area = (longest * LABEL_CHAR_PX + 12).clamp(least, most);
    let fits = ((area - 12) / LABEL_CHAR_PX) as usize;
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(area)
        .build_cartesian_2d(0.0..top, (0..n - 1).into_segmented())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(row) => labels
                .get(n - 1 - *row)
                .map(|l| shortened(l, fits))
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|x| format_number(*x, 0, lang))
        .x_labels(if narrow { 3 } else { 5 })
        .label_style(font())
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// Pixels per character of a label, a generous average of the chart font.
const LABEL_CHAR_PX: u32 = 7;

/// `label` cut to `fits` characters, the last of them "…", if longer.
fn shortened(label: &str, fits: usize) -> String {
    if label.chars().count() <= fits {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(fits.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The width a chart is drawn at ([`bar::NARROW`] on a phone-sized
/// viewport, else [`bar::WIDE`]), updated when the viewport crosses the
/// breakpoint.
#[hook]
fn use_chart_width() -> u32 {
    // `use_state_eq` compares with the current value, so the listener
    // (which holds the first render's handle) triggers a redraw only when
    // the breakpoint is crossed.
    let width = use_state_eq(bar::chart_width);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "resize", move |_| {
                    width.set(bar::chart_width())
                })
            });
            move || drop(listener)
        });
    }
    *width
}

/// Draws the legend of a chart's labelled series at `position`.
fn draw_legend<'a, 'b: 'a, CT>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String>
where
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font(font())
        .draw()
        .map_err(|e| e.to_string())
}

/// Labels each value of `data` above its category, `lift` (a share of
/// the axis) above the value.
fn draw_value_labels(
    chart: &mut CategoryChart<'_, '_>,
    data: &[Datum],
    (decimals, lang): (usize, Lang),
    lift: f64,
) -> Result<(), String> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let top = chart.y_range().end;
    let style = font().pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series(data.iter().enumerate().filter_map(|(i, d)| {
            let (text, v) = value_label(d, decimals, lang)?;
            Some(Text::new(
                text,
                (SegmentValue::CenterOf(i), v + top * lift),
                style.clone(),
            ))
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The SVG with every text drawn over a thin white outline of itself, so
/// that a line drawn before the value labels (the country's reference
/// line over bars, the country's series in a line chart) never runs
/// through one (attributes, not a style sheet: the page's content
/// security policy, and the exported file, keep them).
fn with_halo(svg: String) -> String {
    svg.replace(
        "<text ",
        "<text stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\" ",
    )
}

/// The label of a datum and where it stands: its value, or "beskyttet"
/// at the axis for a suppressed one (no bar, and never a zero).
fn value_label(d: &Datum, decimals: usize, lang: Lang) -> Option<(String, f64)> {
    match (d.status, d.value) {
        (Status::Suppressed, _) => Some((d.status.label().get(lang).to_string(), 0.0)),
        (_, Some(v)) => Some((format_number(v, decimals, lang), v)),
        (_, None) => None,
    }
}

/// Whether any datum is not exact (the chart then says so under it).
fn protected(data: &[Datum]) -> bool {
    data.iter().any(|d| d.status != Status::Exact)
}

/// A drawn chart in a `figure`: the title as caption and accessible name,
/// the SVG (or why it could not be drawn), and the export buttons.
fn svg_figure(
    (title, testid, export_name): (&AttrValue, &AttrValue, &AttrValue),
    lang: Lang,
    svg: &Result<String, String>,
    (protected, under, summary): (bool, Html, String),
    figure: NodeRef,
) -> Html {
    let summary_id = format!("{testid}-summary");
    let bars = svg
        .as_ref()
        .map_or(0, |svg| svg.matches("data-bar=").count());
    html! {
        <figure class="chart" data-testid={testid.clone()} ref={figure.clone()}>
            <figcaption>{ title.clone() }</figcaption>
            <div class="chart-svg" role="img" aria-label={title.clone()}
                aria-describedby={summary_id.clone()} data-bars={bars.to_string()}
                onkeydown={Callback::from(move_between_bars)}>
                { match svg {
                    Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
                    Err(e) => html! { <p class="error">{ e.clone() }</p> },
                } }
            </div>
            { under }
            <p class="chart-summary" id={summary_id} data-testid="chart-summary">{ summary }</p>
            if protected {
                <p class="protection-note" data-testid="protection-note">{ crate::i18n::PROTECTION_NOTE.get(lang) }</p>
            }
            <ChartExport target={figure} name={export_name.clone()} {lang} />
        </figure>
    }
}

/// Makes the rectangles of a chart drawn in one of `fills` keyboard
/// elements, in drawing order, after skipping the first `skip` of them (a
/// legend's swatches): each gets `labels[i]` as its `title` (its
/// accessible name and tooltip), the first is the chart's one Tab stop, and the arrow keys move
/// between them ([`move_between_bars`]).
fn focusable(svg: String, fills: &[RGBColor], skip: usize, labels: &[String]) -> String {
    let fills: Vec<String> = fills
        .iter()
        .map(|RGBColor(r, g, b)| format!("fill=\"#{r:02X}{g:02X}{b:02X}\""))
        .collect();
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = String::with_capacity(svg.len() + labels.len() * 96);
    let mut rest = svg.as_str();
    let mut matched: usize = 0;
    while let Some(at) = rest.find("<rect ") {
        let Some(end) = rest[at..].find("/>").map(|e| at + e) else {
            break;
        };
        out.push_str(&rest[..at]);
        let attributes = &rest[at + "<rect ".len()..end];
        let label = fills
            .iter()
            .any(|f| attributes.contains(f.as_str()))
            .then(|| {
                matched += 1;
                (matched - 1).checked_sub(skip)
            })
            .flatten()
            .and_then(|i| Some((i, labels.get(i)?)));
        match label {
            Some((i, label)) => {
                let label = escape(label);
                let stop = if i == 0 { 0 } else { -1 };
                out.push_str(&format!(
                    "<rect data-bar=\"{i}\" tabindex=\"{stop}\" role=\"img\" {attributes}><title>{label}</title></rect>"
                ));
            }
            None => out.push_str(&rest[at..end + 2]),
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The accessible name of a chart element: `name` and the datum's value
/// as shown, with its status when it is not exact.
fn element_label(name: &str, d: &Datum, decimals: usize, lang: Lang) -> String {
    let value = d
        .value
        .map_or_else(String::new, |v| format_number(v, decimals, lang));
    match d.status {
        Status::Exact => format!("{name}: {value}"),
        status => format!("{name}: {value} ({})", status.label().get(lang)),
    }
}

/// Moves the keyboard focus between a chart's elements (see
/// [`focusable`]): the arrow keys to the next or previous, Home and End
/// to the first or last; the focused one becomes the chart's Tab stop.
fn move_between_bars(e: KeyboardEvent) {
    use wasm_bindgen::JsCast;
    // Yew delegates events to the application's root, so the chart is
    // found from the element the key was pressed on.
    let Some(target) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(Some(chart)) = target.closest(".chart-svg") else {
        return;
    };
    let number = |element: &web_sys::Element, name: &str| {
        element
            .get_attribute(name)
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (Some(at), Some(count)) = (number(&target, "data-bar"), number(&chart, "data-bars")) else {
        return;
    };
    let next = match e.key().as_str() {
        "ArrowRight" | "ArrowDown" => (at + 1).min(count.saturating_sub(1)),
        "ArrowLeft" | "ArrowUp" => at.saturating_sub(1),
        "Home" => 0,
        "End" => count.saturating_sub(1),
        _ => return,
    };
    e.prevent_default();
    let Ok(Some(element)) = chart.query_selector(&format!("[data-bar=\"{next}\"]")) else {
        return;
    };
    let _ = target.set_attribute("tabindex", "-1");
    let _ = element.set_attribute("tabindex", "0");
    if let Ok(element) = element.dyn_into::<web_sys::SvgElement>() {
        let _ = element.focus();
    }
}

/// What a chart shows, in words: for each named series (the name may be
/// empty), its highest and lowest category, or for a development over
/// time its first and last value; and how many values are protected.
pub fn summary(
    series: &[(String, Vec<Datum>)],
    over_time: bool,
    decimals: usize,
    lang: Lang,
) -> String {
    let number = |v: f64| format_number(v, decimals, lang);
    let mut parts = Vec::new();
    for (name, data) in series {
        let shown: Vec<(&Datum, f64)> = data.iter().filter_map(|d| Some((d, d.value?))).collect();
        let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
            continue;
        };
        let text = if over_time {
            match lang {
                Lang::Da => format!(
                    "{} i {}, {} i {}",
                    number(first.1),
                    first.0.label,
                    number(last.1),
                    last.0.label
                ),
                Lang::En => format!(
                    "{} in {}, {} in {}",
                    number(first.1),
                    first.0.label,
                    number(last.1),
                    last.0.label
                ),
            }
        } else {
            let by_value = |a: &&(&Datum, f64), b: &&(&Datum, f64)| a.1.total_cmp(&b.1);
            let high = shown.iter().max_by(by_value).unwrap_or(first);
            let low = shown.iter().min_by(by_value).unwrap_or(first);
            match lang {
                Lang::Da => format!(
                    "højest {} ({}), lavest {} ({})",
                    high.0.label,
                    number(high.1),
                    low.0.label,
                    number(low.1)
                ),
                Lang::En => format!(
                    "highest {} ({}), lowest {} ({})",
                    high.0.label,
                    number(high.1),
                    low.0.label,
                    number(low.1)
                ),
            }
        };
        parts.push(if name.is_empty() {
            text
        } else {
            format!("{name}: {text}")
        });
    }
    let protected = series
        .iter()
        .flat_map(|(_, data)| data)
        .filter(|d| d.status == Status::Suppressed)
        .count();
    let mut text = parts.join(". ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    if !text.is_empty() {
        text.push('.');
    }
    if protected > 0 {
        text.push_str(&match (lang, protected) {
            (Lang::Da, 1) => " 1 værdi er beskyttet.".to_string(),
            (Lang::Da, n) => format!(" {n} værdier er beskyttet."),
            (Lang::En, 1) => " 1 value is protected.".to_string(),
            (Lang::En, n) => format!(" {n} values are protected."),
        });
    }
    text.trim().to_string()
}

/// One labelled value of a chart series; `None` draws no bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Datum {
    /// Stable key of the category (e.g. the region code).
    pub key: u16,
    /// Category label.
    pub label: String,
    /// The value (`None` when there is none or it is suppressed).
    pub value: Option<f64>,
    /// Exact, perturbed or suppressed (see `shared::disclosure`).
    pub status: Status,
}

impl Datum {
    /// An exact datum.
    pub fn exact(key: u16, label: impl Into<String>, value: Option<f64>) -> Datum {
        Datum {
            key,
            label: label.into(),
            value,
            status: Status::Exact,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened_to_the_space_they_have() {
        assert_eq!(shortened("Kredsløbet", 20), "Kredsløbet");
        assert_eq!(shortened("Kredsløbet", 10), "Kredsløbet");
        assert_eq!(shortened("Åndedrætsorganerne", 6), "Ånded…");
        assert_eq!(shortened("Øjet", 0), "…");
    }

    #[test]
    fn the_summary_names_the_extremes_or_the_development_and_counts_protected_values() {
        let mut data = vec![
            Datum::exact(1, "Nordjylland", Some(7123.46)),
            Datum::exact(2, "Sjælland", Some(6000.0)),
            Datum::exact(3, "Læsø", None),
        ];
        data[2].status = Status::Suppressed;
        let series = [(String::new(), data)];
        assert_eq!(
            summary(&series, false, 1, Lang::Da),
            "Højest Nordjylland (7.123,5), lavest Sjælland (6.000,0). 1 værdi er beskyttet."
        );
        let years = [(
            "Aarhus".to_string(),
            vec![
                Datum::exact(2023, "2023", Some(10.0)),
                Datum::exact(2024, "2024", Some(12.5)),
            ],
        )];
        assert_eq!(
            summary(&years, true, 1, Lang::En),
            "Aarhus: 10.0 in 2023, 12.5 in 2024."
        );
        assert_eq!(summary(&[], false, 0, Lang::Da), "");
    }

    #[test]
    fn bars_of_the_given_colours_become_keyboard_elements_in_order() {
        let blue = RGBColor(0x1f, 0x5f, 0x8b);
        let svg = concat!(
            "<svg><rect x=\"0\" fill=\"#1F5F8B\"/>",
            "<rect x=\"1\" fill=\"#FFFFFF\"/>",
            "<rect x=\"2\" fill=\"#1F5F8B\"/>",
            "<rect x=\"3\" fill=\"#1F5F8B\"/></svg>"
        )
        .to_string();
        let labels = ["A & B: 1".to_string(), "C: 2".to_string()];
        let out = focusable(svg, &[blue], 1, &labels);
        assert_eq!(
            out,
            concat!(
                "<svg><rect x=\"0\" fill=\"#1F5F8B\"/>",
                "<rect x=\"1\" fill=\"#FFFFFF\"/>",
                "<rect data-bar=\"0\" tabindex=\"0\" role=\"img\" ",
                "x=\"2\" fill=\"#1F5F8B\"><title>A &amp; B: 1</title></rect>",
                "<rect data-bar=\"1\" tabindex=\"-1\" role=\"img\" ",
                "x=\"3\" fill=\"#1F5F8B\"><title>C: 2</title></rect></svg>"
            )
        );
    }
}
