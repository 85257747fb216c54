//! Line-level post-processing of extracted plain text, to drop residual
//! boilerplate the extractors keep (bylines, photo credits, "Related:" teasers,
//! share/subscribe prompts, stray markup from <noscript>, list-of-links lines).
//!
//! Only useful on outputs that keep one block per line (dom_smoothie
//! Formatted, libreadability, rs-trafilatura, trafilatura content_html rendered
//! with html2text); the trafilatura crate's `content_text` is a single line.

use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// drop lines of at most this many `\w+` tokens that do not end like a
    /// sentence (0 = off)
    pub short_max_tokens: usize,
    /// drop lines matching the boilerplate phrase list
    pub phrases: bool,
    /// strip leftover HTML tags (e.g. from <noscript>, which html5ever keeps
    /// as raw text) out of lines
    pub markup: bool,
}

impl Rules {
    pub const NONE: Rules = Rules { short_max_tokens: 0, phrases: false, markup: false };
    /// the configuration chosen by `post-sweep` (see RESULTS.md)
    pub const DEFAULT: Rules = Rules { short_max_tokens: 0, phrases: true, markup: true };
}

fn word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\w+").unwrap())
}

fn phrase_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?xi)^[\s\*\#\-–—•|>]*(?:
              advertisement | advertising | sponsored(\s+content)?
            | (related|recommended|more|top|latest|popular)(\s+(stories|articles|news|posts|reading|videos?|coverage|content))?\s*[:|]?\s*$
            | (related|read\s+more|see\s+also|more)\s*:.*
            | read\s+more\b.* | you\s+(may|might)\s+also\s+like.* | (also\s+)?read\s+also\b.*
            | (share|tweet|email|print|save)(\s+(this|on|via)\b.*)?\s*$
            | (share\s+this\s+(article|story|page)).*
            | (follow|like)\s+us\b.* | (sign\s+up|subscribe)\b.* | click\s+here\b.*
            | (image|photo|slide|picture)\s+\d+\s+(of|/)\s+\d+.*
            | (photo|image|picture|credit|source)s?\s*(:|\.\.\.|…).*
            | (©|\(c\)|copyright\b).*
            | (tags?|topics?|filed\s+under|categories)\s*:.*
            | (tags|topics|comments?|leave\s+a\s+(comment|reply)|post\s+a\s+comment)\s*$
            | view\s+(author\s+archive|comments|gallery).*
            | (by|written\s+by)\s+[\w.'\-]+(\s+[\w.'\-]+){0,3}\s*$
            | (updated|published|posted)(\s+on)?\s*:?\s*\w{3,9}\.?\s+\d.*
            | [\w.+\-]+@[\w\-]+(\.[\w\-]+)+\s*$
            | \d+\s*$
            )",
        )
        .unwrap()
    })
}

fn markup_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)</?(img|iframe|a|div|span|script|style|link|meta|noscript|p|br)\b[^<>]*>"#).unwrap())
}

fn ends_like_sentence(line: &str) -> bool {
    matches!(
        line.trim_end().chars().last(),
        Some('.' | '!' | '?' | '…' | '"' | '”' | '»' | '\'' | '’' | ':' | ';' | ')' | '。' | '！' | '？')
    )
}

pub fn clean_with(text: &str, rules: Rules) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let stripped;
        let line = if rules.markup && line.contains('<') {
            stripped = markup_re().replace_all(line, " ");
            if stripped.trim().is_empty() && !line.trim().is_empty() {
                continue;
            }
            &*stripped
        } else {
            line
        };
        let t = line.trim();
        let drop = !t.is_empty()
            && ((rules.phrases && phrase_re().is_match(t))
                || (rules.short_max_tokens > 0
                    && !ends_like_sentence(t)
                    && word_re().find_iter(t).count() <= rules.short_max_tokens));
        if !drop {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

pub fn clean(text: &str) -> String {
    clean_with(text, Rules::DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_cruft_keeps_prose() {
        let t = "Related: The 15 Weirdest Galaxies\nThe probe reached orbit on Monday.\nImage 3 of 5\n\
                 Credit...Doug Mills/The New York Times\n<img src=\"x\" width=\"1\">\nAdvertisement\n\
                 By Jane Doe\nShe said the results were clear.\n";
        let c = clean(t);
        assert_eq!(c, "The probe reached orbit on Monday.\nShe said the results were clear.\n");
    }

    #[test]
    fn short_rule_is_optional() {
        let t = "Keyboard\nIt has a good keyboard.\n";
        assert_eq!(clean_with(t, Rules::NONE), t);
        let r = Rules { short_max_tokens: 3, ..Rules::NONE };
        assert_eq!(clean_with(t, r), "It has a good keyboard.\n");
    }
}
