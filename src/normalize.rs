//! The normalize stage: Unicode normalization form, stray BOMs, C0 control characters, and
//! optionally line endings. No cosmetic changes: quotes, dashes and full-width punctuation stay.

use std::borrow::Cow;
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

/// True when `s` might not be in NFC. Characters below U+0300 and the big CJK and Hangul syllable
/// blocks are always NFC-stable starters, which makes the common case a single scan.
fn may_need_nfc(s: &str) -> bool {
    s.chars().any(|c| {
        let u = c as u32;
        !(u < 0x300 || (0x3400..=0x9FFF).contains(&u) || (0xAC00..=0xD7A3).contains(&u))
    }) && is_nfc_quick(s.chars()) != IsNormalized::Yes
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
    if opts.remove_controls && cur.bytes().any(|b| b < 0x20 && b != b'\t' && b != b'\r') {
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

#[cfg(test)]
mod tests {
    use super::*;

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
