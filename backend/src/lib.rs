//! Tværs backend: the pipeline from register extract to served tile.
//!
//! ```text
//! ingest → store → aggregate → tile → (release) → routes
//! ```
//!
//! [`ingest`] parses, validates and pseudonymises extracts; [`store`]
//! keeps them in SQLite or PostgreSQL; [`aggregate`] turns person-level
//! facts into cubes; [`tile`] writes cubes as content-addressed Arrow IPC;
//! [`release`] publishes a set of tiles; [`routes`] serves the API and the
//! SPA. [`generate`] makes synthetic extracts in the ingestion's formats.

pub mod aggregate;
pub mod auth;
pub mod config;
pub mod failpoint;
pub mod generate;
pub mod ingest;
pub mod release;
pub mod routes;
pub mod startup;
pub mod store;
pub mod tile;
