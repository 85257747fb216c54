//! Repairs one mojibake document per family once and prints MB/s; for profiling the repair
//! stage (`valgrind --tool=callgrind target/release/examples/repair_speed fr/windows-1252`).

use mojifix::repair::Repairer;
use std::time::Instant;

fn main() {
    let case = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fr/windows-1252".to_string());
    let (lang, label) = case.split_once('/').expect("LANG/LABEL");
    let path = format!("{}/fixtures/clean/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("clean corpus file");
    let text = if label == "clean" {
        text
    } else {
        let cs = mojifix::Charset::for_label(label).expect("label");
        text.lines()
            .map(|l| cs.decode(l.as_bytes()).0)
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Build the lazily made tables first, so they are not timed.
    Repairer::new().repair_line("Caf茅 鍚屽睘鍏 ÐŸÑ€Ð¸ Grﾃｼ");
    let start = Instant::now();
    let mut r = Repairer::new();
    let mut changed = 0;
    for line in text.lines() {
        changed += usize::from(r.repair_line(line).is_some());
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{case}: {:.1} MB in {secs:.3} s = {:.1} MB/s, {changed} lines changed",
        text.len() as f64 / 1e6,
        text.len() as f64 / secs / 1e6
    );
}
