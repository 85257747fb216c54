//! The streaming [`Fixer`] must give exactly what [`fix_bytes`] gives on the whole input, however
//! the input is split into chunks (empty chunks included): same output bytes, same report.
//!
//! Inputs are built from real text (lines of `fixtures/clean`), legacy-encoded sentences
//! (`fixtures/inputs` and clean lines encoded as GBK, Shift_JIS, windows-1251/1252), line
//! endings, BOMs, invalid bytes and NULs; UTF-16/32 documents are built from the same text.

mod common;
use common::*;
use mojifix::decode::DecodeOptions;
use mojifix::normalize::Newlines;
use mojifix::{fix_bytes, Charset, Options, Report};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;
use std::sync::LazyLock;

fn fixture(path: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Lines of real text in several scripts (no line endings).
static TEXT: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for lang in ["zh_CN", "ja", "ru", "fr", "ar"] {
        let text = String::from_utf8(fixture(&format!("clean/{lang}.txt"))).unwrap();
        out.extend(
            text.lines()
                .filter(|l| l.len() <= 160)
                .step_by(61)
                .take(60)
                .map(str::to_string),
        );
    }
    out
});

/// Real sentences in legacy encodings (no line endings).
static LEGACY: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for file in [
        "zh_gbk.txt",
        "ja_shift_jis.txt",
        "ru_windows1251.txt",
        "fr_windows1252.txt",
    ] {
        let bytes = fixture(&format!("inputs/{file}"));
        out.extend(
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(<[u8]>::to_vec),
        );
    }
    let encodings = [
        ("zh_CN", encoding_rs::GBK),
        ("ja", encoding_rs::SHIFT_JIS),
        ("ru", encoding_rs::WINDOWS_1251),
        ("fr", encoding_rs::WINDOWS_1252),
    ];
    for (lang, enc) in encodings {
        let text = String::from_utf8(fixture(&format!("clean/{lang}.txt"))).unwrap();
        out.extend(
            text.lines()
                .filter(|l| l.len() <= 160)
                .step_by(97)
                .filter_map(|l| {
                    let (bytes, _, unmappable) = enc.encode(l);
                    (!unmappable).then(|| bytes.into_owned())
                })
                .take(25),
        );
    }
    out
});

fn text_line() -> impl Strategy<Value = String> {
    (0..TEXT.len()).prop_map(|i| TEXT[i].clone())
}

fn ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r")]
}

/// Byte sequences that are not valid UTF-8 (and often not valid in the legacy charsets either).
fn invalid() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0xFF]),
        Just(vec![0xC3]),                   // a lead byte without its continuation
        Just(vec![0xE4, 0xB8]),             // a truncated three-byte sequence
        Just(vec![0x80]),                   // a lone continuation byte (€ in windows-1252)
        Just(vec![0xED, 0xA0, 0x80]),       // an encoded surrogate
        Just(vec![0xF4, 0x90, 0x80, 0x80]), // beyond U+10FFFF
        prop::collection::vec(0x80u8..=0xFF, 1..4),
    ]
}

/// One piece of a byte-soup document.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        5 => text_line().prop_map(String::into_bytes),
        3 => (0..LEGACY.len()).prop_map(|i| LEGACY[i].clone()),
        5 => ending().prop_map(|e| e.as_bytes().to_vec()),
        2 => "[ -~]{1,24}".prop_map(String::into_bytes),
        1 => invalid(),
        1 => Just(vec![0]),
        1 => Just("\u{FEFF}".as_bytes().to_vec()), // a stray BOM inside the text
        1 => Just(b"\x1b[0m\x07".to_vec()),         // controls
        1 => Just("Cafe\u{301} cre\u{300}me".as_bytes().to_vec()), // not NFC
    ]
}

fn bom() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        12 => Just(&b""[..]),
        2 => Just(&b"\xEF\xBB\xBF"[..]),
        1 => Just(&b"\xFF\xFE"[..]),
        1 => Just(&b"\xFE\xFF"[..]),
        1 => Just(&b"\xFF\xFE\0\0"[..]),
        1 => Just(&b"\0\0\xFE\xFF"[..]),
    ]
}

/// Real text with line endings, for the UTF-16/32 documents.
fn text_document() -> impl Strategy<Value = String> {
    prop::collection::vec((text_line(), ending()), 0..16).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(l, e)| format!("{l}{e}"))
            .collect::<String>()
    })
}

#[derive(Clone, Copy, Debug)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

