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

    /// The bytes this family's decoder turns into `text`: the encoder's, or for characters the
    /// encoder refuses but the decoder produces (Big5's HKSCS part), the decoder's.
    pub fn reverse(&self, text: &str) -> Option<Vec<u8>> {
        let Some(i) = DOUBLE_BYTE.iter().position(|f| f == self) else {
            return self.encode_exact(text);
        };
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                out.extend_from_slice(DB_TABLE.bytes(i, c)?);
            }
        }
        Some(out)
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
/// where it comes from a continuation byte (80–BF). Characters below U+0800 (nearly all of
/// them) are found by index; the few others (symbols, box drawing) by binary search.
pub struct SingleByteTable {
    low: Vec<Option<Entry>>,
    /// The lead and continuation masks alone, for the fast scan over clean text.
    low_masks: Vec<(u16, u16)>,
    high: Vec<(char, Entry)>,
}

#[derive(Clone, Copy, Default)]
pub struct Entry {
    pub lead: u16,
    pub cont: u16,
    pub bytes: [u8; 16],
}

const LOW_START: u32 = 0x80;
const LOW_END: u32 = 0x800;

impl SingleByteTable {
    pub fn get(&self, c: char) -> Option<&Entry> {
        let u = c as u32;
        if u < LOW_START {
            return None;
        }
        if u < LOW_END {
            return self.low[(u - LOW_START) as usize].as_ref();
        }
        self.high
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|i| &self.high[i].1)
    }

    /// `(lead, cont)` family masks of a character (zero for characters no family produces).
    #[inline]
    pub fn masks(&self, c: char) -> (u16, u16) {
        let u = c as u32;
        if u < LOW_START {
            (0, 0)
        } else if u < LOW_END {
            self.low_masks[(u - LOW_START) as usize]
        } else if u < 0x2000 || (0x2600..0xF000).contains(&u) {
            (0, 0)
        } else {
            self.get(c).map_or((0, 0), |e| (e.lead, e.cont))
        }
    }
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
    let mut low = vec![None; (LOW_END - LOW_START) as usize];
    let mut low_masks = vec![(0, 0); (LOW_END - LOW_START) as usize];
    let mut high = Vec::new();
    for (c, e) in map {
        let u = c as u32;
        if (LOW_START..LOW_END).contains(&u) {
            low[(u - LOW_START) as usize] = Some(e);
            low_masks[(u - LOW_START) as usize] = (e.lead, e.cont);
        } else {
            assert!(
                u >= 0x2000 && !(0x2600..0xF000).contains(&u),
                "masks() assumes no family character in U+0800..U+2000 or U+2600..U+F000"
            );
            high.push((c, e));
        }
    }
    high.sort_by_key(|&(c, _)| c);
    SingleByteTable {
        low,
        low_masks,
        high,
    }
});

/// Reverse tables of the double-byte families: the bytes of every BMP character each can
/// produce, built once by decoding every one- and two-byte sequence.
pub struct DoubleByteTable {
    /// Per family, per BMP code point: `[len, b0, b1, b2]` (len 0 = not producible).
    maps: Vec<Vec<[u8; 4]>>,
    /// Per family, the characters beyond the BMP (Big5's HKSCS part), sorted.
    astral: Vec<Vec<(char, [u8; 4])>>,
}

impl DoubleByteTable {
    pub fn bytes(&self, family_index: usize, c: char) -> Option<&[u8]> {
        let u = c as usize;
        let e = match self.maps[family_index].get(u) {
            Some(e) => e,
            None => {
                let list = &self.astral[family_index];
                &list
                    .get(list.binary_search_by_key(&c, |&(k, _)| k).ok()?)?
                    .1
            }
        };
        (e[0] > 0).then(|| &e[1..1 + e[0] as usize])
    }
}

