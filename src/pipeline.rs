//! The pipeline that ties the stages together: bytes → decode → repair → normalize → UTF-8.
//!
//! [`Fixer`] is the streaming form (push chunks, get output bytes); [`fix_bytes`] and [`fix_str`]
//! are the one-shot forms. Work is done line by line, which is what makes the output independent
//! of how the input is chunked and keeps memory bounded.
//!
//! Clean text takes a fast path: a UTF-8 document reaches the line stage in blocks of whole,
//! validated lines ([`Block`]), in which only the lines that normalizing may change (found by
//! [`normalize::ChangeFinder`]) and the non-ASCII lines the repair stage must see are handled one
//! by one; the other lines are copied to the output in runs. The result is the same as taking
//! every line by itself (a unit test checks it).

use crate::charset::Charset;
use crate::decode::{Block, DecodeOptions, Detection, Line, LineDecoder, LineSink};
use crate::normalize::{self, line_ending, normalize_line, Newlines, NormalizeOptions};
use crate::repair::{lossy_spans, Fix, LossKind, Repairer};
use std::borrow::Cow;

/// Options of the whole pipeline.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub decode: DecodeOptions,
    pub normalize: NormalizeOptions,
    /// Run the repair stage (on by default through [`Options::new`]).
    pub repair: bool,
    /// Process input with NUL bytes that is not UTF-16/32 instead of refusing it.
    pub allow_binary: bool,
}

impl Options {
    pub fn new() -> Self {
        Options {
            repair: true,
            ..Default::default()
        }
    }
}

/// Something the pipeline did or found on one line.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The line was not valid in the document's charset and was decoded with another one.
    DecodedAs(Charset),
    /// Bytes invalid in the charset used; replaced by U+FFFD. Offsets are within the input.
    Malformed {
        start: u64,
        end: u64,
        bytes: Vec<u8>,
    },
    /// A mojibake repair.
    Repaired(Fix),
    /// A byte order mark inside the text was removed.
    BomRemoved,
    /// C0 control characters removed (count).
    ControlsRemoved(usize),
    /// The normalization form changed the line.
    Normalized,
    /// Information already lost in the input: U+FFFD, or `?` standing for characters an
    /// encoder could not write. Reported, never guessed. `start..end` are byte offsets in the
    /// line after repair.
    Lossy {
        start: usize,
        end: usize,
        kind: LossKind,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::DecodedAs(cs) => write!(
                f,
                "decoded as {} (not valid in the document's charset)",
                cs.name()
            ),
            Change::Malformed { start, end, bytes } => {
                write!(f, "undecodable bytes at offset {start}..{end}")?;
                if !bytes.is_empty() {
                    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
                    write!(f, " [{}]", hex.join(" "))?;
                }
                write!(f, " replaced by U+FFFD")
            }
            Change::Repaired(fix) => write!(f, "repaired {fix}"),
            Change::BomRemoved => write!(f, "byte order mark removed"),
            Change::ControlsRemoved(n) => write!(f, "{n} control character(s) removed"),
            Change::Normalized => write!(f, "normalized (Unicode normalization form)"),
            Change::Lossy { start, end, kind } => match kind {
                LossKind::Replacement => write!(
                    f,
                    "information lost before mojifix: U+FFFD at bytes {start}..{end}"
                ),
                LossKind::QuestionMarks => write!(
                    f,
                    "information lost before mojifix: `?` for unwritable characters at bytes \
                     {start}..{end}"
                ),
            },
        }
    }
}

/// A change with its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's start in the input (0 where not known, as for JSON fields).
    pub offset: u64,
    pub change: Change,
}

/// How many events a report keeps in detail; the counts are always complete.
pub const MAX_EVENTS: usize = 10_000;

/// What the pipeline did to one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub detection: Option<Detection>,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub lines: u64,
    pub lines_changed: u64,
    pub malformed: u64,
    pub repairs: u64,
    /// Places where information was already lost (U+FFFD, `?` in CJK text).
    pub lossy: u64,
    pub events: Vec<Event>,
    /// Events not kept because there were more than [`MAX_EVENTS`].
    pub events_dropped: u64,
}

impl Report {
    /// True when information was found lost in the input (undecodable bytes): what `fix`
    /// reports with a non-zero exit status.
    pub fn has_problems(&self) -> bool {
        self.malformed > 0
    }

