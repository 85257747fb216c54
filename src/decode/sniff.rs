//! Cheap, certain signals read off the first bytes of a document: byte order marks, the NUL
//! pattern of UTF-16/32 without a BOM, binary content, and declared charsets in markup.

use crate::charset::Charset;
use regex::bytes::Regex;
use std::sync::LazyLock;

/// A byte order mark found at the start of the input.
pub fn bom(bytes: &[u8]) -> Option<(Charset, usize)> {
    // UTF-32 first: a UTF-32LE BOM (FF FE 00 00) starts with the UTF-16LE BOM (FF FE).
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some((Charset::Utf32Le, 4));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((Charset::Utf32Be, 4));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some((Charset::UTF_8, 3));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some((Charset::Web(encoding_rs::UTF_16LE), 2));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some((Charset::Web(encoding_rs::UTF_16BE), 2));
    }
    None
}

/// True when a prefix that may end before the input does could still be a prefix of a BOM, so
/// the caller must wait for more bytes before deciding.
pub fn may_be_partial_bom(bytes: &[u8]) -> bool {
    const BOMS: [&[u8]; 5] = [
        &[0xFF, 0xFE, 0, 0],
        &[0, 0, 0xFE, 0xFF],
        &[0xEF, 0xBB, 0xBF],
        &[0xFF, 0xFE],
        &[0xFE, 0xFF],
    ];
    bytes.len() < 4
        && BOMS
            .iter()
            .any(|b| b.len() > bytes.len() && b.starts_with(bytes))
}

/// UTF-16 or UTF-32 without a BOM, told by where the NUL bytes fall: text in the Latin, Greek,
/// Cyrillic… ranges has a zero in every other byte (UTF-16) or three in four (UTF-32).
pub fn nul_pattern(bytes: &[u8]) -> Option<Charset> {
    let n = bytes.len().min(64 * 1024);
    let sample = &bytes[..n];
    if n < 4 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let mut zeros = [0usize; 4];
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            zeros[i % 4] += 1;
        }
    }
    let units = n / 4;
    let mostly = |count: usize, of: usize| of > 0 && count * 10 >= of * 7;
    let rarely = |count: usize, of: usize| count * 10 <= of;
    // UTF-32: two high bytes of every code unit are zero.
    let utf32 = if units < 4 {
        None
    } else if mostly(zeros[2], units) && mostly(zeros[3], units) && rarely(zeros[0], units) {
        Some(Charset::Utf32Le)
    } else if mostly(zeros[0], units) && mostly(zeros[1], units) && rarely(zeros[3], units) {
        Some(Charset::Utf32Be)
    } else {
        None
    };
    if let Some(cs) = utf32 {
        let (_, bad) = cs.decode(&sample[..units * 4]);
        return bad.is_empty().then_some(cs);
    }
    let even = zeros[0] + zeros[2];
    let odd = zeros[1] + zeros[3];
    let pairs = n / 2;
    if pairs < 4 {
        return None;
    }
    // ASCII characters (spaces, digits, punctuation at least) put a zero in the high byte of
    // their code unit, and never in the low byte; binary data puts zeros anywhere.
    // At least four such zeros: one NUL in a short text file does not make it UTF-16.
    let candidate = if odd >= 4 && odd * 10 >= pairs && even * 20 <= odd {
        Charset::Web(encoding_rs::UTF_16LE)
    } else if even >= 4 && even * 10 >= pairs && odd * 20 <= even {
        Charset::Web(encoding_rs::UTF_16BE)
    } else {
        return None;
    };
    // Text decodes without unpaired surrogates (the sample may end inside a pair).
    let (_, bad) = candidate.decode(&sample[..n / 2 * 2]);
    (bad.iter().filter(|m| m.end + 4 < n).count() == 0).then_some(candidate)
}

/// True when the bytes look like binary data rather than text in an 8-bit or multi-byte
/// encoding: they contain NUL bytes that no UTF-16/32 pattern explains.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let n = bytes.len().min(64 * 1024);
    memchr::memchr(0, &bytes[..n]).is_some()
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    // Both `<meta charset="x">` and `<meta http-equiv="Content-Type" content="…; charset=x">`.
    Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).unwrap()
});

