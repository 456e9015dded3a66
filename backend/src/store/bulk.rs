//! A prepared SQLite INSERT that binds text where it lies.
//!
//! rusqlite binds every text with `SQLITE_TRANSIENT`: SQLite allocates
//! memory for it, copies it there, and frees that memory at the next bind.
//! In a bulk insert that is most of what binding costs, and binding was a
//! fifth of an LPR extract's time. Here text that stays where it is for as
//! long as the parameters are bound is bound with `SQLITE_STATIC`, without
//! a copy, and the bindings are cleared when [`Bindings`] is dropped, so
//! SQLite never holds a pointer into memory that may have been freed.
//!
//! This is the only module of the workspace with `unsafe` code: calls into
//! SQLite's C API, on the connection rusqlite opened.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use rusqlite::ffi;

/// A prepared statement on a connection, run with all its parameters
/// bound.
pub(super) struct Insert<'c> {
    conn: &'c rusqlite::Connection,
    statement: NonNull<ffi::sqlite3_stmt>,
    parameters: c_int,
}

impl<'c> Insert<'c> {
    /// Prepares `sql` (one statement) on `conn`.
    pub(super) fn prepare(conn: &'c rusqlite::Connection, sql: &str) -> rusqlite::Result<Self> {
        let len = c_int::try_from(sql.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))?;
        let mut statement = ptr::null_mut();
        // SAFETY: the connection's handle is valid while `conn` is
        // borrowed; `sql` is valid for `len` bytes, and SQLite reads no
        // further; `statement` receives the new statement or null.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                conn.handle(),
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut statement,
                ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(conn, rc));
        }
        let statement = NonNull::new(statement)
            .ok_or_else(|| failure(ffi::SQLITE_MISUSE, Some("no statement in the SQL")))?;
        // SAFETY: a valid statement.
        let parameters = unsafe { ffi::sqlite3_bind_parameter_count(statement.as_ptr()) };
        Ok(Insert {
            conn,
            statement,
            parameters,
        })
    }

    /// Starts binding the parameters, in order, for one run; text bound
    /// with [`Bindings::text`] must live as long as `'v`.
    pub(super) fn bindings<'s, 'v>(&'s mut self) -> Bindings<'s, 'c, 'v> {
        Bindings {
            insert: self,
            bound: 0,
            text: PhantomData,
        }
    }
}

impl Drop for Insert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is finalized once, here, while its
        // connection is still borrowed.
        unsafe {
            ffi::sqlite3_finalize(self.statement.as_ptr());
        }
    }
}

/// The parameters of one run of an [`Insert`], bound one after another.
/// Dropped — run or not — it resets the statement and clears every
/// binding.
pub(super) struct Bindings<'s, 'c, 'v> {
    insert: &'s mut Insert<'c>,
    bound: c_int,
    /// Text bound in place is borrowed for `'v`, which outlives `self`.
    text: PhantomData<&'v [u8]>,
}

impl<'v> Bindings<'_, '_, 'v> {
    /// Binds text that stays where it is while `self` lives (no copy).
    pub(super) fn text(&mut self, text: &'v [u8]) -> rusqlite::Result<()> {
        // SAFETY: the text is borrowed for `'v`, which outlives `self`,
        // whose drop clears the binding: SQLite reads it only while it is
        // valid.
        unsafe { self.bind_text(text, ffi::SQLITE_STATIC()) }
    }

    /// Binds text that SQLite copies before this returns (for a buffer
    /// that is reused for the next value).
    pub(super) fn copied(&mut self, text: &[u8]) -> rusqlite::Result<()> {
        // SAFETY: `SQLITE_TRANSIENT` makes SQLite copy the text before it
        // returns.
        unsafe { self.bind_text(text, ffi::SQLITE_TRANSIENT()) }
    }

    /// Binds `text` as the next parameter, with `destructor` telling
    /// SQLite what to do with it.
    ///
    /// # Safety
    ///
    /// With `SQLITE_STATIC`, `text` must stay valid and unchanged until
    /// the binding is cleared (when `self` is dropped).
    unsafe fn bind_text(
        &mut self,
        text: &[u8],
        destructor: ffi::sqlite3_destructor_type,
    ) -> rusqlite::Result<()> {
        let len = text_len(text)?;
        let (statement, at) = self.next()?;
        // SAFETY: a valid statement and a parameter within its count; the
        // text's lifetime is the caller's promise.
        let rc =
            unsafe { ffi::sqlite3_bind_text(statement, at, text.as_ptr().cast(), len, destructor) };
        self.check(rc)
    }

    pub(super) fn int(&mut self, value: i64) -> rusqlite::Result<()> {
        let (statement, at) = self.next()?;
        // SAFETY: a valid statement and a parameter within its count.
        let rc = unsafe { ffi::sqlite3_bind_int64(statement, at, value) };
        self.check(rc)
    }

    pub(super) fn real(&mut self, value: f64) -> rusqlite::Result<()> {
        let (statement, at) = self.next()?;
        // SAFETY: a valid statement and a parameter within its count.
        let rc = unsafe { ffi::sqlite3_bind_double(statement, at, value) };
        self.check(rc)
    }

    pub(super) fn null(&mut self) -> rusqlite::Result<()> {
        let (statement, at) = self.next()?;
        // SAFETY: a valid statement and a parameter within its count.
        let rc = unsafe { ffi::sqlite3_bind_null(statement, at) };
        self.check(rc)
    }

