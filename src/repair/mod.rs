//! The repair stage: text that was decoded with the wrong charset (mojibake) is turned back into
//! what its author wrote. Every repair is a [`Fix`]: a span and the steps that undo the damage,
//! which `explain` shows and which can be replayed.
//!
//! How a line is repaired:
//! 1. The line is cut into runs of non-ASCII characters (mojibake of UTF-8 never contains ASCII
//!    that was not ASCII before, so runs bound every repair).
//! 2. For each run, cheap signatures decide which wrong decoders could have produced it: for the
//!    single-byte families, a character that the family makes of a UTF-8 lead byte followed by
//!    one it makes of a continuation byte; for the CJK families, rare ideographs or CJK glued to
//!    Latin letters. Clean text almost never shows either, so it costs one scan.
//! 3. Each candidate family encodes the run back to bytes exactly (`*_without_replacement`);
//!    every stretch of those bytes that is valid UTF-8 and aligned on character boundaries is a
//!    candidate repair. Candidates are **scored** with the plausibility model ([`model`]) in
//!    context, and kept only when they are clearly better. The best family for the run wins.
//! 4. Repairs are applied and the line is tried again, which undoes layered mojibake.
//! 5. A GBK or Big5 run that lost a byte reads as shifted nonsense; re-encoding it and decoding
//!    one byte later realigns it, kept when the model says so.

pub mod families;
pub mod model;

use crate::charset::Charset;
use families::{Family, DB_TABLE, DOUBLE_BYTE, SINGLE_BYTE, TABLE};
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

/// One step of a repair: the text is encoded with `encoded_as` (the decoder that was wrongly
/// applied), the first `skip` bytes are dropped (realigning a stream that lost a byte), and the
/// bytes are decoded again with `decoded_as` (the real charset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub encoded_as: Family,
    pub skip: usize,
    pub decoded_as: Charset,
}

/// A repair of one span of a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// Byte range in the line as it was before this repair's round.
    pub span: Range<usize>,
    pub original: String,
    pub replacement: String,
    pub steps: Vec<Step>,
    /// Implausibility of the span (with its neighbours) before and after; lower is better.
    pub cost_before: f32,
    pub cost_after: f32,
}

impl Fix {
    /// Re-applies the steps to `original`, to check that a plan replays.
    pub fn replay(&self) -> Option<String> {
        let mut text = self.original.clone();
        for step in &self.steps {
            let bytes = step.encoded_as.reverse(&text)?;
            let (decoded, bad) = step.decoded_as.decode(bytes.get(step.skip..)?);
            if !bad.is_empty() {
                return None;
            }
            text = decoded;
        }
        Some(text)
    }

    /// True for a realignment of a byte-shifted double-byte run.
    pub fn is_realignment(&self) -> bool {
        self.steps.iter().any(|s| s.skip > 0)
    }
}

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bytes {}..{}: {:?} → {:?}",
            self.span.start, self.span.end, self.original, self.replacement
        )?;
        for step in &self.steps {
            write!(f, "; encode as {}", step.encoded_as)?;
            if step.skip > 0 {
                write!(f, ", drop {} byte(s) to realign", step.skip)?;
            }
            write!(f, ", decode as {}", step.decoded_as.name())?;
        }
        write!(
            f,
            " (cost {:.1} → {:.1})",
            self.cost_before, self.cost_after
        )
    }
}

/// How much better (in model cost) a candidate must be to be taken.
const THRESHOLD: f32 = 3.0;
/// The same, for a family confirmed in this document.
const THRESHOLD_CONFIRMED: f32 = 1.0;
/// The same, for a family that repaired another run of the same line.
const THRESHOLD_ON_LINE: f32 = 0.3;
/// A repair this much better confirms its family for the rest of the document.
const CONFIRM: f32 = 8.0;
/// Rounds of repair per line (layered mojibake: the same mistake made up to this many times).
const ROUNDS: usize = 6;

/// The repair stage for one document. It keeps document context: once a family of mojibake is
/// confirmed in a document, shorter spans of the same family are repaired with less evidence.
#[derive(Default)]
pub struct Repairer {
    confirmed: Vec<Family>,
    /// Families repaired elsewhere on the line being worked on.
    on_line: Vec<Family>,
    /// The line being worked on is Latin-script text: a CJK character in it is out of place.
    latin_line: Option<u8>,
}

