//! The register facts the aggregation reads, streamed row by row so that
//! memory does not grow with the registers.
//!
//! Each query is written once; where the engines' dialects differ (the
//! year of a date) the difference is one expression. Rows come in no
//! particular order unless a query says so: the aggregation sorts what it
//! needs itself, so both engines give the same cubes.

use chrono::NaiveDateTime;
use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::FromRow;

use super::{Store, StoreError};

/// Contacts of one person with general practice of one type in one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpContactCount {
    /// Pseudonym.
    pub pseudonym: String,
    /// Calendar year of the contacts.
    pub year: i32,
    /// Contact type code.
    pub contact_type: String,
    /// Number of contacts.
    pub contacts: i64,
}

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
    /// 1 if a rehabilitation plan was issued.
    pub rehabilitation_plan: i16,
}

/// A municipal service a person received in some month of a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareService {
    /// Pseudonym.
    pub pseudonym: String,
    /// Calendar year.
    pub year: i32,
    /// Service code.
    pub service: String,
}

impl Store {
    /// Runs `sql` and hands every row to `each`, as the rows arrive.
    async fn for_each_row<T, F>(&self, sql: &str, mut each: F) -> Result<(), StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
        F: FnMut(T),
    {
        with_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, T>(sql).fetch(pool);
            while let Some(row) = rows.try_next().await? {
                each(row);
            }
        });
        Ok(())
    }

    /// The calendar year of a date or timestamp column, in this engine's
    /// dialect.
    fn year_of(&self, column: &str) -> String {
        match self {
            Store::Sqlite(_) => format!("CAST(substr({column}, 1, 4) AS INTEGER)"),
            Store::Postgres(_) => format!("CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"),
        }
    }

    /// Contacts with general practice — SSR services of providers that are
    /// general practices in YDR — per person, year and contact type.
    pub async fn gp_contact_counts(
        &self,
        mut each: impl FnMut(GpContactCount),
    ) -> Result<(), StoreError> {
        let year = self.year_of("s.contact_date");
        let sql = format!(
            "SELECT s.pseudonym, {year} AS year, s.contact_type, COUNT(*) AS contacts \
             FROM reg_ssr s JOIN reg_ydr y ON y.provider_number = s.provider_number \
             WHERE y.provider_type = 'general_practice' \
             GROUP BY s.pseudonym, {year}, s.contact_type"
        );
        self.for_each_row(
            &sql,
            |(pseudonym, year, contact_type, contacts): (String, i32, String, i64)| {
                each(GpContactCount {
                    pseudonym,
                    year,
                    contact_type,
                    contacts,
                })
            },
        )
        .await
    }

    /// Every hospital contact, grouped by person (the rows of one person
    /// come together; their order is the caller's business).
    pub async fn lpr_contacts(&self, mut each: impl FnMut(LprContact)) -> Result<(), StoreError> {
        const SQL: &str = "SELECT pseudonym, contact_id, start_time, end_time, priority, sector, \
                           rehabilitation_plan FROM reg_lpr ORDER BY pseudonym";
        type Row = (
            String,
            String,
            NaiveDateTime,
            NaiveDateTime,
            String,
            String,
            i16,
        );
        self.for_each_row(
            SQL,
            |(pseudonym, contact_id, start_time, end_time, priority, sector, plan): Row| {
                each(LprContact {
                    pseudonym,
                    contact_id,
                    start_time,
                    end_time,
                    priority,
                    sector,
                    rehabilitation_plan: plan,
                })
            },
        )
        .await
    }

    /// The municipal services each person received in each year.
    pub async fn care_services(&self, mut each: impl FnMut(CareService)) -> Result<(), StoreError> {
        // `month` is text (YYYY-MM) in both engines.
        let sql =
            "SELECT DISTINCT pseudonym, CAST(substr(month, 1, 4) AS INTEGER) AS year, service \
                   FROM reg_eoj";
        self.for_each_row(sql, |(pseudonym, year, service): (String, i32, String)| {
            each(CareService {
                pseudonym,
                year,
                service,
            })
        })
        .await
    }
}
