//! Statistical guess of a legacy (non-UTF) charset for bytes that no BOM, declaration or UTF-8
//! validity settled.
//!
//! Two detectors work together:
//!
//! * chardetng (Firefox's detector) is trusted for the multi-byte CJK encodings and for Thai and
//!   Vietnamese, where it is very good;
//! * for single-byte text, every candidate code page (the Windows, ISO-8859, KOI8, DOS, Mac and
//!   EBCDIC pages mojifix can decode) is scored with per-language character-bigram models
//!   ([`models`](super::models), trained on gettext translations, see `benches/detect/`): the
//!   decoding that reads most like some language wins. chardetng's own single-byte pick gets a
//!   small head start, which settles near ties the way browsers would.
//!
//! Only byte pairs that involve a non-ASCII byte are scored: the ASCII text reads the same in
//! every ASCII-compatible candidate. The ASCII text still says which language the text is in:
//! its own cost under each model (compared among the models of one script) is added, at half
//! weight, to that model's scores, so a Welsh text's `ï` is judged as Welsh, not as the `ļ`
//! of some Latvian reading. EBCDIC is recognised by its byte shape first (space is
//! `0x40`, letters live above `0x80`) and then scored on all pairs.

use super::models::{self, Model};
use crate::charset::Charset;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use std::sync::LazyLock;

/// A statistical guess and how far ahead of the runner-up it is, in `0.0..=1.0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guess {
    pub charset: Charset,
    pub confidence: f32,
}

/// Cost, in bits, of a byte that the candidate does not define or decodes to a control character.
const BAD_BYTE_BITS: f32 = 24.0;
/// Head start, in bits, of the code page chardetng picked among the single-byte ones.
const CHARDETNG_BONUS_BITS: f32 = 1.0;
/// Cost, in bits, of each non-Latin letter or punctuation mark when such characters are under 5%
/// of a text's letters.
const FOREIGN_SLIVER_BITS: f32 = 8.0;

/// Cost, in bits, of an upper-case letter right after a lower-case one.
const CASE_BREAK_BITS: u32 = 4;

/// Script bits, matching the model file's script numbers.
const LATIN: u8 = 1;
const CYRILLIC: u8 = 2;
const GREEK: u8 = 4;
const HEBREW: u8 = 8;
const ARABIC: u8 = 16;
const THAI: u8 = 32;

fn script_bit(c: char) -> u8 {
    match c as u32 {
        0x00C0..=0x024F | 0x1E00..=0x1EFF => LATIN,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => GREEK,
        0x0400..=0x052F => CYRILLIC,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => HEBREW,
        0x0600..=0x06FF | 0xFB50..=0xFEFF => ARABIC,
        0x0E00..=0x0E7F => THAI,
        _ => 0,
    }
}

/// A single-byte charset we can guess, with its byte table.
struct Candidate {
    charset: Charset,
    /// Cost in bits of choosing this charset at all: rarer code pages have to read better.
    prior: f32,
    ascii_compatible: bool,
    /// The character of each byte; `None` for undefined bytes and control characters.
    chars: [Option<char>; 256],
    /// Scripts of the letters among the non-ASCII bytes (all bytes for EBCDIC).
    scripts: u8,
}

fn candidate(label: &str, prior: f32) -> Candidate {
    let charset = Charset::for_label(label).unwrap_or_else(|| panic!("unknown label {label}"));
    let mut chars = [None; 256];
    for (b, slot) in chars.iter_mut().enumerate() {
        let (s, bad) = charset.decode(&[b as u8]);
        let c = s.chars().next().filter(|_| bad.is_empty());
        *slot = c.filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
    }
    let ascii_compatible = charset.is_ascii_compatible();
    let mut counts = [0usize; 6];
    let from = if ascii_compatible { 0x80 } else { 0 };
    for c in chars[from..].iter().flatten() {
        let bit = script_bit(*c);
        if bit != 0 && c.is_alphabetic() {
            counts[bit.trailing_zeros() as usize] += 1;
        }
    }
    let mut scripts = 0;
    for (i, &n) in counts.iter().enumerate() {
        if n >= 16 {
            scripts |= 1 << i;
        }
    }
    if scripts == 0 {
        scripts = LATIN;
    }
    Candidate {
        charset,
        prior,
        ascii_compatible,
        chars,
        scripts,
    }
}

