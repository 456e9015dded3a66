//! Calendar days as plain integers (days since 1970-01-01, the Arrow
//! `Date32` value), with fast conversion and formatting: the generator
//! writes hundreds of millions of dates.

/// Days since 1970-01-01.
pub type Day = i32;

/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The day of `year`-`month`-`day` (proleptic Gregorian).
pub fn from_ymd(year: i32, month: u32, day: u32) -> Day {
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of `day`.
pub fn ymd(day: Day) -> (i32, u32, u32) {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// 1 January of `year`.
pub fn new_year(year: i32) -> Day {
    from_ymd(year, 1, 1)
}

/// The year of `day`.
pub fn year_of(day: Day) -> i32 {
    ymd(day).0
}

/// Whole years of age on `at` of a person born on `birth`.
pub fn age(birth: Day, at: Day) -> i32 {
    let (by, bm, bd) = ymd(birth);
    let (y, m, d) = ymd(at);
    y - by - i32::from((m, d) < (bm, bd))
}

/// The day `years` after `day` (29 February becomes 1 March).
pub fn add_years(day: Day, years: i32) -> Day {
    let (y, m, d) = ymd(day);
    if m == 2 && d == 29 {
        from_ymd(y + years, 3, 1)
    } else {
        from_ymd(y + years, m, d)
    }
}

/// Months since January 1970 of `day`'s month.
pub fn month_index(day: Day) -> i32 {
    let (y, m, _) = ymd(day);
    (y - 1970) * 12 + m as i32 - 1
}

/// The first day of the month with index `month` (see [`month_index`]).
pub fn month_start(month: i32) -> Day {
    from_ymd(
        1970 + month.div_euclid(12),
        month.rem_euclid(12) as u32 + 1,
        1,
    )
}

fn push_digits(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut v = value;
    for i in (0..width).rev() {
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.extend_from_slice(&buf[..width]);
}

/// Appends `YYYY-MM-DD`.
pub fn push_date(out: &mut Vec<u8>, day: Day) {
    let (y, m, d) = ymd(day);
    push_digits(out, y.max(0) as u32, 4);
    out.push(b'-');
    push_digits(out, m, 2);
    out.push(b'-');
    push_digits(out, d, 2);
}

/// Appends `YYYY-MM`.
pub fn push_month(out: &mut Vec<u8>, day: Day) {
    let (y, m, _) = ymd(day);
    push_digits(out, y.max(0) as u32, 4);
    out.push(b'-');
    push_digits(out, m, 2);
}

/// Appends `YYYY-MM-DDTHH:MM:SS` for seconds since 1970-01-01T00:00:00.
pub fn push_timestamp(out: &mut Vec<u8>, seconds: i64) {
    let day = seconds.div_euclid(SECONDS_PER_DAY);
    let s = seconds.rem_euclid(SECONDS_PER_DAY) as u32;
    push_date(out, day as Day);
    out.push(b'T');
    push_digits(out, s / 3600, 2);
    out.push(b':');
    push_digits(out, s / 60 % 60, 2);
    out.push(b':');
    push_digits(out, s % 60, 2);
}

/// Appends `value` in decimal with at least `width` digits.
pub fn push_number(out: &mut Vec<u8>, value: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut v = value;
    let mut n = 0;
    while v > 0 || n < width.max(1) {
        buf[19 - n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    out.extend_from_slice(&buf[20 - n..]);
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Day> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = text[..4].parse().ok()?;
    let m: u32 = text[5..7].parse().ok()?;
    let d: u32 = text[8..].parse().ok()?;
    let day = from_ymd(y, m, d);
    (ymd(day) == (y, m, d)).then_some(day)
}

/// Parses `YYYY-MM-DDTHH:MM:SS` into seconds since 1970.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let day = parse_date(text.get(..10)?)?;
    let t = text.get(11..)?;
    let mut parts = t.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    );
    Some(i64::from(day) * SECONDS_PER_DAY + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_formats_days() {
        assert_eq!(from_ymd(1970, 1, 1), 0);
        assert_eq!(from_ymd(2000, 3, 1), 11_017);
        for day in -50_000..50_000 {
            let (y, m, d) = ymd(day);
            assert_eq!(from_ymd(y, m, d), day);
        }
        let mut out = Vec::new();
        push_date(&mut out, from_ymd(2024, 2, 29));
        out.push(b' ');
        push_timestamp(
            &mut out,
            i64::from(from_ymd(1931, 12, 5)) * SECONDS_PER_DAY + 3661,
        );
        out.push(b' ');
        push_month(&mut out, from_ymd(2019, 7, 31));
        out.push(b' ');
        push_number(&mut out, 61, 3);
        assert_eq!(
            String::from_utf8(out).expect("ascii"),
            "2024-02-29 1931-12-05T01:01:01 2019-07 061"
        );
        assert_eq!(parse_date("2024-02-29"), Some(from_ymd(2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_timestamp("1970-01-02T00:00:10"), Some(86_410));
    }

    #[test]
    fn ages_and_months() {
        let birth = from_ymd(1950, 6, 15);
        assert_eq!(age(birth, from_ymd(2024, 6, 14)), 73);
        assert_eq!(age(birth, from_ymd(2024, 6, 15)), 74);
        assert_eq!(add_years(from_ymd(2020, 2, 29), 1), from_ymd(2021, 3, 1));
        let m = month_index(from_ymd(2024, 5, 20));
        assert_eq!(month_start(m), from_ymd(2024, 5, 1));
        assert_eq!(month_start(m + 8), from_ymd(2025, 1, 1));
    }
}
