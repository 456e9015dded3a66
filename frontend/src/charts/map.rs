//! A choropleth map of the 98 municipalities or the five regions, drawn as
//! SVG from paths projected when the frontend was compiled (`build.rs`).
//!
//! Areas are coloured in up to five classes of equal size (quintiles of
//! the values shown), with a legend. Pointing at an area or focusing it
//! shows a tooltip with its value; clicking it, or Enter on it, selects
//! it. The map is one stop of the Tab order: the arrow keys move between
//! its areas in the order of their names.

use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use super::Datum;
use crate::components::chart_export::ChartExport;
use crate::i18n;

/// The projected boundaries.
pub mod geometry {
    /// One area of the map.
    #[derive(Debug)]
    pub struct Shape {
        /// Municipality or region code.
        pub code: u16,
        /// Where its tooltip points, in map coordinates.
        pub anchor: (f64, f64),
        /// SVG path data, in map coordinates.
        pub path: &'static str,
    }

    include!(concat!(env!("OUT_DIR"), "/map.rs"));
}

use geometry::Shape;

/// Sequential blues, light to dark (ColorBrewer "Blues", five classes).
pub const PALETTE: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
/// An area without a value.
pub const NO_DATA: &str = "#d9d9d9";
/// Area boundaries: 3:1 against the page whatever the fill.
const OUTLINE: &str = "#6b6b6b";
/// The selected area's outline.
const INK: &str = "#1d1d1b";
/// Inset labels.
const MUTED: &str = "#4a4a48";

/// Class limits: the values at which a new colour class starts (at most
/// four, rising, distinct), from the quintiles of `values`.
pub fn class_breaks(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let mut breaks: Vec<f64> = Vec::new();
    for i in 1..PALETTE.len() {
        let Some(&value) = sorted.get(i * sorted.len() / PALETTE.len()) else {
            continue;
        };
        let above_min = sorted.first().is_some_and(|min| value > *min);
        if above_min && breaks.last().is_none_or(|last| value > *last) {
            breaks.push(value);
        }
    }
    breaks
}

/// The colour of `value` with class limits `breaks`: the classes used
/// spread over the whole palette, so that two classes are light and dark.
pub fn colour(value: Option<f64>, breaks: &[f64]) -> &'static str {
    let Some(value) = value else { return NO_DATA };
    let class = breaks.iter().filter(|b| value >= **b).count();
    PALETTE[palette_index(class, breaks.len() + 1)]
}

fn palette_index(class: usize, classes: usize) -> usize {
    if classes <= 1 {
        PALETTE.len() / 2
    } else {
        class * (PALETTE.len() - 1) / (classes - 1)
    }
}

/// Properties of [`ChoroplethMap`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ChoroplethMapProps {
    /// Title, also the map's accessible name.
    pub title: AttrValue,
    /// One value per area of the level shown (municipalities or regions),
    /// keyed by code.
    pub data: Vec<Datum>,
    /// Whether the areas are regions (else municipalities).
    pub regions: bool,
    /// Prefix of the ids of the areas (`<prefix>-m-101`), unique on the
    /// page.
    #[prop_or(AttrValue::Static("map"))]
    pub id_prefix: AttrValue,
    /// Whether to offer the switch between municipalities and regions.
    #[prop_or(true)]
    pub level_switch: bool,
    /// The selected area, outlined.
    #[prop_or_default]
    pub selected: Option<u16>,
    /// Decimals of the values.
    pub decimals: usize,
    /// Unit, after values in tooltips.
    pub unit: AttrValue,
    /// Display language.
    pub lang: Lang,
    /// File name of the map's SVG and PNG exports, without extension.
    #[prop_or(AttrValue::Static("tvaers-map"))]
    pub export_name: AttrValue,
    /// Called with the code of a clicked area.
    pub on_select: Callback<u16>,
    /// Called with `true` to show regions, `false` for municipalities.
    pub on_level: Callback<bool>,
}

