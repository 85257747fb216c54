//! The normalize stage: Unicode normalization form, stray BOMs, C0 control characters, and
//! optionally line endings. No cosmetic changes: quotes, dashes and full-width punctuation stay.

use std::borrow::Cow;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normalization form to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Form {
    None,
    #[default]
    Nfc,
    Nfkc,
}

/// What to do with line endings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Newlines {
    #[default]
    Keep,
    Lf,
    Crlf,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalizeOptions {
    pub form: Form,
    /// Remove C0 control characters other than TAB, LF and CR.
    pub remove_controls: bool,
    pub newlines: Newlines,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            form: Form::Nfc,
            remove_controls: true,
            newlines: Newlines::Keep,
        }
    }
}

/// What normalizing one line changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// A U+FEFF at the start of the line was removed.
    pub bom: bool,
    /// Number of control characters removed.
    pub controls: usize,
    /// The normalization form changed the text.
    pub form: bool,
}

impl Normalized {
    pub fn any(&self) -> bool {
        self.bom || self.controls > 0 || self.form
    }
}

fn is_removed_control(c: char) -> bool {
    (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r'
}

/// True for a character that NFC leaves as it is whatever surrounds it: a starter (canonical
/// combining class 0) whose NFC quick-check property is Yes. U+FEFF counts as unstable too, so
/// that a line holding one is looked at (see [`may_change`]).
///
/// One lookup in a two-level bitmap generated from `unicode-normalization` (the unit test
/// `stable_table_matches_unicode_normalization` checks it and prints a new one when the crate's
/// Unicode version changes). Characters above U+2FFFF are taken as unstable.
#[inline]
fn is_nfc_stable(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 {
        return true;
    }
    match UNSTABLE_INDEX.get((u >> 8) as usize) {
        Some(&row) => UNSTABLE_ROWS[row as usize][((u >> 6) & 3) as usize] >> (u & 63) & 1 == 0,
        None => false,
    }
}

/// True when `s` might not be in NFC. Most text is made of stable characters only, which makes
/// the common case a single scan.
fn may_need_nfc(s: &str) -> bool {
    first_unstable(s.as_bytes(), 0).is_some() && nfc_quick(s) != IsNormalized::Yes
}

/// The NFC quick check (what `is_nfc_quick` answers), with the properties of stable characters
/// taken from [`is_nfc_stable`] instead of looked up: text with a few combining marks, such as
/// vowelled Arabic, costs little more than text without.
fn nfc_quick(s: &str) -> IsNormalized {
    let mut last_class = 0;
    let mut result = IsNormalized::Yes;
    for c in s.chars() {
        if is_nfc_stable(c) {
            last_class = 0;
            continue;
        }
        let class = canonical_combining_class(c);
        if last_class > class && class != 0 {
            return IsNormalized::No;
        }
        match is_nfc_quick(std::iter::once(c)) {
            IsNormalized::Yes => {}
            IsNormalized::No => return IsNormalized::No,
            IsNormalized::Maybe => result = IsNormalized::Maybe,
        }
        last_class = class;
    }
    result
}

/// The Basic Multilingual Plane part of the table, flat: bit `u % 64` of word `u / 64` is set
/// for an unstable `u`. A two- or three-byte UTF-8 sequence finds its word from its first bytes
/// and its bit from its last without being decoded.
static BMP_UNSTABLE: [u64; 1024] = flat_bmp();

const fn flat_bmp() -> [u64; 1024] {
    let mut t = [0u64; 1024];
    let mut w = 0;
    while w < 1024 {
        t[w] = UNSTABLE_ROWS[UNSTABLE_INDEX[w >> 2] as usize][w & 3];
        w += 1;
    }
    t
}

/// For the lead byte of a UTF-8 sequence all of whose characters are stable (Cyrillic
/// `D0`/`D1`, the ideographs under `E4`–`E9`…), the length of the sequence; else 0.
static STABLE_LEAD: [u8; 256] = stable_leads();

const fn stable_leads() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0xC2;
    while b < 0xF0 {
        let stable = if b < 0xE0 {
            // 64 characters: one word.
            BMP_UNSTABLE[b & 0x1F] == 0
        } else {
            // 4096 characters: 64 words (`E0` starts at U+0800, `ED` ends before surrogates).
            let (first, last) = match b {
                0xE0 => (32, 64),
                0xED => (0, 32),
                _ => (0, 64),
            };
            let mut all = true;
            let mut w = first;
            while w < last {
                all &= BMP_UNSTABLE[((b & 0x0F) << 6) + w] == 0;
                w += 1;
            }
            all
        };
        if stable {
            t[b] = if b < 0xE0 { 2 } else { 3 };
        }
        b += 1;
    }
    t
}

