//! A plausibility model of text: what each character costs and what each pair of neighbours
//! costs, in rough negative-log-likelihood units (lower is more plausible).
//!
//! Two sources of knowledge, both documented here:
//! - **Frequency tiers taken from the legacy encodings' own structure.** GB2312 puts its 3,755
//!   most common hanzi in level 1 (rows 16–55, GBK bytes B0A1–D7F9); Big5 puts 5,401 frequent
//!   characters in A440–C67E; JIS X 0208 level 1 holds 2,965 common kanji (EUC-JP B0A1–CFD3);
//!   KS X 1001 has the 2,350 hangul syllables in everyday use (EUC-KR B0A1–C8FE). Decoding
//!   those byte ranges with encoding_rs yields the sets. UTF-8 read as GBK/Big5/Shift_JIS/EUC-KR
//!   produces almost only characters outside them.
//! - **Which CJK characters follow each other**: a set of 80k adjacent pairs of ideographs, kana
//!   and hangul seen in held-out gettext translations (zh_CN, zh_TW, zh_HK, ja, ko; see
//!   `fixtures/tools/train_cjk_bigrams.py`). Mojibake and byte-shifted runs can be made of
//!   individually common characters, but almost never of pairs that occur in real text.
//! - **Improbable neighbours** (ftfy's insight): a letter of one script glued to a letter of
//!   another, a letter glued to a rare symbol, an upper-case accented letter inside a lower-case
//!   word, C1 control characters. Text that a human wrote rarely does these things; mojibake of
//!   UTF-8 in a single-byte charset does them on almost every character.

use std::sync::LazyLock;

/// Broad character classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    AsciiLower,
    AsciiUpper,
    AsciiDigit,
    Space,
    AsciiPunct,
    /// A letter of a script, with a script id (Latin = 0).
    Letter {
        script: u8,
        upper: bool,
    },
    /// Latin Extended-B letters other than Romanian and pinyin ones: rare in text, frequent in
    /// what a double-byte charset makes of UTF-8.
    RareLatin,
    /// Combining mark.
    Mark,
    CjkCommon,
    CjkRare,
    Kana,
    HangulCommon,
    HangulRare,
    /// CJK and full-width punctuation.
    CjkPunct,
    /// Half-width katakana (U+FF61–U+FF9F): rare in modern text, and all that Shift_JIS makes of
    /// UTF-8 continuation bytes.
    HalfKana,
    /// Punctuation that text uses often: quotes, dashes, «», NBSP…
    Punct,
    /// Signs that text uses, though not glued to letters: ©, °, €, ±…
    Sign,
    /// Symbols that text rarely uses and mojibake often produces.
    OddSymbol,
    /// Box drawing, blocks, geometric shapes, math operators.
    Graphic,
    /// C1 controls, private use, non-characters, U+FFFD.
    Bad,
    Other,
}

const LATIN: u8 = 0;

fn script_of(u: u32) -> Option<u8> {
    Some(match u {
        0x00C0..=0x024F | 0x1E00..=0x1EFF => LATIN,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => 1, // Greek
        0x0400..=0x052F => 2,                   // Cyrillic
        0x0530..=0x058F => 3,                   // Armenian
        0x0590..=0x05FF => 4,                   // Hebrew
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => 5, // Arabic
        0x0700..=0x074F => 6,                   // Syriac
        0x0780..=0x07BF => 7,                   // Thaana
        0x0900..=0x097F => 8,                   // Devanagari
        0x0980..=0x09FF => 9,                   // Bengali
        0x0A00..=0x0A7F => 10,
        0x0A80..=0x0AFF => 11,
        0x0B00..=0x0B7F => 12,
        0x0B80..=0x0BFF => 13, // Tamil
        0x0C00..=0x0C7F => 14,
        0x0C80..=0x0CFF => 15,
        0x0D00..=0x0D7F => 16,
        0x0D80..=0x0DFF => 17,
        0x0E00..=0x0E7F => 18, // Thai
        0x0E80..=0x0EFF => 19,
        0x0F00..=0x0FFF => 20,
        0x1000..=0x109F => 21,                                     // Myanmar
        0x10A0..=0x10FF | 0x2D00..=0x2D2F | 0x1C90..=0x1CBF => 22, // Georgian
        0x1200..=0x139F | 0x2D80..=0x2DDF => 23,                   // Ethiopic
        0x13A0..=0x13FF => 24,
        0x1400..=0x167F => 25,
        0x1780..=0x17FF | 0x19E0..=0x19FF => 26, // Khmer
        0x1800..=0x18AF => 27,
        _ => return None,
    })
}

