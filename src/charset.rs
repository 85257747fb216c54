//! Character sets mojifix can decode: every WHATWG encoding (through `encoding_rs`), the DOS code
//! pages text files still arrive in (through `oem_cp`), and UTF-32, which neither covers.
//!
//! All decoding here is *strict*: a byte sequence that is invalid in the charset becomes U+FFFD
//! and its position is recorded, so later stages can report lost information instead of hiding it.

use crate::decode::codepages::{self, CodePage};
use encoding_rs::{DecoderResult, Encoding};
use oem_cp::code_table_type::TableType;

/// One character set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Charset {
    /// A WHATWG encoding as implemented by `encoding_rs` (UTF-8, GBK, windows-1252, …).
    Web(&'static Encoding),
    /// A DOS ("OEM") code page such as 437, 850 or 866, decoded with `oem_cp`'s tables.
    Oem(u16),
    /// A single-byte code page from mojifix's own tables (EBCDIC, Mac Central European, Greek,
    /// Icelandic and Turkish, KOI8-T, PTCP154, …; see [`crate::decode::codepages`]).
    Table(&'static CodePage),
    /// UTF-32 little endian.
    Utf32Le,
    /// UTF-32 big endian.
    Utf32Be,
}

/// A byte range `[start, end)` of the input that was not valid in the charset used to decode it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Malformed {
    pub start: usize,
    pub end: usize,
}

/// DOS code pages that `oem_cp` provides and that we accept by label.
const OEM_PAGES: &[u16] = &[
    437, 720, 737, 775, 850, 852, 855, 857, 858, 860, 861, 862, 863, 864, 865, 869,
];

impl Charset {
    pub const UTF_8: Charset = Charset::Web(encoding_rs::UTF_8);

    /// Looks a charset up by label, accepting WHATWG labels (`gbk`, `latin1`, `shift_jis`, …),
    /// `cpNNN` / `ibmNNN` / `NNN` for the DOS code pages, and `utf-32[le|be]`.
    pub fn for_label(label: &str) -> Option<Charset> {
        let l = label.trim().to_ascii_lowercase();
        match l.as_str() {
            "utf-32" | "utf32" | "utf-32le" | "utf32le" | "ucs-4le" => {
                return Some(Charset::Utf32Le)
            }
            "utf-32be" | "utf32be" | "ucs-4be" | "ucs-4" => return Some(Charset::Utf32Be),
            // "gb2312" is a GBK label in WHATWG; GB18030 is its own encoding.
            _ => {}
        }
        for prefix in ["cp", "ibm", "ibm-", "cp-", "dos-", "oem", ""] {
            if let Some(num) = l.strip_prefix(prefix) {
                if let Ok(n) = num.parse::<u16>() {
                    if OEM_PAGES.contains(&n) {
                        return Some(Charset::Oem(n));
                    }
                    // cp866 is a WHATWG encoding (IBM866); cp874 is windows-874.
                    if n == 866 {
                        return Some(Charset::Web(encoding_rs::IBM866));
                    }
                    if (1250..=1258).contains(&n)
                        || n == 874
                        || n == 932
                        || n == 936
                        || n == 949
                        || n == 950
                    {
                        let web = match n {
                            932 => "shift_jis".to_string(),
                            936 => "gbk".to_string(),
                            949 => "euc-kr".to_string(),
                            950 => "big5".to_string(),
                            _ => format!("windows-{n}"),
                        };
                        return Encoding::for_label(web.as_bytes()).map(Charset::Web);
                    }
                }
            }
        }
        if let Some(cp) = codepages::by_label(&l) {
            return Some(Charset::Table(cp));
        }
        let extra = match l.as_str() {
            "mac-roman" | "macroman" | "mac_roman" => Some("macintosh"),
            "mac-cyrillic" | "maccyrillic" | "mac_cyrillic" => Some("x-mac-cyrillic"),
            "latin-1" | "iso8859-1" | "iso_8859_1" => Some("iso-8859-1"),
            "windows-31j" | "sjis" | "cp-932" => Some("shift_jis"),
            _ => None,
        };
        let enc = Encoding::for_label(extra.unwrap_or(&l).as_bytes())?;
        if enc == encoding_rs::REPLACEMENT {
            // WHATWG maps ISO-2022-KR, HZ and others to a decoder that only emits U+FFFD; that
            // is a security measure for browsers, not a decoder, so we refuse the label.
            return None;
        }
        Some(Charset::Web(enc))
    }

