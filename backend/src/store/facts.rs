//! The register facts the aggregation reads, streamed row by row so that
//! memory does not grow with the registers.
//!
//! On PostgreSQL the rows come through sqlx. On SQLite they are read by a
//! second, read-only connection to the same file (rusqlite over the same
//! SQLite library): sqlx hands SQLite rows over one at a time through a
//! channel, several microseconds each, which dominated the build at
//! national size. The two paths may group differently (PostgreSQL counts
//! GP contacts per person, year and type in SQL; SQLite passes every
//! contact) — the totals handed on are the same, and the aggregation sorts
//! what it needs itself, so both engines give the same cubes.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::FromRow;

use super::{Store, StoreError};

/// A hospital contact, with what the stay rules need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LprContact {
    /// Pseudonym.
    pub pseudonym: String,
    /// Contact id.
    pub contact_id: String,
    /// Start.
    pub start_time: NaiveDateTime,
    /// End.
    pub end_time: NaiveDateTime,
    /// `acute` or `planned`.
    pub priority: String,
    /// `somatic` or `psychiatric`.
    pub sector: String,
    /// Department type (`medical`, `surgical` …).
    pub department_type: String,
    /// The unit's specialty (`cardiology` …).
    pub specialty: String,
    /// Action diagnosis (SKS code).
    pub action_diagnosis: String,
    /// 1 if a rehabilitation plan was issued.
    pub rehabilitation_plan: i16,
    /// The SOR unit responsible.
    pub sor_unit: String,
}

/// A listing as PostgreSQL returns it: pseudonym, GP cluster, first day,
/// first day no longer listed, provider number.
type Listed = (String, i64, NaiveDate, Option<NaiveDate>, String);

/// The digits of `text[range]` as a number.
fn digits(text: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = text.get(range)?;
    part.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| part.parse().ok())
        .flatten()
}

/// A `YYYY-MM-DD` date, read without a format parser (the GP scan reads
/// tens of millions of them).
pub(super) fn iso_date(text: &str) -> Result<NaiveDate, StoreError> {
    let parts = (digits(text, 0..4), digits(text, 5..7), digits(text, 8..10));
    let dashes = text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
    match parts {
        (Some(y), Some(m), Some(d)) if text.len() == 10 && dashes => {
            NaiveDate::from_ymd_opt(y as i32, m, d)
        }
        _ => None,
    }
    .ok_or_else(|| StoreError::Corrupt(format!("not a date: {text:?}")))
}

/// A `YYYY-MM-DD HH:MM:SS` timestamp, as SQLite holds them, read without a
/// format parser (chrono's reads its format string again for every value:
/// the hospital scan reads twenty million).
fn iso_timestamp(text: &str) -> Result<NaiveDateTime, StoreError> {
    let time = match (
        digits(text, 11..13),
        digits(text, 14..16),
        digits(text, 17..19),
    ) {
        (Some(h), Some(m), Some(s))
            if text.len() == 19
                && text.get(10..11) == Some(" ")
                && text.get(13..14) == Some(":")
                && text.get(16..17) == Some(":") =>
        {
            chrono::NaiveTime::from_hms_opt(h, m, s)
        }
        _ => None,
    };
    match (text.get(..10).map(iso_date), time) {
        (Some(Ok(date)), Some(time)) => Ok(date.and_time(time)),
        _ => Err(StoreError::Corrupt(format!("not a timestamp: {text:?}"))),
    }
}

/// The year and month of a `YYYY-MM` month.
fn year_month(text: &str) -> Result<(i32, u32), StoreError> {
    match (digits(text, 0..4), digits(text, 5..7)) {
        (Some(y), Some(m))
            if text.len() == 7 && text.get(4..5) == Some("-") && (1..=12).contains(&m) =>
        {
            Ok((y as i32, m))
        }
        _ => Err(StoreError::Corrupt(format!("not a month: {text:?}"))),
    }
}

impl Store {
    /// Whether this is the SQLite store (whose scans may run on threads of
    /// their own, each with its own connection).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    /// The SQLite file to scan: `None` on PostgreSQL, an error for an
    /// in-memory SQLite database (a second connection would not see it).
    pub(super) fn sqlite_file(&self) -> Result<Option<PathBuf>, StoreError> {
        match self {
            Store::Sqlite(pool) => {
                let path = pool.connect_options().get_filename().to_path_buf();
                if path.is_file() {
                    Ok(Some(path))
                } else {
                    Err(StoreError::Corrupt(format!(
                        "the SQLite database {} is not a file; aggregation reads the file",
                        path.display()
                    )))
                }
            }
            Store::Postgres(_) => Ok(None),
        }
    }

