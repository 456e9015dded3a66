//! A funnel plot, drawn by plotters as SVG: each practice's value against
//! its number of listed patients, the national value as a line, and the
//! exact 95 % and 99.8 % control limits around it (`shared::funnel`),
//! computed here in the browser for the current filter.

use plotters::prelude::*;
use shared::funnel::{funnel_limits, Model};
use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use super::{draw_legend, font, svg_figure, GRID, INK};
use crate::i18n;

/// One practice in the funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelPoint {
    /// Its label (named, or anonymous).
    pub label: String,
    /// The count (patients or DDD).
    pub x: u64,
    /// Its listed patients.
    pub n: u64,
    /// Whether it is the practice the page is about.
    pub highlight: bool,
}

/// Dots.
const DOT: RGBColor = RGBColor(0x1f, 0x5f, 0x8b);
/// The highlighted practice (AA against white, and larger).
const OWN: RGBColor = RGBColor(0xb3, 0x41, 0x00);
/// The 95 % limits.
const INNER: RGBColor = RGBColor(0x6a, 0x8f, 0xaf);
/// The 99.8 % limits.
const OUTER: RGBColor = RGBColor(0x55, 0x55, 0x55);
const WIDTH: u32 = 640;
const HEIGHT: u32 = 380;
/// Points along n at which the limits are drawn.
const STEPS: usize = 48;

/// The limits `[99.8 low, 95 low, 95 high, 99.8 high]` at `STEPS` values
/// of n from `from` to `to`, spaced evenly on a log scale, times `factor`.
pub fn limit_curves(
    model: Model,
    theta: f64,
    (from, to): (u64, u64),
    factor: f64,
) -> Vec<(u64, [f64; 4])> {
    let (from, to) = (from.max(1) as f64, to.max(from.max(1) + 1) as f64);
    let mut out: Vec<(u64, [f64; 4])> = Vec::with_capacity(STEPS);
    for i in 0..STEPS {
        let n = (from * (to / from).powf(i as f64 / (STEPS - 1) as f64)).round() as u64;
        if out.last().is_some_and(|(m, _)| *m == n) {
            continue;
        }
        if let Some(limits) = funnel_limits(model, n, theta) {
            out.push((n, limits.map(|l| l * factor)));
        }
    }
    out
}