struct Tiers {
    /// Bit per code point U+3400..U+9FFF: common in GB2312 L1, Big5 frequent or JIS L1.
    cjk: Vec<u64>,
    /// Bit per code point U+AC00..U+D7A3: in KS X 1001.
    hangul: Vec<u64>,
}

const CJK_BASE: u32 = 0x3400;
const CJK_END: u32 = 0x9FFF;
const HANGUL_BASE: u32 = 0xAC00;
const HANGUL_END: u32 = 0xD7A3;

fn set_bit(bits: &mut [u64], i: u32) {
    bits[(i / 64) as usize] |= 1 << (i % 64);
}

fn get_bit(bits: &[u64], i: u32) -> bool {
    bits[(i / 64) as usize] & (1 << (i % 64)) != 0
}

/// All two-byte sequences with lead in `leads` and trail in `trails`, decoded with `enc`.
fn decode_block(
    enc: &'static encoding_rs::Encoding,
    leads: std::ops::RangeInclusive<u8>,
    trails: &[std::ops::RangeInclusive<u8>],
) -> String {
    let mut bytes = Vec::new();
    for l in leads {
        for t in trails {
            for b in t.clone() {
                bytes.push(l);
                bytes.push(b);
            }
        }
    }
    enc.decode_without_bom_handling(&bytes).0.into_owned()
}

static TIERS: LazyLock<Tiers> = LazyLock::new(|| {
    let mut cjk = vec![0u64; ((CJK_END - CJK_BASE) / 64 + 1) as usize];
    let mut hangul = vec![0u64; ((HANGUL_END - HANGUL_BASE) / 64 + 1) as usize];
    let blocks = [
        // GB2312 level 1.
        decode_block(encoding_rs::GBK, 0xB0..=0xD7, &[0xA1..=0xFE]),
        // Big5 frequently used characters (A440–C67E).
        decode_block(encoding_rs::BIG5, 0xA4..=0xC5, &[0x40..=0x7E, 0xA1..=0xFE]),
        decode_block(encoding_rs::BIG5, 0xC6..=0xC6, &[0x40..=0x7E]),
        // JIS X 0208 level 1.
        decode_block(encoding_rs::EUC_JP, 0xB0..=0xCF, &[0xA1..=0xFE]),
    ];
    for s in &blocks {
        for c in s.chars() {
            let u = c as u32;
            if (CJK_BASE..=CJK_END).contains(&u) {
                set_bit(&mut cjk, u - CJK_BASE);
            }
        }
    }
    for c in decode_block(encoding_rs::EUC_KR, 0xB0..=0xC8, &[0xA1..=0xFE]).chars() {
        let u = c as u32;
        if (HANGUL_BASE..=HANGUL_END).contains(&u) {
            set_bit(&mut hangul, u - HANGUL_BASE);
        }
    }
    Tiers { cjk, hangul }
});

/// Punctuation that ordinary text uses next to letters.
fn is_text_punct(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '«'
            | '»'
            | '¡'
            | '¿'
            | '·'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '•'
            | '…'
            | '′'
            | '″'
            | '\u{2009}'
            | '\u{202F}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '−'
    )
}

/// Signs that ordinary text uses, but not glued to a letter.
fn is_common_sign(c: char) -> bool {
    matches!(
        c,
        '©' | '®'
            | '°'
            | '±'
            | '§'
            | '×'
            | '÷'
            | '€'
            | '£'
            | '¥'
            | '¢'
            | '½'
            | '№'
            | '→'
            | '←'
    )
}

/// Below this code point, classes and costs come from a table computed once.
const TABLED: u32 = 0x3000;

/// Class and cost of every character below [`TABLED`] (alphabetic-property and case lookups are
/// slow, and these are the characters single-byte mojibake is made of).
static LOW: LazyLock<Vec<(Class, f32)>> = LazyLock::new(|| {
    (0..TABLED)
        .map(|u| {
            let c = char::from_u32(u).unwrap_or('\u{FFFD}');
            let k = class_slow(c);
            (k, cost_slow(c, k))
        })
        .collect()
});

