//! The decode stage: raw bytes of unknown encoding → lines of text.
//!
//! Detection reads a bounded prefix (BOM, forced label, NUL pattern, UTF-8 validity, markup
//! declarations, then chardetng). Decoding is then done *per line* for ASCII-compatible charsets,
//! so a UTF-8 file with a few GBK or Windows-1252 lines appended is decoded line by line instead
//! of being forced through one decoder. Everything is streaming: the output for a given input is
//! the same however the input is split into chunks.
//!
//! In a UTF-8 document, runs of complete lines that are valid UTF-8 are validated at once and
//! handed over as a [`Block`], which a [`LineSink`] may pass through without looking at each line.

pub mod codepages;
pub mod detect;
pub mod models;
pub mod sniff;

use crate::charset::{decode_web, Charset, Malformed};

/// How the charset of a document was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A byte order mark.
    Bom,
    /// `--encoding` / [`DecodeOptions::encoding`].
    Forced,
    /// The prefix is valid UTF-8 and not pure ASCII.
    Utf8,
    /// The prefix is pure ASCII; later lines are taken as UTF-8 where valid.
    Ascii,
    /// An HTML `<meta>` declaration.
    Meta,
    /// An XML declaration.
    XmlDeclaration,
    /// UTF-16/32 recognised by its NUL bytes.
    NulPattern,
    /// chardetng's statistical guess.
    Statistical,
    /// Mostly UTF-8 with lines in a legacy charset: each line decoded by itself.
    Mixed,
    /// NUL bytes that are not UTF-16/32: binary data.
    Binary,
    /// Nothing to decide: empty input.
    Empty,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Bom => "bom",
            Method::Forced => "forced",
            Method::Utf8 => "utf-8-valid",
            Method::Ascii => "ascii",
            Method::Meta => "html-meta",
            Method::XmlDeclaration => "xml-declaration",
            Method::NulPattern => "nul-pattern",
            Method::Statistical => "chardetng",
            Method::Mixed => "mixed-per-line",
            Method::Binary => "binary",
            Method::Empty => "empty",
        }
    }
}

/// The outcome of detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// The document's charset. For [`Method::Ascii`] and [`Method::Mixed`] this is UTF-8.
    pub charset: Charset,
    /// For UTF-8 documents: the charset of the lines that are not valid UTF-8, when the prefix
    /// already showed some. Otherwise it is guessed from those lines as they come.
    pub fallback: Option<Charset>,
    pub method: Method,
    /// In `0.0..=1.0`: 1 for certain signals (BOM, forced), lower for statistics.
    pub confidence: f32,
    /// Length of the byte order mark that starts the input (skipped, not decoded).
    pub bom_len: usize,
}

impl Detection {
    pub fn is_binary(&self) -> bool {
        self.method == Method::Binary
    }
}

/// Options of the decode stage.
#[derive(Clone, Debug)]
pub struct DecodeOptions {
    /// Skip detection and decode as this charset (a BOM for a different charset is ignored).
    pub encoding: Option<Charset>,
    /// Top-level domain hint for chardetng (`"cn"`, `"jp"`, `"ru"`…).
    pub tld: Option<String>,
    /// How many bytes detection reads before deciding (more is not read even when available).
    pub prefix_len: usize,
    /// Lines longer than this many bytes are cut into pieces (at an ASCII byte where possible) so
    /// memory stays bounded on input without newlines.
    pub max_line: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            encoding: None,
            tld: None,
            prefix_len: 64 * 1024,
            max_line: 1 << 20,
        }
    }
}

/// Per-line statistics of UTF-8 validity.
#[derive(Default, Clone, Copy)]
struct Utf8Shape {
    valid: bool,
    two_byte: usize,
    longer: usize,
}

fn utf8_shape(line: &[u8]) -> Utf8Shape {
    let valid = simdutf8::basic::from_utf8(line).is_ok();
    let mut s = Utf8Shape {
        valid,
        ..Default::default()
    };
    if valid {
        for &b in line {
            if b >= 0xE0 {
                s.longer += 1;
            } else if b >= 0xC0 {
                s.two_byte += 1;
            }
        }
    }
    s
}

