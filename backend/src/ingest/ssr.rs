//! The SSR extract: contacts with general practice.

use chrono::NaiveDate;
use shared::register::{GpContactType, RegisterId};

use super::extract::{read, Rejected};
use super::{parse_cpr, parse_date, ExtractFormat, GpContactRecord, PseudonymKey};

/// Column positions, in the order of the register's catalogue entry.
const CPR: usize = 0;
const CONTACT_DATE: usize = 1;
const PROVIDER_NUMBER: usize = 2;
const CONTACT_TYPE: usize = 3;

pub(super) fn parse(
    format: ExtractFormat,
    file: &str,
    bytes: &[u8],
    key: &PseudonymKey,
    today: NaiveDate,
) -> Result<(Vec<GpContactRecord>, u64), Rejected> {
    // SSR in its present form starts in 1990.
    let earliest = NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid date");
    read(format, file, bytes, RegisterId::Ssr.def().columns, |row| {
        let pseudonym = row.parse(CPR, |s| parse_cpr(s, key));
        let contact_date = row.parse(CONTACT_DATE, |s| parse_date(s, earliest, today));
        let provider_number = row.parse(PROVIDER_NUMBER, |s| {
            (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.to_string())
                .ok_or_else(|| format!("malformed provider number {s:?}: expected 6 digits"))
        });
        let contact_type = row.parse(CONTACT_TYPE, |s| {
            GpContactType::from_code(s).ok_or_else(|| {
                let known: Vec<&str> = GpContactType::ALL.iter().map(|t| t.code()).collect();
                format!(
                    "unknown contact type {s:?}: expected one of {}",
                    known.join(", ")
                )
            })
        });
        Some(GpContactRecord {
            pseudonym: pseudonym?,
            contact_date: contact_date?,
            provider_number: provider_number?,
            contact_type: contact_type?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_contacts() {
        let key = PseudonymKey::from_hex(&"01".repeat(32)).expect("key");
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let good =
            "cpr,contact_date,provider_number,contact_type\n0101801234,2024-03-01,012345,phone\n";
        let (rows, _) =
            parse(ExtractFormat::Csv, "ssr.csv", good.as_bytes(), &key, today).expect("valid");
        assert_eq!(rows[0].contact_type, GpContactType::Phone);

        let bad =
            "cpr,contact_date,provider_number,contact_type\n0101801234,2024-03-01,12345,fax\n";
        let err =
            parse(ExtractFormat::Csv, "ssr.csv", bad.as_bytes(), &key, today).expect_err("bad");
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["provider_number", "contact_type"]);
    }
}