fn encode_wide(text: &str, wide: Wide, with_bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let s = if with_bom {
        format!("\u{FEFF}{text}")
    } else {
        text.to_string()
    };
    match wide {
        Wide::Utf16Le => out.extend(s.encode_utf16().flat_map(u16::to_le_bytes)),
        Wide::Utf16Be => out.extend(s.encode_utf16().flat_map(u16::to_be_bytes)),
        Wide::Utf32Le => out.extend(s.chars().flat_map(|c| (c as u32).to_le_bytes())),
        Wide::Utf32Be => out.extend(s.chars().flat_map(|c| (c as u32).to_be_bytes())),
    }
    out
}

/// A whole input: byte soup behind an optional BOM, or real text in UTF-16/32 (with or without
/// BOM, sometimes with a broken tail).
fn document() -> impl Strategy<Value = Vec<u8>> {
    let soup = (bom(), prop::collection::vec(fragment(), 0..40)).prop_map(|(bom, parts)| {
        let mut doc = bom.to_vec();
        for p in parts {
            doc.extend(p);
        }
        doc
    });
    let wide = (
        text_document(),
        prop_oneof![
            Just(Wide::Utf16Le),
            Just(Wide::Utf16Be),
            Just(Wide::Utf32Le),
            Just(Wide::Utf32Be)
        ],
        any::<bool>(),
        // Mostly whole; sometimes a broken tail (an odd byte, a lone surrogate…).
        prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(any::<u8>(), 1..4)],
    )
        .prop_map(|(text, wide, with_bom, tail)| {
            let mut doc = encode_wide(&text, wide, with_bom);
            doc.extend(tail);
            doc
        });
    prop_oneof![4 => soup, 1 => wide]
}

/// Split points: each is repeated up to three times, which gives empty chunks.
fn splits() -> impl Strategy<Value = Vec<(Index, usize)>> {
    prop::collection::vec((any::<Index>(), 1..=3usize), 0..16)
}

fn chunks<'a>(input: &'a [u8], splits: &[(Index, usize)]) -> Vec<&'a [u8]> {
    let points: Vec<usize> = splits
        .iter()
        .flat_map(|(i, n)| std::iter::repeat_n(i.index(input.len() + 1), *n))
        .collect();
    cut_at(input, points)
}

/// True for a run that met the known bug of `utf16_lone_surrogate_split_across_chunks_is_replaced_without_panic`:
/// malformed UTF-16 decoded by the streaming decoder.
fn meets_utf16_malformed_bug(report: &Report) -> bool {
    let utf16 = report.detection.as_ref().is_some_and(|d| {
        d.charset == Charset::Web(encoding_rs::UTF_16LE)
            || d.charset == Charset::Web(encoding_rs::UTF_16BE)
    });
    utf16 && report.malformed > 0
}

/// Checks one split against the whole-buffer run. With `skip_utf16_bug`, inputs that meet the
/// known UTF-16 bug are rejected instead of checked.
fn check(
    input: &[u8],
    chunks: &[&[u8]],
    opts: &Options,
    skip_utf16_bug: bool,
) -> Result<(), TestCaseError> {
    let (whole, whole_report) = fix_bytes(input, opts);
    if skip_utf16_bug {
        prop_assume!(!meets_utf16_malformed_bug(&whole_report));
    }
    let (chunked, chunked_report) = fix_chunked(chunks, opts);
    let lens: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    prop_assert!(
        chunked == whole,
        "output depends on chunking\n chunk lengths {lens:?}\n input   {:?}\n whole   {:?}\n chunked {:?}",
        String::from_utf8_lossy(input),
        String::from_utf8_lossy(&whole),
        String::from_utf8_lossy(&chunked),
    );
    prop_assert_eq!(
        chunked_report,
        whole_report,
        "report depends on chunking; chunk lengths {:?}",
        lens
    );
    Ok(())
}

fn options(
    prefix_len: usize,
    max_line: usize,
    allow_binary: bool,
    encoding: Option<&str>,
    newlines: Newlines,
) -> Options {
    let mut opts = Options::new();
    opts.decode = DecodeOptions {
        prefix_len,
        max_line,
        encoding: encoding.map(|l| Charset::for_label(l).expect("known label")),
        ..DecodeOptions::default()
    };
    opts.allow_binary = allow_binary;
    opts.normalize.newlines = newlines;
    opts
}

fn forced() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        8 => Just(None),
        1 => Just(Some("utf-8")),
        1 => Just(Some("gbk")),
        1 => Just(Some("windows-1252")),
        1 => Just(Some("utf-16le")),
        1 => Just(Some("utf-32be")),
        1 => Just(Some("cp437")),
    ]
}

