//! Runs mojifix's charset detection over a labelled corpus (chardet's `tests/` folder, one
//! `<encoding>-<language>` folder per label) and writes what it decided, for
//! `benches/detect/run.py` to score.
//!
//! ```sh
//! cargo run --release --example detect_corpus -- CORPUS_DIR OUT_DIR
//! ```
//!
//! For every file (sorted by path) the first 64 KiB go through [`mojifix::decode::detect`]
//! (`complete` when the whole file fits); the whole file is then decoded with the detected charset
//! (the per-line decoder for mixed UTF-8 documents) and the text is written as UTF-8 to
//! `OUT_DIR/NNNNN.txt`. `OUT_DIR/results.tsv` gets one line per file:
//! `path  charset  method  confidence  output  microseconds-of-detection  label-output`, where
//! `label-output` (or `-`) is the file decoded by mojifix with the charset its folder names, when
//! mojifix knows that label: `run.py` accepts either the Python codec's text or this one, so that
//! mapping differences between Python's and the WHATWG tables (e.g. Shift_JIS 0x8160 as U+301C
//! or U+FF5E) are not counted as detection errors.

use mojifix::decode::{decode_all, detect, DecodeOptions, Method};
use mojifix::Charset;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--explain" {
        // Diagnostics for one file: the statistical scores of every candidate.
        // Like `detect`, the statistics see only the lines that are not valid UTF-8.
        let bytes = std::fs::read(&args[2])?;
        let n = bytes.len().min(64 * 1024);
        let mut bad = Vec::new();
        for line in bytes[..n].split(|&b| b == b'\n') {
            if std::str::from_utf8(line).is_err() {
                bad.extend_from_slice(line);
                bad.push(b'\n');
            }
        }
        for (cs, score, lang) in mojifix::decode::detect::explain(&bad).iter().take(12) {
            println!("{:>10.1}  {:16} {lang}", score, cs.name());
        }
        return Ok(());
    }
    if args.len() != 3 {
        eprintln!("usage: detect_corpus CORPUS_DIR OUT_DIR");
        std::process::exit(2);
    }
    let corpus = Path::new(&args[1]);
    let out_dir = Path::new(&args[2]);
    std::fs::create_dir_all(out_dir)?;
    let mut files = Vec::new();
    walk(corpus, &mut files)?;
    files.sort();
    let opts = DecodeOptions::default();
    let mut tsv = std::io::BufWriter::new(std::fs::File::create(out_dir.join("results.tsv"))?);
    let mut total_us = 0u128;
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path)?;
        let n = bytes.len().min(opts.prefix_len);
        let t = Instant::now();
        let det = detect(&bytes[..n], n == bytes.len(), &opts, false);
        let us = t.elapsed().as_micros();
        total_us += us;
        let name = format!("{i:05}.txt");
        let text = if det.is_binary() {
            String::new()
        } else if det.method == Method::Mixed {
            decode_all(&bytes, &opts).1
        } else {
            det.charset.decode(&bytes[det.bom_len..]).0
        };
        std::fs::write(out_dir.join(&name), text.as_bytes())?;
        let rel = path.strip_prefix(corpus).unwrap_or(path);
        let folder = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = folder.rsplit_once('-').map_or(folder.as_str(), |(l, _)| l);
        let label_out = match Charset::for_label(label) {
            Some(cs) if !det.is_binary() => {
                let skip = match mojifix::decode::sniff::bom(&bytes) {
                    Some((b, len)) if b == cs => len,
                    _ => 0,
                };
                let name = format!("{i:05}.label.txt");
                std::fs::write(out_dir.join(&name), cs.decode(&bytes[skip..]).0.as_bytes())?;
                name
            }
            _ => "-".to_string(),
        };
        writeln!(
            tsv,
            "{}\t{}\t{}\t{:.3}\t{}\t{}\t{}",
            rel.display(),
            det.charset.name(),
            det.method.as_str(),
            det.confidence,
            name,
            us,
            label_out
        )?;
    }
    tsv.flush()?;
    eprintln!(
        "{} files, detection {:.1} ms in total",
        files.len(),
        total_us as f64 / 1000.0
    );
    Ok(())
}