/// True when an invalid UTF-8 line is still mostly UTF-8: at least as many valid multi-byte
/// characters as invalid bytes (a legacy line has almost no valid multi-byte sequences).
fn mostly_utf8(line: &[u8]) -> bool {
    let (mut multi, mut invalid) = (0, 0);
    for chunk in line.utf8_chunks() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    multi > 0 && multi >= invalid
}

/// A valid UTF-8 line in a legacy document is taken as UTF-8 only on strong evidence: a legacy
/// double-byte pair such as GBK `D0 A1` (小) is also valid UTF-8 (`С`) by accident.
fn strong_utf8(line: &[u8]) -> bool {
    let s = utf8_shape(line);
    s.valid && (s.longer >= 2 || s.longer + s.two_byte >= 3)
}

/// Decides the charset of a document from its first bytes. `complete` tells whether `prefix` is
/// the whole document.
pub fn detect(
    prefix: &[u8],
    complete: bool,
    opts: &DecodeOptions,
    allow_binary: bool,
) -> Detection {
    let bom = sniff::bom(prefix);
    if let Some(forced) = opts.encoding {
        let bom_len = match bom {
            Some((cs, len)) if cs == forced => len,
            _ => 0,
        };
        return Detection {
            charset: forced,
            fallback: None,
            method: Method::Forced,
            confidence: 1.0,
            bom_len,
        };
    }
    if let Some((charset, bom_len)) = bom {
        return Detection {
            charset,
            fallback: None,
            method: Method::Bom,
            confidence: 1.0,
            bom_len,
        };
    }
    if prefix.is_empty() {
        return Detection {
            charset: Charset::UTF_8,
            fallback: None,
            method: Method::Empty,
            confidence: 1.0,
            bom_len: 0,
        };
    }
    if let Some(charset) = sniff::nul_pattern(prefix) {
        return Detection {
            charset,
            fallback: None,
            method: Method::NulPattern,
            confidence: 0.9,
            bom_len: 0,
        };
    }
    if let Some(charset) = sniff::looks_binary(prefix)
        .then(|| detect::utf16_without_bom(prefix))
        .flatten()
    {
        return Detection {
            charset,
            fallback: None,
            method: Method::NulPattern,
            confidence: 0.8,
            bom_len: 0,
        };
    }
    if !allow_binary && sniff::looks_binary(prefix) {
        return Detection {
            charset: Charset::UTF_8,
            fallback: None,
            method: Method::Binary,
            confidence: 0.9,
            bom_len: 0,
        };
    }

    // Classify the lines of the prefix by UTF-8 validity. A prefix may end inside a character:
    // the incomplete tail is not held against UTF-8.
    let mut scan = prefix;
    if !complete {
        if let Err(e) = simdutf8::compat::from_utf8(prefix) {
            if e.error_len().is_none() {
                scan = &prefix[..e.valid_up_to()];
            }
        }
    }
    let mut multibyte_chars = 0usize;
    let mut valid_lines = 0usize;
    let mut bad = Vec::new();
    let mut bad_lines = 0usize;
    let mut lines = scan.split(|&b| b == b'\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        // A prefix that is not the whole input may end inside its last line, even inside a
        // character: that line is judged only when it is the only one, and then not as a
        // complete line.
        let cut = !complete && lines.peek().is_none();
        let only = std::mem::take(&mut first) && cut;
        if (cut && !only) || line.is_ascii() {
            continue;
        }
        let s = utf8_shape(line);
        if s.valid {
            valid_lines += 1;
            multibyte_chars += s.two_byte + s.longer;
        } else {
            bad_lines += 1;
            bad.extend_from_slice(line);
            if !cut {
                bad.push(b'\n');
            }
        }
    }
    let declared = sniff::meta_charset(prefix)
        .map(|c| (c, Method::Meta))
        .or_else(|| sniff::xml_declared(prefix).map(|c| (c, Method::XmlDeclaration)));

    if bad_lines == 0 {
        if multibyte_chars > 0 {
            // Random bytes are valid UTF-8 rarely; every multi-byte character adds evidence.
            let confidence = 1.0 - 0.5f32.powi(multibyte_chars.min(20) as i32 + 1);
            return Detection {
                charset: Charset::UTF_8,
                fallback: None,
                method: Method::Utf8,
                confidence,
                bom_len: 0,
            };
        }
        if let Some(g) = detect::escape_encoding(prefix, complete) {
            return Detection {
                charset: g.charset,
                fallback: None,
                method: Method::Statistical,
                confidence: g.confidence,
                bom_len: 0,
            };
        }
        return match declared {
            Some((charset, method)) => Detection {
                charset,
                fallback: None,
                method,
                confidence: 0.9,
                bom_len: 0,
            },
            None => Detection {
                charset: Charset::UTF_8,
                fallback: None,
                method: Method::Ascii,
                confidence: 1.0,
                bom_len: 0,
            },
        };
    }

    // Some lines are not UTF-8: find their charset from a declaration or from statistics on
    // those lines alone.
    let (legacy, method, confidence) = match declared {
        Some((charset, method)) if !charset.is_utf8() => (charset, method, 0.9),
        _ => {
            let g = detect::guess_legacy(&bad, complete && valid_lines == 0, opts.tld.as_deref());
            (g.charset, Method::Statistical, g.confidence)
        }
    };
    if valid_lines >= bad_lines {
        Detection {
            charset: Charset::UTF_8,
            fallback: Some(legacy),
            method: Method::Mixed,
            confidence,
            bom_len: 0,
        }
    } else {
        Detection {
            charset: legacy,
            fallback: None,
            method,
            confidence,
            bom_len: 0,
        }
    }
}