    /// The canonical name: the WHATWG name for web encodings, `IBMnnn` for DOS code pages.
    pub fn name(&self) -> String {
        match self {
            Charset::Web(e) => e.name().to_string(),
            Charset::Oem(n) => format!("IBM{n}"),
            Charset::Table(cp) => cp.name.to_string(),
            Charset::Utf32Le => "UTF-32LE".to_string(),
            Charset::Utf32Be => "UTF-32BE".to_string(),
        }
    }

    pub fn is_utf8(&self) -> bool {
        *self == Charset::UTF_8
    }

    /// True when the charset keeps ASCII bytes (and so `\n`) as themselves and never produces
    /// them inside a multi-byte sequence: such input can be split into lines before decoding.
    pub fn is_ascii_compatible(&self) -> bool {
        match self {
            Charset::Web(e) => e.is_ascii_compatible() && *e != encoding_rs::ISO_2022_JP,
            Charset::Oem(_) => true,
            Charset::Table(cp) => cp.ascii_compatible,
            Charset::Utf32Le | Charset::Utf32Be => false,
        }
    }

    /// True for charsets in which every byte is one character.
    pub fn is_single_byte(&self) -> bool {
        match self {
            Charset::Web(e) => e.is_single_byte(),
            Charset::Oem(_) | Charset::Table(_) => true,
            Charset::Utf32Le | Charset::Utf32Be => false,
        }
    }

