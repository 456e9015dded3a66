//! The view state in the query string: `?sex=2&lang=en`.
//!
//! Keys are the catalogue's dimension keys and values its codes, so links
//! stay valid as labels change. Defaults are left out, so the plain
//! address is the default view. Unknown or malformed parameters are
//! ignored, never an error: an old link still opens.

use shared::{DimensionId, Lang, Sex};

use super::{Filters, ViewState};

const LANG: &str = "lang";

/// Reads a query string (with or without the leading `?`).
pub fn parse(query: &str) -> ViewState {
    let mut state = ViewState::default();
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            LANG if value == Lang::En.code() => state.lang = Lang::En,
            k if k == DimensionId::Sex.key() => {
                state.filters.sex = value.parse().ok().and_then(Sex::from_code);
            }
            _ => {}
        }
    }
    state
}

/// Writes the query string without the leading `?` (`""` for the default
/// view).
pub fn render(state: &ViewState) -> String {
    let mut pairs = Vec::new();
    let Filters { sex } = &state.filters;
    if let Some(sex) = sex {
        pairs.push(format!("{}={}", DimensionId::Sex.key(), sex.code()));
    }
    if state.lang != Lang::default() {
        pairs.push(format!("{LANG}={}", state.lang.code()));
    }
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_state() {
        for lang in [Lang::Da, Lang::En] {
            for sex in [None, Some(Sex::Male), Some(Sex::Female)] {
                let state = ViewState {
                    lang,
                    filters: Filters { sex },
                };
                assert_eq!(parse(&render(&state)), state);
            }
        }
    }

    #[test]
    fn default_view_has_a_plain_address() {
        assert_eq!(render(&ViewState::default()), "");
        assert_eq!(
            render(&ViewState {
                lang: Lang::En,
                filters: Filters {
                    sex: Some(Sex::Female)
                }
            }),
            "sex=2&lang=en"
        );
    }

    #[test]
    fn ignores_what_it_does_not_know() {
        assert_eq!(parse("?sex=9&lang=fr&foo=bar&&="), ViewState::default());
        assert_eq!(parse("?sex=1").filters.sex, Some(Sex::Male));
    }
}
