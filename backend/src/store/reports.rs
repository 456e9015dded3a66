//! Saved reports of signed-in users. Who may see or change one is decided
//! by the caller (`routes::reports`); the store only keeps them.

use super::{Store, StoreError};

/// A saved report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReport {
    /// Random id (32 hex digits).
    pub id: String,
    /// Issuer and subject of its owner's token.
    pub owner: String,
    /// The organisation it may be shared with.
    pub organisation: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The portal address of the view.
    pub view: String,
    /// Whether the organisation's other users see it.
    pub shared: bool,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// What a rename or share changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportChange {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Shared or private.
    pub shared: Option<bool>,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    String,
);

impl From<Row> for SavedReport {
    fn from(r: Row) -> SavedReport {
        SavedReport {
            id: r.0,
            owner: r.1,
            organisation: r.2,
            name: r.3,
            description: r.4,
            view: r.5,
            shared: r.6,
            created_at: r.7,
            updated_at: r.8,
        }
    }
}

const COLUMNS: &str =
    "id, owner, organisation, name, description, view, shared, created_at, updated_at";

impl Store {
    /// Keeps a new report.
    pub async fn insert_report(&self, r: &SavedReport) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO saved_reports ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        with_pool!(self, pool => {
            sqlx::query(&sql)
                .bind(&r.id)
                .bind(&r.owner)
                .bind(&r.organisation)
                .bind(&r.name)
                .bind(&r.description)
                .bind(&r.view)
                .bind(r.shared)
                .bind(&r.created_at)
                .bind(&r.updated_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// One report by id, whoever owns it.
    pub async fn report(&self, id: &str) -> Result<Option<SavedReport>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM saved_reports WHERE id = $1");
        let row: Option<Row> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(SavedReport::from))
    }

    /// The reports `owner` keeps and those shared with `organisation`,
    /// newest change first.
    pub async fn reports_visible(
        &self,
        owner: &str,
        organisation: &str,
    ) -> Result<Vec<SavedReport>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM saved_reports \
             WHERE owner = $1 OR (shared AND organisation = $2) \
             ORDER BY updated_at DESC, id"
        );
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(owner).bind(organisation).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(SavedReport::from).collect())
    }

    /// Applies `change` to report `id`; returns the report as it is now.
    pub async fn update_report(
        &self,
        id: &str,
        change: &ReportChange,
        now: &str,
    ) -> Result<Option<SavedReport>, StoreError> {
        const SQL: &str = "UPDATE saved_reports SET \
             name = COALESCE($2, name), description = COALESCE($3, description), \
             shared = COALESCE($4, shared), updated_at = $5 WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(id)
                .bind(change.name.as_deref())
                .bind(change.description.as_deref())
                .bind(change.shared)
                .bind(now)
                .execute(pool)
                .await?;
        });
        self.report(id).await
    }

    /// Deletes report `id`.
    pub async fn delete_report(&self, id: &str) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM saved_reports WHERE id = $1").bind(id).execute(pool).await?;
        });
        Ok(())
    }
}