/// One decoded line, handed to the caller's sink.
#[derive(Debug)]
pub struct Line<'a> {
    /// The text without its line ending.
    pub text: &'a str,
    /// `"\n"`, `"\r\n"`, or `""` for the last line and for pieces of over-long lines.
    pub ending: &'static str,
    /// 1-based line number in the input (pieces of a cut line share it).
    pub number: u64,
    /// Byte offset in the input where this line starts.
    pub offset: u64,
    /// The charset this line was decoded with.
    pub charset: Charset,
    /// Bytes that were invalid in that charset, relative to `offset`.
    pub malformed: &'a [Malformed],
    /// The raw bytes of the line (without its ending); empty for UTF-16/32 input.
    pub raw: &'a [u8],
}

/// A run of complete lines of a document decoded as UTF-8, handed over at once on the fast path.
///
/// It stands for the lines it holds, each exactly the [`Line`] the decoder would otherwise have
/// emitted: every line is valid UTF-8 and ends in `\n` (or `\r\n`), none is longer than
/// [`DecodeOptions::max_line`], and each is decoded as UTF-8 with nothing malformed, its `raw`
/// bytes being its text. [`Block::lines`] gives those lines.
#[derive(Clone, Copy, Debug)]
pub struct Block<'a> {
    /// The lines, each with its ending.
    pub text: &'a str,
    /// Number of the first line.
    pub number: u64,
    /// Byte offset of the first line in the input.
    pub offset: u64,
    /// How many lines (`\n` bytes) the block holds.
    pub lines: u64,
}

impl<'a> Block<'a> {
    /// The lines of the block, as they would have been emitted one by one.
    pub fn lines(&self) -> impl Iterator<Item = Line<'a>> + 'a {
        let (text, number, offset) = (self.text, self.number, self.offset);
        let mut at = 0;
        (number..)
            .zip(text.split_inclusive('\n'))
            .map(move |(number, piece)| {
                let (content, ending) = split_ending(piece.as_bytes(), true);
                let content = &piece[..content.len()];
                let line = Line {
                    text: content,
                    ending,
                    number,
                    offset: offset + at as u64,
                    charset: Charset::UTF_8,
                    malformed: &[],
                    raw: content.as_bytes(),
                };
                at += piece.len();
                line
            })
    }
}

