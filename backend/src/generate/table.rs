//! Writing one register's extract, row by row, as CSV or as an Arrow IPC
//! stream, with the header (or schema) of the catalogue.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Float64Builder, Int16Builder, Int64Builder, Int8Builder, StringBuilder,
    TimestampSecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use shared::register::{ColumnType, Register, RegisterId, REGISTERS};

use super::day::{self, Day};

/// Rows per Arrow record batch.
const BATCH_ROWS: usize = 65_536;

/// Rows kept as text from the start of each extract (for `--broken`).
pub const SAMPLE_ROWS: usize = 6;

/// The file format of the extracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// CSV with a header row.
    #[default]
    Csv,
    /// Arrow IPC stream.
    Arrow,
}

impl Format {
    /// File name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Arrow => "arrows",
        }
    }

    /// Name in `broken.json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Arrow => "arrow",
        }
    }
}

/// One value of a row, typed as its column.
#[derive(Clone, Copy, Debug)]
pub enum Val<'a> {
    /// No value (empty field, null).
    Null,
    /// Text, a code or a shaped value.
    Text(&'a str),
    /// A CPR number (written with ten digits).
    Cpr(u64),
    /// A date.
    Date(Day),
    /// A moment, seconds since 1970-01-01T00:00:00.
    Time(i64),
    /// The month of a day.
    Month(Day),
    /// A whole number.
    Int(i64),
    /// A decimal number (rounded by the caller).
    Dec(f64),
    /// A flag.
    Flag(bool),
    /// A municipality code.
    Muni(u16),
    /// A region code.
    Region(u16),
}

/// Appends `value` as CSV text.
pub fn push_csv(out: &mut Vec<u8>, value: &Val<'_>) {
    match *value {
        Val::Null => {}
        Val::Text(s) => {
            if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
                out.push(b'"');
                for b in s.bytes() {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
            } else {
                out.extend_from_slice(s.as_bytes());
            }
        }
        Val::Cpr(n) => day::push_number(out, n, 10),
        Val::Date(d) => day::push_date(out, d),
        Val::Time(t) => day::push_timestamp(out, t),
        Val::Month(d) => day::push_month(out, d),
        Val::Int(i) => {
            if i < 0 {
                out.push(b'-');
            }
            day::push_number(out, i.unsigned_abs(), 1);
        }
        Val::Dec(x) => {
            let _ = write!(out, "{x}");
        }
        Val::Flag(f) => out.push(if f { b'1' } else { b'0' }),
        Val::Muni(m) => day::push_number(out, u64::from(m), 3),
        Val::Region(r) => day::push_number(out, u64::from(r), 4),
    }
}

/// The Arrow type of a catalogue column.
pub fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Cpr
        | ColumnType::Month
        | ColumnType::Code { .. }
        | ColumnType::Shaped { .. }
        | ColumnType::Text { .. } => DataType::Utf8,
        ColumnType::Date => DataType::Date32,
        ColumnType::Timestamp => DataType::Timestamp(TimeUnit::Second, None),
        ColumnType::Integer { .. } => DataType::Int64,
        ColumnType::Decimal { .. } => DataType::Float64,
        ColumnType::Flag => DataType::Int8,
        ColumnType::Municipality | ColumnType::Region => DataType::Int16,
    }
}

/// The Arrow schema of a register's extract (all of its columns, or those
/// `keep` accepts).
pub fn schema(register: &Register, keep: impl Fn(&str) -> bool) -> SchemaRef {
    Arc::new(Schema::new(
        register
            .columns
            .iter()
            .filter(|c| keep(c.name))
            .map(|c| Field::new(c.name, arrow_type(c.kind), !c.required))
            .collect::<Vec<_>>(),
    ))
}

enum Builder {
    Text(StringBuilder),
    Date(Date32Builder),
    Time(TimestampSecondBuilder),
    Int(Int64Builder),
    Dec(Float64Builder),
    Flag(Int8Builder),
    Small(Int16Builder),
}

impl Builder {
    fn new(data_type: &DataType) -> Builder {
        match data_type {
            DataType::Date32 => Builder::Date(Date32Builder::with_capacity(BATCH_ROWS)),
            DataType::Timestamp(..) => {
                Builder::Time(TimestampSecondBuilder::with_capacity(BATCH_ROWS))
            }
            DataType::Int64 => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            DataType::Float64 => Builder::Dec(Float64Builder::with_capacity(BATCH_ROWS)),
            DataType::Int8 => Builder::Flag(Int8Builder::with_capacity(BATCH_ROWS)),
            DataType::Int16 => Builder::Small(Int16Builder::with_capacity(BATCH_ROWS)),
            _ => Builder::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 8)),
        }
    }

    fn append(&mut self, value: &Val<'_>, scratch: &mut Vec<u8>) {
        match (self, *value) {
            (Builder::Text(b), Val::Null) => b.append_null(),
            (Builder::Date(b), Val::Null) => b.append_null(),
            (Builder::Time(b), Val::Null) => b.append_null(),
            (Builder::Int(b), Val::Null) => b.append_null(),
            (Builder::Dec(b), Val::Null) => b.append_null(),
            (Builder::Flag(b), Val::Null) => b.append_null(),
            (Builder::Small(b), Val::Null) => b.append_null(),
            (Builder::Text(b), Val::Text(s)) => b.append_value(s),
            (Builder::Text(b), v) => {
                scratch.clear();
                push_csv(scratch, &v);
                b.append_value(std::str::from_utf8(scratch).unwrap_or_default());
            }
            (Builder::Date(b), Val::Date(d)) => b.append_value(d),
            (Builder::Time(b), Val::Time(t)) => b.append_value(t),
            (Builder::Int(b), Val::Int(i)) => b.append_value(i),
            (Builder::Dec(b), Val::Dec(x)) => b.append_value(x),
            (Builder::Flag(b), Val::Flag(f)) => b.append_value(i8::from(f)),
            (Builder::Small(b), Val::Muni(m) | Val::Region(m)) => b.append_value(m as i16),
            (_, v) => panic!("value {v:?} does not fit its Arrow column"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Dec(b) => Arc::new(b.finish()),
            Builder::Flag(b) => Arc::new(b.finish()),
            Builder::Small(b) => Arc::new(b.finish()),
        }
    }
}