/// Extra cost of a CJK character in a Latin-script line (`non 癡 seguito`).
const CJK_IN_LATIN_LINE: f32 = 4.0;

/// When `text` is written in an alphabet (Latin, Cyrillic, Greek…) with a CJK character here
/// and there — at least 8 letters and twelve times as many as CJK characters, or one or two CJK
/// characters among at least three times as many letters — the script most letters are in.
fn is_latin_line(text: &str) -> Option<u8> {
    let (mut letters, mut cjk) = (0, 0);
    // Letters per script (Latin, Greek, Cyrillic are the scripts that matter here).
    let mut per_script = [0usize; 256];
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            letters += 1;
            per_script[0] += 1;
        } else if c >= '\u{3000}' {
            cjk += 1;
        } else if let model::Class::Letter { script, .. } = model::class(c) {
            letters += 1;
            per_script[usize::from(script)] += 1;
        }
    }
    let alphabetic =
        (letters >= 8 && cjk * 12 <= letters) || (cjk <= 2 && letters >= 3 && cjk * 3 <= letters);
    let script = (0..=255u8).max_by_key(|&s| per_script[usize::from(s)])?;
    alphabetic.then_some(script)
}

/// True when every letter of `s` is of `script` (ASCII letters are Latin, script 0).
fn letters_of_script(s: &str, script: u8) -> bool {
    s.chars().all(|c| match model::class(c) {
        model::Class::AsciiLower | model::Class::AsciiUpper => script == 0,
        model::Class::Letter { script: sc, .. } => sc == script,
        _ => true,
    })
}

/// The repairs chosen for one run: the family, the bytes skipped (realignment), the candidate
/// spans, and whether the ASCII character after the run was consumed.
struct RunRepair {
    /// Total cost saved by the candidates.
    gain: f32,
    family: Family,
    skip: usize,
    cands: Vec<Candidate>,
    consumed_after: bool,
}

/// Where a family's reverse table is.
#[derive(Clone, Copy)]
enum Which {
    Single(usize),
    Double(usize),
}

fn which(f: Family) -> Which {
    match SINGLE_BYTE.iter().position(|&g| g == f) {
        Some(i) => Which::Single(i),
        None => Which::Double(DOUBLE_BYTE.iter().position(|&g| g == f).unwrap_or(0)),
    }
}

/// A candidate repair of part of a run.
#[derive(Clone)]
struct Candidate {
    /// Byte range within the run.
    span: Range<usize>,
    replacement: String,
    cost_before: f32,
    cost_after: f32,
}

impl Repairer {
    pub fn new() -> Self {
        Repairer::default()
    }

    /// Repairs one line. Returns `None` when nothing was changed (the common case, which must be
    /// cheap), else the new text and the fixes applied, in order.
    pub fn repair_line(&mut self, line: &str) -> Option<(String, Vec<Fix>)> {
        if line.is_ascii() || !might_need_repair(line) {
            return None;
        }
        let mut text: Option<String> = None;
        let mut fixes = Vec::new();
        for round in 0..ROUNDS {
            let cur = text.as_deref().unwrap_or(line);
            // Later rounds only look for another layer, which shows the same signals.
            if round > 0 && !might_need_repair(cur) {
                break;
            }
            match self.pass(cur) {
                Some((t, f)) => {
                    fixes.extend(f);
                    text = Some(t);
                }
                None => break,
            }
        }
        text.map(|t| (t, fixes))
    }

