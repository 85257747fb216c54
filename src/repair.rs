//! The repair stage: text that was decoded with the wrong charset (mojibake) is turned back into
//! what its author wrote. Every repair is a [`Fix`]: a span and the steps that undo the damage,
//! which `explain` shows and which can be replayed.

use crate::charset::Charset;
use std::fmt;
use std::ops::Range;

/// One step of a repair: the span's text is encoded with `encoded_as` (the decoder that was
/// wrongly applied) and the bytes decoded again with `decoded_as` (the real charset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub encoded_as: Charset,
    pub decoded_as: Charset,
}

/// A repair of one span of a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// Byte range in the line as it was before this repair.
    pub span: Range<usize>,
    pub original: String,
    pub replacement: String,
    pub steps: Vec<Step>,
    /// Plausibility of the span before and after (log-likelihood per character; higher is
    /// better).
    pub score_before: f32,
    pub score_after: f32,
}

impl Fix {
    /// Re-applies the steps to `original`, for checking that a plan replays.
    pub fn replay(&self) -> Option<String> {
        let mut text = self.original.clone();
        for step in &self.steps {
            let bytes = step.encoded_as.encode_exact(&text)?;
            let (decoded, bad) = step.decoded_as.decode(&bytes);
            if !bad.is_empty() {
                return None;
            }
            text = decoded;
        }
        Some(text)
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
            write!(
                f,
                "; encode as {}, decode as {}",
                step.encoded_as.name(),
                step.decoded_as.name()
            )?;
        }
        write!(
            f,
            " (score {:.2} → {:.2})",
            self.score_before, self.score_after
        )
    }
}

/// The repair stage for one document. It keeps document context: once a kind of repair is
/// confirmed in a document, shorter spans of the same kind are repaired too.
#[derive(Default)]
pub struct Repairer {}

impl Repairer {
    pub fn new() -> Self {
        Repairer::default()
    }

    /// Repairs one line. Returns `None` when nothing was changed (the common case, which must be
    /// cheap), else the new text and the fixes applied, in order.
    pub fn repair_line(&mut self, _line: &str) -> Option<(String, Vec<Fix>)> {
        None
    }
}