struct ArrowSink {
    writer: StreamWriter<BufWriter<File>>,
    schema: SchemaRef,
    builders: Vec<Builder>,
    pending: usize,
}

impl ArrowSink {
    fn flush(&mut self) -> std::io::Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch =
            RecordBatch::try_new(self.schema.clone(), arrays).map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)?;
        self.pending = 0;
        Ok(())
    }
}

enum Sink {
    Csv(BufWriter<File>),
    Arrow(Box<ArrowSink>),
}

/// One register's extract being written.
pub struct Table {
    /// The register.
    pub register: &'static Register,
    /// The file.
    pub path: PathBuf,
    /// Data rows written.
    pub rows: u64,
    /// The first rows as CSV fields.
    pub samples: Vec<Vec<String>>,
    sink: Sink,
    line: Vec<u8>,
}

impl Table {
    /// Creates `<key>.<ext>` in `dir` and writes the header.
    pub fn create(
        dir: &Path,
        register: &'static Register,
        format: Format,
    ) -> std::io::Result<Table> {
        let path = dir.join(format!("{}.{}", register.key, format.extension()));
        let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let sink = match format {
            Format::Csv => {
                let mut file = file;
                let header: Vec<&str> = register.columns.iter().map(|c| c.name).collect();
                writeln!(file, "{}", header.join(","))?;
                Sink::Csv(file)
            }
            Format::Arrow => {
                let schema = schema(register, |_| true);
                let writer = StreamWriter::try_new(file, &schema).map_err(std::io::Error::other)?;
                let builders = schema
                    .fields()
                    .iter()
                    .map(|f| Builder::new(f.data_type()))
                    .collect();
                Sink::Arrow(Box::new(ArrowSink {
                    writer,
                    schema,
                    builders,
                    pending: 0,
                }))
            }
        };
        Ok(Table {
            register,
            path,
            rows: 0,
            samples: Vec::new(),
            sink,
            line: Vec::with_capacity(256),
        })
    }

    /// Writes one row: a value per column, in catalogue order.
    pub fn write(&mut self, values: &[Val<'_>]) -> std::io::Result<()> {
        debug_assert_eq!(
            values.len(),
            self.register.columns.len(),
            "{}",
            self.register.key
        );
        if self.samples.len() < SAMPLE_ROWS {
            let fields = values
                .iter()
                .map(|v| {
                    let mut b = Vec::new();
                    push_csv(&mut b, v);
                    String::from_utf8(b).unwrap_or_default()
                })
                .collect();
            self.samples.push(fields);
        }
        self.rows += 1;
        self.line.clear();
        match &mut self.sink {
            Sink::Csv(out) => {
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b',');
                    }
                    push_csv(&mut self.line, v);
                }
                self.line.push(b'\n');
                out.write_all(&self.line)
            }
            Sink::Arrow(sink) => {
                for (b, v) in sink.builders.iter_mut().zip(values) {
                    b.append(v, &mut self.line);
                }
                sink.pending += 1;
                if sink.pending >= BATCH_ROWS {
                    sink.flush()?;
                }
                Ok(())
            }
        }
    }

    /// Flushes and closes the file.
    pub fn finish(self) -> std::io::Result<Written> {
        match self.sink {
            Sink::Csv(mut out) => out.flush()?,
            Sink::Arrow(mut sink) => {
                sink.flush()?;
                sink.writer.finish().map_err(std::io::Error::other)?;
                let mut out = sink.writer.into_inner().map_err(std::io::Error::other)?;
                out.flush()?;
            }
        }
        Ok(Written {
            register: self.register,
            path: self.path,
            rows: self.rows,
            samples: self.samples,
        })
    }
}

/// A finished extract.
#[derive(Clone, Debug)]
pub struct Written {
    /// The register.
    pub register: &'static Register,
    /// The file.
    pub path: PathBuf,
    /// Data rows written.
    pub rows: u64,
    /// The first rows as CSV fields.
    pub samples: Vec<Vec<String>>,
}

/// Every register's extract, addressed by register.
pub struct Tables(Vec<Table>);

impl Tables {
    /// Creates all twelve files in `dir`.
    pub fn create(dir: &Path, format: Format) -> std::io::Result<Tables> {
        let mut tables = REGISTERS
            .iter()
            .map(|r| Table::create(dir, r, format))
            .collect::<std::io::Result<Vec<_>>>()?;
        tables.sort_by_key(|t| t.register.id as usize);
        Ok(Tables(tables))
    }

    /// The extract of `id`.
    pub fn get(&mut self, id: RegisterId) -> &mut Table {
        &mut self.0[id as usize]
    }

    /// Writes a row of `id`.
    pub fn write(&mut self, id: RegisterId, values: &[Val<'_>]) -> std::io::Result<()> {
        self.get(id).write(values)
    }

    /// Closes every file; returns them in catalogue (ingestion) order.
    pub fn finish(self) -> std::io::Result<Vec<Written>> {
        let mut tables = self.0;
        tables.sort_by_key(|t| REGISTERS.iter().position(|r| r.id == t.register.id));
        tables.into_iter().map(Table::finish).collect()
    }
}
