//! Generates the mojibake corpus in `fixtures/mojibake/` from the clean corpus in
//! `fixtures/clean/`.
//!
//! ```sh
//! cargo run --release --example gen_mojibake
//! ```
//!
//! Each record is made the way real software makes mojibake: the original string is encoded as
//! UTF-8 and the bytes are decoded with the wrong charset (through `mojifix::Charset`, i.e.
//! `encoding_rs` with WHATWG semantics, or `oem_cp` for IBM437; Latin-1 is ISO-8859-1 proper,
//! bytes 0x80-0x9F becoming C1 controls). Only lossless samples are kept: the wrong decoding
//! reported no malformed byte range and produced no U+FFFD. Each record also says whether it is
//! `reversible`: encoding the mojibake back with the wrong charset (`Charset::encode_exact`, every
//! layer) gives the original UTF-8 bytes again. Sampling is deterministic
//! (splitmix64 with a fixed seed), so the output is byte-identical on every run.
//!
//! The summary tables printed on stdout are the ones pasted into `fixtures/mojibake/README.md`.

use mojifix::Charset;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

const SEED: u64 = 0x6d6f_6a69_6669_7821; // "mojifix!"
const LINES_PER_FAMILY: usize = 2000;
const SHORTS_PER_FAMILY: usize = 1000;
const LINE_MIN_CHARS: usize = 10;
const SHORT_MIN_CHARS: usize = 2;
const SHORT_MAX_CHARS: usize = 9;

/// The languages every family samples from: the spread of scripts that ends up in files read
/// with the wrong charset.
const SPREAD: &[&str] = &[
    "fr", "de", "es", "pt_BR", "it", "nl", "sv", "pl", "cs", "tr", "vi", "ru", "el", "zh_CN", "ja",
    "ko",
];

const WESTERN: &[&str] = &["fr", "de", "es", "pt_BR", "it", "nl", "sv"];
const CENTRAL: &[&str] = &["pl", "cs", "hu", "sk", "hr", "ro", "sl"];
const CYRILLIC: &[&str] = &["ru", "uk", "bg", "sr"];

/// Small deterministic PRNG (splitmix64).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (rejection sampling, no modulo bias).
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// FNV-1a, to derive a per-(family, language, kind) seed from names.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(b"\0") {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn rng_for(parts: &[&str]) -> SplitMix64 {
    SplitMix64(SEED ^ fnv1a(parts))
}

/// The wrong decoder a family applies to UTF-8 bytes.
#[derive(Clone, Copy)]
enum Wrong {
    Charset(Charset),
    /// ISO-8859-1 proper: every byte becomes the character with that code point.
    Latin1,
}

impl Wrong {
    /// Decodes `bytes`; `None` when the decoding lost information (malformed input or U+FFFD).
    fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Wrong::Latin1 => Some(bytes.iter().map(|&b| b as char).collect()),
            Wrong::Charset(cs) => {
                let (s, malformed) = cs.decode(bytes);
                if malformed.is_empty() && !s.contains('\u{FFFD}') {
                    Some(s)
                } else {
                    None
                }
            }
        }
    }

    /// True when encoding `text` back with this charset gives `bytes` again.
    fn reverses(self, text: &str, bytes: &[u8]) -> bool {
        match self {
            Wrong::Latin1 => text.chars().all(|c| (c as u32) < 0x100),
            Wrong::Charset(cs) => cs.encode_exact(text).as_deref() == Some(bytes),
        }
    }
}

struct Family {
    name: &'static str,
    wrong: Wrong,
    /// How many times the UTF-8 → wrong-charset mistake is made (2 for the layered families).
    layers: usize,
    /// Languages whose speakers typically run into this charset; they get double weight.
    home: &'static [&'static str],
}

/// A WHATWG decoder, pinned to the `encoding_rs` encoding rather than looked up by label so
/// that the corpus does not change if mojifix's label table does.
fn web(enc: &'static encoding_rs::Encoding) -> Wrong {
    Wrong::Charset(Charset::Web(enc))
}

