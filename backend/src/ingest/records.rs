//! CSV text split into records, read in large blocks.
//!
//! RFC 4180 as extracts are written: fields separated by commas, lines
//! ended by `\n`, `\r\n` or `\r`, and a field that starts with a double
//! quote may hold commas, line breaks and doubled quotes. A quote
//! elsewhere is an ordinary character, and text after a closing quote is
//! kept, as most CSV readers do. Empty lines are skipped.
//!
//! A line without a quote — nearly every line of an extract — is split
//! where it lies in the block, by searching for its end and its commas
//! (SIMD searches from `memchr`), with no copy and no state machine; a
//! record with quotes is unescaped into a buffer of its own.

use std::io::Read;
use std::ops::Range;

/// A quote still open at the end of the input, the payload of the error
/// that ends the reading.
#[derive(Debug)]
pub(super) struct UnclosedQuote {
    /// The line the quote opened on.
    pub line: u64,
}

impl std::fmt::Display for UnclosedQuote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the quote opened on line {} is never closed (the rest of the file would be one value)",
            self.line
        )
    }
}

impl std::error::Error for UnclosedQuote {}

impl UnclosedQuote {
    /// The unclosed quote an error of [`Records::next_record`] is about.
    pub(super) fn of(e: &std::io::Error) -> Option<&UnclosedQuote> {
        e.get_ref().and_then(|inner| inner.downcast_ref())
    }
}

/// The next record of a [`Records`] reader.
pub(super) struct Record<'a> {
    /// The line the record starts on (1-based).
    pub line: u64,
    /// The line it ends on: a later one when a quoted field holds line
    /// breaks.
    pub last_line: u64,
    /// The record's text: its fields, unescaped, one after the other.
    pub text: &'a [u8],
    /// Where each field is in `text`.
    pub fields: &'a [Range<u32>],
}