/// True for the classes that make a CJK run suspicious by themselves: rare ideographs or
/// hangul, half-width katakana, C1 controls and private use.
pub fn is_suspect(k: Class) -> bool {
    matches!(
        k,
        Class::CjkRare | Class::HangulRare | Class::HalfKana | Class::Bad
    )
}

/// The class of a character.
pub fn class(c: char) -> Class {
    let u = c as u32;
    if u < TABLED {
        return LOW[u as usize].0;
    }
    class_slow(c)
}

fn class_slow(c: char) -> Class {
    let u = c as u32;
    // The big ideograph and syllable blocks first: they are most of what reaches here.
    if (0x4E00..=CJK_END).contains(&u) {
        return if get_bit(&TIERS.cjk, u - CJK_BASE) {
            Class::CjkCommon
        } else {
            Class::CjkRare
        };
    }
    if u < 0x80 {
        return match c {
            'a'..='z' => Class::AsciiLower,
            'A'..='Z' => Class::AsciiUpper,
            '0'..='9' => Class::AsciiDigit,
            ' ' | '\t' | '\n' | '\r' => Class::Space,
            _ => Class::AsciiPunct,
        };
    }
    if (0x80..=0x9F).contains(&u) || (0xE000..=0xF8FF).contains(&u) || u == 0xFFFD {
        return Class::Bad;
    }
    if (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
        || (0x40000..0xE0000).contains(&u)
        || u >= 0xF0000
    {
        return Class::Bad;
    }
    if is_text_punct(c) {
        return Class::Punct;
    }
    if is_common_sign(c) {
        return Class::Sign;
    }
    if (CJK_BASE..=CJK_END).contains(&u) {
        return if get_bit(&TIERS.cjk, u - CJK_BASE) {
            Class::CjkCommon
        } else {
            Class::CjkRare
        };
    }
    if (HANGUL_BASE..=HANGUL_END).contains(&u) {
        return if get_bit(&TIERS.hangul, u - HANGUL_BASE) {
            Class::HangulCommon
        } else {
            Class::HangulRare
        };
    }
    match u {
        0x3040..=0x30FF | 0x31F0..=0x31FF => return Class::Kana,
        0xFF61..=0xFF9F => return Class::HalfKana,
        0x3000..=0x303F | 0xFF00..=0xFFEF => return Class::CjkPunct,
        0x1100..=0x11FF | 0x3130..=0x318F => return Class::HangulRare,
        0xF900..=0xFAFF | 0x20000..=0x3FFFF => return Class::CjkRare,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF => {
            return Class::Mark
        }
        0x2500..=0x25FF | 0x2200..=0x22FF | 0x2300..=0x23FF => return Class::Graphic,
        0xA1..=0xBF | 0x2C6 | 0x2DC | 0x2018..=0x201F | 0x2020..=0x2030 | 0x0192 => {
            return Class::OddSymbol
        }
        // The rest of General Punctuation: hyphens, spaces, primes, reference marks.
        0x2000..=0x206F => return Class::Punct,
        _ => {}
    }
    if (0x0180..=0x024F).contains(&u)
        && !(0x01CD..=0x01DC).contains(&u)
        && !(0x0218..=0x021B).contains(&u)
    {
        return Class::RareLatin;
    }
    if let Some(script) = script_of(u).filter(|_| c.is_alphabetic()) {
        // Marks inside Indic, Thai… blocks are letters for our purpose.
        return Class::Letter {
            script,
            upper: c.is_uppercase(),
        };
    }
    if c.is_alphabetic() {
        return Class::Letter {
            script: 200,
            upper: c.is_uppercase(),
        };
    }
    if c.is_whitespace() {
        return Class::Space;
    }
    Class::Other
}

/// What one character costs.
pub fn char_cost(k: Class) -> f32 {
    match k {
        Class::AsciiLower | Class::AsciiUpper | Class::AsciiDigit | Class::Space => 0.0,
        Class::AsciiPunct => 0.2,
        Class::Letter { script: LATIN, .. } => 1.0,
        Class::RareLatin => 2.5,
        Class::Letter { .. } => 0.6,
        Class::Mark => 1.5,
        Class::CjkCommon | Class::HangulCommon | Class::Kana => 1.0,
        Class::CjkPunct => 1.0,
        Class::CjkRare => 5.0,
        Class::HalfKana => 4.0,
        Class::HangulRare => 6.0,
        Class::Punct => 1.5,
        Class::Sign => 2.0,
        Class::OddSymbol => 4.0,
        Class::Graphic => 5.0,
        Class::Other => 4.0,
        Class::Bad => 12.0,
    }
}

fn is_letter(k: Class) -> bool {
    matches!(
        k,
        Class::AsciiLower | Class::AsciiUpper | Class::Letter { .. } | Class::RareLatin
    )
}

fn latin(k: Class) -> bool {
    matches!(
        k,
        Class::AsciiLower | Class::AsciiUpper | Class::Letter { script: LATIN, .. }
    )
}

fn is_cjk(k: Class) -> bool {
    matches!(
        k,
        Class::CjkCommon
            | Class::HalfKana
            | Class::CjkRare
            | Class::Kana
            | Class::HangulCommon
            | Class::HangulRare
            | Class::CjkPunct
    )
}

/// Sorted little-endian u32 keys `(first << 16) | second` of CJK pairs seen in real text.
static CJK_BIGRAMS: &[u8] = include_bytes!("cjk_bigrams.bin");

/// True when the pair of CJK characters occurs in the training text.
pub fn cjk_pair_seen(a: char, b: char) -> bool {
    let (a, b) = (a as u32, b as u32);
    a <= 0xFFFF && b <= 0xFFFF && sorted_keys_contain(CJK_BIGRAMS, (a << 16) | b)
}

/// Binary search in a sorted array of little-endian u32 keys (the embedded pair tables).
fn sorted_keys_contain(table: &[u8], key: u32) -> bool {
    let at = |i: usize| {
        let c = &table[i * 4..i * 4 + 4];
        u32::from_le_bytes([c[0], c[1], c[2], c[3]])
    };
    let (mut lo, mut hi) = (0, table.len() / 4);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match at(mid).cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

pub fn is_cjk_letter(k: Class) -> bool {
    matches!(
        k,
        Class::CjkCommon | Class::CjkRare | Class::Kana | Class::HangulCommon | Class::HangulRare
    )
}

/// Records `(u16 code point, u8 cost in tenths)` sorted by code point: how rare each character
/// of U+0080–U+07FF, U+1E00–U+1EFF and U+2000–U+206F is in held-out real text, averaged over
/// 64 languages (see `fixtures/tools/train_char_costs.py`).
static CHAR_COSTS: &[u8] = include_bytes!("char_costs.bin");

/// Cost of a character of the learned ranges that held-out text never used (`ѳ`, `ȅ`).
const UNSEEN_CHAR: f32 = 5.0;

/// The learned cost of a character, if the table has it.
fn learned_cost(c: char) -> Option<f32> {
    let u32v = c as u32;
    let covered = (0x80..=0xFFF).contains(&u32v)
        || (0x1E00..=0x1EFF).contains(&u32v)
        || (0x2000..=0x206F).contains(&u32v);
    if !covered {
        return None;
    }
    let u = u16::try_from(u32v).ok()?;
    let n = CHAR_COSTS.len() / 3;
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let r = &CHAR_COSTS[mid * 3..mid * 3 + 3];
        let k = u16::from_le_bytes([r[0], r[1]]);
        match k.cmp(&u) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(f32::from(r[2]) / 10.0),
        }
    }
    Some(UNSEEN_CHAR)
}