static XML_DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u)\A(?:\xEF\xBB\xBF)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']"#,
    )
    .unwrap()
});

/// How far into a document we look for a `<meta>` charset (HTML's prescan reads 1024 bytes; real
/// pages put long scripts and comments first, so we read further).
const META_WINDOW: usize = 16 * 1024;

/// A charset declared by an HTML `<meta>` tag in the first bytes of the document.
pub fn meta_charset(bytes: &[u8]) -> Option<Charset> {
    let window = &bytes[..bytes.len().min(META_WINDOW)];
    if memchr::memmem::find(window, b"<meta").is_none()
        && memchr::memmem::find(window, b"<META").is_none()
        && !window.windows(5).any(|w| w.eq_ignore_ascii_case(b"<meta"))
    {
        return None;
    }
    let caps = META_CHARSET.captures(window)?;
    declared(&caps[1])
}

/// A charset named by an XML declaration (`<?xml version="1.0" encoding="…"?>`).
pub fn xml_declared(bytes: &[u8]) -> Option<Charset> {
    let caps = XML_DECL.captures(&bytes[..bytes.len().min(1024)])?;
    declared(&caps[1])
}

fn declared(label: &[u8]) -> Option<Charset> {
    let label = std::str::from_utf8(label).ok()?;
    let cs = Charset::for_label(label)?;
    // A document that could be read far enough to find an ASCII declaration is not UTF-16/32;
    // HTML says to treat such a declaration as UTF-8.
    Some(match cs {
        Charset::Web(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
            Charset::UTF_8
        }
        Charset::Utf32Le | Charset::Utf32Be => Charset::UTF_8,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf32le_bom_is_not_taken_for_utf16le() {
        assert_eq!(bom(b"\xFF\xFE\0\0a\0\0\0"), Some((Charset::Utf32Le, 4)));
        assert_eq!(
            bom(b"\xFF\xFEa\0"),
            Some((Charset::Web(encoding_rs::UTF_16LE), 2))
        );
        assert_eq!(bom(b"\xEF\xBB\xBFx"), Some((Charset::UTF_8, 3)));
        assert_eq!(bom(b"plain"), None);
    }

    #[test]
    fn partial_boms_wait_for_more_input() {
        assert!(may_be_partial_bom(b"\xFF"));
        assert!(may_be_partial_bom(b"\xFF\xFE\0"));
        assert!(may_be_partial_bom(b"\xEF\xBB"));
        assert!(!may_be_partial_bom(b"ab"));
    }

    #[test]
    fn utf16_without_bom_is_found_by_nul_pattern() {
        let le: Vec<u8> = "Hello, world. Ça va?\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "Привет, мир! Как дела? Всё хорошо.\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(nul_pattern(&le), Some(Charset::Web(encoding_rs::UTF_16LE)));
        assert_eq!(nul_pattern(&be), Some(Charset::Web(encoding_rs::UTF_16BE)));
        let le32 = Charset::Utf32Le.encode_exact("plain text here").unwrap();
        assert_eq!(nul_pattern(&le32), Some(Charset::Utf32Le));
        assert_eq!(nul_pattern(b"no nul here"), None);
        // An executable header is not text.
        assert_eq!(
            nul_pattern(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
            None
        );
    }

    #[test]
    fn meta_and_xml_declarations() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"gb2312\">")
                .unwrap()
                .name(),
            "GBK"
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Shift_JIS'>"
            )
            .unwrap()
            .name(),
            "Shift_JIS"
        );
        assert_eq!(
            meta_charset(b"<meta charset=utf-16>").unwrap(),
            Charset::UTF_8
        );
        assert_eq!(meta_charset(b"charset=gbk but no tag"), None);
        assert_eq!(
            xml_declared(b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a/>")
                .unwrap()
                .name(),
            "ISO-8859-2"
        );
    }
}