/// What receives the decoder's output: lines one by one, and on the fast path for UTF-8
/// documents whole blocks of lines, which a sink may pass through at once. A closure taking a
/// [`Line`] is a sink that takes blocks line by line.
pub trait LineSink {
    fn line(&mut self, line: Line<'_>);

    /// Receives a block of lines; by default, one [`LineSink::line`] call per line.
    fn block(&mut self, block: Block<'_>) {
        for l in block.lines() {
            self.line(l);
        }
    }
}

impl<F: FnMut(Line<'_>)> LineSink for F {
    fn line(&mut self, line: Line<'_>) {
        self(line)
    }
}

/// Longest block handed over at once: big enough that per-block work does not count, small
/// enough that a block is still in the cache when the sink reads it after validation.
const BLOCK: usize = 64 * 1024;

/// Accumulates the non-UTF-8 lines of a UTF-8 document to guess their charset.
struct FallbackGuesser {
    sample: Vec<u8>,
    current: Option<Charset>,
}

const FALLBACK_SAMPLE: usize = 64 * 1024;

impl FallbackGuesser {
    fn charset_for(&mut self, line: &[u8], tld: Option<&str>) -> Charset {
        if self.sample.len() < FALLBACK_SAMPLE || self.current.is_none() {
            let take = line
                .len()
                .min(FALLBACK_SAMPLE.saturating_sub(self.sample.len()).max(1));
            self.sample.extend_from_slice(&line[..take]);
            self.sample.push(b'\n');
            self.current = Some(detect::guess_legacy(&self.sample, false, tld).charset);
        }
        self.current
            .unwrap_or(Charset::Web(encoding_rs::WINDOWS_1252))
    }
}

enum Stream {
    /// Decoding with an `encoding_rs` decoder over the whole input (UTF-16, ISO-2022-JP).
    Web(encoding_rs::Decoder),
    /// UTF-32: up to three bytes left over from the previous chunk.
    Utf32(Charset, Vec<u8>),
}

/// Streaming decoder: push chunks of bytes, receive complete lines.
pub struct LineDecoder {
    opts: DecodeOptions,
    allow_binary: bool,
    detection: Option<Detection>,
    /// Bytes not yet turned into lines (the detection prefix, then the current partial line).
    pending: Vec<u8>,
    /// Offset in the input of `pending[0]`.
    pending_offset: u64,
    line_number: u64,
    stream: Option<Stream>,
    /// Decoded text not yet split into lines (stream path only).
    text: String,
    fallback: FallbackGuesser,
    scratch: String,
    malformed: Vec<Malformed>,
    /// Total bytes consumed so far.
    consumed: u64,
}

impl LineDecoder {
    pub fn new(opts: DecodeOptions, allow_binary: bool) -> Self {
        LineDecoder {
            opts,
            allow_binary,
            detection: None,
            pending: Vec::new(),
            pending_offset: 0,
            line_number: 1,
            stream: None,
            text: String::new(),
            fallback: FallbackGuesser {
                sample: Vec::new(),
                current: None,
            },
            scratch: String::new(),
            malformed: Vec::new(),
            consumed: 0,
        }
    }

    /// The detection, once the prefix has been read (or the input ended).
    pub fn detection(&self) -> Option<&Detection> {
        self.detection.as_ref()
    }

    /// Feeds a chunk. Lines that are complete are passed to `sink` (in blocks where they can be;
    /// a closure sink receives them one by one).
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn LineSink) {
        self.consumed += chunk.len() as u64;
        if self.detection.is_none() {
            self.pending.extend_from_slice(chunk);
            let enough = self.pending.len() >= self.opts.prefix_len
                && !sniff::may_be_partial_bom(&self.pending);
            if enough {
                self.decide(false);
                let buf = std::mem::take(&mut self.pending);
                self.feed(&buf, false, sink);
            }
            return;
        }
        if self.is_binary() {
            return;
        }
        self.feed(chunk, false, sink);
    }

    /// Ends the input: flushes the last line.
    pub fn finish(&mut self, sink: &mut dyn LineSink) {
        if self.detection.is_none() {
            self.decide(true);
            let buf = std::mem::take(&mut self.pending);
            self.feed(&buf, true, sink);
        } else {
            self.feed(&[], true, sink);
        }
    }

    fn is_binary(&self) -> bool {
        self.detection.as_ref().is_some_and(Detection::is_binary)
    }

