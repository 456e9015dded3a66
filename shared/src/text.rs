//! Bilingual labels and locale-aware number formatting.
//!
//! The portal speaks Danish by default and English on request; every label
//! in the catalogue carries both.

use serde::{Deserialize, Serialize};

/// A user interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish, the default.
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// The language code used in URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

/// A label in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Danish.
    pub da: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Da => self.da,
            Lang::En => self.en,
        }
    }
}

/// Formats `value` with `decimals` decimals and thousands separators in the
/// convention of `lang`: `1.234,5` in Danish, `1,234.5` in English.
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    let (thousands, decimal) = match lang {
        Lang::Da => ('.', ','),
        Lang::En => (',', '.'),
    };
    let plain = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 1);
    // "-0,0" reads oddly; only show a sign when the rounded value is non-zero.
    if value < 0.0 && plain.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(digit);
    }
    if let Some(frac) = frac_part {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_uses_dot_for_thousands_and_comma_for_decimals() {
        assert_eq!(format_number(1234.56, 1, Lang::Da), "1.234,6");
        assert_eq!(format_number(1234567.0, 0, Lang::Da), "1.234.567");
        assert_eq!(format_number(999.0, 0, Lang::Da), "999");
        assert_eq!(format_number(0.05, 1, Lang::Da), "0,1");
    }

    #[test]
    fn english_uses_comma_for_thousands_and_dot_for_decimals() {
        assert_eq!(format_number(1234.56, 1, Lang::En), "1,234.6");
        assert_eq!(format_number(-1234567.0, 0, Lang::En), "-1,234,567");
    }

    #[test]
    fn negative_zero_after_rounding_has_no_sign() {
        assert_eq!(format_number(-0.01, 1, Lang::Da), "0,0");
    }
}
