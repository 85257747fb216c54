//! Statistical guess of a legacy (non-UTF) charset for bytes that no BOM, declaration or UTF-8
//! validity settled. chardetng (Firefox's detector) does the work for the web encodings.

use crate::charset::Charset;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};

/// A statistical guess and how far ahead of the runner-up it is, in `0.0..=1.0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guess {
    pub charset: Charset,
    pub confidence: f32,
}

/// Guesses the legacy charset of `bytes`. `complete` says whether `bytes` is the whole input
/// (rather than a prefix of it); `tld` is an optional top-level-domain hint such as `"cn"`.
///
/// chardetng exposes no scores, so the confidence is built from what the guess rests on: how
/// many non-ASCII bytes there were, and whether they decode cleanly in the guessed charset.
pub fn guess_legacy(bytes: &[u8], complete: bool, tld: Option<&str>) -> Guess {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(bytes, complete);
    let tld = tld.map(|t| t.trim_start_matches('.').to_ascii_lowercase());
    let enc = det.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny);
    let non_ascii = bytes.iter().filter(|&&b| b >= 0x80).count() as f32;
    let (_, had_errors) = enc.decode_without_bom_handling(bytes);
    let confidence = if had_errors {
        0.3
    } else {
        0.5 + 0.45 * (non_ascii / (non_ascii + 32.0))
    };
    Guess {
        charset: Charset::Web(enc),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
