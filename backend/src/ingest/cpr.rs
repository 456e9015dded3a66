//! The CPR extract: persons with birth date, sex and municipality.

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::register::RegisterId;
use shared::{geography, Sex};

use super::extract::{read, Rejected};
use super::{parse_cpr, parse_date, CprRecord, ExtractFormat, PseudonymKey};

/// Column positions, in the order of the register's catalogue entry.
const CPR: usize = 0;
const BIRTH_DATE: usize = 1;
const SEX: usize = 2;
const MUNICIPALITY: usize = 3;

pub(super) fn parse(
    format: ExtractFormat,
    file: &str,
    bytes: &[u8],
    key: &PseudonymKey,
    today: NaiveDate,
) -> Result<(Vec<CprRecord>, u64), Rejected> {
    let earliest = NaiveDate::from_ymd_opt(1880, 1, 1).expect("valid date");
    let mut first_line = HashMap::new();
    read(format, file, bytes, RegisterId::Cpr.def().columns, |row| {
        let pseudonym = row.parse(CPR, |s| parse_cpr(s, key));
        let birth_date = row.parse(BIRTH_DATE, |s| parse_date(s, earliest, today));
        let sex = row.parse(SEX, |s| {
            Sex::from_letter(s).ok_or_else(|| format!("unknown sex {s:?}: expected M or K"))
        });
        let municipality = row.parse(MUNICIPALITY, |s| {
            s.parse::<u16>()
                .ok()
                .filter(|code| geography::municipality(*code).is_some())
                .ok_or_else(|| {
                    format!(
                        "unknown municipality code {s:?}: expected one of the 98 three-digit codes"
                    )
                })
        });
        if let Some(p) = &pseudonym {
            if let Some(first) = first_line.insert(p.clone(), row.line) {
                row.error(
                    CPR,
                    format!("the same person appears on line {first} of this batch"),
                );
                first_line.insert(p.clone(), first);
            }
        }
        Some(CprRecord {
            pseudonym: pseudonym?,
            birth_date: birth_date?,
            sex: sex?,
            municipality: municipality?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PseudonymKey {
        PseudonymKey::from_hex(&"07".repeat(32)).expect("key")
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
    }

    #[test]
    fn parses_good_rows() {
        let csv = "cpr,birth_date,sex,municipality\n0101801234,1980-01-01,K,101\n020290-1235,1990-02-02,M,851\n";
        let (rows, n) = parse(
            ExtractFormat::Csv,
            "cpr.csv",
            csv.as_bytes(),
            &key(),
            today(),
        )
        .expect("valid");
        assert_eq!(n, 2);
        assert_eq!(rows[0].sex, Sex::Female);
        assert_eq!(rows[1].municipality, 851);
    }

    #[test]
    fn reports_each_kind_of_bad_value() {
        let csv = "cpr,birth_date,sex,municipality\n\
                   0101801234,1980-13-01,K,101\n\
                   0101801235,1980-01-01,X,999\n\
                   01018012,1980-01-01,M,101\n\
                   0101801234,1980-01-01,K,101\n";
        let err = parse(
            ExtractFormat::Csv,
            "cpr.csv",
            csv.as_bytes(),
            &key(),
            today(),
        )
        .expect_err("bad");
        let got: Vec<(u64, &str)> = err
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "birth_date"),
                (3, "sex"),
                (3, "municipality"),
                (4, "cpr"),
                (5, "cpr")
            ]
        );
        assert!(err.errors[4].reason.contains("line 2"));
        assert_eq!(err.bad_rows, 4);
    }
}