    /// One round over the line.
    fn pass(&mut self, text: &str) -> Option<(String, Vec<Fix>)> {
        let runs: Vec<Range<usize>> = non_ascii_runs(text).collect();
        self.latin_line = is_latin_line(text);
        let context = |r: &Range<usize>| {
            let head = &text[..r.start];
            let from = head.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
            (&head[from..], text[r.end..].chars().next())
        };
        let mut options: Vec<Vec<RunRepair>> = runs
            .iter()
            .map(|r| {
                let (before, after) = context(r);
                self.options_for_run(&text[r.clone()], before, after)
            })
            .collect();
        let mut found = choose(&mut options);
        // A strong repair anywhere on the line confirms its family for the document; any
        // repair makes its family likely for the rest of the line. Runs that found nothing are
        // then tried again with the lower threshold (`пё` → `У` in a KOI8-R line, `niv氓` →
        // `nivå` next to `f盲llhanterare`).
        self.on_line.clear();
        for rr in found.iter().flatten() {
            // A realignment is not mojibake of UTF-8: it confirms nothing about the family.
            if rr.skip == 0
                && rr
                    .cands
                    .iter()
                    .any(|c| c.cost_before - c.cost_after >= CONFIRM)
                && !self.confirmed.contains(&rr.family)
            {
                self.confirmed.push(rr.family);
            }
            if rr.skip == 0 && !self.on_line.contains(&rr.family) {
                self.on_line.push(rr.family);
            }
        }
        if !self.on_line.is_empty() {
            for (r, slot) in runs.iter().zip(found.iter_mut()) {
                if slot.is_none() {
                    let (before, after) = context(r);
                    let mut opts = self.options_for_run(&text[r.clone()], before, after);
                    // Prefer the families already repaired on this line.
                    opts.sort_by_key(|o| !self.on_line.contains(&o.family));
                    *slot = opts.into_iter().next();
                }
            }
        }
        let mut out = String::new();
        let mut fixes = Vec::new();
        let mut copied = 0;
        for (run, rr) in runs.iter().zip(found) {
            let Some(rr) = rr else { continue };
            let decoded_as = match (rr.skip, rr.family) {
                (0, _) | (_, Family::Latin1) => Charset::UTF_8,
                (_, Family::Charset(c)) => c,
            };
            let run_len = run.len();
            for c in rr.cands {
                let start = run.start + c.span.start;
                let mut end = run.start + c.span.end;
                if rr.consumed_after && c.span.end == run_len {
                    end += 1; // the realignment took the ASCII byte after the run as a trail
                }
                out.push_str(&text[copied..start]);
                out.push_str(&c.replacement);
                copied = end;
                fixes.push(Fix {
                    span: start..end,
                    original: text[start..end].to_string(),
                    replacement: c.replacement,
                    steps: vec![Step {
                        encoded_as: rr.family,
                        skip: rr.skip,
                        decoded_as,
                    }],
                    cost_before: c.cost_before,
                    cost_after: c.cost_after,
                });
            }
        }
        if fixes.is_empty() {
            return None;
        }
        out.push_str(&text[copied..]);
        Some((out, fixes))
    }

    fn threshold(&self, f: Family) -> f32 {
        if self.on_line.contains(&f) {
            THRESHOLD_ON_LINE
        } else if self.confirmed.contains(&f) {
            THRESHOLD_CONFIRMED
        } else {
            THRESHOLD
        }
    }