/// True for a character of the learned ranges that no language's text used and that is not
/// a letter: most likely an unassigned code point (`U+0A0E`), which no repair should produce.
pub fn is_implausible(c: char) -> bool {
    class(c) == Class::Other && learned_cost(c) == Some(UNSEEN_CHAR)
}

/// What a character costs: the learned cost where the table has one, else its class's.
pub fn cost_of(c: char, k: Class) -> f32 {
    if (c as u32) < TABLED {
        return LOW[c as usize].1;
    }
    cost_slow(c, k)
}

fn cost_slow(c: char, k: Class) -> f32 {
    match k {
        Class::Letter { .. }
        | Class::RareLatin
        | Class::Punct
        | Class::Sign
        | Class::OddSymbol
        | Class::Other
        | Class::Mark => learned_cost(c).unwrap_or_else(|| char_cost(k)),
        _ => char_cost(k),
    }
}

/// A Bloom filter over the same pairs (2^20 bits, two probes): a fast, approximate membership
/// test for the cheap "might this run be mojibake?" scan over clean CJK text.
static CJK_BLOOM: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; (1 << BLOOM_BITS) / 64];
    for k in CJK_BIGRAMS.chunks_exact(4) {
        let key = u32::from_le_bytes([k[0], k[1], k[2], k[3]]);
        for h in bloom_hashes(key) {
            bits[h / 64] |= 1 << (h % 64);
        }
    }
    bits
});

