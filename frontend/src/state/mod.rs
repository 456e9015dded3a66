//! View state: the filters the user has chosen, as a reducer.

use std::rc::Rc;

use shared::cube::Filter;
use shared::{DimensionId, Sex};
use yew::Reducible;

/// The filters of the overview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Restrict to one sex, or both (`None`).
    pub sex: Option<Sex>,
}

/// Changes to [`Filters`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterAction {
    /// Choose a sex, or both.
    SetSex(Option<Sex>),
}

impl Reducible for Filters {
    type Action = FilterAction;

    fn reduce(self: Rc<Self>, action: FilterAction) -> Rc<Self> {
        match action {
            FilterAction::SetSex(sex) => Rc::new(Filters { sex }),
        }
    }
}

impl Filters {
    /// The cube filter for these choices, restricted to `year`.
    pub fn cube_filter(&self, year: u16) -> Filter {
        let filter = Filter::all().with(DimensionId::Year, [year]);
        match self.sex {
            Some(sex) => filter.with(DimensionId::Sex, [sex.code()]),
            None => filter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_sex_replaces_the_choice() {
        let state = Rc::new(Filters::default());
        let state = state.reduce(FilterAction::SetSex(Some(Sex::Female)));
        assert_eq!(state.sex, Some(Sex::Female));
        let state = state.reduce(FilterAction::SetSex(None));
        assert_eq!(*state, Filters::default());
    }
}
