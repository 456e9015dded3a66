//! Validation at the door, driven by the register catalogue: every column
//! is checked against its type, code list, shape and bounds; rules across
//! columns, unique row keys within a batch and references to other
//! registers are checked per row. CPR numbers become pseudonyms here, and
//! no reason ever repeats a CPR number.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use chrono::{NaiveDate, NaiveDateTime};
use shared::geography;
use shared::register::{ColumnType, Register, RowRule};

use super::extract::Row;
use super::pseudonym::{Cpr, PseudonymKey, Pseudonymiser};

/// A validated value, typed as the store keeps it; `None` is an empty
/// optional value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text: shaped values, names, pseudonyms, months.
    Text(Option<Str>),
    /// A code of the column's code list (held without a copy).
    Code(&'static str),
    /// Whole numbers, flags, municipality and region codes.
    Int(Option<i64>),
    /// Decimal numbers.
    Real(Option<f64>),
    /// Dates.
    Date(Option<NaiveDate>),
    /// Timestamps (no time zone: Danish local time, as registered).
    Timestamp(Option<NaiveDateTime>),
}

/// Validated rows, their values back to back (`width` to a row, in
/// catalogue order): a chunk of rows is one allocation, not one per row,
/// and is handed back to the reader to be filled again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    width: usize,
    values: Vec<Value>,
}

impl Rows {
    /// Room for `rows` rows of `width` values.
    pub fn with_capacity(width: usize, rows: usize) -> Rows {
        Rows {
            width,
            values: Vec::with_capacity(width * rows),
        }
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Values to a row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The values of every row, back to back.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The rows, each its values.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Value> {
        self.values.chunks_exact(self.width.max(1))
    }

    /// Appends a row of `width` values.
    pub fn push(&mut self, row: impl IntoIterator<Item = Value>) {
        let start = self.values.len();
        self.values.extend(row);
        assert_eq!(
            self.values.len() - start,
            self.width,
            "a row of another width"
        );
    }

    /// Empties the rows, keeping the allocation.
    pub fn clear(&mut self) {
        self.values.clear();
    }
}

/// The text of a value: held inline up to [`Str::INLINE`] bytes (a
/// pseudonym, a provider number, a diagnosis code), so that most rows
/// allocate nothing for their text; on the heap when longer.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; Str::INLINE] },
    Heap(Box<str>),
}