/// The map in a `figure`, with its level switch, tooltip and legend.
#[function_component(ChoroplethMap)]
pub fn choropleth_map(props: &ChoroplethMapProps) -> Html {
    let lang = props.lang;
    // The area pointed at or focused (its tooltip shows), and the area
    // that takes the map's Tab stop.
    let pointed = use_state_eq(|| None::<u16>);
    let figure = use_node_ref();
    let active = use_state_eq(|| None::<u16>);
    let shapes: &'static [Shape] = if props.regions {
        &geometry::REGION_SHAPES
    } else {
        &geometry::MUNICIPALITY_SHAPES
    };
    let prefix = format!(
        "{}-{}",
        props.id_prefix,
        if props.regions { "r" } else { "m" }
    );
    let value_of = |code: u16| props.data.iter().find(|d| d.key == code);
    let values: Vec<f64> = props.data.iter().filter_map(|d| d.value).collect();
    let breaks = class_breaks(&values);
    // Keyboard order: by name, as the table and the area filter.
    let mut order: Vec<&Datum> = props.data.iter().collect();
    order.sort_by(|a, b| a.label.cmp(&b.label));
    let order: Vec<u16> = order.iter().map(|d| d.key).collect();
    let tab_stop = active
        .filter(|c| order.contains(c))
        .or(props.selected.filter(|c| order.contains(c)))
        .or(order.first().copied());
    let describe = |code: u16| -> String {
        let datum = value_of(code);
        let name = datum.map_or_else(|| code.to_string(), |d| d.label.clone());
        let value = match datum {
            Some(d) => i18n::format_shown(d.value, d.status, props.decimals, lang),
            None => i18n::format_value(None, props.decimals, lang),
        };
        match datum.and_then(|d| d.value) {
            Some(_) => format!("{name}: {value} {}", props.unit),
            None => format!("{name}: {value}"),
        }
    };
    let focus = {
        let prefix = prefix.clone();
        move |code: u16| {
            use wasm_bindgen::JsCast;
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("{prefix}-{code}")))
                .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        }
    };
    let paths = shapes.iter().map(|shape| {
        let code = shape.code;
        let datum = value_of(code);
        let value = datum.and_then(|d| d.value);
        let onclick = props.on_select.reform(move |_: MouseEvent| code);
        let onkeydown = {
            let (on_select, order, focus) = (props.on_select.clone(), order.clone(), focus.clone());
            Callback::from(move |e: KeyboardEvent| {
                let at = order.iter().position(|c| *c == code).unwrap_or(0);
                let next = match e.key().as_str() {
                    "Enter" | " " => {
                        e.prevent_default();
                        on_select.emit(code);
                        return;
                    }
                    "ArrowRight" | "ArrowDown" => order.get(at + 1),
                    "ArrowLeft" | "ArrowUp" => at.checked_sub(1).and_then(|i| order.get(i)),
                    "Home" => order.first(),
                    "End" => order.last(),
                    _ => return,
                };
                e.prevent_default();
                if let Some(next) = next {
                    focus(*next);
                }
            })
        };
        let onfocus = {
            let (pointed, active) = (pointed.clone(), active.clone());
            Callback::from(move |_: FocusEvent| {
                pointed.set(Some(code));
                active.set(Some(code));
            })
        };
        let onmouseenter = {
            let pointed = pointed.clone();
            Callback::from(move |_: MouseEvent| pointed.set(Some(code)))
        };
        let unpoint = {
            let pointed = pointed.clone();
            move || pointed.set(None)
        };
        let onmouseleave = {
            let unpoint = unpoint.clone();
            Callback::from(move |_: MouseEvent| unpoint())
        };
        let onblur = Callback::from(move |_: FocusEvent| unpoint());
        let selected = props.selected == Some(code);
        html! {
            <path id={format!("{prefix}-{code}")} class={classes!("area", selected.then_some("selected"))}
                d={shape.path} fill={colour(value, &breaks)} fill-rule="evenodd"
                stroke={OUTLINE} stroke-width="0.4"
                role="button" tabindex={if tab_stop == Some(code) { "0" } else { "-1" }}
                aria-label={describe(code)} aria-pressed={if selected { "true" } else { "false" }}
                data-key={code.to_string()}
                data-value={value.map(|v| v.to_string()).unwrap_or_default()}
                {onclick} {onkeydown} {onfocus} {onblur} {onmouseenter} {onmouseleave} />
        }
    });
    // The selected area's outline on top of its neighbours.
    let outline = props
        .selected
        .and_then(|code| shapes.iter().find(|s| s.code == code))
        .map(|shape| {
            html! {
                <path class="outline" d={shape.path} fill="none" stroke={INK} stroke-width="1.6" />
            }
        });
    let insets = geometry::INSETS
        .iter()
        .zip([i18n::BORNHOLM, i18n::CAPITAL_AREA])
        .map(|((x, y, w, h), label)| {
            html! {
                <g class="inset">
                    <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()}
                        fill="none" stroke="#8a8a8a" stroke-width="0.8" />
                    <text x={x.to_string()} y={(y - 5.0).to_string()} font-size="10"
                        font-family="sans-serif" fill={MUTED}>{ label.get(lang) }</text>
                </g>
            }
        });
    // Always in the tree (empty and hidden when nothing is pointed at), so
    // that showing it changes attributes only.
    let tooltip = (*pointed)
        .and_then(|code| shapes.iter().find(|s| s.code == code))
        .map(|shape| {
            let style = format!(
                "left: {:.2}%; top: {:.2}%;",
                shape.anchor.0 / geometry::WIDTH * 100.0,
                shape.anchor.1 / geometry::HEIGHT * 100.0
            );
            (style, describe(shape.code))
        });
    let (tooltip_style, tooltip_text) = tooltip.unwrap_or_default();
    let tooltip = html! {
        <div class="map-tooltip" data-testid="map-tooltip" aria-hidden="true"
            hidden={tooltip_text.is_empty()} style={tooltip_style}>{ tooltip_text }</div>
    };
    let legend = legend(
        &breaks,
        values.len() < props.data.len(),
        props.decimals,
        lang,
    );
    let level = |regions: bool, label: shared::Text| {
        let on_level = props.on_level.clone();
        html! {
            <label>
                <input type="radio" name={format!("{}-level", props.id_prefix)} checked={props.regions == regions}
                    onchange={Callback::from(move |_: Event| on_level.emit(regions))} />
                { label.get(lang) }
            </label>
        }
    };
    html! {
        <figure class="chart map" data-testid="map" ref={figure.clone()}>
            <figcaption>{ props.title.clone() }</figcaption>
            if props.level_switch {
                <fieldset class="map-level">
                    <legend>{ i18n::MAP_LEVEL.get(lang) }</legend>
                    { level(false, i18n::MUNICIPALITIES) }
                    { level(true, i18n::REGIONS) }
                </fieldset>
            }
            <div class="map-frame">
                <svg viewBox={format!("0 0 {} {}", geometry::WIDTH, geometry::HEIGHT)}
                    role="group" aria-label={format!("{}. {}", props.title, i18n::MAP_KEYS.get(lang))}>
                    <g class="areas">{ for paths }</g>
                    { for outline }
                    { for insets }
                </svg>
                { tooltip }
            </div>
            { legend }
            <p class="credit">{ i18n::MAP_CREDIT.get(lang) }</p>
            <ChartExport target={figure} name={props.export_name.clone()} lang={lang} />
        </figure>
    }
}