/// The candidates, in order of preference when two decode a text identically.
static CANDIDATES: LazyLock<Vec<Candidate>> = LazyLock::new(|| {
    let list: &[(&str, f32)] = &[
        ("windows-1252", 0.0),
        ("windows-1250", 0.0),
        ("windows-1251", 0.0),
        ("windows-1253", 0.0),
        ("windows-1254", 0.0),
        ("windows-1255", 0.0),
        ("windows-1256", 0.0),
        ("windows-1257", 0.0),
        ("iso-8859-15", 1.0),
        ("iso-8859-2", 1.0),
        ("koi8-r", 1.0),
        ("koi8-u", 1.5),
        ("iso-8859-5", 2.0),
        ("ibm866", 2.0),
        ("iso-8859-7", 1.0),
        ("iso-8859-8", 1.0),
        ("iso-8859-6", 1.0),
        ("iso-8859-13", 1.0),
        ("iso-8859-4", 2.0),
        ("iso-8859-3", 2.0),
        ("iso-8859-10", 2.0),
        ("iso-8859-14", 2.0),
        ("iso-8859-16", 2.0),
        ("cp850", 3.0),
        ("cp437", 3.0),
        ("cp858", 3.5),
        ("cp852", 3.0),
        ("cp855", 3.0),
        ("cp857", 3.0),
        ("cp860", 3.5),
        ("cp861", 3.5),
        ("cp863", 3.5),
        ("cp865", 3.5),
        ("cp737", 3.0),
        ("cp869", 3.0),
        ("cp775", 3.0),
        ("cp862", 3.0),
        ("cp720", 3.0),
        ("cp864", 3.5),
        ("macintosh", 3.0),
        ("x-mac-cyrillic", 3.0),
        ("x-mac-ce", 3.5),
        ("x-mac-greek", 3.5),
        ("x-mac-icelandic", 4.0),
        ("x-mac-turkish", 4.0),
        ("cp856", 4.0),
        ("cp1125", 4.0),
        ("koi8-t", 4.0),
        ("kz-1048", 4.0),
        ("ptcp154", 4.0),
        ("cp037", 0.0),
        ("cp500", 0.5),
        ("cp1026", 1.0),
        ("cp875", 1.0),
        ("cp424", 1.0),
    ];
    list.iter().map(|&(l, p)| candidate(l, p)).collect()
});

/// True when `bytes` look like EBCDIC text: its space, `0x40`, is frequent while the ASCII space
/// (an EBCDIC control code) is almost absent.
fn looks_ebcdic(bytes: &[u8]) -> bool {
    if bytes.len() < 16 {
        return false;
    }
    let ebcdic_spaces = bytes.iter().filter(|&&b| b == 0x40).count();
    let ascii_spaces = bytes.iter().filter(|&&b| b == 0x20).count();
    ebcdic_spaces * 20 >= bytes.len() && ascii_spaces * 100 < bytes.len()
}

/// Extra cost, in bits, of characters that code pages have but modern text hardly uses; they are
/// what a wrong Latin code page tends to produce (`¤` for ISO-8859-15's `€`, `¦` for `Š`…).
fn rarity_bits(c: Option<char>) -> u32 {
    match c {
        Some('¤') => 12,
        Some('¦' | '¨' | '¸' | '¬' | '¯' | '¹' | '³' | '²' | '¼' | '½' | '¾' | '×' | '÷') => {
            6
        }
        _ => 0,
    }
}

fn ascii_letters(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|b| b.is_ascii_alphabetic()).count() as u32
}