    fn oem_table(n: u16) -> &'static TableType {
        oem_cp::code_table::DECODING_TABLE_CP_MAP
            .get(&n)
            .expect("OEM_PAGES lists only pages oem_cp has")
    }

    /// Decodes a complete, self-contained piece of input (for ASCII-compatible charsets: a line),
    /// appending to `out`. Invalid sequences become U+FFFD and are recorded in `malformed` with
    /// offsets relative to `bytes` shifted by `base`.
    pub fn decode_into(
        &self,
        bytes: &[u8],
        base: usize,
        out: &mut String,
        malformed: &mut Vec<Malformed>,
    ) {
        match self {
            Charset::Web(enc) => {
                if *enc == encoding_rs::UTF_8 {
                    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
                        out.push_str(s);
                        return;
                    }
                }
                let mut decoder = enc.new_decoder_without_bom_handling();
                decode_web(&mut decoder, bytes, base, true, out, malformed);
            }
            Charset::Oem(n) => {
                let table = Self::oem_table(*n);
                out.reserve(bytes.len());
                for (i, &b) in bytes.iter().enumerate() {
                    if b < 0x80 {
                        out.push(b as char);
                    } else if let Some(c) = table.decode_char_checked(b) {
                        out.push(c);
                    } else {
                        out.push('\u{FFFD}');
                        malformed.push(Malformed {
                            start: base + i,
                            end: base + i + 1,
                        });
                    }
                }
            }
            Charset::Table(cp) => {
                out.reserve(bytes.len());
                for (i, &b) in bytes.iter().enumerate() {
                    match char::from_u32(u32::from(cp.table[b as usize])) {
                        Some(c) if c != '\u{FFFF}' => out.push(c),
                        _ => {
                            out.push('\u{FFFD}');
                            malformed.push(Malformed {
                                start: base + i,
                                end: base + i + 1,
                            });
                        }
                    }
                }
            }
            Charset::Utf32Le | Charset::Utf32Be => {
                let chunks = bytes.chunks(4);
                for (i, c) in chunks.enumerate() {
                    let start = base + i * 4;
                    let ch = if c.len() == 4 {
                        let v = if *self == Charset::Utf32Le {
                            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                        } else {
                            u32::from_be_bytes([c[0], c[1], c[2], c[3]])
                        };
                        char::from_u32(v)
                    } else {
                        None
                    };
                    match ch {
                        Some(ch) => out.push(ch),
                        None => {
                            out.push('\u{FFFD}');
                            malformed.push(Malformed {
                                start,
                                end: start + c.len(),
                            });
                        }
                    }
                }
            }
        }
    }

    /// Decodes a whole buffer into a new string, returning it with the malformed ranges.
    pub fn decode(&self, bytes: &[u8]) -> (String, Vec<Malformed>) {
        let mut out = String::with_capacity(bytes.len());
        let mut malformed = Vec::new();
        self.decode_into(bytes, 0, &mut out, &mut malformed);
        (out, malformed)
    }

    /// Encodes `text` in this charset, or `None` if some character has no representation.
    /// Used to reverse mojibake, where a lossy encoding would invent bytes.
    pub fn encode_exact(&self, text: &str) -> Option<Vec<u8>> {
        match self {
            Charset::Web(enc) => {
                let mut encoder = enc.new_encoder();
                let mut out = Vec::with_capacity(
                    encoder.max_buffer_length_from_utf8_without_replacement(text.len())?,
                );
                let (res, _) =
                    encoder.encode_from_utf8_to_vec_without_replacement(text, &mut out, true);
                match res {
                    encoding_rs::EncoderResult::InputEmpty => Some(out),
                    _ => None,
                }
            }
            Charset::Oem(n) => {
                let table = oem_cp::code_table::ENCODING_TABLE_CP_MAP.get(n)?;
                text.chars()
                    .map(|c| {
                        if (c as u32) < 0x80 {
                            Some(c as u8)
                        } else {
                            table.get(&c).copied()
                        }
                    })
                    .collect()
            }
            Charset::Table(cp) => text
                .chars()
                .map(|c| {
                    let u = c as u32;
                    if u == 0xFFFF {
                        return None;
                    }
                    if cp.ascii_compatible && u < 0x80 {
                        return Some(u as u8);
                    }
                    cp.table
                        .iter()
                        .position(|&t| u32::from(t) == u)
                        .map(|b| b as u8)
                })
                .collect(),
            Charset::Utf32Le => Some(
                text.chars()
                    .flat_map(|c| (c as u32).to_le_bytes())
                    .collect(),
            ),
            Charset::Utf32Be => Some(
                text.chars()
                    .flat_map(|c| (c as u32).to_be_bytes())
                    .collect(),
            ),
        }
    }
}