    fn decide(&mut self, complete: bool) {
        let prefix_end = self.pending.len().min(self.opts.prefix_len);
        let det = detect(
            &self.pending[..prefix_end],
            complete,
            &self.opts,
            self.allow_binary,
        );
        // Skip the BOM.
        self.pending.drain(..det.bom_len.min(self.pending.len()));
        self.pending_offset = det.bom_len as u64;
        if !det.charset.is_ascii_compatible() {
            self.stream = Some(match det.charset {
                Charset::Web(e) => Stream::Web(e.new_decoder_without_bom_handling()),
                other => Stream::Utf32(other, Vec::new()),
            });
        }
        if let Some(fb) = det.fallback {
            self.fallback.current = Some(fb);
            self.fallback.sample.clear();
            // A known fallback is not re-guessed.
            self.fallback.sample.resize(FALLBACK_SAMPLE, 0);
        }
        self.detection = Some(det);
    }

    /// `buf` is new input (after detection, `pending` holds only a partial line).
    fn feed(&mut self, buf: &[u8], last: bool, sink: &mut dyn LineSink) {
        if self.is_binary() {
            return;
        }
        if self.stream.is_some() {
            self.feed_stream(buf, last, sink);
        } else {
            self.feed_bytes(buf, last, sink);
        }
    }

