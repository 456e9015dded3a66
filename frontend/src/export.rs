//! Exports: CSV of the numbers a chart shows, SVG and PNG of the chart,
//! offered as downloads.
//!
//! The file holds the values as displayed (same decimals), in the
//! conventions of the display language so that a spreadsheet opens it
//! correctly: Danish uses `;` between fields and a decimal comma, English
//! `,` and a decimal point. No thousands separators. A UTF-8 byte-order
//! mark makes spreadsheet programs read æ, ø and å right.

use shared::disclosure::Status;
use shared::Lang;
use wasm_bindgen::{JsCast, JsValue};

use crate::charts::Datum;

/// Offers `blob` as a download named `file` (via a Blob URL).
pub fn download_blob(file: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file);
    anchor.click();
    // Revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Offers `text` of MIME type `mime` as a download named `file`.
pub fn download_text(file: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_blob(file, &blob)
}

/// The first `svg` element inside `container`, as a standalone SVG
/// document: namespaced, and sized in pixels (a map has only a view box).
pub fn svg_document(container: &web_sys::Element) -> Result<(String, f64, f64), JsValue> {
    let svg = container
        .query_selector("svg")?
        .ok_or("the chart has no svg")?;
    let svg: web_sys::Element = svg.clone_node_with_deep(true)?.dyn_into()?;
    svg.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let size: Vec<f64> = view_box
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let attribute = |name: &str, fallback: Option<&f64>| {
        svg.get_attribute(name)
            .and_then(|v| v.trim_end_matches("px").parse().ok())
            .or(fallback.copied())
            .unwrap_or(600.0)
    };
    let (width, height) = (
        attribute("width", size.get(2)),
        attribute("height", size.get(3)),
    );
    svg.set_attribute("width", &width.to_string())?;
    svg.set_attribute("height", &height.to_string())?;
    // A white page behind the chart, as on screen.
    svg.set_attribute("style", "background: #ffffff")?;
    let text = web_sys::XmlSerializer::new()?.serialize_to_string(&svg)?;
    Ok((text, width, height))
}

/// Offers the chart in `container` as `<name>.svg`.
pub fn download_svg(container: &web_sys::Element, name: &str) -> Result<(), JsValue> {
    let (text, _, _) = svg_document(container)?;
    download_text(&format!("{name}.svg"), &text, "image/svg+xml;charset=utf-8")
}

/// Offers the chart in `container` as `<name>.png`, drawn at twice its
/// size on white.
pub fn download_png(container: &web_sys::Element, name: &str) -> Result<(), JsValue> {
    use wasm_bindgen::closure::Closure;
    const SCALE: f64 = 2.0;
    let (text, width, height) = svg_document(container)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let image = web_sys::HtmlImageElement::new()?;
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&text))
    );
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width((width * SCALE).round() as u32);
    canvas.set_height((height * SCALE).round() as u32);
    let file = format!("{name}.png");
    let drawn = image.clone();
    let onload = Closure::once(move || {
        let result = (|| -> Result<(), JsValue> {
            let context: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")?
                .ok_or("no 2d context")?
                .dyn_into()?;
            context.set_fill_style_str("#ffffff");
            context.fill_rect(0.0, 0.0, width * SCALE, height * SCALE);
            context.draw_image_with_html_image_element_and_dw_and_dh(
                &drawn,
                0.0,
                0.0,
                width * SCALE,
                height * SCALE,
            )?;
            let save = Closure::once(move |blob: Option<web_sys::Blob>| {
                if let Some(blob) = blob {
                    if let Err(e) = download_blob(&file, &blob) {
                        web_sys::console::error_1(&e);
                    }
                }
            });
            canvas.to_blob(save.as_ref().unchecked_ref())?;
            save.forget();
            Ok(())
        })();
        if let Err(e) = result {
            web_sys::console::error_1(&e);
        }
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&source);
    Ok(())
}

/// The CSV text (with BOM) of a table: a header row, then `rows`, each
/// as many fields as `headers`, numbers already formatted for `lang`.
pub fn csv_table(headers: &[String], rows: &[Vec<String>], lang: Lang) -> String {
    let separator = match lang {
        Lang::Da => ';',
        Lang::En => ',',
    };
    let field = |text: &str| {
        if text.contains([separator, '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(&separator.to_string()));
        out.push_str("\r\n");
    }
    out
}

/// A number in a CSV file for `lang`: `decimals` decimals, with a comma
/// in Danish; empty when there is none.
pub fn csv_number(value: Option<f64>, decimals: usize, lang: Lang) -> String {
    let decimal = if lang == Lang::Da { "," } else { "." };
    value
        .map(|v| format!("{v:.decimals$}").replace('.', decimal))
        .unwrap_or_default()
}

/// The CSV text (with BOM) for a one-dimension series.
pub fn csv(category: &str, value: &str, data: &[Datum], decimals: usize, lang: Lang) -> String {
    // The status column is there when any value is not exact: it says
    // which values are rounded and which are protected (and empty).
    let with_status = data.iter().any(|d| d.status != Status::Exact);
    let mut headers = vec![category.to_string(), value.to_string()];
    if with_status {
        headers.push(crate::i18n::STATUS.get(lang).to_string());
    }
    let rows: Vec<Vec<String>> = data
        .iter()
        .map(|d| {
            let mut row = vec![d.label.clone(), csv_number(d.value, decimals, lang)];
            if with_status {
                row.push(d.status.label().get(lang).to_string());
            }
            row
        })
        .collect();
    csv_table(&headers, &rows, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<Datum> {
        vec![
            Datum::exact(1, "Sjælland", Some(7486.04)),
            Datum::exact(2, "A; \"B\"", None),
        ]
    }

    #[test]
    fn danish_export_uses_semicolons_and_decimal_commas() {
        let text = csv("Region", "Kontakter pr. 1.000", &data(), 1, Lang::Da);
        assert_eq!(
            text,
            "\u{feff}Region;Kontakter pr. 1.000\r\nSjælland;7486,0\r\n\"A; \"\"B\"\"\";\r\n"
        );
    }

    #[test]
    fn protected_values_get_a_status_column_and_no_number() {
        let mut data = data();
        data[0].status = Status::Perturbed;
        data[1].status = Status::Suppressed;
        let text = csv("Region", "Kontakter", &data, 0, Lang::Da);
        assert_eq!(
            text,
            "\u{feff}Region;Kontakter;Status\r\nSjælland;7486;afrundet\r\n\"A; \"\"B\"\"\";;beskyttet\r\n"
        );
    }

    #[test]
    fn english_export_uses_commas_and_decimal_points() {
        let text = csv("Region", "Contacts per 1,000", &data(), 1, Lang::En);
        assert_eq!(
            text,
            "\u{feff}Region,\"Contacts per 1,000\"\r\nSjælland,7486.0\r\n\"A; \"\"B\"\"\",\r\n"
        );
    }
}