fn newlines() -> impl Strategy<Value = Newlines> {
    prop_oneof![
        Just(Newlines::Keep),
        Just(Newlines::Lf),
        Just(Newlines::Crlf)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Detection on a prefix of various sizes (down to a few bytes, so that it is decided in
    /// the middle of the chunks) and the default line length.
    #[test]
    fn any_split_gives_the_same_output_as_fix_bytes(
        input in document(),
        splits in splits(),
        prefix_len in prop_oneof![1..=8usize, 9..=300usize, Just(64 * 1024)],
        allow_binary in any::<bool>(),
        encoding in forced(),
        newlines in newlines(),
    ) {
        let opts = options(prefix_len, DecodeOptions::default().max_line, allow_binary, encoding, newlines);
        check(&input, &chunks(&input, &splits), &opts, true)?;
    }

    /// Short lines so over-long lines are cut into pieces, across chunk boundaries.
    #[test]
    fn any_split_gives_the_same_output_with_long_lines_cut(
        input in document(),
        splits in splits(),
        max_line in prop_oneof![Just(32usize), 16..=64usize],
        allow_binary in any::<bool>(),
        encoding in forced(),
    ) {
        let opts = options(16, max_line, allow_binary, encoding, Newlines::Keep);
        check(&input, &chunks(&input, &splits), &opts, true)?;
    }

    /// The hardest split: one byte at a time, with an empty chunk between bytes.
    #[test]
    fn byte_by_byte_gives_the_same_output_as_fix_bytes(
        input in document(),
        max_line in prop_oneof![Just(32usize), Just(1usize << 20)],
        allow_binary in any::<bool>(),
    ) {
        let opts = options(16, max_line, allow_binary, None, Newlines::Keep);
        let mut parts: Vec<&[u8]> = Vec::new();
        for i in 0..input.len() {
            parts.push(&input[i..=i]);
            parts.push(&[]);
        }
        check(&input, &parts, &opts, true)?;
    }
}

/// Large real files with the default options, in chunk sizes that fall on and around the
/// 64 KiB detection prefix.
#[test]
fn large_real_files_give_the_same_output_in_odd_sized_chunks() {
    let ja = fixture("clean/ja.txt");
    let zh = String::from_utf8(fixture("clean/zh_CN.txt")).unwrap();
    let zh_gbk = encoding_rs::GBK.encode(&zh).0.into_owned();
    let ru = String::from_utf8(fixture("clean/ru.txt")).unwrap();
    let ru_1251 = encoding_rs::WINDOWS_1251.encode(&ru).0.into_owned();
    let mut mixed = fixture("clean/fr.txt");
    mixed.extend(&fixture("inputs/fr_windows1252.txt").repeat(50));
    let opts = Options::new();
    for (name, input) in [
        ("ja.txt", &ja),
        ("zh_CN as GBK", &zh_gbk),
        ("ru as windows-1251", &ru_1251),
        ("fr.txt + windows-1252 lines", &mixed),
    ] {
        let (whole, whole_report) = fix_bytes(input, &opts);
        for size in [1, 3, 4093, 65535, 65536, 65537, 200_000] {
            let parts: Vec<&[u8]> = input.chunks(size).collect();
            let (chunked, chunked_report) = fix_chunked(&parts, &opts);
            assert!(
                chunked == whole,
                "{name}: output differs in chunks of {size} bytes"
            );
            assert_eq!(
                chunked_report, whole_report,
                "{name}: report differs in chunks of {size} bytes"
            );
        }
    }
}

/// The property tests above reject inputs that meet this bug; this one keeps them.
#[test]
fn utf16_lone_surrogate_split_across_chunks_is_replaced_without_panic() {
    // UTF-16LE with BOM: "A", a lone high surrogate D800, "B".
    let input = b"\xFF\xFE\x41\x00\x00\xD8\x42\x00";
    let mut opts = Options::new();
    opts.decode.prefix_len = 4; // decided on the BOM and "A", before the surrogate comes
    let (whole, _) = fix_bytes(input, &opts);
    assert_eq!(String::from_utf8(whole).unwrap(), "A\u{FFFD}B");
    // The surrogate and the first byte of "B" in one chunk, the second byte in the next.
    let (chunked, _) = fix_chunked(&[&input[..4], &input[4..7], &input[7..]], &opts);
    assert_eq!(String::from_utf8(chunked).unwrap(), "A\u{FFFD}B");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The property with malformed UTF-16 kept (see the test above).
    #[test]
    fn any_split_gives_the_same_output_for_malformed_utf16(
        input in document(),
        splits in splits(),
        max_line in prop_oneof![Just(32usize), Just(1usize << 20)],
    ) {
        let opts = options(4, max_line, false, None, Newlines::Keep);
        check(&input, &chunks(&input, &splits), &opts, false)?;
    }
}