/// The legend: one swatch per class with its range, and "no value" when
/// an area has none.
fn legend(breaks: &[f64], missing: bool, decimals: usize, lang: Lang) -> Html {
    let classes = breaks.len() + 1;
    let format = |v: f64| format_number(v, decimals, lang);
    let items = (0..classes).map(|class| {
        let label = match (class.checked_sub(1).map(|i| breaks[i]), breaks.get(class)) {
            (None, None) => i18n::ALL_VALUES.get(lang).to_string(),
            (None, Some(upper)) => format!("{} {}", i18n::UNDER.get(lang), format(*upper)),
            (Some(lower), None) => format!("{} {}", format(lower), i18n::OR_MORE.get(lang)),
            (Some(lower), Some(upper)) => format!("{} – {}", format(lower), format(*upper)),
        };
        let fill = PALETTE[palette_index(class, classes)];
        html! {
            <li><span class="swatch" style={format!("background: {fill}")}></span>{ label }</li>
        }
    });
    html! {
        <ul class="legend" data-testid="map-legend">
            { for items }
            if missing {
                <li><span class="swatch" style={format!("background: {NO_DATA}")}></span>{ i18n::NO_VALUE_LEGEND.get(lang) }</li>
            }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_municipality_and_region_has_a_shape_inside_the_map() {
        let codes: Vec<u16> = geometry::MUNICIPALITY_SHAPES
            .iter()
            .map(|s| s.code)
            .collect();
        let expected: Vec<u16> = shared::geography::MUNICIPALITIES
            .iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(codes, expected);
        let regions: Vec<u16> = geometry::REGION_SHAPES.iter().map(|s| s.code).collect();
        assert_eq!(regions, vec![1081, 1082, 1083, 1084, 1085]);
        for shape in geometry::MUNICIPALITY_SHAPES
            .iter()
            .chain(&geometry::REGION_SHAPES)
        {
            assert!(
                shape.path.starts_with('M') && shape.path.ends_with('Z'),
                "{}",
                shape.code
            );
            let (x, y) = shape.anchor;
            assert!((0.0..geometry::WIDTH).contains(&x), "{}: x {x}", shape.code);
            assert!(
                (0.0..geometry::HEIGHT).contains(&y),
                "{}: y {y}",
                shape.code
            );
        }
    }

    #[test]
    fn small_municipalities_point_into_the_capital_inset_and_bornholm_into_its_own() {
        let anchor = |code: u16| {
            let shape = geometry::MUNICIPALITY_SHAPES
                .iter()
                .find(|s| s.code == code);
            shape.expect("on the map").anchor
        };
        let inside = |(x, y): (f64, f64), (fx, fy, fw, fh): (f64, f64, f64, f64)| {
            (fx..fx + fw).contains(&x) && (fy..fy + fh).contains(&y)
        };
        let [bornholm, capital] = geometry::INSETS;
        // Frederiksberg (147) and København (101) in the capital inset;
        // Bornholm (400) in its own; Aalborg (851) on the main map.
        assert!(inside(anchor(147), capital));
        assert!(inside(anchor(101), capital));
        assert!(inside(anchor(400), bornholm));
        assert!(!inside(anchor(851), capital) && !inside(anchor(851), bornholm));
        // Aalborg lies north of Odense (461) on the map.
        assert!(anchor(851).1 < anchor(461).1);
    }

    #[test]
    fn classes_are_quintiles_and_colours_run_light_to_dark() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(class_breaks(&values), vec![3.0, 5.0, 7.0, 9.0]);
        assert_eq!(colour(Some(1.0), &[3.0, 5.0, 7.0, 9.0]), PALETTE[0]);
        assert_eq!(colour(Some(9.0), &[3.0, 5.0, 7.0, 9.0]), PALETTE[4]);
        assert_eq!(colour(None, &[3.0]), NO_DATA);
        // Equal values make one class; two distinct values two classes at
        // the ends of the palette.
        assert!(class_breaks(&[4.0, 4.0, 4.0]).is_empty());
        let two = class_breaks(&[1.0, 1.0, 1.0, 2.0, 2.0]);
        assert_eq!(two, vec![2.0]);
        assert_eq!(colour(Some(1.0), &two), PALETTE[0]);
        assert_eq!(colour(Some(2.0), &two), PALETTE[4]);
    }
}