const BLOOM_BITS: u32 = 20;

fn bloom_hashes(key: u32) -> [usize; 2] {
    let x = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mask = (1u64 << BLOOM_BITS) - 1;
    [(x >> 20 & mask) as usize, (x >> 44 & mask) as usize]
}

/// Approximate [`cjk_pair_seen`]: never false for a seen pair, true for ~2% of unseen ones.
pub fn cjk_pair_maybe_seen(a: char, b: char) -> bool {
    let (a, b) = (a as u32, b as u32);
    if a > 0xFFFF || b > 0xFFFF {
        return false;
    }
    let bits = &*CJK_BLOOM;
    bloom_hashes((a << 16) | b)
        .iter()
        .all(|&h| bits[h / 64] & (1 << (h % 64)) != 0)
}

/// Sorted little-endian u32 keys `(first << 16) | second` of adjacent lower-case letters below
/// U+0800, at least one not ASCII, seen in real text (`fixtures/tools/train_letter_pairs.py`).
static LETTER_PAIRS: &[u8] = include_bytes!("letter_pairs.bin");

/// Cost of a pair of letters (one of them not ASCII) that no language's text has.
const UNSEEN_LETTER_PAIR: f32 = 2.0;

/// True when the letters `a` and `b`, lower-cased, are a pair seen in real text (or out of the
/// table's range, where nothing is known).
fn letter_pair_seen(a: char, b: char) -> bool {
    let low = |c: char| c.to_lowercase().next().unwrap_or(c) as u32;
    let (a, b) = (low(a), low(b));
    a >= 0x800
        || b >= 0x800
        || (a < 0x80 && b < 0x80)
        || sorted_keys_contain(LETTER_PAIRS, (a << 16) | b)
}

/// Cost of an unseen pair of CJK characters.
const UNSEEN_CJK_PAIR: f32 = 1.5;

