//! CPR numbers and their pseudonyms.
//!
//! A CPR number exists only between reading a row and hashing it: it is
//! parsed into [`Cpr`] (which never prints its digits), turned into a
//! [`Pseudonym`] with a keyed HMAC-SHA-256, and dropped. The key comes from
//! configuration and is never stored in the repository.

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A syntactically valid CPR number. Its `Debug` output is redacted so it
/// cannot reach a log by accident.
pub struct Cpr([u8; 10]);

impl Cpr {
    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS`.
    pub fn parse(text: &str) -> Result<Cpr, &'static str> {
        let bytes = text.as_bytes();
        let mut digits = [0u8; 10];
        let well_formed = match bytes.len() {
            10 => {
                digits.copy_from_slice(bytes);
                true
            }
            11 if bytes[6] == b'-' => {
                digits[..6].copy_from_slice(&bytes[..6]);
                digits[6..].copy_from_slice(&bytes[7..]);
                true
            }
            _ => false,
        };
        if !well_formed || !digits.iter().all(u8::is_ascii_digit) {
            return Err("not a CPR number: expected 10 digits, DDMMYYSSSS or DDMMYY-SSSS");
        }
        let day = (digits[0] - b'0') * 10 + (digits[1] - b'0');
        let month = (digits[2] - b'0') * 10 + (digits[3] - b'0');
        // Days above 60 are used for replacement numbers; accept them.
        if !(1..=12).contains(&month) || day == 0 || (day > 31 && !(61..=91).contains(&day)) {
            return Err("not a CPR number: the first six digits are not a date (DDMMYY)");
        }
        Ok(Cpr(digits))
    }
}

/// Where `text` holds what may be a CPR number: ten digits, or six, `-`
/// and four, not part of a longer run of digits, whose first six are a
/// date as [`Cpr::parse`] reads it. Ten digits that are no date (a
/// timestamp in seconds, say) are not found. Byte ranges, in order.
pub fn cpr_like_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut spans = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let run = digits_from(at);
        let end = at + run;
        let len = match run {
            10 => Some(10),
            6 if bytes.get(end) == Some(&b'-') && digits_from(end + 1) == 4 => Some(11),
            _ => None,
        };
        match len {
            Some(len) if Cpr::parse(&text[at..at + len]).is_ok() => {
                spans.push(at..at + len);
                at += len;
            }
            _ => at = end,
        }
    }
    spans
}

/// `text` with the digits of what may be a CPR number (see
/// [`cpr_like_spans`]) masked: for a name the caller chose, such as an
/// extract's file name, which is kept in the ledger and shown in reports.
pub fn mask_cpr_like(text: &str) -> std::borrow::Cow<'_, str> {
    let spans = cpr_like_spans(text);
    if spans.is_empty() {
        return text.into();
    }
    let mut masked = text.to_string().into_bytes();
    for span in spans {
        for b in &mut masked[span] {
            if b.is_ascii_digit() {
                *b = b'*';
            }
        }
    }
    String::from_utf8(masked)
        .expect("ASCII digits replaced by an ASCII character")
        .into()
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cpr(<redacted>)")
    }
}

/// A person's pseudonym: hex of the first 16 bytes of HMAC-SHA-256(key, CPR).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pseudonym([u8; 32]);

impl Pseudonym {
    /// The hex text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

/// The secret key of the pseudonymisation.
#[derive(Clone)]
pub struct PseudonymKey {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(<secret>)")
    }
}

/// Why the key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key text is not 64 hex digits.
    #[error("the pseudonymisation key must be 64 hex digits (32 bytes)")]
    Malformed,
    /// Reading or writing the key file failed.
    #[error("pseudonymisation key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The operating system gave no random bytes.
    #[error("no randomness available to create a key: {0}")]
    Random(getrandom::Error),
}

impl PseudonymKey {
    /// From 64 hex digits.
    pub fn from_hex(text: &str) -> Result<PseudonymKey, KeyError> {
        let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(PseudonymKey::from_bytes(key))
    }

    /// A key from its 32 bytes.
    pub fn from_bytes(key: [u8; 32]) -> PseudonymKey {
        PseudonymKey {
            mac: <Hmac<Sha256> as Mac>::new_from_slice(&key)
                .expect("HMAC accepts keys of any length"),
        }
    }

    /// Reads the key file at `path`, creating it with a fresh random key
    /// (readable by the owner only) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<PseudonymKey, KeyError> {
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => PseudonymKey::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::getrandom(&mut key).map_err(KeyError::Random)?;
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path).map_err(io)?;
                file.write_all(hex::encode(key).as_bytes()).map_err(io)?;
                Ok(PseudonymKey::from_bytes(key))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The pseudonym of `cpr`.
    pub fn pseudonymise(&self, cpr: &Cpr) -> Pseudonym {
        // The keyed state is computed once per key and cloned per number.
        let mut mac = self.mac.clone();
        mac.update(&cpr.0);
        let digest = mac.finalize().into_bytes();
        Pseudonym(hex16(&digest[..16]))
    }
}

/// Lower-case hex of 16 bytes (a table lookup per digit: called once per
/// row of an extract).
fn hex16(bytes: &[u8]) -> [u8; 32] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0; 32];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 15)];
    }
    out
}

/// Pseudonymises the CPR numbers of one extract, row by row. An extract
/// lists a person's rows together, so most rows repeat the number of the
/// row before: that row's pseudonym is reused instead of computed again.
/// Only the number of the row before is held, and only in memory.
pub struct Pseudonymiser {
    key: PseudonymKey,
    last: Option<([u8; 10], Pseudonym)>,
}

impl Pseudonymiser {
    /// Pseudonymises with `key`.
    pub fn new(key: PseudonymKey) -> Pseudonymiser {
        Pseudonymiser { key, last: None }
    }

    /// The pseudonym of `cpr`.
    pub fn pseudonymise(&mut self, cpr: &Cpr) -> &Pseudonym {
        let same = matches!(&self.last, Some((last, _)) if *last == cpr.0);
        if !same {
            self.last = Some((cpr.0, self.key.pseudonymise(cpr)));
        }
        &self.last.as_ref().expect("set above").1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> PseudonymKey {
        PseudonymKey::from_bytes([byte; 32])
    }

    #[test]
    fn numbers_that_may_be_cpr_numbers_are_found_inside_other_text() {
        fn found(text: &str) -> Vec<&str> {
            cpr_like_spans(text)
                .into_iter()
                .map(|span| &text[span])
                .collect()
        }
        assert_eq!(found("0101801234"), ["0101801234"]);
        assert_eq!(found("lpr_010180-1234.csv"), ["010180-1234"]);
        assert_eq!(
            found("a3110601234b and 2902801234"),
            ["3110601234", "2902801234"]
        );
        // A replacement number's day is above 60.
        assert_eq!(found("x6101801234"), ["6101801234"]);
        // Not a date, or not ten digits on their own.
        for text in [
            "1732500000",
            "0113801234",
            "0001801234",
            "01018012345",
            "20240101T120000",
            "010180-12345",
            "0101801-1234",
            "batch-2024-11-25",
            "",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
        assert_eq!(mask_cpr_like("lpr 010180-1234.csv"), "lpr ******-****.csv");
        assert_eq!(mask_cpr_like("æøå0101801234ü"), "æøå**********ü");
        assert_eq!(mask_cpr_like("lpr-2024.csv"), "lpr-2024.csv");
    }

    #[test]
    fn accepts_both_cpr_spellings_with_the_same_pseudonym() {
        let a = Cpr::parse("0101801234").expect("plain");
        let b = Cpr::parse("010180-1234").expect("hyphenated");
        assert_eq!(key(1).pseudonymise(&a), key(1).pseudonymise(&b));
    }

    #[test]
    fn the_pseudonymiser_gives_each_number_its_own_pseudonym_in_any_order() {
        let numbers = ["0101801234", "0101801234", "0202802345", "0101801234"];
        let mut pseudonymiser = Pseudonymiser::new(key(3));
        for n in numbers {
            let cpr = Cpr::parse(n).expect("valid");
            let expected = key(3).pseudonymise(&cpr);
            assert_eq!(pseudonymiser.pseudonymise(&cpr), &expected);
            assert_eq!(expected.as_str().len(), 32);
            assert!(expected.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        }
        let a = Cpr::parse(numbers[0]).expect("valid");
        let b = Cpr::parse(numbers[2]).expect("valid");
        assert_ne!(key(3).pseudonymise(&a), key(3).pseudonymise(&b));
    }

    #[test]
    fn pseudonyms_are_the_hex_of_the_hmac() {
        use hmac::Mac;
        let cpr = Cpr::parse("0101801234").expect("valid");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&[7u8; 32]).expect("key");
        mac.update(b"0101801234");
        let digest = mac.finalize().into_bytes();
        assert_eq!(
            key(7).pseudonymise(&cpr).as_str(),
            hex::encode(&digest[..16])
        );
    }

    #[test]
    fn rejects_malformed_cpr_numbers() {
        for bad in [
            "",
            "01018012345",
            "0101801a34",
            "01-01801234",
            "3213801234",
            "0000801234",
        ] {
            assert!(Cpr::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn pseudonym_depends_on_key_and_never_contains_the_number() {
        let cpr = Cpr::parse("0101801234").expect("valid");
        let p1 = key(1).pseudonymise(&cpr);
        let p2 = key(2).pseudonymise(&cpr);
        assert_ne!(p1, p2);
        assert_eq!(p1.as_str().len(), 32);
        assert!(!p1.as_str().contains("0101801234"));
        assert_eq!(format!("{cpr:?}"), "Cpr(<redacted>)");
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/pseudonym.key");
        let k1 = PseudonymKey::load_or_create(&path).expect("created");
        let k2 = PseudonymKey::load_or_create(&path).expect("read back");
        let cpr = Cpr::parse("0101801234").expect("valid");
        assert_eq!(k1.pseudonymise(&cpr), k2.pseudonymise(&cpr));
        assert!(matches!(
            PseudonymKey::from_hex("abc"),
            Err(KeyError::Malformed)
        ));
    }
}