    /// The best family's candidates for a run: (family, bytes skipped, candidates, whether the
    /// ASCII character after the run was consumed).
    /// Every family's candidate repairs for a run (families with none left out); when no
    /// family has any, a realignment if one is found.
    fn options_for_run(&self, run: &str, before: &str, after: Option<char>) -> Vec<RunRepair> {
        // In a document where a family is confirmed, it is tried first; when it explains
        // nearly all of the run with a clear gain, no other family is consulted. Mojibake-heavy
        // documents are mostly decided here.
        let run_chars = run.chars().count();
        let covered = |cands: &[Candidate]| {
            cands
                .iter()
                .map(|c| run[c.span.clone()].chars().count())
                .sum::<usize>()
        };
        // Families already judged for this run (the confirmed ones), not judged again below.
        let mut tried: Vec<(Family, f32, Vec<Candidate>)> = Vec::new();
        for &family in self.confirmed.iter() {
            let (gain, cands) = self.candidates(run, before, after, family, which(family));
            tried.push((family, gain, cands.clone()));
            if gain >= THRESHOLD && covered(&cands) * 5 >= run_chars * 4 {
                return vec![RunRepair {
                    gain,
                    family,
                    skip: 0,
                    cands,
                    consumed_after: false,
                }];
            }
        }
        let mut out = Vec::new();
        let mut consider = |gain: f32, family: Family, cands: Vec<Candidate>| {
            if !cands.is_empty() {
                out.push(RunRepair {
                    gain,
                    family,
                    skip: 0,
                    cands,
                    consumed_after: false,
                });
            }
        };
        let mask = single_byte_mask(run);
        if mask != 0 {
            // Families that map this run to the same bytes give the same candidates (windows-1252
            // and ISO-8859-1 outside 80–9F, windows-1250 and ISO-8859-2 on most letters): judge
            // each byte string once, under the first (most common) family that makes it.
            // The duplicate still counts for its family's total over the line.
            let mut seen: Vec<(Vec<u8>, f32, f32, Vec<Candidate>)> = Vec::new();
            for (i, &fam) in SINGLE_BYTE.iter().enumerate() {
                if mask & (1 << i) == 0 {
                    continue;
                }
                let sig: Vec<u8> = run
                    .chars()
                    .map(|c| TABLE.get(c).map_or(0, |e| e.bytes[i]))
                    .collect();
                let threshold = self.threshold(fam);
                if let Some((_, _, gain, cands)) = seen
                    .iter()
                    .find(|(s, t, _, _)| *s == sig && *t == threshold)
                {
                    consider(*gain, fam, cands.clone());
                    continue;
                }
                let (gain, cands) = match tried.iter().find(|t| t.0 == fam) {
                    Some((_, g, c)) => (*g, c.clone()),
                    None => self.candidates(run, before, after, fam, Which::Single(i)),
                };
                seen.push((sig, threshold, gain, cands.clone()));
                consider(gain, fam, cands);
            }
        }
        let cjk_suspect = cjk_suspicious(run, before.chars().next_back(), after)
            || (self.latin_line.is_some() && run.chars().any(|c| c >= '\u{3000}'));
        for (i, &fam) in DOUBLE_BYTE.iter().enumerate() {
            // Document context alone does not open a run of plain CJK to a double-byte family
            // (a GBK repair on one line must not touch clean Chinese on the next): the run must
            // look suspicious, or the family must have repaired something on this very line.
            if cjk_suspect || self.on_line.contains(&fam) {
                let (gain, cands) = match tried.iter().find(|t| t.0 == fam) {
                    Some((_, g, c)) => (*g, c.clone()),
                    None => self.candidates(run, before, after, fam, Which::Double(i)),
                };
                // A family that explains (nearly) the whole run with a confirming gain is not
                // going to be beaten by another double-byte family: stop there.
                // (Short runs, where two families can both look good, are judged by all.)
                let decisive = gain >= 2.0 * CONFIRM && covered(&cands) * 5 >= run_chars * 4;
                consider(gain, fam, cands);
                if decisive {
                    break;
                }
            }
        }
        if out.is_empty() && cjk_suspect {
            out.extend(realign(run, before, after));
        }
        out
    }

