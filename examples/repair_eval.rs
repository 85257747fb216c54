//! Measures the repair stage on the generated mojibake corpus (`fixtures/mojibake/*.jsonl`) and
//! counts false repairs on the clean corpus (`fixtures/clean/*.txt`).
//!
//! `cargo run --release --example repair_eval [-- --show N]`

use mojifix::repair::Repairer;
use std::time::Instant;

fn main() {
    let show: usize = std::env::args()
        .skip_while(|a| a != "--show")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/fixtures/mojibake"))
        .expect("fixtures/mojibake")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    println!(
        "{:<22} {:>12} {:>12} {:>9}",
        "family", "lines", "short", "MB/s"
    );
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if show > 0 {
            println!("{name}:");
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut stats = [(0usize, 0usize); 2];
        let mut bytes = 0;
        let mut shown = 0;
        let start = Instant::now();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let orig = v["original"].as_str().unwrap();
            let moji = v["mojibake"].as_str().unwrap();
            let k = usize::from(v["kind"].as_str() == Some("short"));
            bytes += moji.len();
            let mut r = Repairer::new();
            let out = r.repair_line(moji).map_or(moji.to_string(), |(t, _)| t);
            stats[k].1 += 1;
            if out == orig {
                stats[k].0 += 1;
            } else if shown < show {
                shown += 1;
                println!("  MISS {moji:?}\n    -> {out:?}\n    want {orig:?}");
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let pct = |(a, b): (usize, usize)| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        println!(
            "{:<22} {:>11.2}% {:>11.2}% {:>9.1}",
            name,
            pct(stats[0]),
            pct(stats[1]),
            bytes as f64 / secs / 1e6
        );
    }
    // False repairs on clean text.
    let mut changed = 0;
    let mut total = 0;
    let mut scanned_in = 0;
    let mut bytes = 0;
    let start = Instant::now();
    let mut clean: Vec<_> = std::fs::read_dir(format!("{root}/fixtures/clean"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    clean.sort();
    for path in clean {
        let text = std::fs::read_to_string(&path).unwrap();
        bytes += text.len();
        let mut r = Repairer::new();
        for line in text.lines() {
            total += 1;
            scanned_in += usize::from(mojifix::repair::might_need_repair(line));
            if let Some((t, fixes)) = r.repair_line(line) {
                changed += 1;
                if changed <= 30 {
                    println!(
                        "  FALSE {}: {line:?} -> {t:?} [{}]",
                        path.file_stem().unwrap().to_string_lossy(),
                        fixes
                            .iter()
                            .map(|f| f.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    );
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "clean corpus: {changed} of {total} lines changed ({scanned_in} past the pre-scan); \
         repair stage {:.0} MB/s",
        bytes as f64 / secs / 1e6
    );
}
