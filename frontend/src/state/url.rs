//! The view state in the query string: `?sex=2&lang=en`.
//!
//! Keys are the catalogue's dimension keys and values its codes, so links
//! stay valid as labels change. Defaults are left out, so the plain
//! address is the default view. Unknown or malformed parameters are
//! ignored, never an error: an old link still opens.

use shared::{geography, DimensionId, Lang, Sex};

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
            k if k == DimensionId::Region.key() => {
                state.filters.region = value
                    .parse()
                    .ok()
                    .filter(|c| geography::region(*c).is_some());
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
    let Filters { region, sex } = &state.filters;
    if let Some(region) = region {
        pairs.push(format!("{}={region}", DimensionId::Region.key()));
    }
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
                for region in [None, Some(1081), Some(1085)] {
                    let filters = Filters { region, sex };
                    let state = ViewState { lang, filters };
                    assert_eq!(parse(&render(&state)), state);
                }
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
                    region: Some(1084),
                    sex: Some(Sex::Female)
                }
            }),
            "region=1084&sex=2&lang=en"
        );
    }

    #[test]
    fn ignores_what_it_does_not_know() {
        assert_eq!(
            parse("?sex=9&region=1234&lang=fr&foo=bar&&="),
            ViewState::default()
        );
        assert_eq!(parse("?sex=1").filters.sex, Some(Sex::Male));
    }
}