/// Position of the first character of `bytes[from..]` (valid UTF-8, `from` at a character
/// boundary) that is not NFC-stable (see [`is_nfc_stable`]).
fn first_unstable(bytes: &[u8], from: usize) -> Option<usize> {
    let cont = |i: usize| bytes.get(i).map_or(0, |&b| b & 0x3F);
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            // A short run of ASCII (a space between words) ends in the next eight bytes.
            i += 1;
            let next = bytes.get(i..i + 8).map_or(0, |w| {
                u64::from_le_bytes(w.try_into().expect("8 bytes")) & 0x8080_8080_8080_8080
            });
            i = if next != 0 {
                i + next.trailing_zeros() as usize / 8
            } else {
                find_non_ascii(bytes, i)?
            };
            continue;
        }
        let skip = STABLE_LEAD[usize::from(b)];
        if skip != 0 {
            i += usize::from(skip);
            continue;
        }
        let (word, bit, len) = match b {
            0x80..=0xDF => (usize::from(b & 0x1F), cont(i + 1), 2),
            0xE0..=0xEF => (
                usize::from(b & 0x0F) << 6 | usize::from(cont(i + 1)),
                cont(i + 2),
                3,
            ),
            _ => {
                let u = u32::from(b & 0x07) << 18
                    | u32::from(cont(i + 1)) << 12
                    | u32::from(cont(i + 2)) << 6
                    | u32::from(cont(i + 3));
                if !char::from_u32(u).is_some_and(is_nfc_stable) {
                    return Some(i);
                }
                i += 4;
                continue;
            }
        };
        if BMP_UNSTABLE[word] >> bit & 1 != 0 {
            return Some(i);
        }
        i += len;
    }
    None
}

/// True for the C0 controls [`normalize_line`] removes, and for `\n` (not in a line's text).
#[inline]
fn is_control_byte(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\r')
}

/// Position of the first byte of `bytes[from..]` for which `hit` is true, looking at 32 bytes at a
/// time with no early exit inside them (which the compiler vectorizes).
#[inline]
fn find_byte(bytes: &[u8], from: usize, hit: impl Fn(u8) -> bool) -> Option<usize> {
    const N: usize = 32;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + N) {
        if chunk.iter().fold(0u8, |acc, &b| acc | u8::from(hit(b))) != 0 {
            break;
        }
        i += N;
    }
    bytes.get(i..)?.iter().position(|&b| hit(b)).map(|p| i + p)
}

/// Position of the first non-ASCII byte of `bytes[from..]`.
pub fn find_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().expect("8 bytes")) & HIGH;
    let mut i = from;
    // 32 bytes at a time, then the word that holds the byte.
    while let Some(chunk) = bytes.get(i..i + 32) {
        if chunk.iter().fold(0u8, |acc, &b| acc | b) >= 0x80 {
            break;
        }
        i += 32;
    }
    while let Some(w) = bytes.get(i..i + 8) {
        let high = word(w);
        if high != 0 {
            return Some(i + high.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b >= 0x80)
        .map(|p| i + p)
}

/// Finds, left to right, the places in a text of whole lines (each ending in `\n`) where
/// [`normalize_line`] may change a line, conservatively: it changes no line that holds none of
/// them, wherever the line starts. Line endings are not changes here (see [`line_ending`]).
pub struct ChangeFinder<'a> {
    bytes: &'a [u8],
    opts: &'a NormalizeOptions,
    /// What the last search for each kind of change found (`None`: not searched yet), reused
    /// while it is ahead.
    control: Option<Option<usize>>,
    form: Option<Option<usize>>,
}

impl<'a> ChangeFinder<'a> {
    pub fn new(text: &'a str, opts: &'a NormalizeOptions) -> Self {
        ChangeFinder {
            bytes: text.as_bytes(),
            opts,
            control: None,
            form: None,
        }
    }