/// Reads CSV records from `input` in blocks of at least `block` bytes.
pub(super) struct Records<R> {
    input: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..len]`.
    pos: usize,
    len: usize,
    eof: bool,
    /// The line of the next unread byte.
    line: u64,
    /// The text of a record with quotes.
    unquoted: Vec<u8>,
    fields: Vec<Range<u32>>,
}

impl<R: Read> Records<R> {
    pub(super) fn new(input: R, block: usize) -> Self {
        Records {
            input,
            buf: vec![0; block.max(1)],
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
            unquoted: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// The line the next record starts on, or after the last.
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// The next record, or `None` at the end of the input.
    pub(super) fn next_record(&mut self) -> std::io::Result<Option<Record<'_>>> {
        loop {
            // A whole line in the buffer, up to its terminator (or the end
            // of the input).
            let found = loop {
                let unread = &self.buf[self.pos..self.len];
                match memchr::memchr2(b'\n', b'\r', unread) {
                    // A `\r` last in the buffer may be the start of `\r\n`.
                    Some(at) if unread[at] == b'\n' || self.pos + at + 1 < self.len || self.eof => {
                        break Some(at)
                    }
                    None if self.eof => break None,
                    _ => self.fill()?,
                }
            };
            let start = self.pos;
            let end = found.map_or(self.len, |at| start + at);
            if start == end {
                match found {
                    None => return Ok(None),
                    Some(_) => {
                        self.skip_terminator(end);
                        continue;
                    }
                }
            }
            let line = self.line;
            if memchr::memchr(b'"', &self.buf[start..end]).is_some() {
                return self.quoted(line).map(Some);
            }
            self.fields.clear();
            let mut from = 0;
            for comma in memchr::memchr_iter(b',', &self.buf[start..end]) {
                self.fields.push(from as u32..comma as u32);
                from = comma + 1;
            }
            self.fields.push(from as u32..(end - start) as u32);
            if found.is_some() {
                self.skip_terminator(end);
            } else {
                self.pos = end;
            }
            return Ok(Some(Record {
                line,
                last_line: line,
                text: &self.buf[start..end],
                fields: &self.fields,
            }));
        }
    }

    /// Moves past the line terminator at `at` and counts the line.
    fn skip_terminator(&mut self, at: usize) {
        let crlf =
            self.buf[at] == b'\r' && self.buf.get(at + 1) == Some(&b'\n') && at + 1 < self.len;
        self.pos = at + if crlf { 2 } else { 1 };
        self.line += 1;
    }

    /// Reads more input after the unread bytes (moved to the start of the
    /// buffer, which grows if they fill it).
    fn fill(&mut self) -> std::io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
        }
        if self.len == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// A record with quotes, which may go on over several lines: unescaped
    /// into a buffer of its own.
    fn quoted(&mut self, line: u64) -> std::io::Result<Record<'_>> {
        // Scanned from its start until it ends in the buffer; a record
        // longer than the buffer holds is scanned again after a refill.
        let (consumed, lines, breaks) = loop {
            match self.scan_quoted() {
                Some(Ok(done)) => break done,
                Some(Err(opened)) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        UnclosedQuote {
                            line: line + opened,
                        },
                    ))
                }
                None => self.fill()?,
            }
        };
        self.pos += consumed;
        self.line += lines;
        Ok(Record {
            line,
            last_line: line + breaks,
            text: &self.unquoted,
            fields: &self.fields,
        })
    }

    /// Unescapes the record at `pos` into `unquoted` and `fields`: the
    /// bytes it takes (with its terminator), the lines it ends and the
    /// line breaks inside it, or
    /// `None` if it goes on past the bytes read so far (never at the end
    /// of the input). At the end of the input inside a quoted field, the
    /// error is the line (counted from the record's first, 0-based) the
    /// field's quote opened on.
    fn scan_quoted(&mut self) -> Option<Result<(usize, u64, u64), u64>> {
        let bytes = &self.buf[self.pos..self.len];
        self.unquoted.clear();
        self.fields.clear();
        let mut field_start = 0u32;
        let mut lines = 0u64;
        let mut i = 0;
        // Whether the current field started with a quote and it is open.
        let mut at_field_start = true;
        let mut in_quotes = false;
        let mut opened = 0u64;
        while i < bytes.len() {
            let b = bytes[i];
            if in_quotes {
                match b {
                    b'"' => {
                        match bytes.get(i + 1) {
                            Some(b'"') => {
                                self.unquoted.push(b'"');
                                i += 2;
                                continue;
                            }
                            // The closing quote, or not known yet.
                            None if !self.eof => return None,
                            _ => in_quotes = false,
                        }
                    }
                    b'\n' => {
                        lines += 1;
                        self.unquoted.push(b);
                    }
                    b'\r' => {
                        if bytes.get(i + 1) != Some(&b'\n') {
                            lines += 1;
                        }
                        self.unquoted.push(b);
                    }
                    _ => self.unquoted.push(b),
                }
                i += 1;
                continue;
            }
            match b {
                b'"' if at_field_start => {
                    in_quotes = true;
                    opened = lines;
                    at_field_start = false;
                }
                b',' => {
                    self.fields.push(field_start..self.unquoted.len() as u32);
                    field_start = self.unquoted.len() as u32;
                    at_field_start = true;
                }
                b'\n' | b'\r' => {
                    let crlf = b == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                    if b == b'\r' && i + 1 == bytes.len() && !self.eof {
                        return None;
                    }
                    self.fields.push(field_start..self.unquoted.len() as u32);
                    return Some(Ok((i + if crlf { 2 } else { 1 }, lines + 1, lines)));
                }
                _ => {
                    self.unquoted.push(b);
                    at_field_start = false;
                }
            }
            i += 1;
        }
        if !self.eof {
            return None;
        }
        if in_quotes {
            return Some(Err(opened));
        }
        // The input ends inside the record, after its last field.
        self.fields.push(field_start..self.unquoted.len() as u32);
        Some(Ok((bytes.len(), lines, lines)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` as (line, fields), read in blocks of `block`
    /// bytes, and the error that ended the reading, if one did.
    fn read_all(text: &[u8], block: usize) -> (Vec<(u64, Vec<String>)>, Option<String>) {
        let mut records = Records::new(text, block);
        let mut out = Vec::new();
        loop {
            match records.next_record() {
                Ok(Some(r)) => {
                    let fields = r
                        .fields
                        .iter()
                        .map(|f| {
                            String::from_utf8_lossy(&r.text[f.start as usize..f.end as usize])
                                .into()
                        })
                        .collect();
                    out.push((r.line, fields));
                }
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    /// Every record of `text`, which must be read to its end.
    fn split(text: &[u8], block: usize) -> Vec<(u64, Vec<String>)> {
        let (records, error) = read_all(text, block);
        assert_eq!(error, None, "{:?}", String::from_utf8_lossy(text));
        records
    }

    fn fields(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quotes_line_breaks_and_lines_are_read_as_written() {
        let text = b"a,b\r\n\r\n\"x,\"\"y\"\"\",2\n\"two\nlines\",3\rlast, z ";
        for block in [1, 2, 3, 5, 8, 1 << 20] {
            assert_eq!(
                split(text, block),
                vec![
                    (1, fields(&["a", "b"])),
                    (3, fields(&["x,\"y\"", "2"])),
                    (4, fields(&["two\nlines", "3"])),
                    (6, fields(&["last", " z "])),
                ],
                "block of {block} bytes"
            );
        }
    }

    #[test]
    fn agrees_with_the_csv_crate_on_every_small_text() {
        // Every text of up to six bytes from an alphabet of the bytes that
        // matter, against a reference reader, in several block sizes.
        let alphabet = b"a,\"\n\r ";
        let mut texts = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, Vec::len))
                .flat_map(|t| {
                    alphabet.iter().map(move |b| {
                        let mut t = t.clone();
                        t.push(*b);
                        t
                    })
                })
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), (0..=6).map(|n| 6usize.pow(n)).sum::<usize>());
        let reference = |text: &[u8]| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text)
                .records()
                .map(|r| r.expect("ASCII").iter().map(str::to_string).collect())
                .collect()
        };
        let mut unclosed = 0;
        for text in &texts {
            let expected = reference(text);
            // Whether the text ends inside a quoted field, by the reference:
            // then a line break and a quote after it close that field
            // rather than start a record.
            let open_at_end = {
                let mut closed = text.clone();
                closed.extend_from_slice(b"\n\"");
                reference(&closed).len() == expected.len()
            };
            for block in [1, 4, 64] {
                // Fields only: the reference does not count the empty lines
                // it skips, these records' lines do (as the test above).
                let (records, error) = read_all(text, block);
                let got: Vec<Vec<String>> = records.into_iter().map(|(_, f)| f).collect();
                let shown = String::from_utf8_lossy(text);
                if open_at_end {
                    // Every record before the one left open, then the error.
                    assert_eq!(got, expected[..expected.len() - 1], "{shown:?} in {block}");
                    let error = error.unwrap_or_else(|| panic!("{shown:?}: no error"));
                    assert!(error.contains("is never closed"), "{shown:?}: {error}");
                } else {
                    assert_eq!(error, None, "{shown:?} in blocks of {block}");
                    assert_eq!(got, expected, "{shown:?} in blocks of {block}");
                }
            }
            unclosed += usize::from(open_at_end);
        }
        // The comparison covered both kinds of text.
        assert!(unclosed > 1000 && unclosed < texts.len() / 2, "{unclosed}");
    }

    #[test]
    fn a_record_knows_the_lines_it_spans() {
        let text = b"a\n\"x\r\ny\nz\",1\nb\n\"q\"\"\n\"";
        for block in [1, 3, 1 << 20] {
            let mut records = Records::new(&text[..], block);
            let mut spans = Vec::new();
            while let Some(r) = records.next_record().expect("in memory") {
                spans.push((r.line, r.last_line));
            }
            assert_eq!(
                spans,
                [(1, 1), (2, 4), (5, 5), (6, 7)],
                "block of {block} bytes"
            );
        }
    }

    #[test]
    fn a_quote_never_closed_is_found_where_it_opened() {
        // Blank lines before its record, and a field closed on a later
        // line of the record before the one left open.
        for (text, line) in [
            (&b"a\n\n\n\"x\n"[..], 4),
            (b"a\n\"x\ny\",\"z\n", 3),
            (b"a\r\n\"x\r\ny\",\"z\r\n", 3),
        ] {
            for block in [1, 2, 1 << 20] {
                let mut records = Records::new(text, block);
                let error = loop {
                    match records.next_record() {
                        Ok(Some(_)) => {}
                        Ok(None) => panic!("{text:?}: read to the end"),
                        Err(e) => break e,
                    }
                };
                let unclosed = UnclosedQuote::of(&error).expect("an unclosed quote");
                assert_eq!(unclosed.line, line, "{text:?} in blocks of {block}");
            }
        }
        let other = std::io::Error::new(std::io::ErrorKind::InvalidData, "other");
        assert!(UnclosedQuote::of(&other).is_none());
    }

    #[test]
    fn a_quote_never_closed_names_the_line_it_opened_on() {
        let text = b"a,b\n1,2\n\"x\ny\",3\n4,\"5\n6,7\n8,9\n";
        for block in [1, 3, 1 << 20] {
            let (records, error) = read_all(text, block);
            let lines: Vec<u64> = records.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [1, 2, 3], "block of {block} bytes");
            assert_eq!(
                error.as_deref(),
                Some("the quote opened on line 5 is never closed (the rest of the file would be one value)")
            );
        }
    }
}