    /// Runs `sql` on a read-only connection to the SQLite file and hands
    /// every row to `each`.
    pub(super) fn scan_sqlite(
        path: &std::path::Path,
        sql: &str,
        mut each: impl FnMut(&rusqlite::Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let mut statement = conn.prepare(sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            each(row)?;
        }
        Ok(())
    }

    /// Runs `sql` on PostgreSQL and hands every row to `each`, as the rows
    /// arrive.
    pub(super) async fn scan_postgres<T, F>(&self, sql: &str, mut each: F) -> Result<(), StoreError>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
        F: FnMut(T),
    {
        let Store::Postgres(pool) = self else {
            unreachable!("called for PostgreSQL only")
        };
        let mut rows = sqlx::query_as::<_, T>(sql).fetch(pool);
        while let Some(row) = rows.try_next().await? {
            each(row);
        }
        Ok(())
    }

    /// Contacts with general practice — SSR services of providers that are
    /// general practices in YDR — as (pseudonym, date, contact type,
    /// provider number, number of contacts).
    pub async fn gp_contacts(
        &self,
        mut each: impl FnMut(&str, NaiveDate, &str, &str, u64),
    ) -> Result<(), StoreError> {
        const PRACTICES: &str =
            "SELECT provider_number FROM reg_ydr WHERE provider_type = 'general_practice'";
        if let Some(path) = self.sqlite_file()? {
            let sql = format!(
                "SELECT pseudonym, contact_date, contact_type, provider_number FROM reg_ssr \
                 WHERE provider_number IN ({PRACTICES})"
            );
            return Self::scan_sqlite(&path, &sql, |row| {
                each(
                    row.get_ref(0)?.as_str()?,
                    iso_date(row.get_ref(1)?.as_str()?)?,
                    row.get_ref(2)?.as_str()?,
                    row.get_ref(3)?.as_str()?,
                    1,
                );
                Ok(())
            });
        }
        let sql = format!(
            "SELECT pseudonym, contact_date, contact_type, provider_number, COUNT(*) FROM reg_ssr \
             WHERE provider_number IN ({PRACTICES}) GROUP BY 1, 2, 3, 4"
        );
        self.scan_postgres(
            &sql,
            |(pseudonym, date, kind, provider, n): (String, NaiveDate, String, String, i64)| {
                each(
                    &pseudonym,
                    date,
                    &kind,
                    &provider,
                    u64::try_from(n).unwrap_or(0),
                )
            },
        )
        .await
    }

    /// Every hospital contact, grouped by person (the rows of one person
    /// come together; their order is the caller's business).
    pub async fn lpr_contacts(&self, mut each: impl FnMut(LprContact)) -> Result<(), StoreError> {
        const SQL: &str = "SELECT pseudonym, contact_id, start_time, end_time, priority, sector, \
                           rehabilitation_plan, department_type, specialty, action_diagnosis, sor_unit \
                           FROM reg_lpr ORDER BY pseudonym";
        if let Some(path) = self.sqlite_file()? {
            return Self::scan_sqlite(&path, SQL, |row| {
                each(LprContact {
                    pseudonym: row.get(0)?,
                    contact_id: row.get(1)?,
                    start_time: iso_timestamp(row.get_ref(2)?.as_str()?)?,
                    end_time: iso_timestamp(row.get_ref(3)?.as_str()?)?,
                    priority: row.get(4)?,
                    sector: row.get(5)?,
                    rehabilitation_plan: row.get(6)?,
                    department_type: row.get(7)?,
                    specialty: row.get(8)?,
                    action_diagnosis: row.get(9)?,
                    sor_unit: row.get(10)?,
                });
                Ok(())
            });
        }
        type Row = (
            String,
            String,
            NaiveDateTime,
            NaiveDateTime,
            String,
            String,
            i16,
            String,
            String,
            String,
            String,
        );
        self.scan_postgres(
            SQL,
            |(
                pseudonym,
                contact_id,
                start_time,
                end_time,
                priority,
                sector,
                plan,
                department,
                specialty,
                diagnosis,
                sor_unit,
            ): Row| {
                each(LprContact {
                    pseudonym,
                    contact_id,
                    start_time,
                    end_time,
                    priority,
                    sector,
                    department_type: department,
                    specialty,
                    action_diagnosis: diagnosis,
                    rehabilitation_plan: plan,
                    sor_unit,
                })
            },
        )
        .await
    }

    /// Every listing with a practice, as (pseudonym, GP cluster of the
    /// practice — 0 when the provider register gives it none — provider
    /// number, first listed day, first day no longer listed).
    pub async fn gp_listings(
        &self,
        mut each: impl FnMut(&str, u16, &str, NaiveDate, Option<NaiveDate>),
    ) -> Result<(), StoreError> {
        const SQL: &str = "SELECT p.pseudonym, COALESCE(y.gp_cluster, 0), p.valid_from, \
                           p.valid_to, p.provider_number \
                           FROM reg_patient_list p \
                           JOIN reg_ydr y ON y.provider_number = p.provider_number";
        let cluster = |n: i64| {
            u16::try_from(n)
                .ok()
                .filter(|c| *c <= shared::dimension::MAX_GP_CLUSTER)
                .ok_or_else(|| StoreError::Corrupt(format!("not a GP cluster: {n}")))
        };
        if let Some(path) = self.sqlite_file()? {
            return Self::scan_sqlite(&path, SQL, |row| {
                each(
                    row.get_ref(0)?.as_str()?,
                    cluster(row.get(1)?)?,
                    row.get_ref(4)?.as_str()?,
                    iso_date(row.get_ref(2)?.as_str()?)?,
                    row.get_ref(3)?
                        .as_str_or_null()?
                        .map(iso_date)
                        .transpose()?,
                );
                Ok(())
            });
        }
        let mut failed = None;
        self.scan_postgres(
            SQL,
            |(pseudonym, n, from, to, provider): Listed| match cluster(n) {
                Ok(c) => each(&pseudonym, c, &provider, from, to),
                Err(e) => failed = Some(e),
            },
        )
        .await?;
        failed.map_or(Ok(()), Err)
    }

    /// Redeemed prescriptions of the nervous-system drugs (ATC N0…).
    pub async fn redemptions(
        &self,
        mut each: impl FnMut(Redemption<'_>),
    ) -> Result<(), StoreError> {
        const SQL: &str = "SELECT pseudonym, redemption_date, atc, ddd, product, package_size \
                           FROM reg_lsr WHERE atc LIKE 'N0%'";
        if let Some(path) = self.sqlite_file()? {
            return Self::scan_sqlite(&path, SQL, |row| {
                let package_size: i64 = row.get(5)?;
                each(Redemption {
                    pseudonym: row.get_ref(0)?.as_str()?,
                    date: iso_date(row.get_ref(1)?.as_str()?)?,
                    atc: row.get_ref(2)?.as_str()?,
                    ddd: row.get(3)?,
                    product: row.get_ref(4)?.as_str()?,
                    package_size: u32::try_from(package_size).unwrap_or(0),
                });
                Ok(())
            });
        }
        type Row = (String, NaiveDate, String, f64, String, i64);
        self.scan_postgres(
            SQL,
            |(pseudonym, date, atc, ddd, product, package_size): Row| {
                each(Redemption {
                    pseudonym: &pseudonym,
                    date,
                    atc: &atc,
                    ddd,
                    product: &product,
                    package_size: u32::try_from(package_size).unwrap_or(0),
                })
            },
        )
        .await
    }

    /// The municipal services each person received in each month, as
    /// (pseudonym, year, month, service); a person-month-service may come
    /// more than once.
    pub async fn care_services(
        &self,
        mut each: impl FnMut(&str, i32, u32, &str),
    ) -> Result<(), StoreError> {
        // `month` is text (YYYY-MM) in both engines.
        const SQL: &str = "SELECT DISTINCT pseudonym, month, service FROM reg_eoj";
        if let Some(path) = self.sqlite_file()? {
            return Self::scan_sqlite(&path, SQL, |row| {
                let (year, month) = year_month(row.get_ref(1)?.as_str()?)?;
                each(
                    row.get_ref(0)?.as_str()?,
                    year,
                    month,
                    row.get_ref(2)?.as_str()?,
                );
                Ok(())
            });
        }
        let mut failed = None;
        self.scan_postgres(
            SQL,
            |(pseudonym, month, service): (String, String, String)| match year_month(&month) {
                Ok((year, month)) => each(&pseudonym, year, month, &service),
                Err(e) => failed = Some(e),
            },
        )
        .await?;
        failed.map_or(Ok(()), Err)
    }
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(e: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}

/// One redeemed prescription (the prescription register).
#[derive(Clone, Copy, Debug)]
pub struct Redemption<'a> {
    /// The person.
    pub pseudonym: &'a str,
    /// Day of redemption.
    pub date: NaiveDate,
    /// ATC code.
    pub atc: &'a str,
    /// Defined daily doses.
    pub ddd: f64,
    /// Product name.
    pub product: &'a str,
    /// Units in the package.
    pub package_size: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_months_are_read_exactly() {
        assert_eq!(
            iso_date("2024-02-29").ok(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-02-29 ",
            "2024/02/29",
            "+024-02-01",
        ] {
            assert!(iso_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            iso_timestamp("2024-02-29 23:59:07").ok(),
            NaiveDate::from_ymd_opt(2024, 2, 29).and_then(|d| d.and_hms_opt(23, 59, 7))
        );
        for bad in [
            "2024-02-29T23:59:07",
            "2024-02-29 24:00:00",
            "2024-02-29 23:60:00",
            "2024-02-29 23:59:60",
            "2024-02-29 23:59",
            "2024-02-29 23:59:07 ",
            "2024-02-30 12:00:00",
            "2024-02-29 1:00:00",
        ] {
            assert!(iso_timestamp(bad).is_err(), "{bad}");
        }
        assert_eq!(year_month("2024-12").ok(), Some((2024, 12)));
        for bad in ["2024-13", "2024-00", "2024-1", "2024-011", "2024/01"] {
            assert!(year_month(bad).is_err(), "{bad}");
        }
    }
}