    /// All candidate repairs of `run` under family `fam` that pass the threshold, with the total
    /// gain. `which` locates the family in its reverse table.
    fn candidates(
        &self,
        run: &str,
        before: &str,
        after: Option<char>,
        fam: Family,
        which: Which,
    ) -> (f32, Vec<Candidate>) {
        // Bytes of each character under the family: its range in `bytes`, `None` when the
        // family cannot produce the character.
        let chars: Vec<(usize, char)> = run.char_indices().collect();
        let mut bytes: Vec<u8> = Vec::with_capacity(run.len());
        let mut spans: Vec<Option<(usize, usize)>> = Vec::with_capacity(chars.len());
        let mut buf = [0u8; 4];
        for &(_, c) in &chars {
            let encoded: Option<&[u8]> = match which {
                Which::Single(i) => TABLE.get(c).and_then(|e| {
                    let b = e.bytes[i];
                    (b != 0).then(|| {
                        buf[0] = b;
                        &buf[..1]
                    })
                }),
                Which::Double(i) => DB_TABLE.bytes(i, c),
            };
            spans.push(encoded.map(|b| {
                let start = bytes.len();
                bytes.extend_from_slice(b);
                (start, bytes.len())
            }));
        }
        let threshold = self.threshold(fam);
        let mut total = 0.0;
        let mut out = Vec::new();
        // Judges replacing characters `i..end` (bytes `first..byte_end`).
        let evaluate = |i: usize, end: usize, first: usize, byte_end: usize| -> Option<Candidate> {
            let from = chars[i].0;
            let to = chars.get(end).map_or(run.len(), |&(o, _)| o);
            let replacement = std::str::from_utf8(&bytes[first..byte_end])
                .ok()?
                .to_string();
            let ctx_before = if i == 0 {
                before
            } else {
                &run[chars[i.saturating_sub(2)].0..from]
            };
            let ctx_after = if end == chars.len() {
                after
            } else {
                Some(chars[end].1)
            };
            let orig = &run[from..to];
            let mut cost_before = model::cost(ctx_before, orig, ctx_after);
            let mut cost_after = model::cost(ctx_before, &replacement, ctx_after);
            // In a line written in an alphabet, every CJK character is out of place, before
            // and after (a layer of layered mojibake may keep some).
            let alphabet_line = self
                .latin_line
                .filter(|&sc| letters_of_script(&replacement, sc));
            if alphabet_line.is_some() && matches!(which, Which::Double(_)) {
                let cjk = |s: &str| s.chars().filter(|&c| c >= '\u{3000}').count() as f32;
                cost_before += CJK_IN_LATIN_LINE * cjk(orig);
                cost_after += CJK_IN_LATIN_LINE * cjk(&replacement);
            }
            let lossy_trace = is_lossy_trace(&replacement, fam);
            let acceptable = lossy_trace
                || (no_new_bad_characters(orig, &replacement)
                    && replacement.chars().next().map(model::class) != Some(model::Class::Mark)
                    // A double-byte family turns an ASCII byte that followed an odd number of
                    // UTF-8 bytes into the trail of its last character (`名称]` read as
                    // `鍚嶇О峕`); the repair gives it back. Control characters never come
                    // back that way.
                    && (matches!(which, Which::Single(_))
                        || !replacement.bytes().any(|b| b < 0x20)));
            (acceptable && (cost_before - cost_after >= threshold || lossy_trace)).then_some(
                Candidate {
                    span: from..to,
                    replacement,
                    cost_before,
                    cost_after,
                },
            )
        };
        let mut i = 0;
        let mut units: Vec<(usize, usize, bool)> = Vec::new();
        while i < chars.len() {
            let Some((first, _)) = spans[i] else {
                i += 1;
                continue;
            };
            // Greedy: the longest stretch of whole characters from i whose bytes are UTF-8 with
            // at least one multi-byte sequence. `units` collects the places where a character
            // and a UTF-8 sequence end together, with whether a multi-byte sequence came since
            // the previous one.
            let mut p = first;
            let mut best_end: Option<(usize, usize)> = None;
            let mut multi = false;
            let mut unit_multi = false;
            units.clear();
            for (j, span) in spans.iter().enumerate().skip(i) {
                let Some((_, char_end)) = *span else { break };
                while p < char_end {
                    match utf8_len(&bytes[p..]) {
                        Some(n) => {
                            multi |= n > 1;
                            unit_multi |= n > 1;
                            p += n;
                        }
                        None => break,
                    }
                }
                if p < char_end {
                    break;
                }
                if p == char_end {
                    units.push((j + 1, char_end, unit_multi));
                    unit_multi = false;
                    if multi {
                        best_end = Some((j + 1, char_end));
                    }
                }
            }
            let Some((end, byte_end)) = best_end else {
                i += 1;
                continue;
            };
            if let Some(c) = evaluate(i, end, first, byte_end) {
                total += c.cost_before - c.cost_after;
                out.push(c);
            } else {
                // The whole stretch is not convincing (say it holds a C1 control that a
                // further round would turn into a letter): judge its pieces one by one.
                let (mut at, mut at_byte) = (i, first);
                for &(k, k_byte, has_multi) in units.iter().take_while(|&&(k, _, _)| k <= end) {
                    if has_multi {
                        if let Some(c) = evaluate(at, k, at_byte, k_byte) {
                            total += c.cost_before - c.cost_after;
                            out.push(c);
                        }
                    }
                    (at, at_byte) = (k, k_byte);
                }
            }
            i = end;
        }
        (total, out)
    }
}

/// True when `replacement` brings no new "bad" characters: never U+FFFD, and no more C1
/// controls, private-use characters or non-characters than `orig` had (a layer of layered
/// mojibake may still hold some, which the next round removes).
fn no_new_bad_characters(orig: &str, replacement: &str) -> bool {
    let bad = |s: &str| {
        s.chars()
            .filter(|&c| model::class(c) == model::Class::Bad || model::is_implausible(c))
            .count()
    };
    !replacement.contains('\u{FFFD}') && bad(replacement) <= bad(orig)
}

/// `锟斤拷` and friends: U+FFFD written as UTF-8 and read as GBK. The repair restores the
/// replacement characters, which the lossy-information report then flags.
fn is_lossy_trace(replacement: &str, fam: Family) -> bool {
    !fam.is_single_byte()
        && replacement.chars().count() >= 2
        && replacement.chars().all(|c| c == '\u{FFFD}')
}