    /// True when the input was refused as binary.
    pub fn is_binary(&self) -> bool {
        self.detection.as_ref().is_some_and(Detection::is_binary)
    }

    fn push(&mut self, e: Event) {
        if self.events.len() < MAX_EVENTS {
            self.events.push(e);
        } else {
            self.events_dropped += 1;
        }
    }
}

/// Per-line work after decoding: repair and normalize.
struct LineStage {
    repairer: Option<Repairer>,
    normalize: NormalizeOptions,
    report: Report,
    /// The previous piece ended a line (pieces of cut lines do not).
    at_line_start: bool,
    primary: Option<Charset>,
}

impl LineStage {
    fn new(opts: &Options) -> Self {
        LineStage {
            repairer: opts.repair.then(Repairer::new),
            normalize: opts.normalize.clone(),
            report: Report::default(),
            at_line_start: true,
            primary: None,
        }
    }

    /// Repairs and normalizes one decoded line, appending it to `out`.
    fn process(&mut self, l: &Line<'_>, out: &mut Vec<u8>) {
        let Line {
            text,
            ending,
            number,
            offset,
            charset,
            malformed,
            raw,
        } = *l;
        let mut changed = false;
        if ending.is_empty() || self.at_line_start {
            self.report.lines += 1;
        }
        if let Some(primary) = self.primary {
            if charset != primary {
                changed = true;
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::DecodedAs(charset),
                });
            }
        }
        for m in malformed {
            self.report.malformed += 1;
            changed = true;
            let bytes = raw
                .get(m.start..m.end)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            self.report.push(Event {
                line: number,
                offset,
                change: Change::Malformed {
                    start: offset + m.start as u64,
                    end: offset + m.end as u64,
                    bytes,
                },
            });
        }
        let repaired = self.repairer.as_mut().and_then(|rep| rep.repair_line(text));
        self.finish(l, changed, repaired, out);
    }

    /// The rest of [`LineStage::process`] once the line is counted, its decoding reported and
    /// the repair stage run: records the repairs and lost information, normalizes and writes.
    fn finish(
        &mut self,
        l: &Line<'_>,
        mut changed: bool,
        repaired: Option<(String, Vec<Fix>)>,
        out: &mut Vec<u8>,
    ) {
        let Line {
            text,
            ending,
            number,
            offset,
            malformed,
            ..
        } = *l;
        let mut cur: Cow<'_, str> = Cow::Borrowed(text);
        if let Some((fixed, fixes)) = repaired {
            changed = true;
            for f in fixes {
                self.report.repairs += 1;
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::Repaired(f),
                });
            }
            cur = Cow::Owned(fixed);
        }
        if !cur.is_ascii() && (cur.contains('\u{FFFD}') || cur.contains('?')) {
            let spans = lossy_spans(&cur);
            // A lone ` ? ` in CJK text can be a literal question mark (`または ? で追記`): it
            // counts as lost information when the line has several, or when the document
            // shows damage elsewhere.
            let marks = spans
                .iter()
                .filter(|(_, k)| *k == LossKind::QuestionMarks)
                .count();
            let damaged = self.report.malformed + self.report.repairs + self.report.lossy > 0;
            for (span, kind) in spans {
                // U+FFFD that decoding just put in is reported as malformed bytes already.
                if kind == LossKind::Replacement && !malformed.is_empty() {
                    continue;
                }
                if kind == LossKind::QuestionMarks && marks < 2 && !damaged {
                    continue;
                }
                self.report.lossy += 1;
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::Lossy {
                        start: span.start,
                        end: span.end,
                        kind,
                    },
                });
            }
        }
        let (norm, what) = normalize_line(&cur, self.at_line_start, &self.normalize);
        if what.any() {
            changed = true;
            if what.bom {
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::BomRemoved,
                });
            }
            if what.controls > 0 {
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::ControlsRemoved(what.controls),
                });
            }
            if what.form {
                self.report.push(Event {
                    line: number,
                    offset,
                    change: Change::Normalized,
                });
            }
        }
        if changed {
            self.report.lines_changed += 1;
        }
        out.extend_from_slice(norm.as_bytes());
        out.extend_from_slice(line_ending(ending, &self.normalize).as_bytes());
        self.at_line_start = !ending.is_empty();
    }

    /// Repairs and normalizes a block of lines decoded as UTF-8, appending them to `out`: the
    /// same as [`LineStage::process`] on each of its lines, but only the lines some stage may
    /// change are looked at one by one; the others are copied in runs, unread.
    fn block(&mut self, b: Block<'_>, out: &mut Vec<u8>) {
        // A line of another charset than the first line's is reported as such, a line that
        // continues a cut one is not counted, and converted line endings change every line:
        // none of that happens on the fast path.
        if self.primary.is_some_and(|p| p != Charset::UTF_8)
            || !self.at_line_start
            || self.normalize.newlines != Newlines::Keep
        {
            for l in b.lines() {
                self.process(&l, out);
            }
            return;
        }
        let text = b.text;
        let bytes = text.as_bytes();
        let normalize = self.normalize.clone();
        let mut changes = normalize::ChangeFinder::new(text, &normalize);
        // The repair stage leaves ASCII lines alone: only the others are shown to it. Non-ASCII
        // lines with a `?` or a U+FFFD are looked at for lost information. Each search is
        // reused while what it found lies ahead.
        let (mut non_ascii, mut question, mut replacement) = (None, None, None);
        let mut pos = 0; // start of the next line to look at
        let mut run = 0; // start of the lines not yet written
        let (mut number, mut counted) = (b.number, 0); // number of the line at `counted`
        let mut alone = 0; // lines that went through `process` (which counts them)
        while pos < bytes.len() {
            let change = changes.next_from(pos);
            let repair = match self.repairer {
                Some(_) => normalize::cached(&mut non_ascii, pos, |from| {
                    normalize::find_non_ascii(bytes, from)
                }),
                None => None,
            };
            let question = normalize::cached(&mut question, pos, |from| {
                memchr::memchr(b'?', &bytes[from..]).map(|i| from + i)
            });
            let replacement = normalize::cached(&mut replacement, pos, |from| {
                memchr::memmem::find(&bytes[from..], "\u{FFFD}".as_bytes()).map(|i| from + i)
            });
            let Some(at) = [change, repair, question, replacement]
                .into_iter()
                .flatten()
                .min()
            else {
                break;
            };
            // The line holding `at`.
            let start = memchr::memrchr(b'\n', &bytes[pos..at]).map_or(pos, |i| pos + i + 1);
            let end = at + memchr::memchr(b'\n', &bytes[at..]).expect("whole lines") + 1;
            number += memchr::memchr_iter(b'\n', &bytes[counted..start]).count() as u64;
            counted = end;
            let (content, ending) = if bytes[start..end].ends_with(b"\r\n") {
                (&text[start..end - 2], "\r\n")
            } else {
                (&text[start..end - 1], "\n")
            };
            let line = Line {
                text: content,
                ending,
                number,
                offset: b.offset + start as u64,
                charset: Charset::UTF_8,
                malformed: &[],
                raw: content.as_bytes(),
            };
            number += 1;
            pos = end;
            let lossy = [question, replacement]
                .into_iter()
                .flatten()
                .any(|i| i < end)
                && !content.is_ascii();
            if change.is_some_and(|c| c < end) || lossy {
                out.extend_from_slice(&bytes[run..start]);
                self.process(&line, out);
                alone += 1;
                run = end;
            } else if let Some(fixed) = self
                .repairer
                .as_mut()
                .filter(|_| repair.is_some_and(|r| r < end))
                .and_then(|rep| rep.repair_line(content))
            {
                out.extend_from_slice(&bytes[run..start]);
                self.report.lines += 1;
                self.finish(&line, false, Some(fixed), out);
                alone += 1;
                run = end;
            }
        }
        out.extend_from_slice(&bytes[run..]);
        self.report.lines += b.lines - alone;
    }
}

