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
use shared::Lang;

use super::extract::Row;
use super::pseudonym::{Cpr, PseudonymKey, Pseudonymiser};

/// A validated value, typed as the store keeps it. Sixteen bytes and
/// `Copy`: text lies in the arena of the [`Rows`] the value belongs to,
/// so that a value is made in registers and stored into its row whole (a
/// 40-byte value with its text inline was built on the stack and copied,
/// a stalled load that was a third of the validation's time).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// An empty optional value.
    Null,
    /// Text: shaped values, names, pseudonyms, months.
    Text(Span),
    /// A code of the column's code list (the catalogue's own text).
    Code(&'static &'static str),
    /// Whole numbers, flags, municipality and region codes.
    Int(i64),
    /// Decimal numbers.
    Real(f64),
    /// Dates.
    Date(NaiveDate),
    /// Timestamps (no time zone: Danish local time, as registered).
    Timestamp(NaiveDateTime),
}

/// Where a text value lies in its rows' arena. Two text values are equal
/// as values only when they lie at the same place: compare their
/// [`Value::bytes`] for their text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

/// Validated rows, their values back to back (`width` to a row, in
/// catalogue order) and their text in one arena: a chunk of rows is two
/// allocations, not one per row, and is handed back to the reader to be
/// filled again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    width: usize,
    values: Vec<Value>,
    text: Vec<u8>,
}