    /// The first place at or after `from` (a character boundary; calls must not go backwards)
    /// where a line may change.
    pub fn next_from(&mut self, from: usize) -> Option<usize> {
        let bytes = self.bytes;
        let control = if self.opts.remove_controls {
            cached(&mut self.control, from, |from| {
                // `\n` ends lines here: not a control.
                find_byte(bytes, from, |b| is_control_byte(b) & (b != b'\n'))
            })
        } else {
            None
        };
        let form = match self.opts.form {
            // A U+FEFF counts as unstable, so a stray BOM is found here too.
            Form::Nfc => cached(&mut self.form, from, |from| first_unstable(bytes, from)),
            Form::None => cached(&mut self.form, from, |from| {
                memchr::memmem::find(&bytes[from..], "\u{FEFF}".as_bytes()).map(|p| from + p)
            }),
            Form::Nfkc => cached(&mut self.form, from, |from| find_non_ascii(bytes, from)),
        };
        match (control, form) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The result of a search for the first place at or after `from` in a text, kept in `last` and
/// searched again only once `from` has passed it (`from` never goes back).
pub(crate) fn cached(
    last: &mut Option<Option<usize>>,
    from: usize,
    search: impl FnOnce(usize) -> Option<usize>,
) -> Option<usize> {
    if last.is_none_or(|found| found.is_some_and(|i| i < from)) {
        *last = Some(search(from));
    }
    last.flatten()
}

/// Normalizes one line (without its ending). `at_line_start` tells whether the text begins a
/// line, where a U+FEFF is a stray byte order mark (files concatenated with their BOMs).
pub fn normalize_line<'a>(
    text: &'a str,
    at_line_start: bool,
    opts: &NormalizeOptions,
) -> (Cow<'a, str>, Normalized) {
    let mut what = Normalized::default();
    let mut cur: Cow<'a, str> = Cow::Borrowed(text);
    if at_line_start {
        if let Some(rest) = cur.strip_prefix('\u{FEFF}') {
            what.bom = true;
            cur = Cow::Owned(rest.to_string());
        }
    }
    if opts.remove_controls && find_byte(cur.as_bytes(), 0, is_control_byte).is_some() {
        let before = cur.len();
        let kept: String = cur.chars().filter(|&c| !is_removed_control(c)).collect();
        what.controls = before - kept.len();
        if what.controls > 0 {
            cur = Cow::Owned(kept);
        }
    }
    if !cur.is_ascii() {
        let changed = match opts.form {
            Form::None => None,
            Form::Nfc => may_need_nfc(&cur).then(|| cur.nfc().collect::<String>()),
            Form::Nfkc => {
                (is_nfkc_quick(cur.chars()) != IsNormalized::Yes).then(|| cur.nfkc().collect())
            }
        };
        if let Some(n) = changed {
            if n != *cur {
                what.form = true;
                cur = Cow::Owned(n);
            }
        }
    }
    (cur, what)
}

/// The line ending to write for a line that ended with `ending`.
pub fn line_ending(ending: &'static str, opts: &NormalizeOptions) -> &'static str {
    match (ending, opts.newlines) {
        ("", _) | (_, Newlines::Keep) => ending,
        (_, Newlines::Lf) => "\n",
        (_, Newlines::Crlf) => "\r\n",
    }
}

/// Row of [`UNSTABLE_ROWS`] for each block of 256 code points from U+0000 to U+2FFFF.
#[rustfmt::skip]
static UNSTABLE_INDEX: [u8; 0x300] = [
    0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 16, 0, 0, 0, 17,
    18, 19, 20, 21, 22, 23, 0, 24, 25, 26, 0, 27, 0, 0, 0, 0, 0, 0, 28, 0, 29, 30, 0, 0,
    31, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0,
    33, 34, 35, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 37, 38, 39, 0, 0, 40, 0, 0, 41, 42, 43, 0, 0, 0, 0,
    0, 0, 44, 0, 0, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 0, 59, 60, 0, 61,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 62, 0, 0, 0, 0, 0, 0,
    0, 0, 63, 64, 0, 65, 0, 66, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 67, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 68, 69, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    70, 64, 71, 0, 72, 73, 74, 0, 75, 76, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 37, 37, 77, 0, 0, 0, 0, 0,
];

/// Bitmaps of 256 code points: a set bit marks a character that is not NFC-stable.
#[rustfmt::skip]
static UNSTABLE_ROWS: [[u64; 4]; 78] = [
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0xffffffffffffffff, 0x4010ffffffff7fff, 0x0000000000000080, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x00000000000000f8, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0xbffffffffffe0000, 0x00000000000003b6],
    [0x0000000007ff0000, 0x00010000fffff800, 0x0000000000000000, 0x00003d9f9fc00000],
    [0xffff000000020000, 0x00000000000007ff, 0x0000000000000000, 0x200ff80000000000],
    [0x00003eeffbc00000, 0x000000000e000000, 0x00000000ff800000, 0xfffffffbfffffc00],
    [0x1000000000000000, 0x00000000ff1e2000, 0x5000000000000000, 0x40000000b0802000],
    [0x1048000000000000, 0x000000004e002000, 0x1000000000000000, 0x0000000000002000],
    [0x5000000000000000, 0x0000000030c02000, 0x4000000000000000, 0x0000000000802000],
    [0x1000000000000000, 0x0000000000602000, 0x1000000000000000, 0x0000000000602004],
    [0x5800000000000000, 0x0000000000802000, 0x0000000000000000, 0x0000000080008400],
    [0x0700000000000000, 0x0000000000000f00, 0x0700000000000000, 0x0000000000000f00],
    [0x02a0000003000000, 0x3d7e020010842008, 0x02001084200800df, 0x0000000000000040],
    [0x0680400000000000, 0x0000000000000000, 0x0000000000002000, 0x0000000000000000],
    [0x0000000000000000, 0x003ffffe00000000, 0xffffff0000000000, 0x0000000000000007],
    [0x0000000000000000, 0x00000000e0000000, 0x0000000000000000, 0x0000000000000000],
    [0x0010000000300000, 0x0000000000000000, 0x0000000000000000, 0x0000000020040000],
    [0x0000000000000000, 0x0000000000000000, 0x0000020000000000, 0x0000000000000000],
    [0x0e00000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000001800000, 0x9fe0000100000000, 0xbfff000000000000, 0x0001ffffffffffff],
    [0x0030000000000000, 0x000ff80000000010, 0x00000c0000000000, 0x000c004000000000],
    [0x0080000000000000, 0x0000000000000000, 0x0000000000000000, 0x031021fdfff70000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0xffffffffffffffff],
    [0x0000000000000000, 0x2aaa000000000000, 0x4800000000000000, 0x2a00c80808080a00],
    [0x0000000000000003, 0x0000000000000000, 0x0000000000000000, 0x0001ffe21fff0000],
    [0x00000c4000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000060000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000010000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0003800000000000],
    [0x0000000000000000, 0x8000000000000000, 0x0000000000000000, 0xffffffff00000000],
    [0x0000fc0000000000, 0x0000000000000000, 0x0000000006000000, 0x0000000000000000],
    [0x0000000000000000, 0x3ff0800000000000, 0x00000000c0000000, 0x0003000000000000],
    [0x0000100000000040, 0x0000000000000000, 0x0000000000000000, 0x0003ffff00000010],
    [0x0000380000000000, 0x0000000000080000, 0x0008000000000000, 0x0000000000000001],
    [0x0000000000000000, 0x0000000000000000, 0xc19d000000000000, 0x0040000000000002],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000200000000000],
    [0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff],
    [0xfffffc657fe53fff, 0xffff3fffffffffff, 0xffffffffffffffff, 0x0000000003ffffff],
    [0x5f7ffc00e0000000, 0x0000000000007fdb, 0x0000000000000000, 0x0000000000000000],
    [0x0000ffff00000000, 0x0000000000000000, 0x0000000000000000, 0x8000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x2000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000100000000],
    [0x0000000000000000, 0x07c0000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x870000000000a000, 0x0000000000000000, 0x0000000000000000, 0x0000006000000000],
    [0x000000f000000000, 0x00003e0000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000180000000000, 0xefff00000000f800],
    [0x0000000000000000, 0x000000000001ffc0, 0x000000000000003c, 0x0000000000000000],
    [0x0000000000000000, 0x8001000000000040, 0x0600000000000000, 0x0000000000000000],
    [0x0018008000000007, 0x0008000000000000, 0x0000000000000000, 0x0000000000000401],
    [0x0060000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000060000000000],
    [0x5800000000000000, 0x001f1fc000802000, 0x0900000000000000, 0x000000000001c3a4],
    [0x0000000000000000, 0x0000000040000044, 0x2401000000000000, 0x000000000000000c],
    [0x0000000000000000, 0x0000000000000000, 0x8000800000000000, 0x0000000000000001],
    [0x8000000000000000, 0x0000000000000000, 0x00c0000000000000, 0x0000000000000000],
    [0x0000080000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0600000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x6001000000000000, 0x0000000000000008, 0x0000000000000000, 0x0000000100000000],
    [0x0010000000000000, 0x0000000000000080, 0x0000000002000000, 0x0000000000000000],
    [0x8000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000034, 0x0000000000800000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000006, 0x0000000000000000, 0x0000000000000000],
    [0x000083ffc0000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x001f000000000000],
    [0x007f000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000018000000000, 0x0000000000000000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0003000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000040000000, 0x0000000000000000],
    [0x0000018000000000, 0xf807e3ffc0000000, 0xf8003c0000000fe7, 0x0000000000000001],
    [0x0000000000000000, 0x000000009807001c, 0x0000000000000003, 0x0000000000000000],
    [0x000007dbf9ffff7f, 0x0000000000000000, 0x0000000000008000, 0x0000000000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000400000000000, 0x0000f00000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000f00000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000c00000000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x0020c04800000000],
    [0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x00000000007f0000],
    [0x0000000000000000, 0x00000000000007f0, 0x0000000000000000, 0x0000000000000000],
    [0x000000003fffffff, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000],
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The stability table computed from `unicode-normalization`: (index, rows), row 0 empty.
    fn stable_table() -> (Vec<u8>, Vec<[u64; 4]>) {
        let stable = |c: char| {
            c != '\u{FEFF}'
                && canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
        };
        let mut rows = vec![[0u64; 4]];
        let mut index = Vec::new();
        for block in 0..0x300u32 {
            let mut row = [0u64; 4];
            for i in 0..256u32 {
                // Surrogates are no characters: left stable, they never reach the lookup.
                if char::from_u32(block * 256 + i).is_some_and(|c| !stable(c)) {
                    row[(i / 64) as usize] |= 1 << (i % 64);
                }
            }
            let at = rows.iter().position(|r| *r == row).unwrap_or_else(|| {
                rows.push(row);
                rows.len() - 1
            });
            index.push(u8::try_from(at).expect("fewer than 256 rows"));
        }
        (index, rows)
    }

