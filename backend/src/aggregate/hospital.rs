//! Hospital stays from contacts: the rules of the catalogue (see the
//! `stays`, `admissions` and `readmissions` quantities in
//! `shared::measure`), as plain functions over one person's contacts.

use chrono::{Datelike, Duration, NaiveDateTime};
use shared::TileFamilyId;

/// Contacts starting at most this long after a stay's latest end join it.
pub const JOIN_GAP: Duration = Duration::hours(4);
/// A stay this long or longer is an admission.
pub const ADMISSION_MIN: Duration = Duration::hours(12);
/// An acute admission this soon after discharge is a readmission.
pub const READMISSION_WINDOW: Duration = Duration::days(30);

/// Somatic, psychiatric, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sector {
    /// Somatic contacts only.
    Somatic,
    /// Psychiatric contacts only.
    Psychiatric,
    /// Both kinds.
    Both,
}

impl Sector {
    /// The sector of a stay that has contacts of `self` and of `other`.
    fn and(self, other: Sector) -> Sector {
        if self == other {
            self
        } else {
            Sector::Both
        }
    }
}

/// One hospital contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Contact id (the last tie-breaker of the order).
    pub id: String,
    /// Start.
    pub start: NaiveDateTime,
    /// End.
    pub end: NaiveDateTime,
    /// Acute (else planned).
    pub acute: bool,
    /// Somatic or psychiatric (never both).
    pub sector: Sector,
    /// A rehabilitation plan was issued.
    pub rehabilitation_plan: bool,
    /// The department type, as a bit (see [`department_bit`]).
    pub department: u16,
    /// The preventable-admission group of the action diagnosis
    /// (`shared::diagnosis`), if any.
    pub preventable: Option<u8>,
    /// Its code in each family of [`BY_CONTACT`], where it and its stay
    /// count (0: none, counted nowhere).
    pub keys: Keys,
}

/// The families of hospital activity keyed by a code of the contact: by
/// hospital, diagnosis group, specialty and department type.
pub const BY_CONTACT: [TileFamilyId; 4] = [
    TileFamilyId::ByHospital,
    TileFamilyId::ByDiagnosis,
    TileFamilyId::BySpecialty,
    TileFamilyId::ByDepartment,
];

/// A contact's codes in the families of [`BY_CONTACT`], in that order:
/// the hospital of its unit (see `by_hospital`), the diagnosis group of
/// its action diagnosis, its unit's specialty and department type.
pub type Keys = [u16; BY_CONTACT.len()];

/// The bit of a department type code (position in
/// `shared::register::DEPARTMENT_TYPES`); 0 for an unknown code.
pub fn department_bit(code: &str) -> u16 {
    shared::register::DEPARTMENT_TYPES
        .iter()
        .position(|d| d.code == code)
        .map_or(0, |i| 1 << i)
}

/// Contacts joined into one stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stay {
    /// Start of the first contact.
    pub start: NaiveDateTime,
    /// Latest end of its contacts.
    pub end: NaiveDateTime,
    /// Whether its first contact is acute.
    pub acute: bool,
    /// The sectors of its contacts.
    pub sector: Sector,
    /// The department types of its contacts, as bits.
    pub departments: u16,
    /// The preventable-admission group of its first contact's action
    /// diagnosis, if any.
    pub preventable: Option<u8>,
    /// The codes of its first contact: where it counts by hospital,
    /// diagnosis group, specialty and department type.
    pub keys: Keys,
}

impl Stay {
    /// Calendar year of the start: the year the stay counts in.
    pub fn year(&self) -> i32 {
        self.start.year()
    }

    /// Whether the stay is an admission (12 hours or more).
    pub fn is_admission(&self) -> bool {
        self.end - self.start >= ADMISSION_MIN
    }

    /// Calendar days from the date of admission to the date of discharge.
    pub fn bed_days(&self) -> u64 {
        u64::try_from((self.end.date() - self.start.date()).num_days()).unwrap_or(0)
    }
}

/// Sorts one person's contacts (start, end, id) and joins them into stays.
pub fn stays(contacts: &mut [Contact]) -> Vec<Stay> {
    contacts.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    let mut stays: Vec<Stay> = Vec::new();
    for c in contacts.iter() {
        match stays.last_mut() {
            Some(stay) if c.start <= stay.end + JOIN_GAP => {
                stay.end = stay.end.max(c.end);
                stay.sector = stay.sector.and(c.sector);
                stay.departments |= c.department;
            }
            _ => stays.push(Stay {
                start: c.start,
                end: c.end,
                acute: c.acute,
                sector: c.sector,
                departments: c.department,
                preventable: c.preventable,
                keys: c.keys,
            }),
        }
    }
    stays
}

