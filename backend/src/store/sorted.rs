//! A keyed SQLite batch's rows, sorted by key outside the database.
//!
//! A keyed register's rows go into its table in key order, so that the
//! key index (and the table, which the aggregation scans in key order) is
//! appended to rather than written at random. SQLite's own sorter — an
//! `INSERT … SELECT … ORDER BY` from a staging table — took about 3 µs a
//! row at national size, more than reading and validating the row. Here a
//! row is encoded compactly as it arrives, runs of bounded memory are
//! sorted and spilled to anonymous temporary files (gone with the process,
//! whatever happens to it), and the runs are merged at the commit. An
//! extract that is sorted by its key already (LPR's by contact id) needs
//! none of it: into an empty register, rows are written as they come for
//! as long as they come in key order.
//!
//! The order is the one SQLite's index has for the stored values: text
//! compares byte by byte (the BINARY collation), whole numbers by value,
//! and empty values first. It affects only speed and the physical order
//! of rows, never what is stored.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use shared::register::Register;

use super::StoreError;
use crate::ingest::{Rows, Value};

/// Memory of the run being gathered before it is sorted and spilled.
const RUN_BYTES: usize = 64 << 20;

/// Room beyond a run's size for the row that fills it.
const RUN_SLACK: usize = 1 << 20;

/// Read buffer of each spilled run during the merge.
const RUN_READ_BUFFER: usize = 256 << 10;

/// A value as stored, borrowed from an encoded row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Stored<'a> {
    /// No value.
    Null,
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Real(f64),
    /// Text (UTF-8): codes, names, pseudonyms, dates and timestamps as
    /// SQLite keeps them. Bytes, so that reading a spilled row back does
    /// not check again what was a `str` when it was written.
    Text(&'a [u8]),
}

/// The rows of one batch, gathered for reading back in key order.
pub(super) struct SortedRows {
    key_positions: Vec<usize>,
    /// Encoded rows of the run being gathered, back to back.
    run: Vec<u8>,
    /// Per row of that run: the first eight bytes of its key (big-endian,
    /// zero-padded: most comparisons of the sort end there, without a
    /// look into `run`) and where the row starts in `run`.
    starts: Vec<(u64, usize)>,
    /// Runs spilled so far, each in key order.
    spilled: Vec<File>,
    /// While the rows come in key order (an extract sorted by its key):
    /// the key of the last of them. `None` once a row has broken the
    /// order, or when the batch was not to be written as it comes.
    streaming: Option<Vec<u8>>,
    /// The key of the row being checked.
    key_buffer: Vec<u8>,
}

impl SortedRows {
    /// Rows of `register`, to be ordered by its key columns.
    pub(super) fn new(register: &Register) -> SortedRows {
        SortedRows {
            key_positions: register
                .key_columns
                .iter()
                .filter_map(|k| register.position(k))
                .collect(),
            run: Vec::new(),
            starts: Vec::new(),
            spilled: Vec::new(),
            streaming: None,
            key_buffer: Vec::new(),
        }
    }

    /// Rows of `register` into a table that has none: as long as they
    /// come in key order, [`SortedRows::in_order`] lets them be written as
    /// they come, appending to the table's B-tree, with no sort.
    pub(super) fn streaming(register: &Register) -> SortedRows {
        SortedRows {
            streaming: Some(Vec::new()),
            ..SortedRows::new(register)
        }
    }

    /// How many of `rows`, from the first, continue the key order of the
    /// rows before them (all of them were written as they came). The rest,
    /// and every row after them, are to be pushed.
    pub(super) fn in_order(&mut self, rows: &Rows) -> usize {
        let Some(last) = &mut self.streaming else {
            return 0;
        };
        for (i, row) in rows.iter().enumerate() {
            self.key_buffer.clear();
            for p in &self.key_positions {
                encode_key(&mut self.key_buffer, &row[*p], rows.arena());
            }
            if !last.is_empty() && self.key_buffer <= *last {
                self.streaming = None;
                return i;
            }
            std::mem::swap(last, &mut self.key_buffer);
        }
        rows.len()
    }