/// Counts of the byte pairs that are scored: `(previous, current, count)`. A line start counts as
/// following `\n`.
fn pair_counts(bytes: &[u8], all: bool) -> Vec<(u8, u8, u32)> {
    let mut hist = vec![0u32; 65536];
    let mut seen = Vec::new();
    let mut prev = if all { 0x25 } else { b'\n' }; // EBCDIC line feed
    for &b in bytes.iter() {
        if all || prev >= 0x80 || b >= 0x80 {
            let i = usize::from(prev) << 8 | usize::from(b);
            if hist[i] == 0 {
                seen.push(i);
            }
            hist[i] += 1;
        }
        prev = b;
    }
    seen.iter()
        .map(|&i| ((i >> 8) as u8, i as u8, hist[i]))
        .collect()
}

/// What the scoring needs to know about a sample.
struct Sample {
    /// The scored byte pairs.
    pairs: Vec<(u8, u8, u32)>,
    ascii_letters: u32,
    /// Per model, the cost in bits of the sample's ASCII-only pairs (which every ASCII-compatible
    /// candidate decodes alike) beyond the best model's of the same script, times
    /// [`ASCII_EVIDENCE`]: how much less the rest of the text looks like that language. Zero for
    /// EBCDIC, whose pairs are all scored.
    model_offsets: Vec<f32>,
}

/// Weight of the ASCII text's own evidence on the language (see [`Sample::model_offsets`]).
const ASCII_EVIDENCE: f32 = 0.5;

impl Sample {
    fn new(bytes: &[u8], ebcdic: bool, models: &[Model]) -> Sample {
        let mut model_offsets = vec![0.0; models.len()];
        if !ebcdic {
            let mut hist = vec![0u32; 128 * 128];
            let mut prev = b'\n';
            for &b in bytes {
                if prev < 0x80 && b < 0x80 {
                    hist[usize::from(prev) << 7 | usize::from(b)] += 1;
                }
                prev = b;
            }
            let seen: Vec<(usize, usize, u64)> = hist
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0)
                .map(|(i, &n)| (i >> 7, i & 127, u64::from(n)))
                .collect();
            for (m, off) in models.iter().zip(model_offsets.iter_mut()) {
                let sym: Vec<usize> = (0..128u8)
                    .map(|b| usize::from(m.symbol(Some(char::from(b)))))
                    .collect();
                let cost: u64 = seen
                    .iter()
                    .map(|&(a, b, n)| u64::from(m.costs[sym[a] * m.size + sym[b]]) * n)
                    .sum();
                *off = cost as f32 / 10.0;
            }
            // Only among the models of one script: the ASCII of a Hebrew or Russian page is
            // markup and foreign words, which says nothing about its script.
            let mut best = [f32::INFINITY; 8];
            for (m, &off) in models.iter().zip(&model_offsets) {
                let b = &mut best[usize::from(m.script)];
                *b = b.min(off);
            }
            for (m, off) in models.iter().zip(model_offsets.iter_mut()) {
                *off = (*off - best[usize::from(m.script)]) * ASCII_EVIDENCE;
            }
        }
        Sample {
            pairs: pair_counts(bytes, ebcdic),
            ascii_letters: ascii_letters(bytes),
            model_offsets,
        }
    }
}