fn families() -> Vec<Family> {
    let f = |name, wrong, home| Family {
        name,
        wrong,
        layers: 1,
        home,
    };
    vec![
        f("windows-1252", web(encoding_rs::WINDOWS_1252), WESTERN),
        f("latin-1", Wrong::Latin1, WESTERN),
        f("windows-1250", web(encoding_rs::WINDOWS_1250), CENTRAL),
        f("windows-1251", web(encoding_rs::WINDOWS_1251), CYRILLIC),
        f("windows-1253", web(encoding_rs::WINDOWS_1253), &["el"]),
        f("windows-1254", web(encoding_rs::WINDOWS_1254), &["tr"]),
        f(
            "windows-1257",
            web(encoding_rs::WINDOWS_1257),
            &["lt", "lv", "et"],
        ),
        f("iso-8859-2", web(encoding_rs::ISO_8859_2), CENTRAL),
        f("koi8-r", web(encoding_rs::KOI8_R), CYRILLIC),
        f("macintosh", web(encoding_rs::MACINTOSH), WESTERN),
        f("ibm437", Wrong::Charset(Charset::Oem(437)), WESTERN),
        f("gbk", web(encoding_rs::GBK), &["zh_CN"]),
        f("gb18030", web(encoding_rs::GB18030), &["zh_CN"]),
        f("big5", web(encoding_rs::BIG5), &["zh_TW", "zh_HK"]),
        f("shift_jis", web(encoding_rs::SHIFT_JIS), &["ja"]),
        f("euc-jp", web(encoding_rs::EUC_JP), &["ja"]),
        f("euc-kr", web(encoding_rs::EUC_KR), &["ko"]),
        Family {
            name: "layered-windows-1252",
            wrong: web(encoding_rs::WINDOWS_1252),
            layers: 2,
            home: WESTERN,
        },
        Family {
            name: "layered-gbk",
            wrong: web(encoding_rs::GBK),
            layers: 2,
            home: &["zh_CN"],
        },
    ]
}

/// Candidate originals of one language.
struct Pool {
    lines: Vec<String>,
    short_whole: Vec<String>,
    short_cut: Vec<String>,
}

fn has_non_ascii(s: &str) -> bool {
    !s.is_ascii()
}

/// Pieces of `line` made of 1 to 3 consecutive words (split on ASCII space and tab, so that a
/// no-break space stays inside its word), 2-9 characters long, with a non-ASCII character.
fn word_cuts(line: &str, out: &mut Vec<String>) {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c == ' ' || c == '\t' {
            if let Some(s) = start.take() {
                words.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push((s, line.len()));
    }
    for i in 0..words.len() {
        for j in i..words.len().min(i + 3) {
            let piece = &line[words[i].0..words[j].1];
            let n = piece.chars().count();
            if n > SHORT_MAX_CHARS {
                break;
            }
            if n >= SHORT_MIN_CHARS && has_non_ascii(piece) && piece != line {
                out.push(piece.to_string());
            }
        }
    }
}

fn load_pool(dir: &Path, lang: &str) -> Pool {
    let path = dir.join(format!("{lang}.txt"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = Vec::new();
    let mut short_whole = Vec::new();
    let mut cuts = Vec::new();
    for line in text.lines() {
        if !has_non_ascii(line) {
            continue;
        }
        let n = line.chars().count();
        if n >= LINE_MIN_CHARS {
            lines.push(line.to_string());
        } else if n >= SHORT_MIN_CHARS {
            short_whole.push(line.to_string());
        }
        word_cuts(line, &mut cuts);
    }
    let whole: HashSet<&str> = short_whole.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    let short_cut = cuts
        .into_iter()
        .filter(|c| !whole.contains(c.as_str()) && seen.insert(c.clone()))
        .collect();
    Pool {
        lines,
        short_whole,
        short_cut,
    }
}

#[derive(Default, Clone)]
struct Stats {
    tried: usize,
    kept: usize,
    lossy: usize,
    /// Kept, but `encode_exact` with the wrong charset does not give the UTF-8 bytes back.
    not_reencodable: usize,
    /// Kept records whose mojibake contains a C1 control (U+0080-U+009F).
    with_c1: usize,
    short_whole: usize,
    short_cut: usize,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.tried += o.tried;
        self.kept += o.kept;
        self.lossy += o.lossy;
        self.not_reencodable += o.not_reencodable;
        self.with_c1 += o.with_c1;
        self.short_whole += o.short_whole;
        self.short_cut += o.short_cut;
    }
}

/// Applies the family's mistake; `None` if some layer was lossy.
fn make_mojibake(fam: &Family, original: &str) -> Option<(String, bool)> {
    let mut text = original.to_string();
    let mut reversible = true;
    for _ in 0..fam.layers {
        let bytes = text.as_bytes().to_vec();
        let next = fam.wrong.decode(&bytes)?;
        reversible &= fam.wrong.reverses(&next, &bytes);
        text = next;
    }
    Some((text, reversible))
}

struct Candidate<'a> {
    text: &'a str,
    cut: bool,
}

/// Shuffled candidate list of one language for one family and kind.
fn candidates<'a>(fam: &Family, lang: &str, pool: &'a Pool, kind: &str) -> Vec<Candidate<'a>> {
    let mut rng = rng_for(&[fam.name, lang, kind]);
    let wrap = |v: &'a [String], cut: bool| -> Vec<Candidate<'a>> {
        v.iter().map(|t| Candidate { text: t, cut }).collect()
    };
    if kind == "line" {
        let mut v = wrap(&pool.lines, false);
        rng.shuffle(&mut v);
        v
    } else {
        // Whole short lines first, then word-boundary cuts.
        let mut whole = wrap(&pool.short_whole, false);
        let mut cut = wrap(&pool.short_cut, true);
        rng.shuffle(&mut whole);
        rng.shuffle(&mut cut);
        whole.extend(cut);
        whole
    }
}