    /// Adds a row (values in catalogue order, their text in `arena`).
    pub(super) fn push(&mut self, row: &[Value], arena: &[u8]) -> Result<(), StoreError> {
        if self.run.capacity() == 0 {
            // Room for a whole run at once: growing by doubling would copy
            // it, and touch twice the memory, on its way to the full size.
            self.run.reserve_exact(RUN_BYTES + RUN_SLACK);
        }
        let start = self.run.len();
        // [key length][key][row length][row]
        self.run.extend_from_slice(&[0; 4]);
        for p in &self.key_positions {
            encode_key(&mut self.run, &row[*p], arena);
        }
        let key_len = self.run.len() - start - 4;
        put_len(&mut self.run, start, key_len);
        self.starts.push((prefix(key(&self.run, start)), start));
        let body = self.run.len();
        self.run.extend_from_slice(&[0; 4]);
        let mut text = super::registers::Text::default();
        for value in row {
            encode_value(&mut self.run, value, arena, &mut text);
        }
        let body_len = self.run.len() - body - 4;
        put_len(&mut self.run, body, body_len);
        if self.run.len() >= RUN_BYTES {
            self.spill()?;
        }
        Ok(())
    }

    /// Sorts the gathered run and writes it to a temporary file.
    fn spill(&mut self) -> Result<(), StoreError> {
        self.sort_run();
        let io = StoreError::Spill;
        let mut file = BufWriter::with_capacity(1 << 20, tempfile::tempfile().map_err(io)?);
        for (_, start) in &self.starts {
            file.write_all(record(&self.run, *start)).map_err(io)?;
        }
        let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        self.spilled.push(file);
        self.run.clear();
        self.starts.clear();
        Ok(())
    }

    fn sort_run(&mut self) {
        let run = &self.run;
        self.starts
            // Unstable: no two rows of a batch that is published have the
            // same key (the validator checks).
            .sort_unstable_by(|(pa, a), (pb, b)| {
                pa.cmp(pb).then_with(|| key(run, *a).cmp(key(run, *b)))
            });
    }