/// The score (negative cost in bits) of one candidate under its best language model, with the
/// index of that model.
fn score(cand: &Candidate, sample: &Sample, models: &[Model]) -> (f32, usize) {
    let pairs = &sample.pairs[..];
    let ascii_letters = sample.ascii_letters;
    let mut used = [false; 256];
    let mut bad = 0u32;
    let mut rare = 0u32;
    let mut foreign = 0u32;
    let mut foreign_letters = 0u32;
    for &(a, b, n) in pairs {
        used[a as usize] = true;
        used[b as usize] = true;
        let c = cand.chars[b as usize];
        if c.is_none() {
            bad += n;
        }
        rare += rarity_bits(c) * n;
        // An upper-case letter right after a lower-case one ("plutŰt", "dťÁu") is what a wrong
        // code page makes of a word; the models, which fold case, do not see it.
        if cand.chars[a as usize].is_some_and(char::is_lowercase)
            && c.is_some_and(char::is_uppercase)
        {
            rare += CASE_BREAK_BITS * n;
        }
        // Letters, and the punctuation of those scripts (the Arabic `؛` that `»` becomes in
        // ISO-8859-6).
        if let Some(c) = c.filter(|&c| b >= 0x80 && script_bit(c) & !LATIN != 0) {
            foreign += n;
            if c.is_alphabetic() {
                foreign_letters += n;
            }
        }
    }
    // Letters of another script that make up a sliver of the text's letters are the signature
    // of a Latin text read with a Cyrillic, Greek… code page ("perchй" for "perché"), and so is
    // that script's punctuation among them.
    let sliver = foreign_letters * 20 < ascii_letters + foreign_letters;
    let foreign_penalty = if cand.ascii_compatible && sliver {
        foreign as f32 * FOREIGN_SLIVER_BITS
    } else {
        0.0
    };
    let mut best = (f32::NEG_INFINITY, 0);
    for (mi, m) in models.iter().enumerate() {
        if cand.scripts & (1 << m.script) == 0 {
            continue;
        }
        let mut sym = [0u8; 256];
        for (b, &u) in used.iter().enumerate() {
            if u {
                sym[b] = m.symbol(cand.chars[b]);
            }
        }
        let n = m.size;
        let mut cost = 0u64;
        for &(a, b, count) in pairs {
            let c = m.costs[usize::from(sym[a as usize]) * n + usize::from(sym[b as usize])];
            cost += u64::from(c) * u64::from(count);
        }
        let s = -(cost as f32) / 10.0 - sample.model_offsets[mi];
        if s > best.0 {
            best = (s, mi);
        }
    }
    (
        best.0 - bad as f32 * BAD_BYTE_BITS - rare as f32 - foreign_penalty - cand.prior,
        best.1,
    )
}

