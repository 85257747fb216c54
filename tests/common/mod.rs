//! Helpers shared by the integration tests.
#![allow(dead_code)]

use mojifix::{Fixer, Options, Report};

/// The report's events, one a line, as `explain` shows them.
pub fn show_events(report: &Report) -> String {
    report
        .events
        .iter()
        .map(|e| format!("line {}: {}", e.line, e.change))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `input` cut at the given offsets (sorted here; repeated offsets give empty chunks).
pub fn cut_at(input: &[u8], mut points: Vec<usize>) -> Vec<&[u8]> {
    points.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for p in points {
        out.push(&input[start..p]);
        start = p;
    }
    out.push(&input[start..]);
    out
}

/// Runs the streaming pipeline over `chunks` in order.
pub fn fix_chunked(chunks: &[&[u8]], opts: &Options) -> (Vec<u8>, Report) {
    let mut fixer = Fixer::new(opts);
    let mut out = Vec::new();
    for c in chunks {
        fixer.push(c, &mut out);
    }
    let report = fixer.finish(&mut out);
    (out, report)
}
