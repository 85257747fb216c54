//! Scorer for the article-extraction benchmark, written from the metric text in
//! /work/shared/benchmarks/article-extraction/README.md:
//!
//! * tokens: the `\w+` matches of the text (Unicode `\w`), case-insensitive —
//!   implemented by lower-casing the text before matching;
//! * each document becomes the multiset of its 4-token shingles;
//! * per document, for every shingle: TP += min(true, pred),
//!   FP += max(0, pred - true), FN += max(0, true - pred);
//! * precision and recall per document, averaged over documents;
//!   F1 = 2PR/(P+R) of those averages.
//!
//! Edge cases the README leaves open (documented in RESULTS.md):
//! * a text with 1–3 tokens yields one shorter shingle (the whole token list),
//!   so that a very short text is not scored as empty; a text with 0 tokens
//!   yields no shingle;
//! * precision of a document with no predicted shingle is 0 (recall is 0 too,
//!   unless the truth is also empty, in which case both are 1).

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const SHINGLE: usize = 4;

fn word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The regex crate's `\w` is Unicode-aware by default.
    RE.get_or_init(|| Regex::new(r"\w+").expect("valid regex"))
}

pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    word_re()
        .find_iter(&lower)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Multiset of shingles, keyed by the tokens joined with a separator that `\w`
/// can never match (U+0001), so the key is unambiguous.
pub fn shingles(text: &str) -> HashMap<String, u32> {
    let toks = tokens(text);
    let mut out: HashMap<String, u32> = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < SHINGLE {
        *out.entry(toks.join("\u{1}")).or_default() += 1;
        return out;
    }
    for w in toks.windows(SHINGLE) {
        *out.entry(w.join("\u{1}")).or_default() += 1;
    }
    out
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DocScore {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
}

pub fn score_doc(truth: &HashMap<String, u32>, pred: &HashMap<String, u32>) -> DocScore {
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (k, &t) in truth {
        let p = pred.get(k).copied().unwrap_or(0);
        tp += t.min(p) as u64;
        fn_ += t.saturating_sub(p) as u64;
        fp += p.saturating_sub(t) as u64;
    }
    for (k, &p) in pred {
        if !truth.contains_key(k) {
            fp += p as u64;
        }
    }
    let both_empty = truth.is_empty() && pred.is_empty();
    let precision = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else if both_empty {
        1.0
    } else {
        0.0
    };
    let recall = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else if both_empty {
        1.0
    } else {
        0.0
    };
    DocScore { tp, fp, fn_, precision, recall }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Aggregate {
    pub n: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

pub fn aggregate(docs: &[DocScore]) -> Aggregate {
    let n = docs.len();
    if n == 0 {
        return Aggregate::default();
    }
    let p = docs.iter().map(|d| d.precision).sum::<f64>() / n as f64;
    let r = docs.iter().map(|d| d.recall).sum::<f64>() / n as f64;
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Aggregate { n, precision: p, recall: r, f1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, b: &str) -> DocScore {
        score_doc(&shingles(a), &shingles(b))
    }

    #[test]
    fn tokenizer_is_unicode_and_case_insensitive() {
        assert_eq!(tokens("Grüße, WORLD! naïve_x 42"), ["grüße", "world", "naïve_x", "42"]);
        assert_eq!(tokens("Привет мир"), ["привет", "мир"]);
        // a run of Han characters is one token (as the README warns)
        assert_eq!(tokens("中文文本 abc").len(), 2);
    }

    #[test]
    fn identical_is_perfect_and_empty_is_zero() {
        let t = "one two three four five six";
        let d = s(t, t);
        assert_eq!((d.precision, d.recall), (1.0, 1.0));
        let d = s(t, "");
        assert_eq!((d.precision, d.recall), (0.0, 0.0));
        assert_eq!(d.fn_, 3);
    }

    #[test]
    fn multiset_counts() {
        // truth has shingle "a a a a" twice (5 tokens), pred has it 3 times (6 tokens)
        let d = s("a a a a a", "a a a a a a");
        assert_eq!((d.tp, d.fp, d.fn_), (2, 1, 0));
    }

    #[test]
    fn partial_overlap() {
        // truth shingles: [1234, 2345]; pred shingles: [2345, 3456]
        let d = s("w1 w2 w3 w4 w5", "w2 w3 w4 w5 w6");
        assert_eq!((d.tp, d.fp, d.fn_), (1, 1, 1));
        assert_eq!((d.precision, d.recall), (0.5, 0.5));
    }

    #[test]
    fn averages_per_document() {
        let a = DocScore { precision: 1.0, recall: 0.5, ..Default::default() };
        let b = DocScore { precision: 0.5, recall: 1.0, ..Default::default() };
        let g = aggregate(&[a, b]);
        assert!((g.precision - 0.75).abs() < 1e-12);
        assert!((g.recall - 0.75).abs() < 1e-12);
        assert!((g.f1 - 0.75).abs() < 1e-12);
    }
}