pub static DB_TABLE: LazyLock<DoubleByteTable> = LazyLock::new(|| {
    let (maps, astral) = DOUBLE_BYTE
        .iter()
        .map(|fam| {
            let mut map = vec![[0u8; 4]; 0x10000];
            let mut astral: Vec<(char, [u8; 4])> = Vec::new();
            let Family::Charset(Charset::Web(enc)) = fam else {
                return (map, astral);
            };
            // Characters more than one byte sequence decodes to, with the other sequences.
            let mut dups: Vec<(char, [u8; 4])> = Vec::new();
            let mut put = |bytes: &[u8]| {
                let mut decoder = enc.new_decoder_without_bom_handling();
                let mut buf = [0u8; 8];
                let (res, _, written) =
                    decoder.decode_to_utf8_without_replacement(bytes, &mut buf, true);
                if res != encoding_rs::DecoderResult::InputEmpty {
                    return;
                }
                let Ok(s) = std::str::from_utf8(&buf[..written]) else {
                    return;
                };
                let mut it = s.chars();
                let (Some(c), None) = (it.next(), it.next()) else {
                    return;
                };
                let mut e = [bytes.len() as u8, 0, 0, 0];
                e[1..1 + bytes.len()].copy_from_slice(bytes);
                let u = c as usize;
                if u < 0x10000 {
                    if map[u][0] == 0 {
                        map[u] = e;
                    } else {
                        dups.push((c, e));
                    }
                } else {
                    astral.push((c, e));
                }
            };
            for b in 0x80u8..=0xFF {
                put(&[b]);
            }
            for lead in 0x81u8..=0xFE {
                for trail in 0x40u8..=0xFE {
                    put(&[lead, trail]);
                }
            }
            // EUC-JP's JIS X 0212 characters take three bytes (8F, row, cell).
            if *enc == encoding_rs::EUC_JP {
                for row in 0xA1u8..=0xFE {
                    for cell in 0xA1u8..=0xFE {
                        put(&[0x8F, row, cell]);
                    }
                }
            }
            // Where several sequences decode alike, the one that can be a piece of UTF-8 is
            // what mojibake came from (Shift_JIS's NEC rows ED–EE, not the IBM rows FA–FC, which
            // no UTF-8 contains); when both can, the encoder's choice (Big5's HKSCS part is
            // decoded but never encoded: there the first sequence stays).
            let utf8_piece = |e: &[u8; 4]| {
                e[1..1 + e[0] as usize]
                    .iter()
                    .all(|&b| !matches!(b, 0xC0 | 0xC1 | 0xF5..=0xFF))
            };
            for (c, other) in dups {
                let first = map[c as usize];
                map[c as usize] = match (utf8_piece(&first), utf8_piece(&other)) {
                    (true, false) => first,
                    (false, true) => other,
                    _ => match fam
                        .encode_exact(c.encode_utf8(&mut [0; 4]))
                        .filter(|e| e.len() <= 3)
                    {
                        Some(exact) => {
                            let mut e = [exact.len() as u8, 0, 0, 0];
                            e[1..1 + exact.len()].copy_from_slice(&exact);
                            e
                        }
                        None => first,
                    },
                };
            }
            astral.sort_by_key(|&(c, _)| c);
            astral.dedup_by_key(|&mut (c, _)| c);
            (map, astral)
        })
        .unzip();
    DoubleByteTable { maps, astral }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_byte_table_matches_the_encoder() {
        assert_eq!(DB_TABLE.bytes(0, '茅'), Some(&b"\xc3\xa9"[..]));
        assert_eq!(DB_TABLE.bytes(0, '€'), Some(&b"\x80"[..]));
        assert_eq!(DB_TABLE.bytes(0, 'é'), Some(&b"\xa8\xa6"[..])); // pinyin row
        assert_eq!(DB_TABLE.bytes(0, '한'), None);
    }

    #[test]
    fn latin1_makes_c1_controls() {
        assert_eq!(Family::Latin1.decode_exact(b"\xc3\x89").unwrap(), "Ã\u{89}");
        assert_eq!(Family::Latin1.encode_exact("Ã\u{89}").unwrap(), b"\xc3\x89");
        assert_eq!(Family::Latin1.encode_exact("€"), None);
    }

    #[test]
    fn table_knows_lead_and_continuation_characters() {
        let e = TABLE.get('Ã').unwrap();
        assert!(e.lead & 1 != 0, "Ã is C3 in windows-1252");
        let e = TABLE.get('©').unwrap();
        assert!(e.cont & 1 != 0, "© is A9 in windows-1252");
        assert_eq!(e.bytes[0], 0xA9);
    }
}
