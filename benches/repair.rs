//! Throughput of the repair stage alone: on clean text (the cost every clean document pays) and
//! on whole documents of mojibake. Run: `cargo bench --bench repair`.

use divan::counter::BytesCount;
use divan::Bencher;
use mojifix::repair::Repairer;

fn main() {
    divan::main();
}

fn corpus(lang: &str) -> String {
    let path = format!("{}/fixtures/clean/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// UTF-8 bytes of `text` decoded with the wrong charset, line by line.
fn mojibake(text: &str, label: &str) -> String {
    let cs = mojifix::Charset::for_label(label).unwrap();
    text.lines()
        .map(|l| cs.decode(l.as_bytes()).0)
        .collect::<Vec<_>>()
        .join("\n")
}

fn repair_all(text: &str) -> usize {
    let mut r = Repairer::new();
    text.lines()
        .map(|l| r.repair_line(l).map_or(0, |(t, _)| t.len()))
        .sum()
}

#[divan::bench(args = ["fr", "ru", "zh_CN", "ja", "ko", "ar"])]
fn clean(bencher: Bencher, lang: &str) {
    let text = corpus(lang);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| repair_all(divan::black_box(&text)));
}

#[divan::bench(args = ["fr/windows-1252", "ru/windows-1251", "zh_CN/gbk", "fr/gbk", "ja/shift_jis"])]
fn mojibake_document(bencher: Bencher, case: &str) {
    let (lang, label) = case.split_once('/').unwrap();
    let text = mojibake(&corpus(lang), label);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| repair_all(divan::black_box(&text)));
}