/// Hands the decoder's lines and blocks to the line stage.
struct Sink<'a> {
    stage: &'a mut LineStage,
    out: &'a mut Vec<u8>,
}

impl LineSink for Sink<'_> {
    fn line(&mut self, l: Line<'_>) {
        self.stage.primary.get_or_insert(l.charset);
        self.stage.process(&l, self.out);
    }

    fn block(&mut self, b: Block<'_>) {
        self.stage.primary.get_or_insert(Charset::UTF_8);
        self.stage.block(b, self.out);
    }
}

/// The streaming pipeline over raw bytes.
pub struct Fixer {
    decoder: LineDecoder,
    stage: LineStage,
    bytes_out: u64,
}

impl Fixer {
    pub fn new(opts: &Options) -> Self {
        Fixer {
            decoder: LineDecoder::new(opts.decode.clone(), opts.allow_binary),
            stage: LineStage::new(opts),
            bytes_out: 0,
        }
    }

    /// The detection, once made (after the first `prefix_len` bytes or at `finish`).
    pub fn detection(&self) -> Option<&Detection> {
        self.decoder.detection()
    }

    /// Feeds a chunk of input; appends whatever output is ready to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        let before = out.len();
        let Fixer { decoder, stage, .. } = self;
        decoder.push(chunk, &mut Sink { stage, out });
        self.bytes_out += (out.len() - before) as u64;
    }

    /// Ends the input; appends the rest of the output and returns the report.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Report {
        let before = out.len();
        let Fixer { decoder, stage, .. } = &mut self;
        decoder.finish(&mut Sink { stage, out });
        self.bytes_out += (out.len() - before) as u64;
        let mut report = self.stage.report;
        report.detection = self.decoder.detection().cloned();
        report.bytes_in = self.decoder.consumed();
        report.bytes_out = self.bytes_out;
        report
    }
}