/// Whether the admission `stays[index]` is followed by an acute admission
/// within the readmission window — of the given sector only, if `sector`
/// is given. `stays` are in order, as [`stays`] returns them.
pub fn readmitted(stays: &[Stay], index: usize, sector: Option<Sector>) -> bool {
    let first = &stays[index];
    let until = first.end + READMISSION_WINDOW;
    stays[index + 1..]
        .iter()
        .take_while(|b| b.start <= until)
        .any(|b| {
            b.start > first.end
                && b.is_admission()
                && b.acute
                && sector.is_none_or(|s| b.sector == s)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2024, 3, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("valid time")
    }

    fn contact(
        id: &str,
        start: NaiveDateTime,
        end: NaiveDateTime,
        acute: bool,
        sector: Sector,
    ) -> Contact {
        Contact {
            id: id.into(),
            start,
            end,
            acute,
            sector,
            rehabilitation_plan: false,
            department: department_bit(if sector == Sector::Psychiatric {
                "psychiatric"
            } else {
                "medical"
            }),
            preventable: None,
            keys: [1, 2, 3, 4],
        }
    }

    #[test]
    fn contacts_within_four_hours_join_one_stay() {
        let mut contacts = vec![
            // Given out of order: sorting comes first.
            contact("c", at(1, 20), at(2, 10), false, Sector::Psychiatric),
            Contact {
                keys: [2, 5, 6, 7],
                ..contact("a", at(1, 8), at(1, 12), true, Sector::Somatic)
            },
            // Starts exactly 4 h after the end of "a": joins.
            contact("b", at(1, 16), at(1, 17), false, Sector::Somatic),
            // More than 4 h after the latest end (2nd 10:00): a new stay.
            contact("d", at(2, 15), at(2, 16), false, Sector::Somatic),
        ];
        let stays = stays(&mut contacts);
        assert_eq!(stays.len(), 2);
        assert_eq!((stays[0].start, stays[0].end), (at(1, 8), at(2, 10)));
        assert!(stays[0].acute, "the first contact decides the priority");
        assert_eq!(
            stays[0].keys,
            [2, 5, 6, 7],
            "and the hospital, diagnosis group …"
        );
        assert_eq!(stays[1].keys, [1, 2, 3, 4]);
        assert_eq!(stays[0].sector, Sector::Both);
        assert_eq!(
            stays[0].departments,
            department_bit("medical") | department_bit("psychiatric")
        );
        assert_eq!(stays[1].departments, department_bit("medical"));
        assert_eq!(department_bit("no such type"), 0);
        assert!(stays[0].is_admission());
        assert_eq!(stays[0].bed_days(), 1);
        assert!(!stays[1].is_admission(), "one hour is outpatient");
        assert_eq!(stays[1].bed_days(), 0);
    }

    #[test]
    fn twelve_hours_make_an_admission() {
        let s = |end| Stay {
            start: at(1, 8),
            end,
            acute: false,
            sector: Sector::Somatic,
            departments: 0,
            preventable: None,
            keys: [1; 4],
        };
        assert!(s(at(1, 20)).is_admission());
        assert!(!s(at(1, 19)).is_admission());
    }

    #[test]
    fn readmission_is_an_acute_admission_within_thirty_days() {
        let stay = |start, end, acute, sector| Stay {
            start,
            end,
            acute,
            sector,
            departments: 0,
            preventable: None,
            keys: [1; 4],
        };
        let day = |d: i64| at(1, 0) + Duration::days(d);
        let stays = vec![
            stay(day(0), day(2), false, Sector::Somatic),
            // Outpatient, acute: not a readmission.
            stay(day(5), day(5) + Duration::hours(2), true, Sector::Somatic),
            // Acute psychiatric admission 30 days after discharge: counts
            // for "any" and not for "somatic".
            stay(day(32), day(33), true, Sector::Psychiatric),
            // Planned admission: never a readmission.
            stay(day(40), day(42), false, Sector::Somatic),
            // 31 days after the previous discharge.
            stay(day(73), day(75), true, Sector::Somatic),
        ];
        assert!(readmitted(&stays, 0, None));
        assert!(!readmitted(&stays, 0, Some(Sector::Somatic)));
        assert!(readmitted(&stays, 0, Some(Sector::Psychiatric)));
        assert!(!readmitted(&stays, 3, None), "31 days is too late");
        assert!(!readmitted(&stays, 4, None), "nothing follows");
    }
}
