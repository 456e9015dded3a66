//! A line chart through the years, drawn by plotters as SVG: the area's
//! development, and the whole country's beside it when an area is chosen.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use shared::Lang;
use yew::prelude::*;

use super::{
    category_chart, draw_legend, draw_value_labels, protected, summary, svg_figure, value_axis_top,
    with_halo, Datum,
};

/// The series' colours: the brand blue, a dark grey and a dark orange
/// (each AA against white), told apart by their markers too.
const COLOURS: [RGBColor; 3] = [
    RGBColor(0x1f, 0x5f, 0x8b),
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0xb3, 0x41, 0x00),
];
/// The chart's width.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 340;

/// Renders named series over the same categories (the years, as the
/// first series labels them) to an SVG document. Values are labelled on
/// the first series, after every line is drawn and on a white outline,
/// so that the country's line never runs through a label; a gap
/// (`None`) breaks its line.
pub fn render_svg(
    series: &[(String, Vec<Datum>)],
    decimals: usize,
    lang: Lang,
) -> Result<String, String> {
    let labels: Vec<String> = series
        .first()
        .map(|(_, data)| data.iter().map(|d| d.label.clone()).collect())
        .unwrap_or_default();
    let top = value_axis_top(
        series
            .iter()
            .flat_map(|(_, data)| data.iter().filter_map(|d| d.value)),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = category_chart(&root, &labels, top, lang)?;
        for (s, (name, data)) in series.iter().enumerate() {
            let colour = COLOURS[s % COLOURS.len()];
            let points: Vec<(usize, f64)> = data
                .iter()
                .enumerate()
                .filter_map(|(i, d)| Some((i, d.value?)))
                .collect();
            // One line per run of consecutive values.
            let mut runs: Vec<Vec<(SegmentValue<usize>, f64)>> = Vec::new();
            for (i, v) in &points {
                let point = (SegmentValue::CenterOf(*i), *v);
                match runs.last_mut() {
                    Some(run) if matches!(run.last(), Some((SegmentValue::CenterOf(j), _)) if j + 1 == *i) => {
                        run.push(point)
                    }
                    _ => runs.push(vec![point]),
                }
            }
            let style = colour.stroke_width(2);
            for (r, run) in runs.into_iter().enumerate() {
                let line = chart
                    .draw_series(LineSeries::new(run, style))
                    .map_err(|e| e.to_string())?;
                if r == 0 {
                    line.label(name.clone()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                    });
                }
            }
            let markers = points.iter().map(|(i, v)| (SegmentValue::CenterOf(*i), *v));
            if s == 0 {
                chart
                    .draw_series(markers.map(|p| Circle::new(p, 4, colour.filled())))
                    .map_err(|e| e.to_string())?;
            } else {
                chart
                    .draw_series(markers.map(|p| TriangleMarker::new(p, 5, colour.filled())))
                    .map_err(|e| e.to_string())?;
            }
        }
        if let Some((_, data)) = series.first() {
            draw_value_labels(&mut chart, data, (decimals, lang), 0.03)?;
        }
        if series.len() > 1 {
            draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(with_halo(svg))
}

/// Properties of [`LineChart`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct LineChartProps {
    /// Title, also the chart's accessible name.
    pub title: AttrValue,
    /// Named series over the same years.
    pub series: Vec<(String, Vec<Datum>)>,
    /// Decimals of the value labels.
    pub decimals: usize,
    /// Display language.
    pub lang: Lang,
    /// The `data-testid` of the figure.
    pub testid: AttrValue,
    /// File name of the chart's exports, without extension.
    pub export_name: AttrValue,
}

/// A line chart in a `figure` with the title as its caption.
#[function_component(LineChart)]
pub fn line_chart(props: &LineChartProps) -> Html {
    let svg = use_memo(
        (props.series.clone(), props.decimals, props.lang),
        |(series, decimals, lang)| render_svg(series, *decimals, *lang),
    );
    let figure = use_node_ref();
    let protected = props.series.iter().any(|(_, data)| protected(data));
    svg_figure(
        (&props.title, &props.testid, &props.export_name),
        props.lang,
        &svg,
        (
            protected,
            Html::default(),
            summary(&props.series, true, props.decimals, props.lang),
        ),
        figure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(values: &[Option<f64>]) -> Vec<Datum> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Datum::exact(2022 + i as u16, (2022 + i).to_string(), *v))
            .collect()
    }

    #[test]
    fn draws_a_line_per_series_with_the_first_series_labelled() {
        let series = vec![
            (
                "Aarhus".to_string(),
                years(&[Some(6100.5), None, Some(6300.26)]),
            ),
            (
                "Hele landet".to_string(),
                years(&[Some(7000.0), Some(7100.0), Some(7200.0)]),
            ),
        ];
        let svg = render_svg(&series, 1, Lang::Da).expect("renders");
        assert!(
            svg.contains("6.100,5") && svg.contains("6.300,3"),
            "Danish labels"
        );
        assert!(
            !svg.contains("7.100,0"),
            "only the first series is labelled"
        );
        assert!(svg.contains("2023"), "every year on the axis");
        assert!(svg.contains("Hele landet"), "a legend names the series");
        // The gap splits the first series in two runs of one point each
        // (no line), the second series is one line.
        let lines = |colour: &str| -> Vec<usize> {
            svg.split("<polyline")
                .skip(1)
                .filter(|p| {
                    p.contains(&format!("stroke=\"{colour}\"")) && p.contains("stroke-width=\"2\"")
                })
                .map(|p| {
                    let points = p.split("points=\"").nth(1).unwrap_or_default();
                    points
                        .split('"')
                        .next()
                        .unwrap_or_default()
                        .split_whitespace()
                        .count()
                })
                .collect()
        };
        assert_eq!(
            lines("#1F5F8B"),
            vec![1, 1, 2],
            "two one-point runs, and the legend"
        );
        assert_eq!(
            lines("#555555"),
            vec![3, 2],
            "one line through three years, and the legend"
        );
        // The labels come after the country's line, so they are drawn
        // over it, each on a white outline of itself.
        let country = svg.find("stroke=\"#555555\"").expect("the country's line");
        let label = svg.find(">\n6.100,5\n</text>").expect("a value label");
        assert!(label > country, "labels over the lines");
        assert_eq!(
            svg.matches("<text ").count(),
            svg.matches("<text stroke=\"#FFFFFF\"").count(),
            "every text on an outline"
        );
    }
}