    /// Hands every row to `each`, in key order, `group` rows at a time
    /// (fewer in the last call): their values back to back, borrowed from
    /// memory that stays put for the call.
    pub(super) fn for_each_in_order(
        mut self,
        group: usize,
        mut each: impl FnMut(&[Stored<'_>]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let group = group.max(1);
        if self.spilled.is_empty() {
            let mut values = Vec::new();
            self.sort_run();
            for rows in self.starts.chunks(group) {
                values.clear();
                for (_, start) in rows {
                    decode_row(body(record(&self.run, *start)), &mut values)?;
                }
                each(&values)?;
            }
            return Ok(());
        }
        if !self.run.is_empty() {
            self.spill()?;
        }
        let mut runs = Vec::with_capacity(self.spilled.len());
        for file in self.spilled {
            let mut run = Run {
                reader: BufReader::with_capacity(RUN_READ_BUFFER, file),
                record: Vec::new(),
                prefix: 0,
            };
            if run.next()? {
                runs.push(run);
            }
        }
        // The bodies of the group's rows, copied out of their runs (whose
        // buffers the next record overwrites), each after its length.
        let mut bodies = Vec::new();
        let mut in_group = 0;
        let mut values: Vec<Stored<'static>> = Vec::new();
        let mut hand_over = |bodies: &mut Vec<u8>| -> Result<(), StoreError> {
            let mut borrowed = recycle(std::mem::take(&mut values));
            let mut rest = &bodies[..];
            while !rest.is_empty() {
                let len = len_at(rest, 0);
                decode_row(&rest[4..4 + len], &mut borrowed)?;
                rest = &rest[4 + len..];
            }
            each(&borrowed)?;
            values = recycle(borrowed);
            bodies.clear();
            Ok(())
        };
        // Few runs (a run is tens of MB): the smallest head is found by a
        // scan.
        while !runs.is_empty() {
            let smallest =
                (1..runs.len()).fold(
                    0,
                    |best, i| {
                        if runs[i].before(&runs[best]) {
                            i
                        } else {
                            best
                        }
                    },
                );
            let record = &runs[smallest].record;
            let key_len = len_at(record, 0);
            bodies.extend_from_slice(&record[4 + key_len..]);
            in_group += 1;
            if in_group == group {
                hand_over(&mut bodies)?;
                in_group = 0;
            }
            if !runs[smallest].next()? {
                runs.swap_remove(smallest);
            }
        }
        if in_group > 0 {
            hand_over(&mut bodies)?;
        }
        Ok(())
    }
}

/// An emptied vector of values, free of the borrow its values had (the
/// allocation is kept).
fn recycle(mut values: Vec<Stored<'_>>) -> Vec<Stored<'static>> {
    values.clear();
    values.into_iter().map(|_| Stored::Null).collect()
}

/// A spilled run being merged, with its current record.
struct Run {
    reader: BufReader<File>,
    record: Vec<u8>,
    /// The [`prefix`] of the record's key.
    prefix: u64,
}

impl Run {
    /// Whether the current record's key comes before `other`'s.
    fn before(&self, other: &Run) -> bool {
        self.prefix < other.prefix
            || (self.prefix == other.prefix && key(&self.record, 0) < key(&other.record, 0))
    }
}

impl Run {
    /// Reads the next record; `false` at the end of the run.
    fn next(&mut self) -> Result<bool, StoreError> {
        let io = StoreError::Spill;
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(io(e)),
        }
        let key_len = u32::from_le_bytes(len) as usize;
        self.record.clear();
        self.record.extend_from_slice(&len);
        self.record.resize(4 + key_len + 4, 0);
        self.reader.read_exact(&mut self.record[4..]).map_err(io)?;
        let body_len = u32::from_le_bytes(
            self.record[4 + key_len..]
                .try_into()
                .expect("four bytes read"),
        ) as usize;
        let at = self.record.len();
        self.record.resize(at + body_len, 0);
        self.reader.read_exact(&mut self.record[at..]).map_err(io)?;
        self.prefix = prefix(key(&self.record, 0));
        Ok(true)
    }
}

fn put_len(buffer: &mut [u8], at: usize, len: usize) {
    let len = u32::try_from(len).expect("a row is less than 4 GB");
    buffer[at..at + 4].copy_from_slice(&len.to_le_bytes());
}

fn len_at(buffer: &[u8], at: usize) -> usize {
    u32::from_le_bytes(buffer[at..at + 4].try_into().expect("four bytes")) as usize
}

/// The whole encoded record starting at `start`.
fn record(buffer: &[u8], start: usize) -> &[u8] {
    let key_len = len_at(buffer, start);
    let body_len = len_at(buffer, start + 4 + key_len);
    &buffer[start..start + 4 + key_len + 4 + body_len]
}

/// The key of the record starting at `start`.
/// The first eight bytes of `key`, zero-padded, as a number that orders
/// as the bytes do (keys equal in it are compared whole).
fn prefix(key: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    let n = key.len().min(8);
    bytes[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(bytes)
}

fn key(buffer: &[u8], start: usize) -> &[u8] {
    &buffer[start + 4..start + 4 + len_at(buffer, start)]
}

/// The encoded values of a record.
fn body(record: &[u8]) -> &[u8] {
    let key_len = len_at(record, 0);
    &record[4 + key_len + 4..]
}

/// Appends `value` so that keys compare as SQLite orders them: empty
/// values first, then numbers, then text (ended by a zero byte, which no
/// validated text contains, so a shorter text sorts before its
/// extensions).
fn encode_key(out: &mut Vec<u8>, value: &Value, arena: &[u8]) {
    let mut text = super::registers::Text::default();
    match stored(value, arena, &mut text) {
        Stored::Null => out.push(0),
        Stored::Int(v) => {
            out.push(1);
            out.extend_from_slice(&((v as u64) ^ (1 << 63)).to_be_bytes());
        }
        Stored::Real(v) => {
            out.push(1);
            let bits = v.to_bits();
            let ordered = if v.is_sign_negative() {
                !bits
            } else {
                bits ^ (1 << 63)
            };
            out.extend_from_slice(&ordered.to_be_bytes());
        }
        Stored::Text(v) => {
            out.push(2);
            out.extend_from_slice(v);
            out.push(0);
        }
    }
}

/// The value as SQLite stores it (dates have four-digit years: ingestion
/// accepts 1850 to today).
pub(super) fn stored<'a>(
    value: &'a Value,
    arena: &'a [u8],
    text: &'a mut super::registers::Text,
) -> Stored<'a> {
    match value {
        Value::Null => Stored::Null,
        Value::Text(_) | Value::Code(_) => {
            Stored::Text(value.bytes(arena).expect("text values have bytes"))
        }
        Value::Int(v) => Stored::Int(*v),
        Value::Real(v) => Stored::Real(*v),
        Value::Date(v) => Stored::Text(text.date(*v)),
        Value::Timestamp(v) => Stored::Text(text.timestamp(*v)),
    }
}

/// Appends `value`: a tag byte, then eight bytes of a number or the
/// length and bytes of a text.
fn encode_value(out: &mut Vec<u8>, value: &Value, arena: &[u8], text: &mut super::registers::Text) {
    match stored(value, arena, text) {
        Stored::Null => out.push(0),
        Stored::Int(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_le_bytes());
        }
        Stored::Real(v) => {
            out.push(2);
            out.extend_from_slice(&v.to_le_bytes());
        }
        Stored::Text(v) => {
            out.push(3);
            let len = u32::try_from(v.len()).expect("a value is less than 4 GB");
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(v);
        }
    }
}