    fn feed_bytes(&mut self, buf: &[u8], last: bool, sink: &mut dyn LineSink) {
        let mut rest = buf;
        // Complete the pending partial line first.
        if !self.pending.is_empty() {
            match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    let mut line = std::mem::take(&mut self.pending);
                    line.extend_from_slice(&rest[..=i]);
                    rest = &rest[i + 1..];
                    self.emit_byte_line(&line, true, sink);
                    line.clear();
                    self.pending = line; // keep the allocation
                }
                None => {
                    self.pending.extend_from_slice(rest);
                    rest = &[];
                }
            }
        }
        if self.pending.is_empty() {
            let mut start = 0;
            if self.detection.as_ref().is_some_and(|d| d.charset.is_utf8()) {
                // Takes every complete line.
                start = self.emit_blocks(rest, sink);
            } else {
                for i in memchr::memchr_iter(b'\n', rest) {
                    self.emit_byte_line(&rest[start..=i], true, sink);
                    start = i + 1;
                }
            }
            self.pending.extend_from_slice(&rest[start..]);
        }
        // Bound memory on lines without end. The cut must not depend on where chunks end, so a
        // tail is cut only once it is certain to exceed `max_line` even if `\r\n` follows.
        let max = self.opts.max_line.max(16);
        if last {
            if !self.pending.is_empty() {
                let line = std::mem::take(&mut self.pending);
                self.emit_byte_line(&line, false, sink);
            }
        } else if self.pending.len() >= max + 2 {
            let line = std::mem::take(&mut self.pending);
            let mut piece = &line[..];
            while piece.len() >= max + 2 {
                let cut = cut_point(piece, max);
                self.emit_piece(&piece[..cut], sink);
                piece = &piece[cut..];
            }
            self.pending = piece.to_vec();
        }
    }

    /// The fast path of UTF-8 documents: emits the complete lines at the start of `buf` as
    /// blocks of valid UTF-8 lines, the lines that are not valid UTF-8 or too long for a block
    /// one by one. Returns the length of the lines emitted (all complete lines of `buf`).
    fn emit_blocks(&mut self, buf: &[u8], sink: &mut dyn LineSink) -> usize {
        // A block never holds a line longer than `max_line`, which would have been cut.
        let window = self.opts.max_line.clamp(16, BLOCK);
        let mut at = 0;
        while at < buf.len() {
            let end = buf.len().min(at + window);
            let Some(nl) = memchr::memrchr(b'\n', &buf[at..end]) else {
                // A line too long for a block, or the incomplete last line.
                match memchr::memchr(b'\n', &buf[end..]) {
                    Some(i) => {
                        self.emit_byte_line(&buf[at..=end + i], true, sink);
                        at = end + i + 1;
                        continue;
                    }
                    None => break,
                }
            };
            let block = &buf[at..=at + nl];
            // The lines before the first invalid one make a block; that line goes alone. (The
            // `compat` validator stops at the error: a line of Windows-1252 in every ten costs
            // no more than the lines.)
            let (text, bad) = match simdutf8::compat::from_utf8(block) {
                Ok(text) => (text, false),
                Err(e) => {
                    let valid = &block[..e.valid_up_to()];
                    let lines = memchr::memrchr(b'\n', valid).map_or(0, |i| i + 1);
                    let text = simdutf8::basic::from_utf8(&valid[..lines]).expect("validated");
                    (text, true)
                }
            };
            if !text.is_empty() {
                self.emit_block(text, sink);
                at += text.len();
            }
            if bad {
                let i = memchr::memchr(b'\n', &buf[at..]).expect("the block ends in a newline");
                self.emit_byte_line(&buf[at..=at + i], true, sink);
                at += i + 1;
            }
        }
        at
    }

    fn emit_block(&mut self, text: &str, sink: &mut dyn LineSink) {
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
        let block = Block {
            text,
            number: self.line_number,
            offset: self.pending_offset_for(text.len()),
            lines,
        };
        self.line_number += lines;
        sink.block(block);
    }

    /// Emits a full line (with its `\n` when `terminated`), cutting it if it is over-long.
    fn emit_byte_line(&mut self, line: &[u8], terminated: bool, sink: &mut dyn LineSink) {
        let (mut content, ending) = split_ending(line, terminated);
        let max = self.opts.max_line.max(16);
        while content.len() > max {
            let cut = cut_point(content, max);
            self.emit_piece(&content[..cut], sink);
            content = &content[cut..];
        }
        self.emit(content, ending, sink);
    }

    fn emit_piece(&mut self, piece: &[u8], sink: &mut dyn LineSink) {
        self.emit(piece, "", sink);
    }

    fn emit(&mut self, content: &[u8], ending: &'static str, sink: &mut dyn LineSink) {
        let det = self.detection.as_ref().expect("decided before emitting");
        let primary = det.charset;
        self.scratch.clear();
        self.malformed.clear();
        // Text that is valid as it is is borrowed from the input, not copied.
        let mut borrowed = None;
        let charset = if content.is_ascii() {
            borrowed = Some(std::str::from_utf8(content).expect("ASCII is UTF-8"));
            primary
        } else if det.method == Method::Forced {
            primary.decode_into(content, 0, &mut self.scratch, &mut self.malformed);
            primary
        } else if primary.is_utf8() {
            match simdutf8::basic::from_utf8(content) {
                Ok(s) => {
                    borrowed = Some(s);
                    Charset::UTF_8
                }
                Err(_) => {
                    let cs = self.fallback.charset_for(content, self.opts.tld.as_deref());
                    if mostly_utf8(content) {
                        // A UTF-8 line with a few stray bytes: only those go to the fallback.
                        let mut at = 0;
                        for chunk in content.utf8_chunks() {
                            self.scratch.push_str(chunk.valid());
                            at += chunk.valid().len();
                            let bad = chunk.invalid();
                            cs.decode_into(bad, at, &mut self.scratch, &mut self.malformed);
                            at += bad.len();
                        }
                    } else {
                        cs.decode_into(content, 0, &mut self.scratch, &mut self.malformed);
                    }
                    cs
                }
            }
        } else if det.method != Method::Forced && strong_utf8(content) {
            borrowed = Some(std::str::from_utf8(content).expect("checked valid"));
            Charset::UTF_8
        } else {
            primary.decode_into(content, 0, &mut self.scratch, &mut self.malformed);
            primary
        };
        let offset = self.pending_offset_for(content.len() + ending.len());
        sink.line(Line {
            text: borrowed.unwrap_or(&self.scratch),
            ending,
            number: self.line_number,
            offset,
            charset,
            malformed: &self.malformed,
            raw: content,
        });
        if !ending.is_empty() {
            self.line_number += 1;
        }
    }

    /// Returns the offset of the line being emitted and advances past its `len` bytes.
    fn pending_offset_for(&mut self, len: usize) -> u64 {
        let at = self.pending_offset;
        self.pending_offset += len as u64;
        at
    }

    fn feed_stream(&mut self, buf: &[u8], last: bool, sink: &mut dyn LineSink) {
        let mut malformed = Vec::new();
        let charset = self.detection.as_ref().expect("decided").charset;
        match self.stream.as_mut().expect("stream path") {
            Stream::Web(decoder) => {
                decode_web(decoder, buf, 0, last, &mut self.text, &mut malformed);
            }
            Stream::Utf32(cs, left) => {
                left.extend_from_slice(buf);
                let whole = if last { left.len() } else { left.len() / 4 * 4 };
                let rest = left.split_off(whole);
                cs.decode_into(left, 0, &mut self.text, &mut malformed);
                *left = rest;
            }
        }
        // Offsets of malformed bytes are not tracked per line in the stream path; they are
        // reported on the line where the replacement character lands.
        let mut start = 0;
        let text = std::mem::take(&mut self.text);
        for (i, _) in text.match_indices('\n') {
            let line = &text[start..=i];
            self.emit_text_line(line, true, charset, sink);
            start = i + 1;
        }
        let mut tail = text[start..].to_string();
        let max = self.opts.max_line.max(16);
        if last {
            if !tail.is_empty() {
                self.emit_text_line(&tail, false, charset, sink);
                tail.clear();
            }
        } else {
            while tail.len() >= max + 2 {
                let cut = floor_char_boundary(&tail, max);
                let piece: String = tail.drain(..cut).collect();
                self.emit_text_piece(&piece, "", charset, sink);
            }
        }
        self.text = tail;
    }

    fn emit_text_line(
        &mut self,
        line: &str,
        terminated: bool,
        charset: Charset,
        sink: &mut dyn LineSink,
    ) {
        let (content, ending) = split_ending(line.as_bytes(), terminated);
        let mut content = std::str::from_utf8(content).expect("split at ASCII");
        let max = self.opts.max_line.max(16);
        while content.len() > max {
            let cut = floor_char_boundary(content, max);
            self.emit_text_piece(&content[..cut], "", charset, sink);
            content = &content[cut..];
        }
        self.emit_text_piece(content, ending, charset, sink);
    }

    fn emit_text_piece(
        &mut self,
        content: &str,
        ending: &'static str,
        charset: Charset,
        sink: &mut dyn LineSink,
    ) {
        let malformed: Vec<Malformed> = content
            .char_indices()
            .filter(|&(_, c)| c == '\u{FFFD}')
            .map(|(i, _)| Malformed {
                start: i,
                end: i + 3,
            })
            .collect();
        sink.line(Line {
            text: content,
            ending,
            number: self.line_number,
            offset: 0,
            charset,
            malformed: &malformed,
            raw: &[],
        });
        if !ending.is_empty() {
            self.line_number += 1;
        }
    }

    /// Total bytes pushed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }
}