/// What a pair of neighbouring characters costs on top of the characters themselves.
pub fn char_pair_cost(a: char, ka: Class, b: char, kb: Class) -> f32 {
    if matches!(ka, Class::Letter { .. }) || matches!(kb, Class::Letter { .. }) {
        let letter = |k: Class| {
            matches!(
                k,
                Class::AsciiLower | Class::AsciiUpper | Class::Letter { .. }
            )
        };
        if letter(ka) && letter(kb) && !letter_pair_seen(a, b) {
            return UNSEEN_LETTER_PAIR + pair_cost(ka, kb);
        }
    }
    if is_cjk_letter(ka) && is_cjk_letter(kb) {
        // The Bloom filter errs on the side of "seen" for ~2% of unseen pairs: a little less
        // evidence, never a false accusation.
        let unseen = if cjk_pair_maybe_seen(a, b) {
            0.0
        } else {
            UNSEEN_CJK_PAIR
        };
        return unseen + pair_cost(ka, kb);
    }
    // `Â`, `Ã`, `Ä`, `Å` (UTF-8 lead bytes C2–C5 in Latin-1 charsets) followed by punctuation,
    // a sign or a no-break space: `Ã\u{a0}` for `à`, `Å»` for `Ż`, `Â¿` for `¿`.
    if matches!(a, 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ă' | 'Ĺ' | 'Î' | 'Ï' | 'Ð' | 'Ñ')
        && matches!(kb, Class::Punct | Class::Sign | Class::OddSymbol)
    {
        return pair_cost(ka, kb).max(2.0);
    }
    pair_cost(ka, kb)
}

/// What a pair of neighbour classes costs on top of the characters themselves.
pub fn pair_cost(a: Class, b: Class) -> f32 {
    use Class::*;
    let la = is_letter(a);
    let lb = is_letter(b);
    if la && lb {
        // Letters of two scripts glued together.
        let (sa, sb) = (script_id(a), script_id(b));
        if sa != sb {
            return 5.0;
        }
        // An upper-case non-ASCII letter right after a lower-case letter: "cafÃ©".
        if matches!(a, AsciiLower | Letter { upper: false, .. })
            && matches!(b, Letter { upper: true, .. })
        {
            return 2.5;
        }
        return 0.0;
    }
    // Letters glued to rare symbols, graphics or C1 controls.
    let odd = |k: Class| matches!(k, OddSymbol | Graphic | Other | Bad);
    if (la && odd(b)) || (lb && odd(a)) {
        return 2.5;
    }
    // A non-ASCII letter glued to a sign: "Â°", "Ã©".
    if matches!(a, Letter { .. }) && matches!(b, Sign) {
        return 2.5;
    }
    // Non-ASCII symbols glued together: "â€™", "Â°".
    let sym = |k: Class| matches!(k, OddSymbol | Graphic | Other | Punct | Sign | Bad);
    if sym(a) && sym(b) && (a != Punct || b != Punct) {
        return 2.0;
    }
    // CJK glued to non-ASCII letters of alphabetic scripts.
    if (is_cjk(a) && matches!(b, Letter { .. })) || (is_cjk(b) && matches!(a, Letter { .. })) {
        return 4.0;
    }
    // Latin words glued to a CJK character: "Caf茅".
    if (latin(a) && is_cjk(b)) || (is_cjk(a) && latin(b)) {
        return 4.5;
    }
    // Kana between hanzi of a Chinese run, or hangul next to hanzi.
    if matches!(
        (a, b),
        (CjkRare, Kana) | (Kana, CjkRare) | (HangulRare, _) | (_, HangulRare)
    ) {
        return 1.5;
    }
    0.0
}

fn script_id(k: Class) -> u8 {
    match k {
        Class::AsciiLower | Class::AsciiUpper => LATIN,
        Class::Letter { script, .. } => script,
        Class::RareLatin => LATIN,
        _ => 255,
    }
}

/// Cost of `text` in context: `before` is up to two characters before it, `after` the one
/// after. The context characters are counted too (they are the same on both sides of any
/// comparison); they make the neighbour and capitalisation rules see across the span's edges.
pub fn cost(before: &str, text: &str, after: Option<char>) -> f32 {
    let mut total = 0.0;
    let mut prev: Option<(char, Class)> = None;
    // Upper-case letters in a row: a lower-case letter after two of them breaks an all-caps
    // word ("ТҮРІ" read back as "ТҮв"), which real text rarely does.
    let mut caps = 0;
    for c in before.chars().chain(text.chars()).chain(after) {
        let k = class(c);
        total += cost_of(c, k);
        if let Some((pc, pk)) = prev {
            total += char_pair_cost(pc, pk, c, k);
        }
        match k {
            Class::AsciiUpper | Class::Letter { upper: true, .. } => caps += 1,
            Class::AsciiLower | Class::Letter { upper: false, .. } | Class::RareLatin => {
                if caps >= 2 {
                    total += 2.5;
                }
                caps = 0;
            }
            _ => caps = 0,
        }
        prev = Some((c, k));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_come_from_the_encodings() {
        assert_eq!(class('的'), Class::CjkCommon); // GB2312 level 1
        assert_eq!(class('們'), Class::CjkCommon); // Big5 frequent (traditional)
        assert_eq!(class('睘'), Class::CjkRare); // what UTF-8 read as GBK produces
        assert!(cjk_pair_seen('中', '文'));
        assert!(!cjk_pair_seen('鍚', '屽'));
        assert_eq!(class('한'), Class::HangulCommon);
        assert_eq!(class('\u{AC02}'), Class::HangulRare);
        assert_eq!(class('\u{85}'), Class::Bad);
    }

    #[test]
    fn mojibake_costs_more_than_its_repair() {
        assert!(cost("f", "Ã©", Some(' ')) > cost("f", "é", Some(' ')) + 3.0);
        assert!(cost("", "鍚屽睘鍏", None) > cost("", "同属其", None) + 10.0);
        assert!(cost("", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", None) > cost("", "привет", None) + 10.0);
        // Breaking an all-caps word costs.
        assert!(cost("ТҮ", "в", None) > cost("ТҮ", "Р", None));
    }
}