/// Length of the valid UTF-8 character at the start of `b`, if there is one.
fn utf8_len(b: &[u8]) -> Option<usize> {
    let first = *b.first()?;
    let n = match first {
        0x00..=0x7F => return Some(1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let s = b.get(..n)?;
    std::str::from_utf8(s).ok().map(|_| n)
}

/// Picks one repair per run. A line damaged once was damaged by one wrong decoder, so the family
/// with the largest total gain over the line wins every run it has a candidate for (this keeps
/// windows-1250 from taking runs of an ISO-8859-2 line where both give valid UTF-8); other runs
/// take their own best.
fn choose(options: &mut [Vec<RunRepair>]) -> Vec<Option<RunRepair>> {
    let mut totals: Vec<(Family, f32)> = Vec::new();
    for o in options.iter().flatten() {
        match totals.iter_mut().find(|(f, _)| *f == o.family) {
            Some((_, g)) => *g += o.gain,
            None => totals.push((o.family, o.gain)),
        }
    }
    let total = |f: Family| {
        totals
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0.0, |&(_, g)| g)
    };
    options
        .iter_mut()
        .map(|opts| {
            let best = opts
                .iter()
                .enumerate()
                .max_by(|(ia, a), (ib, b)| {
                    total(a.family)
                        .total_cmp(&total(b.family))
                        .then(a.gain.total_cmp(&b.gain))
                        // Earlier (more common) families win ties.
                        .then(ib.cmp(ia))
                })
                .map(|(i, _)| i)?;
            Some(opts.swap_remove(best))
        })
        .collect()
}

/// Byte ranges of the maximal runs of non-ASCII characters.
fn non_ascii_runs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && b[i] < 0x80 {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i] >= 0x80 {
            i += 1;
        }
        Some(start..i)
    })
}

/// Bit mask of single-byte families that could have produced the run from UTF-8: somewhere a
/// character the family makes of a lead byte is followed by one it makes of a continuation byte.
fn single_byte_mask(run: &str) -> u16 {
    let mut mask = 0u16;
    let mut prev_lead = 0u16;
    for c in run.chars() {
        let (lead, cont) = TABLE.masks(c);
        mask |= prev_lead & cont;
        prev_lead = lead;
    }
    mask
}

/// One fused scan of a line that says whether any run of it could be repaired: a superset of
/// the conditions [`Repairer::options_for_run`] tries candidates under. Clean text takes only
/// this scan.
pub fn might_need_repair(line: &str) -> bool {
    let table = &*PRESCAN;
    let mut prev_lead = 0u32;
    // The previous character: an ASCII letter, a CJK letter (with the character), or other.
    let mut prev_ascii_letter = false;
    let mut prev_cjk: Option<char> = None;
    let (mut letters, mut cjk) = (0usize, 0usize);
    let (mut pairs, mut unseen) = (0usize, 0usize);
    for c in line.chars() {
        let u = c as u32;
        if u < 0x80 {
            prev_lead = 0;
            let letter = c.is_ascii_alphabetic();
            // An ideograph glued to a Latin letter (`Caf茅`).
            if letter && prev_cjk.is_some() {
                return true;
            }
            letters += usize::from(letter);
            prev_ascii_letter = letter;
            prev_cjk = None;
            continue;
        }
        let e = match table.get(u as usize) {
            Some(&e) => e,
            None => prescan_entry(c),
        };
        if e & PS_SUSPECT != 0 || prev_lead & (e >> PS_CONT_SHIFT) & PS_MASK != 0 {
            return true;
        }
        prev_lead = e & PS_MASK;
        letters += usize::from(e & PS_LETTER != 0);
        cjk += usize::from(e & PS_CJK != 0);
        if e & PS_CJK_LETTER != 0 {
            if prev_ascii_letter {
                return true;
            }
            if let Some(p) = prev_cjk {
                pairs += 1;
                unseen += usize::from(!model::cjk_pair_maybe_seen(p, c));
            }
            prev_cjk = Some(c);
        } else {
            prev_cjk = None;
        }
        prev_ascii_letter = false;
    }
    (unseen >= 2 && unseen * 4 >= pairs * 3)
        || (cjk > 0
            && ((letters >= 8 && cjk * 12 <= letters)
                || (cjk <= 2 && letters >= 3 && cjk * 3 <= letters)))
}