fn split_ending(line: &[u8], terminated: bool) -> (&[u8], &'static str) {
    if !terminated {
        return (line, "");
    }
    debug_assert_eq!(line.last(), Some(&b'\n'));
    let body = &line[..line.len() - 1];
    match body.last() {
        Some(b'\r') => (&body[..body.len() - 1], "\r\n"),
        _ => (body, "\n"),
    }
}

/// Where to cut an over-long line `piece` (longer than `max`): just after the last ASCII byte in
/// the 64 KiB before `max` (in every ASCII-compatible charset an ASCII byte ends a character),
/// else at the UTF-8 character boundary at or before `max`.
fn cut_point(piece: &[u8], max: usize) -> usize {
    let lo = max.saturating_sub(64 * 1024);
    if let Some(i) = piece[lo..max].iter().rposition(|&b| b < 0x80) {
        return lo + i + 1;
    }
    let mut cut = max;
    while cut > max - 3 && piece.get(cut).is_some_and(|&b| (b & 0xC0) == 0x80) {
        cut -= 1;
    }
    cut
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    if i == 0 {
        // A single character longer than the limit cannot happen (max ≥ 16).
        s.chars().next().map_or(0, char::len_utf8)
    } else {
        i
    }
}

/// Decodes a whole buffer, returning the detection and the lines (text with endings).
/// Convenience for tests and small inputs.
pub fn decode_all(bytes: &[u8], opts: &DecodeOptions) -> (Detection, String) {
    let mut dec = LineDecoder::new(opts.clone(), true);
    let mut out = String::new();
    let mut sink = |l: Line<'_>| {
        out.push_str(l.text);
        out.push_str(l.ending);
    };
    dec.push(bytes, &mut sink);
    dec.finish(&mut sink);
    (dec.detection.expect("finished"), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> DecodeOptions {
        DecodeOptions::default()
    }

    #[test]
    fn utf8_with_appended_gbk_and_cp1252_lines_is_decoded_per_line() {
        let mut input = "第一行是正常的 UTF-8 文本。\nSecond line, café.\n"
            .as_bytes()
            .to_vec();
        input.extend_from_slice(
            &encoding_rs::GBK
                .encode("这一行是后来追加的国标码文本内容。\n")
                .0,
        );
        let (det, text) = decode_all(&input, &opts());
        assert_eq!(det.charset, Charset::UTF_8);
        assert_eq!(det.method, Method::Mixed);
        assert_eq!(
            text,
            "第一行是正常的 UTF-8 文本。\nSecond line, café.\n这一行是后来追加的国标码文本内容。\n"
        );
    }

    #[test]
    fn legacy_document_keeps_strong_utf8_lines() {
        let mut input = encoding_rs::GBK
            .encode("这是一个国标码文件。\n里面大部分都是国标码。\n")
            .0
            .into_owned();
        input.extend_from_slice("但最后一行是 UTF-8 编码的。\n".as_bytes());
        let (det, text) = decode_all(&input, &opts());
        assert_eq!(det.charset.name(), "GBK");
        assert!(text.ends_with("但最后一行是 UTF-8 编码的。\n"), "{text}");
        assert!(text.starts_with("这是一个国标码文件。\n"));
    }

    #[test]
    fn invalid_bytes_are_recorded_not_hidden() {
        let mut lines = Vec::new();
        let mut dec = LineDecoder::new(opts(), false);
        let mut sink = |l: Line<'_>| lines.push((l.text.to_string(), l.malformed.to_vec()));
        dec.push("ok é\n".as_bytes(), &mut sink);
        dec.finish(&mut sink);
        assert_eq!(lines, vec![("ok é".to_string(), vec![])]);
    }

    #[test]
    fn crlf_endings_are_kept() {
        let (_, text) = decode_all(b"a\r\nb\nc", &opts());
        assert_eq!(text, "a\r\nb\nc");
    }

    #[test]
    fn utf16_and_utf32_boms() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("héllo\nwörld".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (det, text) = decode_all(&le, &opts());
        assert_eq!(det.method, Method::Bom);
        assert_eq!(text, "héllo\nwörld");
        let mut be32 = vec![0, 0, 0xFE, 0xFF];
        be32.extend(Charset::Utf32Be.encode_exact("日本\n😀").unwrap());
        let (det, text) = decode_all(&be32, &opts());
        assert_eq!(det.charset, Charset::Utf32Be);
        assert_eq!(text, "日本\n😀");
    }

    #[test]
    fn ascii_prefix_with_meta_declaration_uses_it() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>\n".to_vec();
        page.extend_from_slice(&encoding_rs::WINDOWS_1251.encode("Привет</body>").0);
        let (det, text) = decode_all(&page, &opts());
        assert_eq!(det.method, Method::Meta);
        assert!(text.ends_with("Привет</body>"));
    }

    #[test]
    fn nul_bytes_mean_binary_unless_allowed() {
        let det = detect(
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0abc",
            true,
            &opts(),
            false,
        );
        assert!(det.is_binary());
    }

    #[test]
    fn over_long_lines_are_cut_at_ascii_bytes() {
        let o = DecodeOptions {
            max_line: 20,
            ..opts()
        };
        let input = "汉字汉字汉字 abc 汉字汉字汉字汉字汉字汉字\n".repeat(2);
        let (_, text) = decode_all(input.as_bytes(), &o);
        assert_eq!(text, input);
    }
}
