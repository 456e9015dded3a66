//! CSV export of the numbers a chart shows.
//!
//! The file holds the values as displayed (same decimals), in the
//! conventions of the display language so that a spreadsheet opens it
//! correctly: Danish uses `;` between fields and a decimal comma, English
//! `,` and a decimal point. No thousands separators. A UTF-8 byte-order
//! mark makes spreadsheet programs read æ, ø and å right.

use shared::Lang;

use crate::charts::Datum;

/// The CSV text (with BOM) for a one-dimension series.
pub fn csv(category: &str, value: &str, data: &[Datum], decimals: usize, lang: Lang) -> String {
    let (separator, decimal) = match lang {
        Lang::Da => (';', ','),
        Lang::En => (',', '.'),
    };
    let field = |text: &str| {
        if text.contains([separator, '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&format!(
        "{}{separator}{}\r\n",
        field(category),
        field(value)
    ));
    for d in data {
        let number = d
            .value
            .map(|v| format!("{v:.decimals$}").replace('.', &decimal.to_string()))
            .unwrap_or_default();
        out.push_str(&format!("{}{separator}{number}\r\n", field(&d.label)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<Datum> {
        vec![
            Datum {
                key: 1,
                label: "Sjælland".into(),
                value: Some(7486.04),
            },
            Datum {
                key: 2,
                label: "A; \"B\"".into(),
                value: None,
            },
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
    fn english_export_uses_commas_and_decimal_points() {
        let text = csv("Region", "Contacts per 1,000", &data(), 1, Lang::En);
        assert_eq!(
            text,
            "\u{feff}Region,\"Contacts per 1,000\"\r\nSjælland,7486.0\r\n\"A; \"\"B\"\"\",\r\n"
        );
    }
}
