//! Throughput of the pipeline on clean text (the path every clean document takes) and on
//! legacy-encoded input. Run: `cargo bench --bench pipeline`.

use divan::counter::BytesCount;
use divan::Bencher;
use mojifix::{fix_bytes, Options};

fn main() {
    divan::main();
}

fn corpus(lang: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/clean/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // About 4 MB, so that per-call overhead does not count.
    text.iter().copied().cycle().take(4 << 20).collect()
}

/// English prose: the gettext catalogs' English source strings are not in the corpus, so use the
/// ASCII lines of a Latin-script language mix.
fn english() -> Vec<u8> {
    let mut out = Vec::new();
    for lang in ["fr", "de", "nl", "es"] {
        let text = String::from_utf8(corpus(lang)).unwrap();
        for l in text.lines().filter(|l| l.is_ascii()) {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
    }
    out.iter().copied().cycle().take(4 << 20).collect()
}

#[divan::bench(args = ["ascii-latin", "fr", "ru", "zh_CN", "ja", "ar"])]
fn clean_text(bencher: Bencher, lang: &str) {
    let input = if lang == "ascii-latin" {
        english()
    } else {
        corpus(lang)
    };
    let opts = Options::new();
    bencher
        .counter(BytesCount::new(input.len()))
        .bench(|| fix_bytes(divan::black_box(&input), &opts));
}

#[divan::bench(args = ["gbk", "windows-1251", "shift_jis"])]
fn legacy_input(bencher: Bencher, label: &str) {
    let (lang, enc) = match label {
        "gbk" => ("zh_CN", encoding_rs::GBK),
        "windows-1251" => ("ru", encoding_rs::WINDOWS_1251),
        _ => ("ja", encoding_rs::SHIFT_JIS),
    };
    let text = String::from_utf8(corpus(lang)).unwrap();
    let input = enc.encode(&text).0.into_owned();
    let opts = Options::new();
    bencher
        .counter(BytesCount::new(input.len()))
        .bench(|| fix_bytes(divan::black_box(&input), &opts));
}