impl Rows {
    /// Room for `rows` rows of `width` values.
    pub fn with_capacity(width: usize, rows: usize) -> Rows {
        Rows {
            width,
            values: Vec::with_capacity(width * rows),
            text: Vec::with_capacity(32 * width * rows),
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

    /// The arena the text values lie in ([`Value::bytes`]).
    pub fn arena(&self) -> &[u8] {
        &self.text
    }

    /// The rows, each its values.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Value> {
        self.values.chunks_exact(self.width.max(1))
    }

    /// A text value, its text added to the arena.
    pub fn text(&mut self, text: &str) -> Value {
        Value::Text(add_text(&mut self.text, text.as_bytes()))
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

    /// Empties the rows, keeping the allocations.
    pub fn clear(&mut self) {
        self.values.clear();
        self.text.clear();
    }
}

/// Adds `bytes` to `arena`; where they lie.
fn add_text(arena: &mut Vec<u8>, bytes: &[u8]) -> Span {
    let start = arena.len();
    arena.extend_from_slice(bytes);
    Span {
        start: u32::try_from(start).expect("a chunk holds less than 4 GB of text"),
        len: bytes.len() as u32,
    }
}

impl Value {
    /// Whether the value is empty.
    pub fn is_none(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text of a text or code value (`arena`: its rows' arena),
    /// borrowed; `None` for other values.
    pub fn bytes<'a>(&'a self, arena: &'a [u8]) -> Option<&'a [u8]> {
        match self {
            Value::Text(span) => {
                let start = span.start as usize;
                Some(&arena[start..start + span.len as usize])
            }
            Value::Code(code) => Some(code.as_bytes()),
            _ => None,
        }
    }

    /// A moment to compare in ordering rules (dates at midnight).
    fn moment(&self) -> Option<NaiveDateTime> {
        match self {
            Value::Date(d) => d.and_hms_opt(0, 0, 0),
            Value::Timestamp(t) => Some(*t),
            _ => None,
        }
    }

    /// Feeds the value to a hasher (for row keys), without allocating.
    fn hash_into(&self, arena: &[u8], h: &mut impl Hasher) {
        std::mem::discriminant(self).hash(h);
        match self {
            Value::Null => {}
            Value::Text(_) | Value::Code(_) => self.bytes(arena).hash(h),
            Value::Int(v) => v.hash(h),
            Value::Real(v) => v.to_bits().hash(h),
            Value::Date(v) => v.hash(h),
            Value::Timestamp(v) => v.hash(h),
        }
    }

    /// The value as text, for code rules.
    fn text<'a>(&'a self, arena: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        match self.bytes(arena) {
            Some(bytes) => std::borrow::Cow::Borrowed(bytes),
            None => std::borrow::Cow::Owned(
                match self {
                    Value::Int(v) => v.to_string(),
                    Value::Real(v) => v.to_string(),
                    Value::Date(v) => v.to_string(),
                    Value::Timestamp(v) => v.to_string(),
                    _ => String::new(),
                }
                .into_bytes(),
            ),
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

/// `YYYY-MM`, strictly, as its first day (every municipal care row has
/// one: chrono's format parser was a twentieth of such a batch).
fn parse_month(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(digits(&b[..4])?).ok()?, digits(&b[5..7])?, 1)
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
    /// Row keys seen in this batch, as the [`KeyCheck`] asks.
    seen: SeenKeys,
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

/// Shards of the row keys seen (see [`SeenKeys`]).
const KEY_SHARDS: usize = 256;

/// The row keys of a batch: 128-bit XXH3 hashes of the key's values, as
/// two halves, in [`KEY_SHARDS`] shards by the hash's top byte.
enum SeenKeys {
    /// [`KeyCheck::Exact`]: tables of each key and the line it was first
    /// on (24 bytes an entry, not 32). Each table grows on its own, a small
    /// step at a time, into memory the allocator has just freed; one table
    /// of ten million keys would double into fresh memory, copying all of
    /// itself each time.
    Exact(Vec<HashMap<[u64; 2], u64, BuildHasherDefault<KeyHashHasher>>>),
    /// [`KeyCheck::Gathered`]: lists of the keys (each small enough to be
    /// sorted in the processor's cache at the end).
    Gathered(Vec<Vec<[u64; 2]>>),
}

impl SeenKeys {
    fn new(check: KeyCheck) -> SeenKeys {
        match check {
            KeyCheck::Exact => {
                SeenKeys::Exact((0..KEY_SHARDS).map(|_| HashMap::default()).collect())
            }
            KeyCheck::Gathered => SeenKeys::Gathered((0..KEY_SHARDS).map(|_| Vec::new()).collect()),
        }
    }

    /// Adds `key`, of a row on `line`. Checked exactly: the line of an
    /// earlier row with the same key, if there is one.
    fn add(&mut self, key: [u64; 2], line: u64) -> Option<u64> {
        match self {
            // One probe of the table: its group is a cache miss in a large
            // batch.
            SeenKeys::Exact(tables) => match tables[shard(key)].entry(key) {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(line);
                    None
                }
            },
            SeenKeys::Gathered(lists) => {
                lists[shard(key)].push(key);
                None
            }
        }
    }
}

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
            seen: SeenKeys::new(key_check),
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
        let Rows { values, text, .. } = rows;
        let start = values.len();
        let text_start = text.len();
        // Columns that did not parse (they hold an empty value): rules
        // skip them, their error is reported already.
        let mut failed = 0u64;
        for (i, column) in register.columns.iter().enumerate() {
            let field = row.get(i);
            if field.is_empty() {
                if column.required {
                    row.error(i, "missing value: the column is required");
                    failed |= 1 << i;
                }
                values.push(Value::Null);
                continue;
            }
            // The value goes straight into the row: passed on through an
            // `Option` first, it was copied piecewise and read back whole
            // (stalled loads, a third of the parsing's time in a profile).
            match self.parse(column.kind, field, text) {
                Ok(value) => values.push(value),
                Err(reason) => {
                    row.error(i, reason);
                    failed |= 1 << i;
                    values.push(Value::Null);
                    continue;
                }
            }
            if let Some(known) = &self.known[i] {
                let found = values[start + i]
                    .bytes(text)
                    .is_none_or(|bytes| known.contains(bytes));
                if !found {
                    let (to, _) = column
                        .references
                        .expect("known values come from references");
                    let whose = to.def().label.en;
                    let hint = if known.is_empty() {
                        format!("; the {whose} has no rows yet: ingest it first")
                    } else {
                        String::new()
                    };
                    row.error(
                        i,
                        format!(
                            "unknown {} {}: not in the {whose}{hint}",
                            column.name.replace('_', " "),
                            quote(field),
                        ),
                    );
                }
            }
        }
        // Rules are checked on whatever parsed, so a row's report is whole.
        self.check_rules(row, &values[start..], text, failed);
        if !row.has_errors() {
            self.check_key(row, &values[start..], text);
        }
        if row.has_errors() {
            values.truncate(start);
            text.truncate(text_start);
            return false;
        }
        true
    }

    // Inlined into `row`, which then keeps the value where it goes
    // instead of reading back what a call wrote in another shape (a
    // stalled load, a sixth of `row` in a profile).
    #[inline(always)]
    fn parse(&mut self, kind: ColumnType, s: &str, arena: &mut Vec<u8>) -> Result<Value, String> {
        let mut text = |s: &str| Value::Text(add_text(arena, s.as_bytes()));
        Ok(match kind {
            ColumnType::Cpr => {
                // The reason never contains the value: it may be a real
                // CPR number.
                let cpr = Cpr::parse(s).map_err(str::to_string)?;
                text(self.pseudonymiser.pseudonymise(&cpr).as_str())
            }
            ColumnType::Date => Value::Date(self.date(s)?),
            ColumnType::Timestamp => Value::Timestamp(self.timestamp(s)?),
            ColumnType::Month => {
                let first = parse_month(s.as_bytes())
                    .ok_or_else(|| format!("malformed month {}: expected YYYY-MM", quote(s)))?;
                self.in_range(first, s)?;
                text(s)
            }
            ColumnType::Integer { min, max } => {
                let v: i64 = s
                    .parse()
                    .map_err(|_| format!("not a whole number: {}", quote(s)))?;
                if v < min || v > max {
                    return Err(format!("{} is out of range {min} … {max}", quote(s)));
                }
                Value::Int(v)
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
                        format!(
                            "not a decimal number: {} (use '.' as the decimal point)",
                            quote(s)
                        )
                    })?;
                if v < min || v > max {
                    return Err(format!("{} is out of range {min} … {max}", quote(s)));
                }
                Value::Real(v)
            }
            ColumnType::Flag => match s {
                "0" => Value::Int(0),
                "1" => Value::Int(1),
                _ => return Err(format!("not a flag: {}: expected 0 or 1", quote(s))),
            },
            ColumnType::Code { codes } => match codes.iter().find(|c| c.code == s) {
                Some(c) => Value::Code(&c.code),
                None => {
                    let list: Vec<&str> = codes.iter().map(|c| c.code).collect();
                    return Err(format!(
                        "unknown code {}: expected one of {}",
                        quote(s),
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
                            "unknown municipality code {}: expected one of the 98 three-digit codes",
                            quote(s)
                        )
                    })?;
                Value::Int(i64::from(code))
            }
            ColumnType::Region => {
                let code = s
                    .parse::<u16>()
                    .ok()
                    .filter(|c| geography::region(*c).is_some())
                    .ok_or_else(|| {
                        format!(
                            "unknown region code {}: expected 1081, 1082, 1083, 1084 or 1085",
                            quote(s)
                        )
                    })?;
                Value::Int(i64::from(code))
            }
            ColumnType::Shaped { shape } => {
                if !shape.accepts(s) {
                    return Err(format!(
                        "malformed value {}: expected {}",
                        quote(s),
                        shape.describe(Lang::En)
                    ));
                }
                text(s)
            }
            ColumnType::Text { max_len } => {
                // A character is at least a byte: only text longer in
                // bytes than the limit needs its characters counted.
                if s.len() > max_len && s.chars().count() > max_len {
                    return Err(format!("longer than {max_len} characters"));
                }
                // A name or a unit with a CPR number in it is a mistake
                // whose digits must not be stored. (Counting digits first
                // is one vectorised pass over a product name of `lsr`.)
                if s.len() >= 10
                    && s.bytes().filter(u8::is_ascii_digit).count() >= 10
                    && !super::cpr_like_spans(s).is_empty()
                {
                    return Err(CPR_IN_TEXT.to_string());
                }
                text(s)
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
            .ok_or_else(|| format!("malformed date {}: expected YYYY-MM-DD", quote(s)))?;
        self.in_range(date, s)?;
        Ok(date)
    }

    fn timestamp(&self, s: &str) -> Result<NaiveDateTime, String> {
        let t = parse_timestamp(s.as_bytes()).ok_or_else(|| {
            format!(
                "malformed timestamp {}: expected YYYY-MM-DDTHH:MM[:SS]",
                quote(s)
            )
        })?;
        self.in_range(t.date(), s)?;
        Ok(t)
    }

    fn check_rules(&self, row: &mut Row<'_>, values: &[Value], arena: &[u8], failed: u64) {
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
                    let decider = decider.text(arena);
                    if value.is_none() && codes.iter().any(|c| c.as_bytes() == decider.as_ref()) {
                        row.error(
                            c,
                            format!(
                                "missing value: required when {when} is {}",
                                String::from_utf8_lossy(&decider)
                            ),
                        );
                    }
                }
            }
        }
    }

    fn check_key(&mut self, row: &mut Row<'_>, values: &[Value], arena: &[u8]) {
        if self.key_positions.is_empty() {
            return;
        }
        self.key_bytes.clear();
        let mut bytes = KeyBytes(&mut self.key_bytes);
        for p in &self.key_positions {
            values[*p].hash_into(arena, &mut bytes);
        }
        let hash = xxhash_rust::xxh3::xxh3_128(&self.key_bytes);
        let key = [(hash >> 64) as u64, hash as u64];
        if let Some(ordered) = &mut self.ordered {
            if ordered.keys.is_empty() || self.key_bytes > ordered.last {
                ordered.last.clone_from(&self.key_bytes);
                ordered.keys.push((key, row.line));
                return;
            }
            // Keys in strictly increasing order: none repeats another.
            for (key, line) in self.ordered.take().map(|o| o.keys).unwrap_or_default() {
                self.seen.add(key, line);
            }
        }
        if let Some(first) = self.seen.add(key, row.line) {
            let names = self.register.key_columns.join(", ");
            row.error(
                self.key_positions[0],
                format!("duplicate key ({names}): the same key is on line {first} of this batch"),
            );
        }
    }

    /// Whether a row key repeated among the rows validated with
    /// [`KeyCheck::Gathered`] (never with [`KeyCheck::Exact`], which
    /// reports each repeat on its row).
    pub fn repeated_keys(&mut self) -> bool {
        match &mut self.seen {
            SeenKeys::Gathered(lists) if self.ordered.is_none() => lists.iter_mut().any(|keys| {
                keys.sort_unstable();
                keys.windows(2).any(|pair| pair[0] == pair[1])
            }),
            _ => false,
        }
    }
}

/// The longest value a reason quotes whole, in characters.
const QUOTED_CHARS: usize = 40;

/// A value with this many digits or more could be a CPR number.
const CPR_LIKE_DIGITS: usize = 9;

/// Why a free text holding what may be a CPR number is refused.
const CPR_IN_TEXT: &str = "holds ten digits that begin with a date, as a CPR number does \
     (not shown); a CPR number belongs only in the person column";

/// Whether `text` holds enough digits (of any script) to be a CPR number
/// in some notation: ten digits, six and four with something between,
/// a number that lost its leading zero (nine) or was written with an
/// exponent.
fn may_hold_cpr(text: &str) -> bool {
    text.chars().filter(|c| c.is_numeric()).count() >= CPR_LIKE_DIGITS
}

/// `c`, or `*` for a digit (of any script).
fn mask_digit(c: char) -> char {
    if c.is_numeric() {
        '*'
    } else {
        c
    }
}

/// A value as a reason quotes it: in quotes, cut short when long, and with
/// every digit masked when it holds enough of them to be a CPR number. A
/// reason is shown to the uploader, kept in the ledger and served by the
/// API: a CPR number in the wrong column, in whatever notation, must reach
/// none of them. A date, a provider number or a code is shown.
pub fn quote(value: &str) -> String {
    let withheld = may_hold_cpr(value);
    let chars = value.chars().count();
    let shown: String = value
        .chars()
        .take(QUOTED_CHARS)
        .map(|c| if withheld { mask_digit(c) } else { c })
        .collect();
    let mut quoted = if chars > QUOTED_CHARS {
        format!("{shown:?}… ({chars} characters)")
    } else {
        format!("{shown:?}")
    };
    if withheld {
        quoted.push_str(" (digits that may be a CPR number are not shown)");
    }
    quoted
}

/// `text` with every digit masked in each of its parts — split at any of
/// `separators` — that holds enough digits to be a CPR number, by the
/// rule [`quote`] follows. For a request line in the server's log: a
/// batch id or a query value may be a caller's mistake. A SHA-256 in hex
/// (a tile's id) is shown: it is no CPR number in any notation, and the
/// log is read to find which tile was asked for.
pub fn mask_cpr_like_parts(text: &str, separators: &[char]) -> String {
    let is_sha256 = |part: &str| {
        let hex = part.trim_end_matches(separators);
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let mut masked = String::with_capacity(text.len());
    for part in text.split_inclusive(separators) {
        if may_hold_cpr(part) && !is_sha256(part) {
            masked.extend(part.chars().map(mask_digit));
        } else {
            masked.push_str(part);
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::{read_csv, Rejected};
    use shared::register::RegisterId;

    #[test]
    fn parts_of_a_request_line_that_may_be_cpr_numbers_are_masked() {
        let separators = ['/', '?', '&', '='];
        let mask = |text| mask_cpr_like_parts(text, &separators);
        assert_eq!(
            mask("/api/ingest/batches/0101801234"),
            "/api/ingest/batches/**********"
        );
        assert_eq!(
            mask("/api/x?id=010180-1234&year=2024"),
            "/api/x?id=******-****&year=2024"
        );
        // Dates, years, codes and short numbers are kept.
        for kept in [
            "/api/ingest/batches/ssr-2024-03-01",
            "/api/tiles/geography/2024?age=65-79&sex=F",
            "/api/reports/101001",
            "/api/tiles/20c2cd05b1cdb25eb55da32f251835d33646cbd03402c519aa27eb52b10ee01c",
        ] {
            assert_eq!(mask(kept), kept);
        }
    }

    #[test]
    fn text_values_are_their_text_wherever_it_lies() {
        // Sixteen bytes: a value is made in registers, not on the stack.
        assert_eq!(std::mem::size_of::<Value>(), 16);
        let mut rows = Rows::with_capacity(1, 4);
        let texts = ["", "æøå", &"f".repeat(40), "æøå", "ab", "abc"];
        let values: Vec<Value> = texts.iter().map(|t| rows.text(t)).collect();
        for (value, text) in values.iter().zip(texts) {
            assert_eq!(value.bytes(rows.arena()), Some(text.as_bytes()));
        }
        let hashed = |value: &Value| {
            let mut bytes = Vec::new();
            value.hash_into(rows.arena(), &mut KeyBytes(&mut bytes));
            bytes
        };
        assert_ne!(hashed(&values[4]), hashed(&values[5]));
        // The same text at two places hashes the same; other text not.
        assert_ne!(values[1], values[3]);
        assert_eq!(hashed(&values[1]), hashed(&values[3]));
        assert_ne!(hashed(&values[1]), hashed(&values[2]));
        assert_eq!(Value::Code(&"K").bytes(&[]), Some(&b"K"[..]));
        assert_eq!(Value::Int(5).bytes(rows.arena()), None);
        rows.push(values[..1].iter().copied());
        rows.clear();
        assert!(rows.is_empty() && rows.arena().is_empty());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
    }

    /// Good rows, and errors as (line, field, reason).
    type Checked = (Rows, Vec<(u64, String, String)>);

    /// The value in row `r`, column `c`.
    fn at(rows: &Rows, r: usize, c: usize) -> Value {
        rows.values()[r * rows.width() + c]
    }

    /// The text of the value in row `r`, column `c`.
    fn text_at(rows: &Rows, r: usize, c: usize) -> String {
        let value = at(rows, r, c);
        let bytes = value.bytes(rows.arena()).expect("a text value");
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }

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
        (rows, errors)
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
        assert_eq!(parse_month(b"2024-02"), Some(date(2024, 2, 1)));
        for bad in [
            "2024-13",
            "2024-00",
            "2024-2",
            "2024/02",
            "202402",
            "+024-02",
            "2024-02-01",
        ] {
            assert_eq!(parse_month(bad.as_bytes()), None, "{bad}");
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
    fn reasons_never_quote_what_may_be_a_cpr_number() {
        const WITHHELD: &str = " (digits that may be a CPR number are not shown)";
        assert_eq!(quote("A-1"), "\"A-1\"");
        assert_eq!(quote("x0101801234y"), format!("\"x**********y\"{WITHHELD}"));
        // Whatever the notation: separators, a lost or an added leading
        // zero, an exponent, a decimal point, other scripts' digits.
        for cpr in [
            "010180-1234",
            "010180/1234",
            "010180 - 1234",
            "010180.1234",
            "101801234",
            "002302917753",
            "1.01801234e9",
            "10180123.4e2",
            "２３０２９１７７５３",
        ] {
            let quoted = quote(cpr);
            assert!(quoted.ends_with(WITHHELD), "{quoted}");
            assert!(!quoted.chars().any(char::is_numeric), "{quoted}");
        }
        assert_eq!(quote("1.01801234e9"), format!("\"*.********e*\"{WITHHELD}"));
        // Fewer digits are shown: a date, a provider number, a code.
        for shown in ["2024-02-30", "012345", "01018012", "DJ189", "6-7"] {
            assert_eq!(quote(shown), format!("{shown:?}"));
        }
        let long = "æ".repeat(5000);
        assert_eq!(
            quote(&long),
            format!("{:?}… (5000 characters)", "æ".repeat(40))
        );

        // A CPR number in every other column of a row with a rule on its
        // values (an address id is any short text).
        let csv = format!(
            "{CPR_HEADER}0101801234,0101801234,0101801234,0101801234,A-1,\
             0101801234,,0101801234,0101801234,010180-1234\n"
        );
        let (rows, errors) = check(RegisterId::Cpr, &csv, &[]);
        assert_eq!(rows.len(), 0);
        // Each of them is reported, none of them is shown.
        assert_eq!(errors.len(), 7, "{errors:?}");
        for (_, field, reason) in &errors {
            assert!(reason.contains(WITHHELD), "{field}: {reason}");
            for part in ["101801234", "010180", "1234"] {
                assert!(!reason.contains(part), "{field}: {reason}");
            }
        }
    }

    #[test]
    fn free_text_holding_what_may_be_a_cpr_number_is_refused_unshown() {
        let row = |product: &str| format!("0101801234,2024-01-05,N02AA01,{product},100,33.3,,0\n");
        let csv = format!(
            "cpr,redemption_date,atc,product,package_size,ddd,prescriber,depot\n{}{}{}{}",
            row("Contalgin 0202803456"),
            row("Contalgin 020280-3456 depot"),
            // Ten digits that are no date, and a date with fewer digits.
            row("Contalgin 1732500000"),
            row("Contalgin 020280"),
        );
        let (rows, errors) = check(RegisterId::Lsr, &csv, &[]);
        assert_eq!(rows.len(), 2);
        assert_eq!(text_at(&rows, 0, 3), "Contalgin 1732500000");
        assert_eq!(fields(&errors), vec![(2, "product"), (3, "product")]);
        for (_, _, reason) in &errors {
            assert_eq!(reason, CPR_IN_TEXT);
            assert!(!reason.chars().any(|c| c.is_ascii_digit()), "{reason}");
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
        let pseudonym = text_at(&rows, 0, 0);
        let key = PseudonymKey::from_hex(&"07".repeat(32)).expect("key");
        let cpr = Cpr::parse("0101801234").expect("CPR");
        assert_eq!(pseudonym, key.pseudonymise(&cpr).as_str());
        assert_eq!(pseudonym.len(), 32);
        assert!(!pseudonym.contains("0101801234"));
        assert_eq!(text_at(&rows, 1, 0), pseudonym);
        assert_eq!(at(&rows, 1, 3), Value::Int(751));
        assert_eq!(
            at(&rows, 0, 6),
            Value::Date(NaiveDate::from_ymd_opt(2020, 5, 1).expect("date"))
        );
        assert_eq!(at(&rows, 1, 6), Value::Null);
        assert_eq!(text_at(&rows, 1, 4), "B-2");
        assert_eq!(text_at(&rows, 1, 8), "90");
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
        assert_eq!(at(&rows, 0, 5), Value::Real(33.3));
        assert_eq!(at(&rows, 0, 6), Value::Null);
        assert_eq!(text_at(&rows, 0, 3), "Contalgin");
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
            at(&rows, 0, 3),
            Value::Timestamp(
                NaiveDate::from_ymd_opt(2024, 2, 3)
                    .and_then(|d| d.and_hms_opt(10, 30, 0))
                    .expect("timestamp")
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

        // Text is limited in characters, not bytes: 200 of "æ" are 400
        // bytes and within the product name's 200 characters; 201 are not,
        // nor are 201 of "a".
        let product = |name: String| format!("0101801234,2024-01-05,N02AA01,{name},100,33.3,,0\n");
        let csv = format!(
            "cpr,redemption_date,atc,product,package_size,ddd,prescriber,depot\n{}{}{}",
            product("æ".repeat(200)),
            product("æ".repeat(201)),
            product("a".repeat(201)),
        );
        let (rows, errors) = check(RegisterId::Lsr, &csv, &[]);
        assert_eq!(rows.len(), 1);
        assert_eq!(text_at(&rows, 0, 3), "æ".repeat(200));
        assert_eq!(fields(&errors), vec![(3, "product"), (4, "product")]);
    }
}
