//! The wrong decoders mojibake comes from, and how to run each of them backwards exactly.

use crate::charset::Charset;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// A decoder that was wrongly applied to UTF-8 bytes. Reversing it means encoding the text with
/// it (exactly: a character it cannot produce means the span is not its mojibake).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    /// A charset known to [`Charset`].
    Charset(Charset),
    /// ISO-8859-1 as most software implements it: every byte is the code point of the same
    /// value, so 0x80–0x9F become C1 controls (WHATWG's "latin1" label means windows-1252).
    Latin1,
}

impl Family {
    pub fn name(&self) -> String {
        match self {
            Family::Charset(c) => c.name(),
            Family::Latin1 => "ISO-8859-1".to_string(),
        }
    }

    pub fn is_single_byte(&self) -> bool {
        match self {
            Family::Charset(c) => c.is_single_byte(),
            Family::Latin1 => true,
        }
    }

    /// Encodes `text` exactly, or `None` if a character has no byte sequence here.
    pub fn encode_exact(&self, text: &str) -> Option<Vec<u8>> {
        match self {
            Family::Charset(c) => c.encode_exact(text),
            Family::Latin1 => text.chars().map(|c| u8::try_from(c as u32).ok()).collect(),
        }
    }

    /// Decodes bytes strictly, `None` on any malformed sequence.
    pub fn decode_exact(&self, bytes: &[u8]) -> Option<String> {
        match self {
            Family::Charset(c) => {
                let (s, bad) = c.decode(bytes);
                bad.is_empty().then_some(s)
            }
            Family::Latin1 => Some(bytes.iter().map(|&b| b as char).collect()),
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn web(e: &'static encoding_rs::Encoding) -> Family {
    Family::Charset(Charset::Web(e))
}

/// Single-byte families, most common first (ties in score go to the earlier one).
pub static SINGLE_BYTE: LazyLock<Vec<Family>> = LazyLock::new(|| {
    vec![
        web(encoding_rs::WINDOWS_1252),
        Family::Latin1,
        web(encoding_rs::WINDOWS_1251),
        web(encoding_rs::WINDOWS_1250),
        web(encoding_rs::ISO_8859_2),
        web(encoding_rs::WINDOWS_1253),
        web(encoding_rs::WINDOWS_1254),
        web(encoding_rs::WINDOWS_1257),
        web(encoding_rs::KOI8_R),
        web(encoding_rs::MACINTOSH),
        Family::Charset(Charset::Oem(437)),
    ]
});

/// Double-byte (CJK) families.
pub static DOUBLE_BYTE: LazyLock<Vec<Family>> = LazyLock::new(|| {
    vec![
        web(encoding_rs::GBK),
        web(encoding_rs::BIG5),
        web(encoding_rs::SHIFT_JIS),
        web(encoding_rs::EUC_KR),
        web(encoding_rs::EUC_JP),
    ]
});

/// For every character a single-byte family produces from a byte ≥ 0x80: that byte per family,
/// and two bit masks over the families — where it comes from a UTF-8 lead byte (C2–F4), and
/// where it comes from a continuation byte (80–BF).
pub struct SingleByteTable {
    pub map: HashMap<char, Entry>,
}

#[derive(Clone, Copy, Default)]
pub struct Entry {
    pub lead: u16,
    pub cont: u16,
    pub bytes: [u8; 16],
}

pub static TABLE: LazyLock<SingleByteTable> = LazyLock::new(|| {
    let mut map: HashMap<char, Entry> = HashMap::new();
    for (i, fam) in SINGLE_BYTE.iter().enumerate() {
        for b in 0x80u8..=0xFF {
            let Some(s) = fam.decode_exact(&[b]) else {
                continue;
            };
            let Some(c) = s.chars().next() else { continue };
            let e = map.entry(c).or_default();
            e.bytes[i] = b;
            if (0xC2..=0xF4).contains(&b) {
                e.lead |= 1 << i;
            }
            if (0x80..=0xBF).contains(&b) {
                e.cont |= 1 << i;
            }
        }
    }
    SingleByteTable { map }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_makes_c1_controls() {
        assert_eq!(Family::Latin1.decode_exact(b"\xc3\x89").unwrap(), "Ã\u{89}");
        assert_eq!(Family::Latin1.encode_exact("Ã\u{89}").unwrap(), b"\xc3\x89");
        assert_eq!(Family::Latin1.encode_exact("€"), None);
    }

    #[test]
    fn table_knows_lead_and_continuation_characters() {
        let e = TABLE.map[&'Ã'];
        assert!(e.lead & 1 != 0, "Ã is C3 in windows-1252");
        let e = TABLE.map[&'©'];
        assert!(e.cont & 1 != 0, "© is A9 in windows-1252");
        assert_eq!(e.bytes[0], 0xA9);
    }
}