/// Decodes the values of a record's body onto the end of `values`.
fn decode_row<'a>(mut body: &'a [u8], values: &mut Vec<Stored<'a>>) -> Result<(), StoreError> {
    let corrupt = || StoreError::Corrupt("a sorted batch's record is cut short".into());
    while let Some((&tag, rest)) = body.split_first() {
        let (value, rest) = match tag {
            0 => (Stored::Null, rest),
            1 | 2 => {
                let (bytes, rest) = rest.split_at_checked(8).ok_or_else(corrupt)?;
                let bytes: [u8; 8] = bytes.try_into().expect("eight bytes");
                let value = if tag == 1 {
                    Stored::Int(i64::from_le_bytes(bytes))
                } else {
                    Stored::Real(f64::from_le_bytes(bytes))
                };
                (value, rest)
            }
            _ => {
                let (len, rest) = rest.split_at_checked(4).ok_or_else(corrupt)?;
                let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
                let (text, rest) = rest.split_at_checked(len).ok_or_else(corrupt)?;
                (Stored::Text(text), rest)
            }
        };
        values.push(value);
        body = rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use shared::register::RegisterId;

    /// Appends a CPR row to `rows`.
    fn cpr_row(rows: &mut Rows, pseudonym: &str, day: u32, municipality: i64) {
        let date = |y, m, d| Value::Date(NaiveDate::from_ymd_opt(y, m, d).expect("date"));
        let pseudonym = rows.text(pseudonym);
        let address = rows.text("a-1");
        rows.push([
            pseudonym,
            date(1950, 6, 1),
            Value::Code(&"K"),
            Value::Int(municipality),
            address,
            date(2020, 1, day),
            Value::Null,
            Value::Code(&"G"),
            Value::Code(&"01"),
            Value::Null,
        ]);
    }

    /// Pushes one CPR row into `sorted`.
    fn push_cpr_row(sorted: &mut SortedRows, pseudonym: &str, day: u32, municipality: i64) {
        let mut row = Rows::with_capacity(10, 1);
        cpr_row(&mut row, pseudonym, day, municipality);
        sorted.push(row.values(), row.arena()).expect("push");
    }

    /// The rows' pseudonyms, `valid_from`s and municipalities in the
    /// order they come back, `group` rows at a time.
    fn in_order(rows: SortedRows, group: usize) -> Vec<(String, String, i64)> {
        let mut out = Vec::new();
        let mut short_groups = 0;
        rows.for_each_in_order(group, |values| {
            assert_eq!(values.len() % 10, 0, "whole rows");
            if values.len() < group * 10 {
                short_groups += 1;
            }
            for values in values.chunks_exact(10) {
                let text = |i: usize| match values[i] {
                    Stored::Text(t) => String::from_utf8(t.to_vec()).expect("UTF-8"),
                    other => panic!("not text: {other:?}"),
                };
                let Stored::Int(municipality) = values[3] else {
                    panic!("not a number: {:?}", values[3]);
                };
                assert_eq!(values[6], Stored::Null);
                out.push((text(0), text(5), municipality));
            }
            Ok(())
        })
        .expect("in order");
        assert!(short_groups <= 1, "only the last group is short");
        out
    }

    #[test]
    fn rows_come_back_whole_in_key_order() {
        for group in [1, 3] {
            rows_come_back_whole_in_key_order_in_groups_of(group);
        }
    }

    fn rows_come_back_whole_in_key_order_in_groups_of(group: usize) {
        let cpr = RegisterId::Cpr.def();
        let mut rows = SortedRows::new(cpr);
        // A shorter pseudonym sorts before its extension; keys alike in
        // their first eight bytes are told apart by the rest; the second
        // key column decides between rows of one person.
        let pushed = [
            ("b", 2, 101),
            ("abcdefghij2", 1, 147),
            ("a", 9, 751),
            ("abcdefg", 3, 250),
            ("b", 1, 461),
            ("abcdefghij1", 5, 330),
            ("ab", 1, 147),
        ];
        for (p, day, m) in pushed {
            push_cpr_row(&mut rows, p, day, m);
        }
        let mut expected: Vec<_> = pushed
            .iter()
            .map(|(p, day, m)| (p.to_string(), format!("2020-01-{day:02}"), *m))
            .collect();
        expected.sort();
        assert_eq!(expected[0].0, "a");
        assert_eq!(in_order(rows, group), expected);
    }

    #[test]
    fn spilled_runs_merge_into_one_order() {
        // Groups of 1, of 32 (as a many-row INSERT takes) and of a size
        // that leaves a short last group.
        for group in [1, 32, 7] {
            spilled_runs_merge_into_one_order_in_groups_of(group);
        }
    }

    fn spilled_runs_merge_into_one_order_in_groups_of(group: usize) {
        let cpr = RegisterId::Cpr.def();
        let mut rows = SortedRows::new(cpr);
        // Pseudo-random keys across several spilled runs and the last,
        // unspilled one.
        let mut expected = Vec::new();
        let mut x: u64 = 7;
        for i in 0..5000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Every tenth key shares its first eight bytes with others:
            // the merge then compares whole keys.
            let pseudonym = if i % 10 == 0 {
                format!("0000000{:09x}", x >> 28)
            } else {
                format!("{:016x}", x >> 5)
            };
            push_cpr_row(&mut rows, &pseudonym, 1 + (i % 28) as u32, i64::from(i));
            expected.push((
                pseudonym,
                format!("2020-01-{:02}", 1 + i % 28),
                i64::from(i),
            ));
            if i % 1200 == 1199 {
                rows.spill().expect("spill");
            }
        }
        assert_eq!(rows.spilled.len(), 4);
        expected.sort();
        assert_eq!(in_order(rows, group), expected);
    }

    #[test]
    fn rows_in_key_order_are_let_through_until_one_breaks_it() {
        let cpr = RegisterId::Cpr.def();
        let rows = |keys: &[(&str, u32)]| {
            let mut rows = Rows::with_capacity(cpr.columns.len(), keys.len());
            for (p, day) in keys {
                cpr_row(&mut rows, p, *day, 101);
            }
            rows
        };
        let mut streaming = SortedRows::streaming(cpr);
        assert_eq!(
            streaming.in_order(&rows(&[("a", 1), ("a", 2), ("b", 1)])),
            3
        );
        // The order holds across chunks; a key equal to the last one's
        // breaks it as a smaller one does.
        assert_eq!(
            streaming.in_order(&rows(&[("c", 1), ("c", 1), ("d", 1)])),
            1
        );
        // Once broken, every later row is pushed, in order or not.
        assert_eq!(streaming.in_order(&rows(&[("e", 1)])), 0);
        // A batch into a register that has rows is always sorted.
        let mut sorting = SortedRows::new(cpr);
        assert_eq!(sorting.in_order(&rows(&[("a", 1), ("b", 1)])), 0);
    }

    #[test]
    fn keys_order_numbers_by_value_and_empty_values_first() {
        let mut text = Rows::with_capacity(1, 1);
        let a = text.text("a");
        let encoded = |v: Value| {
            let mut out = Vec::new();
            encode_key(&mut out, &v, text.arena());
            out
        };
        let mut keys = [
            encoded(Value::Int(5)),
            encoded(Value::Int(-3)),
            encoded(a),
            encoded(Value::Null),
            encoded(Value::Real(-0.5)),
            encoded(Value::Real(2.5)),
        ];
        keys.sort();
        assert_eq!(keys[0], encoded(Value::Null));
        assert_eq!(keys[5], encoded(a));
        assert!(encoded(Value::Int(-3)) < encoded(Value::Int(5)));
        assert!(encoded(Value::Real(-0.5)) < encoded(Value::Real(2.5)));
    }
}