struct Record {
    lang: &'static str,
    kind: &'static str,
    original: String,
    mojibake: String,
    reversible: bool,
}

/// Weighted round-robin over the family's languages: each turn a language gives `weight`
/// samples (the next lossless ones of its shuffled candidates), until `want` samples are kept
/// or every language has run out.
fn sample(
    fam: &Family,
    langs: &[(&'static str, usize)],
    pools: &BTreeMap<&'static str, Pool>,
    kind: &'static str,
    want: usize,
    stats: &mut BTreeMap<&'static str, Stats>,
    out: &mut Vec<Record>,
) {
    let lists: Vec<Vec<Candidate>> = langs
        .iter()
        .map(|(l, _)| candidates(fam, l, &pools[l], kind))
        .collect();
    let mut pos = vec![0usize; langs.len()];
    let mut seen: HashSet<String> = HashSet::new();
    let mut kept = 0;
    loop {
        let mut progress = false;
        for (li, &(lang, weight)) in langs.iter().enumerate() {
            let st = stats.entry(lang).or_default();
            let mut got = 0;
            while got < weight && kept < want && pos[li] < lists[li].len() {
                let c = &lists[li][pos[li]];
                pos[li] += 1;
                progress = true;
                if !seen.insert(c.text.to_string()) {
                    continue; // same string already taken from another language
                }
                st.tried += 1;
                let Some((moji, reversible)) = make_mojibake(fam, c.text) else {
                    st.lossy += 1;
                    continue;
                };
                if moji == c.text {
                    continue;
                }
                st.kept += 1;
                if !reversible {
                    st.not_reencodable += 1;
                }
                if moji.chars().any(|ch| ('\u{80}'..='\u{9f}').contains(&ch)) {
                    st.with_c1 += 1;
                }
                if kind == "short" {
                    if c.cut {
                        st.short_cut += 1;
                    } else {
                        st.short_whole += 1;
                    }
                }
                assert!(!moji.contains('\n') && !moji.contains('\r'));
                out.push(Record {
                    lang,
                    kind,
                    original: c.text.to_string(),
                    mojibake: moji,
                    reversible,
                });
                kept += 1;
                got += 1;
            }
        }
        if kept >= want || !progress {
            break;
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clean = root.join("fixtures/clean");
    let out_dir = root.join("fixtures/mojibake");
    fs::create_dir_all(&out_dir).expect("create fixtures/mojibake");

    let fams = families();
    let mut pools: BTreeMap<&'static str, Pool> = BTreeMap::new();
    for fam in &fams {
        for &l in SPREAD.iter().chain(fam.home) {
            pools.entry(l).or_insert_with(|| load_pool(&clean, l));
        }
    }

    let mut summary = Vec::new();
    let mut per_lang_tables = Vec::new();
    let mut examples = Vec::new();
    for fam in &fams {
        // Home languages weigh 2, the rest of the spread 1.
        let mut langs: Vec<(&'static str, usize)> = Vec::new();
        for &l in fam.home.iter().chain(SPREAD) {
            if !langs.iter().any(|(x, _)| *x == l) {
                langs.push((l, if fam.home.contains(&l) { 2 } else { 1 }));
            }
        }
        let mut line_stats = BTreeMap::new();
        let mut short_stats = BTreeMap::new();
        let mut records = Vec::new();
        sample(
            fam,
            &langs,
            &pools,
            "line",
            LINES_PER_FAMILY,
            &mut line_stats,
            &mut records,
        );
        sample(
            fam,
            &langs,
            &pools,
            "short",
            SHORTS_PER_FAMILY,
            &mut short_stats,
            &mut records,
        );

        let path = out_dir.join(format!("{}.jsonl", fam.name));
        let mut w = BufWriter::new(fs::File::create(&path).expect("create jsonl"));
        for r in &records {
            let v = json!({
                "family": fam.name,
                "lang": r.lang,
                "kind": r.kind,
                "original": r.original,
                "mojibake": r.mojibake,
                "reversible": r.reversible,
            });
            serde_json::to_writer(&mut w, &v).expect("write json");
            w.write_all(b"\n").expect("write");
        }
        w.flush().expect("flush");
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

        let total = |m: &BTreeMap<&str, Stats>| {
            let mut t = Stats::default();
            m.values().for_each(|s| t.add(s));
            t
        };
        let (ls, ss) = (total(&line_stats), total(&short_stats));
        summary.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {}/{} | {} | {} | {} |",
            fam.name,
            ls.kept,
            ls.lossy,
            pct(ls.kept, ls.tried),
            ss.kept,
            ss.lossy,
            pct(ss.kept, ss.tried),
            ss.short_whole,
            ss.short_cut,
            ls.not_reencodable + ss.not_reencodable,
            ls.with_c1 + ss.with_c1,
            size,
        ));
        let mut row = format!("| {} |", fam.name);
        for (l, _) in &langs {
            let a = line_stats.get(l).cloned().unwrap_or_default();
            let b = short_stats.get(l).cloned().unwrap_or_default();
            row.push_str(&format!(
                " {}: {}/{} + {}/{};",
                l, a.kept, a.tried, b.kept, b.tried
            ));
        }
        row.pop();
        row.push_str(" |");
        per_lang_tables.push(row);

        // Examples: a short and a line, preferring distinct languages (home first).
        let mut ex = Vec::new();
        let mut used_langs = HashSet::new();
        for kind in ["short", "line"] {
            for r in records.iter().filter(|r| r.kind == kind) {
                if ex.len() >= 4 {
                    break;
                }
                let limit = if kind == "short" { 2 } else { 4 };
                if ex.len() < limit && r.original.chars().count() <= 60 && used_langs.insert(r.lang)
                {
                    ex.push(format!(
                        "  - {} {}: `{}` → `{}`",
                        r.lang,
                        r.kind,
                        r.original,
                        r.mojibake.escape_debug()
                    ));
                }
            }
        }
        examples.push(format!("- **{}**\n{}", fam.name, ex.join("\n")));
        eprintln!("{}: {} records, {} bytes", fam.name, records.len(), size);
    }

    println!("| family | lines kept | lines lossy | line keep rate | shorts kept | shorts lossy | short keep rate | shorts whole/cut | reversible: false | with C1 | bytes |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in &summary {
        println!("{s}");
    }
    println!("\nPer language (kept/tried lines + kept/tried shorts):\n");
    println!("| family | languages |\n|---|---|");
    for r in &per_lang_tables {
        println!("{r}");
    }
    println!("\nExamples:\n");
    for e in &examples {
        println!("{e}");
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * a as f64 / b as f64)
    }
}
