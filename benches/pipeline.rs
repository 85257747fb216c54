//! Throughput of the pipeline on clean text (the path every clean document takes) and on
//! legacy-encoded input, with the repair stage on (the default) and off. Run:
//! `cargo bench --bench pipeline`. See benches/README.md, "Pipeline throughput".

use divan::counter::BytesCount;
use divan::Bencher;
use mojifix::{fix_bytes, Options};

fn main() {
    divan::main();
}

/// About 4 MB, so that per-call overhead does not count.
const SIZE: usize = 4 << 20;

/// `text` repeated to about [`SIZE`] bytes, cut after a whole line.
fn repeat(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIZE + text.len());
    while out.len() < SIZE {
        out.extend_from_slice(text);
        if out.last() != Some(&b'\n') {
            out.push(b'\n');
        }
    }
    out
}

fn corpus_text(lang: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/clean/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The licence texts Debian's base-files installs in /usr/share/common-licenses: real English
/// prose, hard-wrapped (about 50 bytes a line with the blank lines), all ASCII. Those with form
/// feeds (GPL-1, LGPL-2, LGPL-2.1) are left out, since removing control characters changes
/// them. Without the directory, the ASCII lines of the French, German, Dutch and Spanish
/// catalogs stand in.
fn english() -> Vec<u8> {
    const LICENCES: [&str; 10] = [
        "Apache-2.0",
        "Artistic",
        "BSD",
        "CC0-1.0",
        "GFDL-1.3",
        "GPL-2",
        "GPL-3",
        "LGPL-3",
        "MPL-1.1",
        "MPL-2.0",
    ];
    let mut out = Vec::new();
    for name in LICENCES {
        if let Ok(text) = std::fs::read(format!("/usr/share/common-licenses/{name}")) {
            out.extend_from_slice(&text);
        }
    }
    if out.len() < 64 * 1024 {
        eprintln!("/usr/share/common-licenses missing: English stands in as ASCII catalog lines");
        out.clear();
        for lang in ["fr", "de", "nl", "es"] {
            let text = String::from_utf8(corpus_text(lang)).unwrap();
            for l in text.lines().filter(|l| l.is_ascii()) {
                out.extend_from_slice(l.as_bytes());
                out.push(b'\n');
            }
        }
    }
    repeat(&out)
}

fn clean_input(lang: &str) -> Vec<u8> {
    if lang == "en" {
        english()
    } else {
        repeat(&corpus_text(lang))
    }
}

fn legacy(label: &str) -> Vec<u8> {
    let (lang, enc) = match label {
        "gbk" => ("zh_CN", encoding_rs::GBK),
        "windows-1251" => ("ru", encoding_rs::WINDOWS_1251),
        _ => ("ja", encoding_rs::SHIFT_JIS),
    };
    let text = String::from_utf8(clean_input(lang)).unwrap();
    enc.encode(&text).0.into_owned()
}

fn run(bencher: Bencher, input: Vec<u8>, repair: bool) {
    let opts = Options {
        repair,
        ..Options::new()
    };
    bencher
        .counter(BytesCount::new(input.len()))
        .bench(|| fix_bytes(divan::black_box(&input), &opts));
}

const CLEAN: [&str; 6] = ["en", "fr", "ru", "zh_CN", "ja", "ar"];
const LEGACY: [&str; 3] = ["gbk", "windows-1251", "shift_jis"];

/// Clean UTF-8 through the default pipeline.
#[divan::bench(args = CLEAN)]
fn clean_text(bencher: Bencher, lang: &str) {
    run(bencher, clean_input(lang), true);
}

/// The same without the repair stage: what decoding and normalizing cost.
#[divan::bench(args = CLEAN)]
fn clean_text_no_repair(bencher: Bencher, lang: &str) {
    run(bencher, clean_input(lang), false);
}

#[divan::bench(args = LEGACY)]
fn legacy_input(bencher: Bencher, label: &str) {
    run(bencher, legacy(label), true);
}

#[divan::bench(args = LEGACY)]
fn legacy_input_no_repair(bencher: Bencher, label: &str) {
    run(bencher, legacy(label), false);
}