/// Renders the funnel to an SVG document.
pub fn render_svg(
    points: &[FunnelPoint],
    (model, theta, factor): (Model, f64, f64),
    decimals: usize,
    lang: Lang,
) -> Result<String, String> {
    let max_n = points.iter().map(|p| p.n).max().unwrap_or(1).max(1);
    let min_n = points
        .iter()
        .map(|p| p.n)
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(1);
    let right = max_n as f64 * 1.08;
    let curves = limit_curves(model, theta, ((min_n / 2).max(1), right as u64), factor);
    let values = points
        .iter()
        .filter(|p| p.n > 0)
        .map(|p| p.x as f64 / p.n as f64 * factor);
    // The axis shows every practice and the limits where practices are.
    let top = values
        .chain(
            curves
                .iter()
                .filter(|(n, _)| *n >= min_n)
                .map(|(_, l)| l[3]),
        )
        .chain([theta * factor])
        .fold(0.0_f64, f64::max)
        * 1.12;
    let top = if top > 0.0 { top } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..right, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .x_desc(i18n::LISTED_PATIENTS.get(lang))
            .x_label_formatter(&|x| format_number(*x, 0, lang))
            .y_label_formatter(&|y| format_number(*y, decimals.min(1), lang))
            .label_style(font())
            .axis_desc_style(font())
            .draw()
            .map_err(|e| e.to_string())?;
        let clip = |v: f64| v.min(top);
        for (i, (colour, name)) in [
            (OUTER, i18n::LIMITS_998.get(lang)),
            (INNER, i18n::LIMITS_95.get(lang)),
        ]
        .into_iter()
        .enumerate()
        {
            let (low, high) = if i == 0 { (0, 3) } else { (1, 2) };
            let width = if i == 0 { 1 } else { 2 };
            for (j, side) in [low, high].into_iter().enumerate() {
                let line = curves.iter().map(|(n, l)| (*n as f64, clip(l[side])));
                let series = chart
                    .draw_series(DashedLineSeries::new(
                        line,
                        if i == 0 { 4 } else { 8 },
                        4,
                        colour.stroke_width(width),
                    ))
                    .map_err(|e| e.to_string())?;
                if j == 0 {
                    series.label(name).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(width))
                    });
                }
            }
        }
        chart
            .draw_series(LineSeries::new(
                [(0.0, theta * factor), (right, theta * factor)],
                INK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?
            .label(i18n::WHOLE_COUNTRY.get(lang))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], INK.stroke_width(1)));
        let dots = points.iter().filter(|p| p.n > 0).map(|p| {
            let at = (p.n as f64, p.x as f64 / p.n as f64 * factor);
            if p.highlight {
                Circle::new(at, 7, OWN.filled())
            } else {
                Circle::new(at, 4, DOT.filled())
            }
        });
        chart.draw_series(dots).map_err(|e| e.to_string())?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Properties of [`FunnelChart`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct FunnelChartProps {
    /// Title, also the chart's accessible name.
    pub title: AttrValue,
    /// The practices.
    pub points: Vec<FunnelPoint>,
    /// How the count varies by chance.
    pub model: Model,
    /// The national value per person.
    pub theta: f64,
    /// The scale's factor (1,000 for per 1,000).
    pub factor: f64,
    /// Decimals of the values.
    pub decimals: usize,
    /// A sentence saying what the plot shows, under it.
    pub summary: AttrValue,
    /// Display language.
    pub lang: Lang,
    /// The `data-testid` of the figure.
    pub testid: AttrValue,
    /// File name of the chart's exports, without extension.
    pub export_name: AttrValue,
}

/// A funnel plot in a `figure` with the title as its caption.
#[function_component(FunnelChart)]
pub fn funnel_chart(props: &FunnelChartProps) -> Html {
    let svg = use_memo(
        (
            props.points.clone(),
            props.model,
            props.theta.to_bits(),
            props.factor.to_bits(),
            props.decimals,
            props.lang,
        ),
        |(points, model, theta, factor, decimals, lang)| {
            render_svg(
                points,
                (*model, f64::from_bits(*theta), f64::from_bits(*factor)),
                *decimals,
                *lang,
            )
        },
    );
    let figure = use_node_ref();
    svg_figure(
        (&props.title, &props.testid, &props.export_name),
        props.lang,
        &svg,
        (false, Html::default(), props.summary.to_string()),
        figure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_narrow_around_the_national_value_as_practices_grow() {
        let curves = limit_curves(Model::Binomial, 0.05, (100, 10_000), 1000.0);
        assert!(curves.len() > 20);
        assert_eq!(curves.first().map(|c| c.0), Some(100));
        assert_eq!(curves.last().map(|c| c.0), Some(10_000));
        for (_, l) in &curves {
            assert!(
                l[0] <= l[1] && l[1] <= 50.0 && 50.0 <= l[2] && l[2] <= l[3],
                "{l:?}"
            );
        }
        let width = |c: &(u64, [f64; 4])| c.1[3] - c.1[0];
        assert!(width(&curves[curves.len() - 1]) < width(&curves[0]) / 5.0);
    }

    #[test]
    fn the_plot_has_a_dot_per_practice_and_a_larger_one_for_the_own() {
        let points: Vec<FunnelPoint> = [(10, 400), (30, 900), (5, 300)]
            .into_iter()
            .enumerate()
            .map(|(i, (x, n))| FunnelPoint {
                label: format!("P{i}"),
                x,
                n,
                highlight: i == 1,
            })
            .collect();
        let svg = render_svg(&points, (Model::Binomial, 0.02, 1000.0), 1, Lang::Da).expect("svg");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        assert_eq!(svg.matches("r=\"7\"").count(), 1);
        assert!(svg.contains("99,8 %") && svg.contains("95 %"));
    }
}