/// Pre-scan facts of one character, packed: bits 0–10 the single-byte families it is a UTF-8
/// lead byte of, bits 11–21 those it is a continuation byte of, then flags.
const PS_MASK: u32 = (1 << 11) - 1;
const PS_CONT_SHIFT: u32 = 11;
/// A letter of an alphabet (not CJK).
const PS_LETTER: u32 = 1 << 22;
/// Suspicious by itself: C1 control, private use, rare ideograph or hangul, half-width kana,
/// or a full-width form that a single-byte family produces.
const PS_SUSPECT: u32 = 1 << 23;
/// An ideograph, kana or hangul syllable.
const PS_CJK_LETTER: u32 = 1 << 24;
/// At or above U+3000 (counted against the letters of an alphabetic line).
const PS_CJK: u32 = 1 << 25;

fn prescan_entry(c: char) -> u32 {
    assert!(SINGLE_BYTE.len() <= 11, "the pre-scan packs 11 family bits");
    let (lead, cont) = TABLE.masks(c);
    let mut e = u32::from(lead) | (u32::from(cont) << PS_CONT_SHIFT);
    let u = c as u32;
    let k = model::class(c);
    if u >= 0x3000 {
        e |= PS_CJK;
        if model::is_suspect(k) || lead | cont != 0 {
            e |= PS_SUSPECT;
        }
        if model::is_cjk_letter(k) {
            e |= PS_CJK_LETTER;
        }
    } else {
        if k == model::Class::Bad {
            e |= PS_SUSPECT;
        }
        if matches!(k, model::Class::Letter { .. }) {
            e |= PS_LETTER;
        }
    }
    e
}

/// [`prescan_entry`] for every BMP character, computed once.
static PRESCAN: LazyLock<Vec<u32>> = LazyLock::new(|| {
    (0..0x10000u32)
        .map(|u| char::from_u32(u).map_or(PS_SUSPECT, prescan_entry))
        .collect()
});

/// True when a run may be CJK mojibake: rare ideographs or hangul, half-width katakana, C1
/// controls or private use; ideographs glued to Latin letters (`Caf茅`); or a run of common
/// characters most of whose neighbouring pairs never occur in real text (`紊沿乾`).
fn cjk_suspicious(run: &str, before: Option<char>, after: Option<char>) -> bool {
    use model::Class::*;
    let mut rare = 0;
    let mut cjk = 0;
    let (mut pairs, mut unseen) = (0, 0);
    let mut prev: Option<(char, model::Class)> = None;
    for c in run.chars() {
        let k = model::class(c);
        if model::is_suspect(k) {
            rare += 1;
        } else if matches!(k, CjkCommon | HangulCommon | Kana) {
            cjk += 1;
        }
        if let Some((pc, pk)) = prev {
            if model::is_cjk_letter(pk) && model::is_cjk_letter(k) {
                pairs += 1;
                unseen += usize::from(!model::cjk_pair_maybe_seen(pc, c));
            }
        }
        prev = Some((c, k));
    }
    if rare > 0 || (unseen >= 2 && unseen * 4 >= pairs * 3) {
        return true;
    }
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    cjk > 0 && cjk <= 3 && (latin(before) || latin(after))
}

/// Realigns a GBK or Big5 run that is shifted by one byte.
fn realign(run: &str, before: &str, after: Option<char>) -> Option<RunRepair> {
    let n = run.chars().count();
    // A shifted run is long, and made of real characters: private-use or C1 characters mean
    // another kind of damage, which realigning would only hide.
    if n < 6 || run.chars().any(|c| model::class(c) == model::Class::Bad) {
        return None;
    }
    let cost_before = model::cost(before, run, after);
    for &fam in DOUBLE_BYTE.iter().take(2) {
        let Some(bytes) = fam.reverse(run) else {
            continue;
        };
        let mut consumed_after = false;
        let mut decoded = fam.decode_exact(&bytes[1..]);
        if decoded.is_none() {
            if let Some(a) = after.filter(|a| ('\x40'..='\x7e').contains(a)) {
                let mut b = bytes[1..].to_vec();
                b.push(a as u8);
                decoded = fam.decode_exact(&b);
                consumed_after = decoded.is_some();
            }
        }
        let Some(replacement) = decoded else { continue };
        let after_ctx = if consumed_after { None } else { after };
        let cost_after = model::cost(before, &replacement, after_ctx);
        let needed = (8.0f32).max(0.8 * n as f32);
        if cost_before - cost_after >= needed {
            return Some(RunRepair {
                gain: cost_before - cost_after,
                family: fam,
                skip: 1,
                cands: vec![Candidate {
                    span: 0..run.len(),
                    replacement,
                    cost_before,
                    cost_after,
                }],
                consumed_after,
            });
        }
    }
    None
}