/// Runs the whole pipeline over a buffer.
pub fn fix_bytes(input: &[u8], opts: &Options) -> (Vec<u8>, Report) {
    let mut out = Vec::with_capacity(input.len());
    let mut f = Fixer::new(opts);
    f.push(input, &mut out);
    let report = f.finish(&mut out);
    (out, report)
}

/// Runs repair and normalize over text that is already decoded (a JSON string field, a
/// command-line argument). Line endings are kept (or converted as the options say).
pub fn fix_str(text: &str, opts: &Options) -> (String, Report) {
    let mut stage = LineStage::new(opts);
    let mut out = Vec::with_capacity(text.len());
    let mut offset = 0u64;
    for (number, piece) in (1..).zip(text.split_inclusive('\n')) {
        let (content, ending) = match piece.strip_suffix('\n') {
            Some(c) => match c.strip_suffix('\r') {
                Some(c2) => (c2, "\r\n"),
                None => (c, "\n"),
            },
            None => (piece, ""),
        };
        let line = Line {
            text: content,
            ending,
            number,
            offset,
            charset: Charset::UTF_8,
            malformed: &[],
            raw: &[],
        };
        stage.process(&line, &mut out);
        offset += piece.len() as u64;
    }
    let mut report = stage.report;
    report.bytes_in = text.len() as u64;
    report.bytes_out = out.len() as u64;
    (
        String::from_utf8(out).expect("the pipeline writes UTF-8"),
        report,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Form;
    use proptest::prelude::*;

    /// The pipeline without the block fast path: every line goes through `process`.
    struct PerLine<'a> {
        stage: &'a mut LineStage,
        out: &'a mut Vec<u8>,
    }

    impl LineSink for PerLine<'_> {
        fn line(&mut self, l: Line<'_>) {
            self.stage.primary.get_or_insert(l.charset);
            self.stage.process(&l, self.out);
        }
    }

    fn fix_per_line(input: &[u8], opts: &Options, chunk: usize) -> (Vec<u8>, Report) {
        let mut decoder = LineDecoder::new(opts.decode.clone(), opts.allow_binary);
        let mut stage = LineStage::new(opts);
        let mut out = Vec::new();
        for c in input.chunks(chunk.max(1)) {
            decoder.push(
                c,
                &mut PerLine {
                    stage: &mut stage,
                    out: &mut out,
                },
            );
        }
        decoder.finish(&mut PerLine {
            stage: &mut stage,
            out: &mut out,
        });
        let mut report = stage.report;
        report.detection = decoder.detection().cloned();
        report.bytes_in = decoder.consumed();
        report.bytes_out = out.len() as u64;
        (out, report)
    }

    fn fix_chunked(input: &[u8], opts: &Options, chunk: usize) -> (Vec<u8>, Report) {
        let mut f = Fixer::new(opts);
        let mut out = Vec::new();
        for c in input.chunks(chunk.max(1)) {
            f.push(c, &mut out);
        }
        let report = f.finish(&mut out);
        (out, report)
    }

    /// The option sets the fast path must agree with the line-by-line path under.
    fn option_sets() -> Vec<Options> {
        let mut sets = vec![Options::new()];
        let mut o = Options::new();
        o.repair = false;
        sets.push(o);
        for form in [Form::None, Form::Nfkc] {
            let mut o = Options::new();
            o.normalize.form = form;
            sets.push(o);
        }
        let mut o = Options::new();
        o.normalize.remove_controls = false;
        sets.push(o);
        for nl in [Newlines::Lf, Newlines::Crlf] {
            let mut o = Options::new();
            o.normalize.newlines = nl;
            sets.push(o);
        }
        let mut o = Options::new();
        o.decode.max_line = 40;
        sets.push(o);
        let mut o = Options::new();
        o.decode.encoding = Some(Charset::UTF_8);
        o.allow_binary = true;
        sets.push(o);
        sets
    }

    fn assert_same(input: &[u8], opts: &Options, chunk: usize, what: &str) {
        let (want, want_report) = fix_per_line(input, opts, chunk);
        let (got, report) = fix_chunked(input, opts, chunk);
        assert!(
            got == want,
            "{what}: output differs ({opts:?}, chunks of {chunk})"
        );
        assert_eq!(
            report, want_report,
            "{what}: report differs ({opts:?}, chunks of {chunk})"
        );
    }

    fn fixture(path: &str) -> Vec<u8> {
        let p = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// The first `n` bytes of `text`, cut after a line.
    fn head(text: &[u8], n: usize) -> Vec<u8> {
        let end = text[..n.min(text.len())]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        text[..end].to_vec()
    }

    /// Lines in which some stage changes something, or that the fast path must not take.
    fn dirty_lines() -> Vec<Vec<u8>> {
        let mut lines: Vec<Vec<u8>> = [
            "\u{FEFF}a line after a byte order mark",
            "a \u{FEFF} inside",
            "Cafe\u{301} decomposed",
            "\u{1100}\u{1161} jamo",
            "bell\u{7} and escape\u{1b}[0m",
            "tab\tand lone\rcarriage return",
            "ｆｕｌｌ width ① compatibility",
            "CafÃ© au lait, naÃ¯ve faÃ§ade",
            "ÐŸÑ€Ð¸Ð²ÐµÑ‚, Ð¼Ð¸Ñ€!",
            "鍚屽睘鍏舵棗涓嬬殑浜哄伐鏅鸿兘浼佷笟",
            "emoji 😀 and CJK compatibility 豈",
            "Voulez-vous vraiment effacer « %s » ?",
            "中文??测试，问号",
            "lost \u{FFFD} here, é",
            "an ASCII question?",
            "",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        lines.push(
            encoding_rs::GBK
                .encode("这一行是后来追加的国标码文本内容。")
                .0
                .into_owned(),
        );
        lines.push(
            encoding_rs::WINDOWS_1252
                .encode("déjà vu, naïve façade")
                .0
                .into_owned(),
        );
        lines.push(b"stray \xff\xfe bytes in UTF-8 \xe4\xb8".to_vec());
        lines
    }

    #[test]
    fn blocks_give_what_lines_give_on_real_text() {
        let mut docs: Vec<(String, Vec<u8>)> = Vec::new();
        for lang in [
            "fr", "ru", "zh_CN", "ja", "ar", "ko", "he", "hi", "vi", "el",
        ] {
            let text = fixture(&format!("clean/{lang}.txt"));
            docs.push((lang.to_string(), head(&text, 150_000)));
        }
        for family in [
            "windows-1252",
            "windows-1251",
            "gbk",
            "shift_jis",
            "layered-gbk",
        ] {
            let jsonl = String::from_utf8(fixture(&format!("mojibake/{family}.jsonl"))).unwrap();
            let mut doc = Vec::new();
            for line in jsonl.lines().take(400) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                doc.extend_from_slice(v["mojibake"].as_str().unwrap().as_bytes());
                doc.push(b'\n');
            }
            docs.push((format!("mojibake {family}"), doc));
        }
        docs.push(("example".into(), fixture("examples/mojibake.txt")));
        // Clean text with dirty lines strewn in, with CRLF endings and an unterminated end.
        let clean = head(&fixture("clean/de.txt"), 100_000);
        let dirty = dirty_lines();
        let mut mixed = Vec::new();
        for (i, line) in clean.split(|&b| b == b'\n').enumerate() {
            mixed.extend_from_slice(line);
            mixed.extend_from_slice(if i % 7 == 0 { b"\r\n" } else { b"\n" });
            if i % 37 == 0 {
                mixed.extend_from_slice(&dirty[i / 37 % dirty.len()]);
                mixed.push(b'\n');
            }
        }
        mixed.extend_from_slice("no newline at the end é".as_bytes());
        docs.push(("mixed".into(), mixed));
        for (what, doc) in &docs {
            assert_same(doc, &Options::new(), usize::MAX, what);
            assert_same(doc, &Options::new(), 4093, what);
        }
        let (_, mixed) = docs.last().unwrap();
        for opts in option_sets() {
            assert_same(mixed, &opts, usize::MAX, "mixed");
            assert_same(mixed, &opts, 1000, "mixed");
        }
    }

    fn line() -> impl Strategy<Value = Vec<u8>> {
        let fr = String::from_utf8(head(&fixture("clean/fr.txt"), 20_000)).unwrap();
        let zh = String::from_utf8(head(&fixture("clean/zh_CN.txt"), 20_000)).unwrap();
        let mut pool: Vec<Vec<u8>> = fr
            .lines()
            .step_by(13)
            .chain(zh.lines().step_by(11))
            .map(|l| l.as_bytes().to_vec())
            .collect();
        pool.extend(dirty_lines());
        pool.push(vec![b'x'; 300]);
        (0..pool.len()).prop_map(move |i| pool[i].clone())
    }

    fn document() -> impl Strategy<Value = Vec<u8>> {
        let ending = prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b""[..])];
        prop::collection::vec((line(), ending), 0..40).prop_map(|lines| {
            let mut doc = Vec::new();
            for (l, e) in lines {
                doc.extend_from_slice(&l);
                doc.extend_from_slice(e);
            }
            doc
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// The block fast path gives the same output and report as taking every line by itself.
        #[test]
        fn blocks_give_what_lines_give(
            doc in document(),
            opts in (0..9usize).prop_map(|i| option_sets().swap_remove(i)),
            chunk in 1..2000usize,
        ) {
            let (want, want_report) = fix_per_line(&doc, &opts, chunk);
            let (got, report) = fix_chunked(&doc, &opts, chunk);
            prop_assert_eq!(got, want);
            prop_assert_eq!(report, want_report);
        }
    }

    #[test]
    fn clean_text_is_byte_identical() {
        let text = "Hello\r\nПривет\n你好，世界！\n\tindented “quotes” — dash\n";
        let (out, report) = fix_bytes(text.as_bytes(), &Options::new());
        assert_eq!(out, text.as_bytes());
        assert_eq!(report.lines_changed, 0);
        assert_eq!(report.lines, 4);
        let (s, _) = fix_str(text, &Options::new());
        assert_eq!(s, text);
    }

    #[test]
    fn legacy_input_becomes_utf8() {
        let gbk = encoding_rs::GBK
            .encode("中文内容测试，这是一段国标码的文字。\n")
            .0;
        let (out, report) = fix_bytes(&gbk, &Options::new());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "中文内容测试，这是一段国标码的文字。\n"
        );
        assert_eq!(report.detection.unwrap().charset.name(), "GBK");
    }

    #[test]
    fn malformed_bytes_are_reported_with_offsets() {
        // A truncated multi-byte sequence inside a UTF-8 document is lost information.
        let mut input = "première ligne\n".as_bytes().to_vec();
        input.extend_from_slice(b"ab\xe4\xb8 cd\n");
        let mut opts = Options::new();
        opts.decode.encoding = Some(Charset::UTF_8);
        let (out, report) = fix_bytes(&input, &opts);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "première ligne\nab\u{FFFD} cd\n"
        );
        assert_eq!(report.malformed, 1);
        assert_eq!(
            report.events[0],
            Event {
                line: 2,
                offset: 16,
                change: Change::Malformed {
                    start: 18,
                    end: 20,
                    bytes: vec![0xe4, 0xb8]
                }
            }
        );
    }
}