/// Runs an `encoding_rs` decoder over `bytes` without replacement, recording malformed ranges.
/// `last` tells whether the input ends here; the decoder keeps state for streaming otherwise.
pub(crate) fn decode_web(
    decoder: &mut encoding_rs::Decoder,
    bytes: &[u8],
    base: usize,
    last: bool,
    out: &mut String,
    malformed: &mut Vec<Malformed>,
) {
    let mut pos = 0;
    loop {
        if let Some(need) = decoder.max_utf8_buffer_length_without_replacement(bytes.len() - pos) {
            out.reserve(need);
        } else {
            out.reserve(bytes.len() - pos + 16);
        }
        let (res, read) = decoder.decode_to_string_without_replacement(&bytes[pos..], out, last);
        pos += read;
        match res {
            DecoderResult::InputEmpty => return,
            DecoderResult::OutputFull => continue,
            DecoderResult::Malformed(bad, after) => {
                // The bad bytes end `after` bytes before the current position.
                // A malformed sequence may have begun in an earlier chunk: clamp to this one.
                let end = pos.saturating_sub(after as usize);
                let start = end.saturating_sub(bad as usize);
                malformed.push(Malformed {
                    start: base + start,
                    end: base + end,
                });
                out.push('\u{FFFD}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_to_expected_charsets() {
        assert_eq!(Charset::for_label("GB2312").unwrap().name(), "GBK");
        assert_eq!(Charset::for_label("latin1").unwrap().name(), "windows-1252");
        assert_eq!(Charset::for_label("cp437").unwrap().name(), "IBM437");
        assert_eq!(Charset::for_label("IBM850").unwrap().name(), "IBM850");
        assert_eq!(Charset::for_label("cp866").unwrap().name(), "IBM866");
        assert_eq!(Charset::for_label("MacRoman").unwrap().name(), "macintosh");
        assert_eq!(Charset::for_label("utf-32be").unwrap(), Charset::Utf32Be);
        assert_eq!(Charset::for_label("cp1251").unwrap().name(), "windows-1251");
        assert_eq!(Charset::for_label("cp037").unwrap().name(), "IBM037");
        assert_eq!(Charset::for_label("MacLatin2").unwrap().name(), "x-mac-ce");
        assert_eq!(Charset::for_label("koi8-t").unwrap().name(), "KOI8-T");
        assert_eq!(Charset::for_label("iso-2022-kr"), None);
        assert_eq!(Charset::for_label("no-such-thing"), None);
    }

    #[test]
    fn malformed_ranges_are_recorded() {
        // "a", an invalid byte, "b", a truncated 3-byte sequence.
        let (s, bad) = Charset::UTF_8.decode(b"a\xffb\xe4\xb8");
        assert_eq!(s, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(
            bad,
            vec![
                Malformed { start: 1, end: 2 },
                Malformed { start: 3, end: 5 }
            ]
        );
    }

    #[test]
    fn dos_code_pages_decode_box_drawing_and_accents() {
        let cp437 = Charset::for_label("cp437").unwrap();
        assert_eq!(cp437.decode(b"\xc9\xcd\xbb caf\x82").0, "╔═╗ café");
        let cp850 = Charset::for_label("cp850").unwrap();
        assert_eq!(cp850.decode(b"\x90t\x82").0, "Été");
        assert_eq!(cp850.encode_exact("Été").unwrap(), b"\x90t\x82");
    }

    #[test]
    fn generated_code_pages_decode_and_encode() {
        let cp037 = Charset::for_label("cp037").unwrap();
        assert!(!cp037.is_ascii_compatible());
        // "Hello, é!" in EBCDIC 037.
        let bytes = b"\xc8\x85\x93\x93\x96\x6b\x40\x51\x5a";
        assert_eq!(cp037.decode(bytes).0, "Hello, é!");
        assert_eq!(cp037.encode_exact("Hello, é!").unwrap(), bytes);
        let mac_ce = Charset::for_label("x-mac-ce").unwrap();
        assert_eq!(mac_ce.decode(b"\x88\xc4").0, "ąń");
        assert_eq!(mac_ce.encode_exact("ąń"), Some(b"\x88\xc4".to_vec()));
    }

    #[test]
    fn utf32_round_trips() {
        let bytes = Charset::Utf32Be.encode_exact("aé中😀").unwrap();
        assert_eq!(Charset::Utf32Be.decode(&bytes).0, "aé中😀");
        let (s, bad) = Charset::Utf32Le.decode(&[0x41, 0, 0, 0, 0, 0xD8, 0, 0]);
        assert_eq!(s, "A\u{FFFD}");
        assert_eq!(bad.len(), 1);
    }

    #[test]
    fn exact_encoding_refuses_unmappable_characters() {
        let gbk = Charset::for_label("gbk").unwrap();
        assert_eq!(gbk.encode_exact("中文").unwrap(), b"\xd6\xd0\xce\xc4");
        let w1252 = Charset::for_label("windows-1252").unwrap();
        assert_eq!(w1252.encode_exact("中"), None);
    }
}