/// What kind of lost information a span shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossKind {
    /// U+FFFD: a decoder met bytes it could not read.
    Replacement,
    /// `?` standing for characters inside CJK text: an encoder could not write them.
    QuestionMarks,
}

/// Spans of `text` where information is already lost; these are reported, never guessed.
pub fn lossy_spans(text: &str) -> Vec<(Range<usize>, LossKind)> {
    let mut out = Vec::new();
    if text.is_ascii() {
        return out;
    }
    let b = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c == '\u{FFFD}' {
            out.push((i..i + 3, LossKind::Replacement));
        }
    }
    let is_cjk = |c: Option<char>| c.is_some_and(|c| model::is_cjk_letter(model::class(c)));
    // A `?` standing alone between spaces in CJK text, which puts no spaces around its own
    // punctuation: `硬科技星球 ? 來源`, `11:40 ? 次閱讀`. A `?` glued to the text before it is a
    // real question mark (`打開嗎?`, `怎么一回事?`, `窗口??`) and is left out.
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'?' {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i] == b'?' {
            i += 1;
        }
        let spaced_before = start == 0 || b[start - 1] == b' ';
        let spaced_after = i == b.len() || b[i] == b' ';
        if !(spaced_before && spaced_after) {
            continue;
        }
        let before = text[..start].trim_end_matches(' ').chars().next_back();
        let after = text[i..].trim_start_matches(' ').chars().next();
        let near = |c: Option<char>| is_cjk(c) || c.is_some_and(|c| c.is_ascii_digit());
        if (is_cjk(before) || is_cjk(after)) && near(before) && near(after) {
            out.push((start..i, LossKind::QuestionMarks));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        let mut r = Repairer::new();
        r.repair_line(s).map_or(s.to_string(), |(t, _)| t)
    }

    #[test]
    fn latin_mojibake_is_repaired() {
        assert_eq!(fix("CafÃ© au lait"), "Café au lait");
        assert_eq!(fix("Itâ€™s â€œfineâ€\u{9d}"), "It’s “fine”");
        assert_eq!(fix("25Â°C"), "25°C");
    }

    #[test]
    fn cyrillic_read_as_cp1252_is_repaired() {
        assert_eq!(fix("ÐŸÑ€Ð¸Ð²ÐµÑ‚, Ð¼Ð¸Ñ€"), "Привет, мир");
    }

    #[test]
    fn utf8_read_as_gbk_is_repaired() {
        assert_eq!(fix("鍚屽睘鍏舵棗"), "同属其旗");
        assert_eq!(fix("Caf茅"), "Café");
    }

    #[test]
    fn layered_mojibake_is_repaired() {
        assert_eq!(fix("CafÃƒÂ©"), "Café");
    }

    #[test]
    fn shifted_gbk_run_from_the_sample_is_realigned() {
        assert_eq!(
            fix("收購?瑢倨淦煜碌娜斯ぶ悄芷髽I(yè)xAI"),
            "收購?屬其旗下的人工智能企業(yè)xAI"
        );
    }

    #[test]
    fn lossy_trace_becomes_replacement_characters() {
        assert_eq!(fix("锟斤拷锟斤拷"), "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}");
        let spans = lossy_spans("硬科技星球 ? 來源 and �");
        assert_eq!(spans.len(), 2);
    }

    #[test]
    fn clean_text_is_left_alone() {
        for s in [
            "Café, naïve, Ångström, São Paulo, Łódź",
            "Привет, мир",
            "中文内容测试，这是一段文字。",
            "繁體中文的內容們",
            "日本語のテキストです。",
            "한국어 텍스트입니다",
            "Ελληνικά κείμενα",
            "© 2024 — “quoted” «guillemets» 25 °C ± 3",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn fixes_replay() {
        let mut r = Repairer::new();
        let (_, fixes) = r.repair_line("CafÃ© and 鍚屽睘鍏舵棗").unwrap();
        for f in fixes {
            assert_eq!(f.replay().as_deref(), Some(f.replacement.as_str()), "{f}");
        }
    }
}