impl Str {
    /// The longest text held inline: a pseudonym's 32 hex digits.
    pub const INLINE: usize = 32;

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)])
                .expect("inline text was a str when it was made"),
            Repr::Heap(s) => s,
        }
    }

    /// The text's UTF-8 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(s) => s.as_bytes(),
        }
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        if s.len() <= Str::INLINE {
            let mut bytes = [0; Str::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Str(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Str(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        if s.len() <= Str::INLINE {
            Str::from(s.as_str())
        } else {
            Str(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Value {
    /// Whether the value is empty.
    pub fn is_none(&self) -> bool {
        match self {
            Value::Text(v) => v.is_none(),
            Value::Code(_) => false,
            Value::Int(v) => v.is_none(),
            Value::Real(v) => v.is_none(),
            Value::Date(v) => v.is_none(),
            Value::Timestamp(v) => v.is_none(),
        }
    }

    /// The empty value of a column type.
    fn none(kind: ColumnType) -> Value {
        match kind {
            ColumnType::Integer { .. }
            | ColumnType::Flag
            | ColumnType::Municipality
            | ColumnType::Region => Value::Int(None),
            ColumnType::Decimal { .. } => Value::Real(None),
            ColumnType::Date => Value::Date(None),
            ColumnType::Timestamp => Value::Timestamp(None),
            _ => Value::Text(None),
        }
    }

    /// A moment to compare in ordering rules (dates at midnight).
    fn moment(&self) -> Option<NaiveDateTime> {
        match self {
            Value::Date(d) => d.and_then(|d| d.and_hms_opt(0, 0, 0)),
            Value::Timestamp(t) => *t,
            _ => None,
        }
    }

    /// Feeds the value to a hasher (for row keys), without allocating.
    fn hash_into(&self, h: &mut impl Hasher) {
        std::mem::discriminant(self).hash(h);
        match self {
            Value::Text(v) => v.hash(h),
            Value::Code(v) => v.hash(h),
            Value::Int(v) => v.hash(h),
            Value::Real(v) => v.map(f64::to_bits).hash(h),
            Value::Date(v) => v.hash(h),
            Value::Timestamp(v) => v.hash(h),
        }
    }

    /// The value as text, for code rules.
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Text(Some(v)) => return std::borrow::Cow::Borrowed(v.as_str()),
            Value::Code(v) => return std::borrow::Cow::Borrowed(v),
            _ => {}
        }
        std::borrow::Cow::Owned(self.owned_text())
    }

    /// The value's text as bytes, for references.
    fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Value::Text(Some(v)) => std::borrow::Cow::Borrowed(v.as_bytes()),
            Value::Code(v) => std::borrow::Cow::Borrowed(v.as_bytes()),
            _ => std::borrow::Cow::Owned(self.owned_text().into_bytes()),
        }
    }

    fn owned_text(&self) -> String {
        match self {
            Value::Text(v) => v
                .as_ref()
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            Value::Code(v) => (*v).to_string(),
            Value::Int(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Value::Real(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Value::Date(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Value::Timestamp(v) => v.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// The number of the ASCII digits `b`, if they are all digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// `YYYY-MM-DD`, strictly (a hand-written parser: dates are most of an
/// extract's values, and chrono's format parser is several times slower).
fn parse_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(&b[..4])?).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// `YYYY-MM-DDTHH:MM[:SS]`, with `T` or a space between date and time.
fn parse_timestamp(b: &[u8]) -> Option<NaiveDateTime> {
    if !(b.len() == 16 || b.len() == 19) || !matches!(b[10], b'T' | b' ') || b[13] != b':' {
        return None;
    }
    let seconds = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        digits(&b[17..19])?
    } else {
        0
    };
    parse_date(&b[..10])?.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, seconds)
}

/// Validates the rows of one batch of one register.
pub struct Validator {
    register: &'static Register,
    pseudonymiser: Pseudonymiser,
    earliest: NaiveDate,
    latest: NaiveDate,
    /// Per column: the values another register holds, for references,
    /// as bytes (looked up by a value's bytes, with no check that they
    /// are UTF-8 again: a fortieth of an `ssr` extract's time).
    known: Vec<Option<HashSet<Box<[u8]>, foldhash::fast::RandomState>>>,
    /// How row keys are checked for repeats.
    key_check: KeyCheck,
    /// [`KeyCheck::Exact`]: row keys seen in this batch (128-bit XXH3
    /// hashes of the key's values, as two halves: 24 bytes an entry with
    /// the line, not 32) and their lines, in [`KEY_SHARDS`] tables by the
    /// hash's top byte. Each table grows on its own, a small step at a
    /// time, into memory the allocator has just freed; one table of ten
    /// million keys would double into fresh memory, copying all of itself
    /// each time.
    seen: Vec<HashMap<[u64; 2], u64, BuildHasherDefault<KeyHashHasher>>>,
    /// [`KeyCheck::Gathered`]: the hashes of the row keys, in
    /// [`KEY_SHARDS`] lists by the hash's top byte (each small enough to
    /// be sorted in the processor's cache at the end).
    gathered: Vec<Vec<[u64; 2]>>,
    /// While the row keys come in strictly increasing order (of the bytes
    /// hashed), as an extract sorted by its key does: the last key, and
    /// every key's hash and line. No key can then repeat an earlier one,
    /// so none is looked up; the first key out of order moves them into
    /// `seen`.
    ordered: Option<OrderedKeys>,
    /// The key values of the row being checked, as the bytes hashed.
    key_bytes: Vec<u8>,
    key_positions: Vec<usize>,
    /// Per rule of the register: the positions of the two columns it
    /// names.
    rule_positions: Vec<(usize, usize)>,
}

/// How a [`Validator`] checks that no row key repeats in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// The keys' hashes are gathered and compared once, after the last row
    /// ([`Validator::repeated_keys`]): no lookup per row, which in a
    /// national extract is a cache miss into tables of millions of keys
    /// (an eighth of a CPR extract's time). Which rows repeat a key is not
    /// known then: a batch whose keys repeat is read again with
    /// [`KeyCheck::Exact`].
    Gathered,
    /// Each row's key is looked up as the row is read; a repeat is an
    /// error on its row, naming the line of the key's first row.
    Exact,
}

/// Tables of row keys seen (see [`Validator`]).
const KEY_SHARDS: usize = 256;

/// The table of `seen` that holds `key`.
fn shard(key: [u64; 2]) -> usize {
    (key[1] >> 56) as usize % KEY_SHARDS
}

/// Row keys so far in strictly increasing order (see [`Validator`]).
#[derive(Default)]
struct OrderedKeys {
    last: Vec<u8>,
    keys: Vec<([u64; 2], u64)>,
}

/// A hasher for keys that are hashes already: the first eight bytes of
/// the last write (the key's bytes come after its length).
#[derive(Default)]
struct KeyHashHasher(u64);

impl Hasher for KeyHashHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Collects what a value's `Hash` feeds a hasher, for one hash of a
/// row's whole key.
struct KeyBytes<'a>(&'a mut Vec<u8>);

impl Hasher for KeyBytes<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        unreachable!("the collected bytes are hashed whole")
    }
}

impl Validator {
    /// A validator for `register`; dates must lie between 1850 and
    /// `today`. `known` gives, per referencing column name, the values the
    /// referenced register holds.
    pub fn new(
        register: &'static Register,
        key: PseudonymKey,
        today: NaiveDate,
        mut known: HashMap<&'static str, HashSet<String>>,
        key_check: KeyCheck,
    ) -> Validator {
        assert!(
            register.columns.len() <= 64,
            "a row's failed columns are a 64-bit mask"
        );
        Validator {
            register,
            pseudonymiser: Pseudonymiser::new(key),
            earliest: NaiveDate::from_ymd_opt(1850, 1, 1).expect("valid date"),
            latest: today,
            known: register
                .columns
                .iter()
                .map(|c| {
                    known.remove(c.name).map(|set| {
                        set.into_iter()
                            .map(|v| v.into_bytes().into_boxed_slice())
                            .collect()
                    })
                })
                .collect(),
            key_check,
            seen: (0..KEY_SHARDS).map(|_| HashMap::default()).collect(),
            gathered: (0..KEY_SHARDS).map(|_| Vec::new()).collect(),
            ordered: Some(OrderedKeys::default()),
            key_bytes: Vec::new(),
            key_positions: register
                .key_columns
                .iter()
                .filter_map(|k| register.position(k))
                .collect(),
            rule_positions: register
                .rules
                .iter()
                .map(|rule| {
                    let (a, b) = match *rule {
                        RowRule::NotBefore { later, earlier } => (later, earlier),
                        RowRule::RequiredWhen { column, when, .. } => (column, when),
                    };
                    let at = |name: &str| {
                        register
                            .position(name)
                            .expect("rules name catalogue columns")
                    };
                    (at(a), at(b))
                })
                .collect(),
        }
    }

    /// Validates one row: appends its values, in catalogue order, to
    /// `rows` and returns `true`; or records the errors on the row, leaves
    /// `rows` as it was and returns `false`.
    pub fn row(&mut self, row: &mut Row<'_>, rows: &mut Rows) -> bool {
        let register = self.register;
        let values = &mut rows.values;
        let start = values.len();
        // Columns that did not parse (they hold an empty value): rules
        // skip them, their error is reported already.
        let mut failed = 0u64;
        for (i, column) in register.columns.iter().enumerate() {
            let text = row.get(i);
            if text.is_empty() {
                if column.required {
                    row.error(i, "missing value: the column is required");
                    failed |= 1 << i;
                }
                values.push(Value::none(column.kind));
                continue;
            }
            // The value goes straight into the row: passed on through an
            // `Option` first, it was copied piecewise and read back whole
            // (stalled loads, a third of the parsing's time in a profile).
            match self.parse(column.kind, text) {
                Ok(value) => values.push(value),
                Err(reason) => {
                    row.error(i, reason);
                    failed |= 1 << i;
                    values.push(Value::none(column.kind));
                    continue;
                }
            }
            if let Some(known) = &self.known[i] {
                let value = &values[start + i];
                if !value.is_none() && !known.contains(value.bytes().as_ref()) {
                    let (to, _) = column
                        .references
                        .expect("known values come from references");
                    row.error(
                        i,
                        format!(
                            "unknown {} {:?}: not in {}; ingest that register first",
                            column.name.replace('_', " "),
                            text,
                            to.def().label.en
                        ),
                    );
                }
            }
        }
        // Rules are checked on whatever parsed, so a row's report is whole.
        self.check_rules(row, &values[start..], failed);
        if !row.has_errors() {
            self.check_key(row, &values[start..]);
        }
        if row.has_errors() {
            values.truncate(start);
            return false;
        }
        true
    }

    // Inlined into `row`, which then keeps the value where it goes
    // instead of reading back what a call wrote in another shape (a
    // stalled load, a sixth of `row` in a profile).
    #[inline(always)]
    fn parse(&mut self, kind: ColumnType, s: &str) -> Result<Value, String> {
        Ok(match kind {
            ColumnType::Cpr => {
                // The reason never contains the value: it may be a real
                // CPR number.
                let cpr = Cpr::parse(s).map_err(str::to_string)?;
                Value::Text(Some(self.pseudonymiser.pseudonymise(&cpr).as_str().into()))
            }
            ColumnType::Date => Value::Date(Some(self.date(s)?)),
            ColumnType::Timestamp => Value::Timestamp(Some(self.timestamp(s)?)),
            ColumnType::Month => {
                let first = (s.len() == 7)
                    .then(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
                    .flatten()
                    .ok_or_else(|| format!("malformed month {s:?}: expected YYYY-MM"))?;
                self.in_range(first, s)?;
                Value::Text(Some(s.into()))
            }
            ColumnType::Integer { min, max } => {
                let v: i64 = s
                    .parse()
                    .map_err(|_| format!("not a whole number: {s:?}"))?;
                if v < min || v > max {
                    return Err(format!("{v} is out of range {min} … {max}"));
                }
                Value::Int(Some(v))
            }
            ColumnType::Decimal { min, max } => {
                let plain = s
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
                let v: f64 = s
                    .parse()
                    .ok()
                    .filter(|v: &f64| plain && v.is_finite())
                    .ok_or_else(|| {
                        format!("not a decimal number: {s:?} (use '.' as the decimal point)")
                    })?;
                if v < min || v > max {
                    return Err(format!("{v} is out of range {min} … {max}"));
                }
                Value::Real(Some(v))
            }
            ColumnType::Flag => match s {
                "0" => Value::Int(Some(0)),
                "1" => Value::Int(Some(1)),
                _ => return Err(format!("not a flag: {s:?}: expected 0 or 1")),
            },
            ColumnType::Code { codes } => match codes.iter().find(|c| c.code == s) {
                Some(c) => Value::Code(c.code),
                None => {
                    let list: Vec<&str> = codes.iter().map(|c| c.code).collect();
                    return Err(format!(
                        "unknown code {s:?}: expected one of {}",
                        list.join(", ")
                    ));
                }
            },
            ColumnType::Municipality => {
                let code = s
                    .parse::<u16>()
                    .ok()
                    .filter(|c| geography::municipality(*c).is_some())
                    .ok_or_else(|| {
                        format!(
                            "unknown municipality code {s:?}: expected one of the 98 three-digit codes"
                        )
                    })?;
                Value::Int(Some(i64::from(code)))
            }
            ColumnType::Region => {
                let code = s
                    .parse::<u16>()
                    .ok()
                    .filter(|c| geography::region(*c).is_some())
                    .ok_or_else(|| {
                        format!(
                            "unknown region code {s:?}: expected 1081, 1082, 1083, 1084 or 1085"
                        )
                    })?;
                Value::Int(Some(i64::from(code)))
            }
            ColumnType::Shaped { shape } => {
                if !shape.accepts(s) {
                    return Err(format!(
                        "malformed value {s:?}: expected {}",
                        shape.describe()
                    ));
                }
                Value::Text(Some(s.into()))
            }
            ColumnType::Text { max_len } => {
                if s.chars().count() > max_len {
                    return Err(format!("longer than {max_len} characters"));
                }
                Value::Text(Some(s.into()))
            }
        })
    }

    fn in_range(&self, date: NaiveDate, s: &str) -> Result<(), String> {
        if date < self.earliest || date > self.latest {
            return Err(format!(
                "date {s} is outside {} … {} (today)",
                self.earliest, self.latest
            ));
        }
        Ok(())
    }

    fn date(&self, s: &str) -> Result<NaiveDate, String> {
        let date = parse_date(s.as_bytes())
            .ok_or_else(|| format!("malformed date {s:?}: expected YYYY-MM-DD"))?;
        self.in_range(date, s)?;
        Ok(date)
    }

    fn timestamp(&self, s: &str) -> Result<NaiveDateTime, String> {
        let t = parse_timestamp(s.as_bytes())
            .ok_or_else(|| format!("malformed timestamp {s:?}: expected YYYY-MM-DDTHH:MM[:SS]"))?;
        self.in_range(t.date(), s)?;
        Ok(t)
    }

    fn check_rules(&self, row: &mut Row<'_>, values: &[Value], failed: u64) {
        let parsed = |i: usize| (failed & (1 << i) == 0).then(|| &values[i]);
        for (rule, &(a, b)) in self.register.rules.iter().zip(&self.rule_positions) {
            match *rule {
                RowRule::NotBefore { later, earlier } => {
                    let (l, e) = (a, b);
                    let moment = |i: usize| parsed(i).and_then(Value::moment);
                    if let (Some(lv), Some(ev)) = (moment(l), moment(e)) {
                        if lv < ev {
                            row.error(l, format!("{later} is before {earlier}"));
                        }
                    }
                }
                RowRule::RequiredWhen { when, codes, .. } => {
                    let (c, w) = (a, b);
                    let (Some(value), Some(decider)) = (parsed(c), parsed(w)) else {
                        continue;
                    };
                    let decider = decider.text();
                    if value.is_none() && codes.contains(&decider.as_ref()) {
                        row.error(
                            c,
                            format!("missing value: required when {when} is {decider}"),
                        );
                    }
                }
            }
        }
    }

    fn check_key(&mut self, row: &mut Row<'_>, values: &[Value]) {
        if self.key_positions.is_empty() {
            return;
        }
        self.key_bytes.clear();
        let mut bytes = KeyBytes(&mut self.key_bytes);
        for p in &self.key_positions {
            values[*p].hash_into(&mut bytes);
        }
        let hash = xxhash_rust::xxh3::xxh3_128(&self.key_bytes);
        let key = [(hash >> 64) as u64, hash as u64];
        if let Some(ordered) = &mut self.ordered {
            if ordered.keys.is_empty() || self.key_bytes > ordered.last {
                ordered.last.clone_from(&self.key_bytes);
                ordered.keys.push((key, row.line));
                return;
            }
            for (key, line) in self.ordered.take().map(|o| o.keys).unwrap_or_default() {
                match self.key_check {
                    KeyCheck::Exact => {
                        self.seen[shard(key)].insert(key, line);
                    }
                    KeyCheck::Gathered => self.gathered[shard(key)].push(key),
                }
            }
        }
        if self.key_check == KeyCheck::Gathered {
            self.gathered[shard(key)].push(key);
            return;
        }
        // One probe of the table: its group is a cache miss in a large
        // batch.
        match self.seen[shard(key)].entry(key) {
            Entry::Occupied(first) => {
                let names = self.register.key_columns.join(", ");
                row.error(
                    self.key_positions[0],
                    format!(
                        "duplicate key ({names}): the same key is on line {} of this batch",
                        first.get()
                    ),
                );
            }
            Entry::Vacant(slot) => {
                slot.insert(row.line);
            }
        }
    }

    /// Whether a row key repeated among the rows validated with
    /// [`KeyCheck::Gathered`] (never with [`KeyCheck::Exact`], which
    /// reports each repeat on its row).
    pub fn repeated_keys(&mut self) -> bool {
        self.ordered.is_none()
            && self.gathered.iter_mut().any(|keys| {
                keys.sort_unstable();
                keys.windows(2).any(|pair| pair[0] == pair[1])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::{read_csv, Rejected};
    use shared::register::RegisterId;

    #[test]
    fn text_is_the_same_value_inline_or_on_the_heap() {
        let inline = "f".repeat(Str::INLINE);
        let long = "f".repeat(Str::INLINE + 1);
        for text in [String::new(), "æøå".to_string(), inline, long] {
            let a = Str::from(text.as_str());
            let b = Str::from(text.clone());
            assert_eq!(a.as_str(), text);
            assert_eq!(a.as_bytes(), text.as_bytes());
            assert_eq!(a, b);
            let mut bytes = Vec::new();
            Value::Text(Some(a)).hash_into(&mut KeyBytes(&mut bytes));
            let mut again = Vec::new();
            Value::Text(Some(b)).hash_into(&mut KeyBytes(&mut again));
            assert_eq!(bytes, again);
        }
        assert_ne!(Str::from("ab"), Str::from("abc"));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
    }

    /// Good rows, and errors as (line, field, reason).
    type Checked = (Vec<Vec<Value>>, Vec<(u64, String, String)>);

    /// Validates `csv` as an extract of `register`; returns the good rows
    /// and the errors as (line, field, reason).
    fn check(register: RegisterId, csv: &str, known: &[(&'static str, &[&str])]) -> Checked {
        let key = PseudonymKey::from_hex(&"07".repeat(32)).expect("key");
        let known = known
            .iter()
            .map(|(c, values)| (*c, values.iter().map(|v| v.to_string()).collect()))
            .collect();
        let mut validator = Validator::new(register.def(), key, today(), known, KeyCheck::Exact);
        let mut rows = Rows::with_capacity(register.def().columns.len(), 0);
        let summary = read_csv(
            "t.csv",
            csv.as_bytes(),
            register.def().columns,
            |row| validator.row(row, &mut rows).then_some(()),
            |()| true,
        )
        .unwrap_or_else(|Rejected { errors, .. }| panic!("header rejected: {errors:?}"));
        let errors = summary
            .rejected
            .errors
            .into_iter()
            .map(|e| (e.line, e.field, e.reason))
            .collect();
        (rows.iter().map(<[Value]>::to_vec).collect(), errors)
    }

    #[test]
    fn gathered_keys_repeat_only_when_a_key_is_on_two_rows() {
        let header = "provider_number,name,provider_type,specialty,municipality,gp_cluster,valid_from,valid_to\n";
        let gathered = |numbers: &[&str]| {
            let key = PseudonymKey::from_hex(&"07".repeat(32)).expect("key");
            let register = RegisterId::Ydr.def();
            let mut validator =
                Validator::new(register, key, today(), HashMap::new(), KeyCheck::Gathered);
            let mut text = header.to_string();
            for n in numbers {
                text.push_str(&format!(
                    "{n},P,general_practice,general_practice,101,1,2000-01-01,\n"
                ));
            }
            let mut rows = Rows::with_capacity(register.columns.len(), 0);
            let summary = read_csv(
                "t.csv",
                text.as_bytes(),
                register.columns,
                |row| validator.row(row, &mut rows).then_some(()),
                |()| true,
            )
            .unwrap_or_else(|Rejected { errors, .. }| panic!("{errors:?}"));
            // Gathered, a repeat is no error on its row: every row passes.
            assert_eq!(summary.rejected.bad_rows, 0);
            assert_eq!(rows.len(), numbers.len());
            validator.repeated_keys()
        };
        assert!(!gathered(&["101001", "101002", "101003"]), "in key order");
        assert!(!gathered(&["101003", "101001", "101002"]), "out of order");
        assert!(gathered(&["101001", "101002", "101001"]));
        assert!(gathered(&["101003", "101001", "101003", "101002"]));
        // Only the whole key counts: these differ in their last digit.
        assert!(!gathered(&["101003", "101001", "101004", "101002"]));
    }

    fn fields(errors: &[(u64, String, String)]) -> Vec<(u64, &str)> {
        errors.iter().map(|(l, f, _)| (*l, f.as_str())).collect()
    }

    const CPR_HEADER: &str =
        "cpr,birth_date,sex,municipality,address_id,valid_from,valid_to,civil_status,status,status_date\n";

    #[test]
    fn dates_and_timestamps_are_parsed_strictly() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(parse_date(b"2024-02-29"), Some(date(2024, 2, 29)));
        for bad in [
            "2023-02-29",
            "2024-2-01",
            "2024/02/01",
            "20240201",
            "2024-02-0x",
            "+024-02-01",
        ] {
            assert_eq!(parse_date(bad.as_bytes()), None, "{bad}");
        }
        let at = |h, m, s| date(2024, 2, 1).and_hms_opt(h, m, s).expect("time");
        assert_eq!(parse_timestamp(b"2024-02-01T08:30"), Some(at(8, 30, 0)));
        assert_eq!(parse_timestamp(b"2024-02-01 08:30:15"), Some(at(8, 30, 15)));
        for bad in [
            "2024-02-01T24:00",
            "2024-02-01T08:30:1",
            "2024-02-01X08:30",
            "2024-02-01T08.30",
        ] {
            assert_eq!(parse_timestamp(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn cpr_rows_are_typed_and_pseudonymised() {
        let csv = format!(
            "{CPR_HEADER}0101801234,1980-01-01,K,101,A-1,1980-01-01,2020-05-01,G,01,\n\
             0101801234,1980-01-01,K,751,B-2,2020-05-01,,G,90,2024-03-03\n"
        );
        let (rows, errors) = check(RegisterId::Cpr, &csv, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2);
        let Value::Text(Some(pseudonym)) = &rows[0][0] else {
            panic!("pseudonym expected, got {:?}", rows[0][0]);
        };
        let key = PseudonymKey::from_hex(&"07".repeat(32)).expect("key");
        let cpr = Cpr::parse("0101801234").expect("CPR");
        assert_eq!(pseudonym.as_str(), key.pseudonymise(&cpr).as_str());
        assert_eq!(pseudonym.as_str().len(), 32);
        assert!(!pseudonym.as_str().contains("0101801234"));
        assert_eq!(rows[1][3], Value::Int(Some(751)));
        assert_eq!(rows[0][6], Value::Date(NaiveDate::from_ymd_opt(2020, 5, 1)));
        assert_eq!(rows[1][6], Value::Date(None));
    }

    #[test]
    fn every_kind_of_bad_cpr_value_is_reported_by_line_and_field() {
        let csv = format!(
            "{CPR_HEADER}0101801234,1980-13-01,K,101,A-1,1980-01-01,,G,01,\n\
             0101801235,1980-01-01,X,999,A-1,1980-01-01,,Q,99,\n\
             01018012,1980-01-01,M,101,A 1,1980-01-01,,G,01,\n\
             0101801236,1980-01-01,M,101,A-1,1990-01-01,1989-01-01,G,01,\n\
             0101801237,1980-01-01,M,101,A-1,1980-01-01,,G,90,\n\
             0101801238,1980-01-01,M,101,A-1,1980-01-01,,G,01,\n\
             010180-1238,1980-01-01,M,101,A-1,1980-01-01,,G,01,\n\
             0101801239,2030-01-01,M,101,A-1,2030-01-01,,G,01,\n"
        );
        let (rows, errors) = check(RegisterId::Cpr, &csv, &[]);
        assert_eq!(
            fields(&errors),
            vec![
                (2, "birth_date"),
                (3, "sex"),
                (3, "municipality"),
                (3, "civil_status"),
                (3, "status"),
                (4, "cpr"),
                (4, "address_id"),
                (5, "valid_to"),
                (6, "status_date"),
                (8, "cpr"),
                (9, "birth_date"),
                (9, "valid_from"),
            ]
        );
        let reason = |line: u64, field: &str| {
            errors
                .iter()
                .find(|(l, f, _)| *l == line && f == field)
                .map(|(_, _, r)| r.clone())
                .expect("reported")
        };
        assert!(reason(2, "birth_date").contains("malformed date"));
        assert!(reason(3, "status").contains("unknown code \"99\""));
        assert!(reason(5, "valid_to").contains("before"));
        assert!(reason(6, "status_date").contains("required when status is 90"));
        // The same person and start written with a hyphen is a duplicate,
        // and the reason names the first line, never the number.
        assert!(reason(8, "cpr").contains("line 7"));
        assert!(!reason(8, "cpr").contains("0101801238"));
        assert!(!reason(4, "cpr").contains("01018012"));
        assert!(reason(9, "birth_date").contains("outside"));
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn duplicate_keys_are_found_before_and_after_the_order_breaks() {
        let header =
            "sor_id,name,level,institution_id,region,municipality,department_type,specialty\n";
        let row = |id: u32| format!("{id},H {id},institution,{id},1081,851,,\n");
        // Lines 2–6 in key order, then out of order (line 7), then a
        // repeat of a key of the ordered part (line 8), of the unordered
        // part (line 9), and one more new key (line 10).
        let ids = [
            100_001, 100_002, 100_003, 100_004, 100_005, 100_000, 100_003, 100_000, 100_010,
        ];
        let csv: String = std::iter::once(header.to_string())
            .chain(ids.iter().map(|id| row(*id)))
            .collect();
        let (rows, errors) = check(RegisterId::Sor, &csv, &[]);
        assert_eq!(rows.len(), 7);
        assert_eq!(fields(&errors), vec![(8, "sor_id"), (9, "sor_id")]);
        assert!(errors[0].2.contains("on line 4 "), "{}", errors[0].2);
        assert!(errors[1].2.contains("on line 7 "), "{}", errors[1].2);

        // Keys in order throughout: all rows, no error; a repeat right
        // after its first is not in increasing order either.
        let csv: String = std::iter::once(header.to_string())
            .chain([100_001, 100_002, 100_002].iter().map(|id| row(*id)))
            .collect();
        let (rows, errors) = check(RegisterId::Sor, &csv, &[]);
        assert_eq!(rows.len(), 2);
        assert_eq!(fields(&errors), vec![(4, "sor_id")]);
        assert!(errors[0].2.contains("on line 3 "), "{}", errors[0].2);
    }

    #[test]
    fn references_must_exist_in_the_referenced_register() {
        let csv = "cpr,contact_date,provider_number,contact_type\n\
                   0101801234,2024-03-01,012345,phone\n\
                   0101801234,2024-03-02,999999,email\n";
        let (rows, errors) = check(RegisterId::Ssr, csv, &[("provider_number", &["012345"])]);
        assert_eq!(rows.len(), 1);
        assert_eq!(fields(&errors), vec![(3, "provider_number")]);
        assert!(errors[0].2.contains("unknown provider number \"999999\""));
        assert!(errors[0].2.contains("YDR"));
    }

    #[test]
    fn numbers_shapes_flags_months_and_timestamps() {
        let csv = "cpr,redemption_date,atc,product,package_size,ddd,prescriber,depot\n\
                   0101801234,2024-01-05,N02AA01,Contalgin,100,33.3,,0\n\
                   0101801234,2024-01-05,N02A,Contalgin,0,1.5,012345,2\n\
                   0101801234,2024-01-05,N02AA01,Contalgin,10,\"1,5\",,1\n";
        let (rows, errors) = check(RegisterId::Lsr, csv, &[("prescriber", &["012345"])]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][5], Value::Real(Some(33.3)));
        assert_eq!(rows[0][6], Value::Text(None));
        assert_eq!(
            fields(&errors),
            vec![(3, "atc"), (3, "package_size"), (3, "depot"), (4, "ddd")]
        );
        let ddd = errors
            .iter()
            .find(|(l, f, _)| *l == 4 && f == "ddd")
            .expect("ddd");
        assert!(ddd.2.contains("decimal point"));

        let csv = "contact_id,cpr,start_time,end_time,sor_unit,specialty,department_type,priority,sector,action_diagnosis,secondary_diagnoses,rehabilitation_plan\n\
                   c1,0101801234,2024-02-01T08:00,2024-02-03 10:30:00,600810101,internal_medicine,medical,acute,somatic,DJ189,DE119|DI10,1\n\
                   c2,0101801234,2024-02-01T08:00,2024-01-31T08:00,600810101,internal_medicine,medical,acute,somatic,J189,,1\n";
        let (rows, errors) = check(RegisterId::Lpr, csv, &[("sor_unit", &["600810101"])]);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0][3],
            Value::Timestamp(
                NaiveDate::from_ymd_opt(2024, 2, 3).and_then(|d| d.and_hms_opt(10, 30, 0))
            )
        );
        assert_eq!(
            fields(&errors),
            vec![(3, "action_diagnosis"), (3, "end_time")]
        );

        let csv = "cpr,month,municipality,service,hours,conditions,interventions\n\
                   0101801234,2024-07,101,sel83_personal,12.5,J1.1|K2,\n\
                   0101801234,2024-13,101,sel83_practical,,,\n";
        let (rows, errors) = check(RegisterId::Eoj, csv, &[]);
        assert_eq!(rows.len(), 1);
        assert_eq!(fields(&errors), vec![(3, "month"), (3, "hours")]);
    }
}