    #[test]
    fn quick_check_and_scans_agree_with_unicode_normalization() {
        let mut lines: Vec<String> = [
            "Cafe\u{301}",
            "a\u{301}\u{316}",
            "a\u{316}\u{301}",
            "\u{1100}\u{1161}",
            "\u{FEFF}x",
            "Å Ω ﬁ 豈 \u{2F800}",
            "كَتَبَ الوَلَدُ",
            "Ἀθῆναι",
            "😀👍🏽",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for lang in ["ar", "he", "hi", "vi", "el", "ko", "ja", "th", "my", "ru"] {
            let path = format!("{}/fixtures/clean/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            lines.extend(text.lines().step_by(7).map(str::to_string));
        }
        for l in &lines {
            assert_eq!(nfc_quick(l), is_nfc_quick(l.chars()), "{l}");
            let first = l
                .char_indices()
                .find(|&(_, c)| !is_nfc_stable(c))
                .map(|(i, _)| i);
            assert_eq!(first_unstable(l.as_bytes(), 0), first, "{l}");
            // A line whose characters are all stable is in NFC.
            if first.is_none() {
                assert_eq!(l.nfc().collect::<String>(), *l);
            }
        }
        // Lead bytes that start only stable characters.
        for lead in [0xD0, 0xD1, 0xE4, 0xE9, 0xEB] {
            assert_ne!(STABLE_LEAD[lead], 0, "{lead:X}");
        }
        for lead in [0xCC, 0xD9, 0xE3, 0xEF] {
            assert_eq!(STABLE_LEAD[lead], 0, "{lead:X}");
        }
    }

    #[test]
    fn change_finder_finds_controls_boms_and_unstable_characters() {
        let text = "clean\nbell\u{7}\nfine\tand\r\n\u{FEFF}bom\nCafe\u{301}\nend\n";
        let opts = NormalizeOptions::default();
        let mut f = ChangeFinder::new(text, &opts);
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(i) = f.next_from(at) {
            found.push(i);
            at = i + text[i..].find('\n').unwrap() + 1;
        }
        let want: Vec<usize> = ["\u{7}", "\u{FEFF}", "\u{301}"]
            .iter()
            .map(|p| text.find(p).unwrap())
            .collect();
        assert_eq!(found, want);
        let keep = NormalizeOptions {
            remove_controls: false,
            form: Form::None,
            ..Default::default()
        };
        assert_eq!(
            ChangeFinder::new(text, &keep).next_from(0),
            text.find('\u{FEFF}')
        );
    }

    #[test]
    fn stable_table_matches_unicode_normalization() {
        let (index, rows) = stable_table();
        if index[..] != UNSTABLE_INDEX[..] || rows[..] != UNSTABLE_ROWS[..] {
            let mut src = String::from("static UNSTABLE_INDEX: [u8; 0x300] = [\n");
            for chunk in index.chunks(24) {
                let items: Vec<String> = chunk.iter().map(|i| i.to_string()).collect();
                src += &format!("    {},\n", items.join(", "));
            }
            src += &format!(
                "];\n\nstatic UNSTABLE_ROWS: [[u64; 4]; {}] = [\n",
                rows.len()
            );
            for r in &rows {
                src += &format!(
                    "    [0x{:016x}, 0x{:016x}, 0x{:016x}, 0x{:016x}],\n",
                    r[0], r[1], r[2], r[3]
                );
            }
            src += "];\n";
            panic!("the NFC stability table is out of date; the new one:\n{src}");
        }
        // Characters beyond the table are all taken as unstable; below U+0300 all are stable.
        assert!(!is_nfc_stable('\u{30000}'));
        assert!((0..0x300).filter_map(char::from_u32).all(is_nfc_stable));
    }

    fn norm(s: &str) -> (String, Normalized) {
        let (t, w) = normalize_line(s, true, &NormalizeOptions::default());
        (t.into_owned(), w)
    }

    #[test]
    fn clean_nfc_text_is_borrowed_unchanged() {
        for s in [
            "plain",
            "Café “quoted” — dash",
            "中文，全角标点！",
            "한국어",
            "Ελληνικά",
            "עברית",
        ] {
            let (t, w) = normalize_line(s, true, &NormalizeOptions::default());
            assert!(matches!(t, Cow::Borrowed(_)), "{s}");
            assert!(!w.any());
        }
    }

    #[test]
    fn decomposed_text_is_composed() {
        let (t, w) = norm("Cafe\u{301}");
        assert_eq!(t, "Café");
        assert!(w.form);
        // Hangul jamo compose into a syllable.
        assert_eq!(norm("\u{1100}\u{1161}").0, "가");
    }

    #[test]
    fn controls_and_bom_are_removed_but_tab_and_cr_stay() {
        let (t, w) = norm("\u{FEFF}a\u{0}b\u{1b}[0m\tc\r");
        assert_eq!(t, "ab[0m\tc\r");
        assert!(w.bom);
        assert_eq!(w.controls, 2);
        let keep = NormalizeOptions {
            remove_controls: false,
            ..Default::default()
        };
        assert_eq!(normalize_line("a\u{0}b", true, &keep).0, "a\u{0}b");
    }

    #[test]
    fn nfkc_is_opt_in() {
        let nfkc = NormalizeOptions {
            form: Form::Nfkc,
            ..Default::default()
        };
        assert_eq!(normalize_line("ｆｕｌｌ①", true, &nfkc).0, "full1");
        assert_eq!(norm("ｆｕｌｌ①").0, "ｆｕｌｌ①");
    }

    #[test]
    fn newline_conversion() {
        let lf = NormalizeOptions {
            newlines: Newlines::Lf,
            ..Default::default()
        };
        assert_eq!(line_ending("\r\n", &lf), "\n");
        assert_eq!(line_ending("", &lf), "");
        assert_eq!(line_ending("\r\n", &NormalizeOptions::default()), "\r\n");
    }
}