/// Diagnostics: every candidate of the shape `bytes` have (EBCDIC or ASCII-compatible) with its
/// score in bits (higher is better, chardetng's bonus not included) and the language model that
/// gave it, best first.
pub fn explain(bytes: &[u8]) -> Vec<(Charset, f32, &'static str)> {
    let ebcdic = looks_ebcdic(bytes);
    let models = models::all();
    let sample = Sample::new(bytes, ebcdic, models);
    let mut out: Vec<_> = CANDIDATES
        .iter()
        .filter(|c| c.ascii_compatible != ebcdic)
        .map(|c| {
            let (s, m) = score(c, &sample, models);
            (c.charset, s, models[m].name)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// Picks the best-scoring candidate among those of the right shape (EBCDIC or ASCII-compatible).
/// `favoured` gets [`CHARDETNG_BONUS_BITS`]. Returns the charset and the margin in bits over the
/// best candidate that decodes the sample differently.
fn best_single_byte(bytes: &[u8], ebcdic: bool, favoured: Option<Charset>) -> (Charset, f32) {
    let models = models::all();
    let sample = Sample::new(bytes, ebcdic, models);
    let pairs = &sample.pairs;
    let mut scored: Vec<(f32, usize)> = Vec::new();
    for (i, cand) in CANDIDATES.iter().enumerate() {
        if cand.ascii_compatible == ebcdic {
            continue;
        }
        let (mut s, _) = score(cand, &sample, models);
        if Some(cand.charset) == favoured {
            s += CHARDETNG_BONUS_BITS;
        }
        scored.push((s, i));
    }
    // Stable: the earlier candidate wins a tie.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (top, ti) = scored[0];
    let winner = &CANDIDATES[ti];
    let mut present = [false; 256];
    for &(a, b, _) in pairs {
        present[a as usize] = true;
        present[b as usize] = true;
    }
    let differs = |c: &Candidate| (0..256).any(|b| present[b] && c.chars[b] != winner.chars[b]);
    let margin = scored
        .iter()
        .skip(1)
        .find(|&&(_, i)| differs(&CANDIDATES[i]))
        .map_or(64.0, |&(s, _)| top - s);
    (winner.charset, margin)
}

/// Guesses the legacy charset of `bytes`. `complete` says whether `bytes` is the whole input
/// (rather than a prefix of it); `tld` is an optional top-level-domain hint such as `"cn"`.
pub fn guess_legacy(bytes: &[u8], complete: bool, tld: Option<&str>) -> Guess {
    let non_ascii = bytes.iter().filter(|&&b| b >= 0x80).count();
    if looks_ebcdic(bytes) {
        let (charset, margin) = best_single_byte(bytes, true, None);
        return Guess {
            charset,
            confidence: confidence_from_margin(margin),
        };
    }
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(bytes, complete);
    let tld = tld.map(|t| t.trim_start_matches('.').to_ascii_lowercase());
    let enc = det.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny);
    let (_, had_errors) = enc.decode_without_bom_handling(bytes);
    // A multi-byte verdict needs a few characters: one lone high byte before an ASCII letter is
    // a valid Shift_JIS or Big5 pair too.
    let chardetng_wins = (!enc.is_single_byte() && non_ascii >= 4)
        || enc == encoding_rs::WINDOWS_874
        || enc == encoding_rs::WINDOWS_1258;
    if (chardetng_wins && !had_errors) || non_ascii == 0 {
        let nf = non_ascii as f32;
        let confidence = if had_errors {
            0.3
        } else {
            0.5 + 0.45 * (nf / (nf + 32.0))
        };
        return Guess {
            charset: Charset::Web(enc),
            confidence,
        };
    }
    let favoured = enc.is_single_byte().then_some(Charset::Web(enc));
    let (charset, margin) = best_single_byte(bytes, false, favoured);
    Guess {
        charset,
        confidence: confidence_from_margin(margin),
    }
}

/// A 7-bit escape-sequence encoding (ISO-2022-JP) in input that is otherwise pure ASCII: the
/// only legacy charsets whose text passes for ASCII. `None` when there is no such escape.
pub fn escape_encoding(bytes: &[u8], complete: bool) -> Option<Guess> {
    if !bytes.contains(&0x1B) {
        return None;
    }
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(bytes, complete);
    let enc = det.guess(None, Utf8Detection::Deny);
    (enc == encoding_rs::ISO_2022_JP && !enc.decode_without_bom_handling(bytes).1).then_some(
        Guess {
            charset: Charset::Web(enc),
            confidence: 0.9,
        },
    )
}

/// UTF-16 without a byte order mark whose text is mostly outside Latin scripts (CJK, Hangul,
/// Vietnamese…), so that the NUL bytes of ASCII characters are too rare for
/// [`super::sniff::nul_pattern`]. Every code unit must decode to a character that text contains
/// (no control other than tab and line breaks, no private-use or noncharacter, surrogates
/// paired), and an eighth of them must be non-ASCII: random binary data fails within a few
/// dozen bytes (one code unit in ten is a surrogate or private use).
pub fn utf16_without_bom(bytes: &[u8]) -> Option<Charset> {
    let n = bytes.len().min(64 * 1024) / 2 * 2;
    if n < 16 {
        return None;
    }
    let mut best = None;
    for (charset, be) in [
        (Charset::Web(encoding_rs::UTF_16LE), false),
        (Charset::Web(encoding_rs::UTF_16BE), true),
    ] {
        let units = bytes[..n].chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        let mut text = 0usize;
        let mut total = 0usize;
        let mut non_ascii = 0usize;
        // Pairs of ASCII bytes read as UTF-16 (`find -print0` output, say) are rare
        // ideographs; real CJK text is mostly common ones.
        let mut common = 0usize;
        for r in char::decode_utf16(units) {
            total += 1;
            let Ok(c) = r else { continue };
            let textual = match c {
                '\t' | '\n' | '\r' => true,
                c if c.is_control() => false,
                c if (c as u32) < 0x80 => true,
                c => {
                    non_ascii += 1;
                    use crate::repair::model::{class, Class};
                    common += usize::from(matches!(
                        class(c),
                        Class::CjkCommon
                            | Class::HangulCommon
                            | Class::Kana
                            | Class::CjkPunct
                            | Class::Letter { .. }
                            | Class::Mark
                            | Class::Punct
                    ));
                    // Not private use, not a noncharacter.
                    !matches!(c as u32, 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xFFFE | 0xFFFF)
                }
            };
            text += usize::from(textual);
        }
        // The last unit may be half of a pair cut by the prefix.
        if total > 8 && text + 1 >= total && non_ascii * 8 >= total && common * 10 >= non_ascii * 7
        {
            best = Some(charset);
            break;
        }
    }
    best
}

/// Maps a score margin in bits to `0.5..0.95`: 20 bits ahead is about 0.8.
fn confidence_from_margin(margin: f32) -> f32 {
    0.5 + 0.45 * (1.0 - (-margin.max(0.0) / 20.0).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guesses the charset of `bytes` and checks that it reads them back as `text`.
    fn reads_back(bytes: &[u8], text: &str) -> Guess {
        let g = guess_legacy(bytes, true, None);
        assert_eq!(
            g.charset.decode(bytes).0,
            text,
            "guessed {}",
            g.charset.name()
        );
        g
    }

    #[test]
    fn guesses_common_legacy_encodings() {
        let zh = encoding_rs::GBK
            .encode("中文网页的内容通常是这样写的，我们需要正确识别它。")
            .0;
        assert_eq!(guess_legacy(&zh, true, None).charset.name(), "GBK");
        let ru = encoding_rs::WINDOWS_1251
            .encode("Съешь же ещё этих мягких французских булок, да выпей чаю.")
            .0;
        assert_eq!(guess_legacy(&ru, true, None).charset.name(), "windows-1251");
        let ja = encoding_rs::SHIFT_JIS
            .encode("日本語のテキストをここに書きます。")
            .0;
        assert_eq!(guess_legacy(&ja, true, None).charset.name(), "Shift_JIS");
    }

    const FRENCH: &str = "Le cœur a ses raisons que la raison ne connaît point. Où êtes-vous \
        allés cet été ? À la fenêtre, la fillette regardait tomber la neige sur les toits de la \
        ville ; elle pensait à sa grand-mère, qui lui racontait des histoires très étranges.";

    #[test]
    fn dos_code_page_437_with_box_drawing() {
        let text = "╔══════════════════════════════╗\n\
                    ║  Menü: Größe wählen – café   ║\n\
                    ╚══════════════════════════════╝\n\
                    Drücken Sie eine Taste, um fortzufahren. Die Datei wurde gelöscht.\n";
        let text = text.replace('–', "-");
        let bytes = Charset::for_label("cp437")
            .unwrap()
            .encode_exact(&text)
            .unwrap();
        reads_back(&bytes, &text);
    }

    #[test]
    fn dos_code_page_850_french() {
        let text = FRENCH.replace('œ', "oe");
        let cs = Charset::for_label("cp850").unwrap();
        let bytes = cs.encode_exact(&text).unwrap();
        reads_back(&bytes, &text);
    }

    #[test]
    fn koi8_r_russian() {
        let text = "Съешь же ещё этих мягких французских булок, да выпей чаю. В лесу родилась \
            ёлочка, в лесу она росла. Зимой и летом стройная, зелёная была.";
        // KOI8-U differs from KOI8-R only in Ukrainian letters: either reads Russian right.
        let bytes = encoding_rs::KOI8_R.encode(text).0;
        let g = reads_back(&bytes, text);
        assert!(g.charset.name().starts_with("KOI8"));
    }

    #[test]
    fn mac_roman_french() {
        let cs = Charset::for_label("macintosh").unwrap();
        let bytes = cs.encode_exact(FRENCH).unwrap();
        reads_back(&bytes, FRENCH);
    }

    #[test]
    fn iso_8859_7_greek() {
        // No byte of this text differs between ISO-8859-7 and windows-1253 except ά (0xB6 / 0xA2).
        let text = "Η Ελλάδα είναι χώρα της νοτιοανατολικής Ευρώπης. Άλλοι λένε ότι η αρχαία \
            ελληνική γλώσσα είναι η μητέρα πολλών λέξεων.";
        let cs = Charset::for_label("iso-8859-7").unwrap();
        let bytes = cs.encode_exact(text).unwrap();
        reads_back(&bytes, text);
    }

    #[test]
    fn ebcdic_037_is_recognised() {
        let text = "Dear customer, your account statement for March is ready. Thank you for \
            banking with us! Questions? Call the branch office between nine and five.";
        let bytes = Charset::for_label("cp037")
            .unwrap()
            .encode_exact(text)
            .unwrap();
        assert!(looks_ebcdic(&bytes));
        reads_back(&bytes, text);
    }

    #[test]
    fn central_asian_cyrillic_and_mac_central_european() {
        let pl = "Zażółć gęślą jaźń. Wszystkie ludzkie istoty rodzą się wolne i równe pod \
            względem swej godności i swych praw. Są one obdarzone rozumem i sumieniem.";
        let cs = Charset::for_label("x-mac-ce").unwrap();
        let bytes = cs.encode_exact(pl).unwrap();
        reads_back(&bytes, pl);
    }

    #[test]
    fn latin_text_is_not_read_as_cyrillic_for_a_few_accents() {
        let it = "Home » È missione » Storia. Il fabbro di Dio era «conosciuto da tutti», \
            perché in missione è rimasto sette anni, come «fabbro di Dio».";
        let bytes = encoding_rs::WINDOWS_1252.encode(it).0;
        reads_back(&bytes, it);
    }

    /// Single-byte text in `label` is guessed as a charset that decodes it to `text`.
    fn assert_guessed(text: &str, label: &str) {
        let bytes = Charset::for_label(label)
            .unwrap()
            .encode_exact(text)
            .unwrap();
        reads_back(&bytes, text);
    }

    #[test]
    fn a_few_symbols_in_english_stay_western() {
        // `»` is the Arabic semicolon in ISO-8859-6; `£` is `Ż` in cp775.
        assert_guessed(
            "Home » News » Black Sea & Blue Economy\nThe conference on the blue economy of \
             the Black Sea region opens on Monday.\n",
            "windows-1252",
        );
        assert_guessed(
            "if the home side win I stand to lift £825, not bad for a £2 bet.\n",
            "iso-8859-1",
        );
    }

    #[test]
    fn rare_french_letters_are_not_a_mac_reading() {
        // `ï ë ü œ ÿ` are rare in the French training text; read as Mac Central European they
        // give "naÔve" or "canoŽ", upper-case letters inside words.
        assert_guessed(
            "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë au delà \
             des îles.\n« Voilà », dit-il — ça coûte 5 € !\n",
            "windows-1252",
        );
    }

    #[test]
    fn the_ascii_text_picks_the_language() {
        // Welsh: `ï` and `â` are Welsh letters; read as windows-1250 or windows-1257 they become
        // `ď` or `ļ`, which the ASCII text around them (Welsh, not Czech or Latvian) rules out.
        assert_guessed(
            "Mae'r rhaglen yn cynnwys deiet isel mewn calorïau ac yn aros gyda rhaglen \
             ymarfer corff, yn ogystal â chymryd y tabledi. Mae'r cynhwysyn yn llosgi \
             calorïau ac yn gwella'r metaboledd.\n",
            "windows-1252",
        );
    }

    #[test]
    fn utf16_without_bom_and_iso_2022_jp() {
        let zh = "中文网页的内容通常是这样写的，我们需要正确识别它。\n第二行。";
        let le: Vec<u8> = zh.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = zh.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(utf16_without_bom(&le).unwrap().name(), "UTF-16LE");
        assert_eq!(utf16_without_bom(&be).unwrap().name(), "UTF-16BE");
        // Vietnamese with combining tone marks (U+0300 puts a zero in the other byte).
        let vi = "Chi\u{309} tư\u{300} 199K ha\u{300}ng ngày, ca\u{300}c ba\u{300}n đê\u{300}u co\u{301} thê\u{309} mua.";
        let le: Vec<u8> = vi.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(utf16_without_bom(&le).unwrap().name(), "UTF-16LE");
        // Binary data with NUL bytes is not text.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02X\0\0\x02X\x08\0\0\0\0\xe4\xd1\xe0\xa9";
        assert_eq!(utf16_without_bom(png), None);
        let jis = encoding_rs::ISO_2022_JP.encode("日本語のテキストです。").0;
        assert_eq!(
            escape_encoding(&jis, true).unwrap().charset.name(),
            "ISO-2022-JP"
        );
        assert_eq!(escape_encoding(b"plain ascii", true), None);
    }
}