    /// Runs the statement to its end; every parameter must be bound.
    pub(super) fn execute(self) -> rusqlite::Result<()> {
        if self.bound != self.insert.parameters {
            return Err(failure(
                ffi::SQLITE_MISUSE,
                Some("fewer values than parameters"),
            ));
        }
        // SAFETY: a valid statement with every parameter bound in this
        // run (text bound in place is still valid: `self` lives).
        let rc = unsafe { ffi::sqlite3_step(self.insert.statement.as_ptr()) };
        if rc == ffi::SQLITE_DONE {
            Ok(())
        } else {
            Err(error(self.insert.conn, rc))
        }
    }

    /// The statement and the next parameter's index, counted as bound.
    fn next(&mut self) -> rusqlite::Result<(*mut ffi::sqlite3_stmt, c_int)> {
        if self.bound == self.insert.parameters {
            return Err(failure(
                ffi::SQLITE_MISUSE,
                Some("more values than parameters"),
            ));
        }
        self.bound += 1;
        Ok((self.insert.statement.as_ptr(), self.bound))
    }

    fn check(&self, rc: c_int) -> rusqlite::Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(error(self.insert.conn, rc))
        }
    }
}

impl Drop for Bindings<'_, '_, '_> {
    fn drop(&mut self) {
        // SAFETY: a valid statement. Resetting makes it ready to run
        // again; clearing the bindings drops SQLite's pointers to text
        // bound in place before that text's borrow ends.
        unsafe {
            let statement = self.insert.statement.as_ptr();
            ffi::sqlite3_reset(statement);
            ffi::sqlite3_clear_bindings(statement);
        }
    }
}

fn text_len(text: &[u8]) -> rusqlite::Result<c_int> {
    c_int::try_from(text.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))
}

fn failure(code: c_int, message: Option<&str>) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message.map(str::to_string))
}

/// The connection's error for the result code `rc`, with its message.
fn error(conn: &rusqlite::Connection, rc: c_int) -> rusqlite::Error {
    // SAFETY: a valid connection; the message is a NUL-terminated string
    // that SQLite keeps until the next call on the connection, and it is
    // copied at once.
    let message = unsafe {
        let message = ffi::sqlite3_errmsg(conn.handle());
        (!message.is_null()).then(|| CStr::from_ptr(message).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        conn.execute_batch("CREATE TABLE t (a TEXT NOT NULL, b INTEGER, c REAL, d TEXT)")
            .expect("create");
        conn
    }

    /// A row of the test table.
    type Row = (String, Option<i64>, Option<f64>, Option<String>);

    fn rows(conn: &rusqlite::Connection) -> Vec<Row> {
        let mut select = conn
            .prepare("SELECT a, b, c, d FROM t ORDER BY rowid")
            .expect("prepare");
        select
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    #[test]
    fn every_kind_of_value_is_stored_as_bound() {
        let conn = table();
        let mut insert = Insert::prepare(
            &conn,
            "INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
        )
        .expect("prepare");
        for round in 0..2 {
            // Text bound in place lives only for its run: freed (and its
            // memory reused) before the next one.
            let in_place = format!("in place {round}");
            let mut buffer = b"copied 0".to_vec();
            let mut bindings = insert.bindings();
            bindings.text(in_place.as_bytes()).expect("text");
            bindings.int(-7).expect("int");
            bindings.real(2.5).expect("real");
            buffer[7] = b'0' + round;
            bindings.copied(&buffer).expect("copied");
            buffer.fill(b'x'); // copied already: not what is stored
            bindings.text("æøå".as_bytes()).expect("text");
            bindings.null().expect("null");
            bindings.null().expect("null");
            bindings.text(b"").expect("empty text");
            bindings.execute().expect("run");
            drop(in_place);
        }
        let got = rows(&conn);
        let row = |a: &str, d: &str| (a.to_string(), Some(-7), Some(2.5), Some(d.to_string()));
        let other = ("æøå".to_string(), None, None, Some(String::new()));
        assert_eq!(
            got,
            vec![
                row("in place 0", "copied 0"),
                other.clone(),
                row("in place 1", "copied 1"),
                other
            ]
        );
    }

    #[test]
    fn a_run_needs_every_parameter_and_reports_sqlites_errors() {
        let conn = table();
        let mut insert =
            Insert::prepare(&conn, "INSERT INTO t (a, b) VALUES (?, ?)").expect("prepare");

        let mut bindings = insert.bindings();
        bindings.text(b"a").expect("text");
        let err = bindings.execute().expect_err("one value short");
        assert!(err.to_string().contains("fewer values"), "{err}");

        let mut bindings = insert.bindings();
        bindings.int(1).expect("int");
        bindings.int(2).expect("int");
        let err = bindings.int(3).expect_err("one value too many");
        assert!(err.to_string().contains("more values"), "{err}");
        drop(bindings);

        // A constraint fails with SQLite's own message; the statement runs
        // again afterwards.
        let mut bindings = insert.bindings();
        bindings.null().expect("null");
        bindings.int(1).expect("int");
        let err = bindings.execute().expect_err("a is NOT NULL");
        assert!(
            err.to_string().contains("NOT NULL constraint failed: t.a"),
            "{err}"
        );
        let mut bindings = insert.bindings();
        bindings.text(b"ok").expect("text");
        bindings.int(1).expect("int");
        bindings.execute().expect("runs again");
        assert_eq!(rows(&conn), vec![("ok".to_string(), Some(1), None, None)]);

        let err = Insert::prepare(&conn, "INSERT INTO missing VALUES (?)")
            .err()
            .expect("no table");
        assert!(err.to_string().contains("no such table: missing"), "{err}");
    }
}
