//! The pipeline that ties the stages together: bytes → decode → repair → normalize → UTF-8.
//!
//! [`Fixer`] is the streaming form (push chunks, get output bytes); [`fix_bytes`] and [`fix_str`]
//! are the one-shot forms. Work is done line by line, which is what makes the output independent
//! of how the input is chunked and keeps memory bounded.

use crate::charset::Charset;
use crate::decode::{DecodeOptions, Detection, Line, LineDecoder};
use crate::normalize::{line_ending, normalize_line, NormalizeOptions};
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
        let mut cur: Cow<'_, str> = Cow::Borrowed(text);
        if let Some(rep) = self.repairer.as_mut() {
            if let Some((fixed, fixes)) = rep.repair_line(&cur) {
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
        decoder.push(chunk, &mut |l: Line<'_>| {
            stage.primary.get_or_insert(l.charset);
            stage.process(&l, out)
        });
        self.bytes_out += (out.len() - before) as u64;
    }

    /// Ends the input; appends the rest of the output and returns the report.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Report {
        let before = out.len();
        let Fixer { decoder, stage, .. } = &mut self;
        decoder.finish(&mut |l: Line<'_>| {
            stage.primary.get_or_insert(l.charset);
            stage.process(&l, out)
        });
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
