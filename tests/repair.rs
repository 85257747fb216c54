//! The repair stage on real text: recall on the generated mojibake corpus (acceptance floors),
//! idempotence, round trips through the wrong decoders, chunking independence with repairs, false
//! repairs found earlier, and repairs checked by hand.
//!
//! Run with `cargo test --release --test repair -- --nocapture` to see the recall table.

mod common;
use common::*;
use mojifix::repair::families::Family;
use mojifix::repair::{Fix, Repairer};
use mojifix::{fix_bytes, fix_str, Change, Charset, Options, Report};
use proptest::prelude::*;
use proptest::sample::Index;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Lines of `fixtures/clean/<lang>.txt`.
fn clean_lines(lang: &str) -> Vec<String> {
    let p = fixtures().join(format!("clean/{lang}.txt"));
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// One record of `fixtures/mojibake/<family>.jsonl`.
struct Record {
    family: String,
    short: bool,
    original: String,
    mojibake: String,
}

/// All records of the generated corpus, families in file-name order.
static RECORDS: LazyLock<Vec<Record>> = LazyLock::new(|| {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("mojibake"))
        .expect("fixtures/mojibake")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for p in files {
        let family = p.file_stem().unwrap().to_string_lossy().into_owned();
        for line in std::fs::read_to_string(&p).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("{family}: no {k}"));
            assert_eq!(field("family"), family);
            out.push(Record {
                family: family.clone(),
                short: match field("kind") {
                    "line" => false,
                    "short" => true,
                    k => panic!("{family}: unknown kind {k}"),
                },
                original: field("original").to_string(),
                mojibake: field("mojibake").to_string(),
            });
        }
    }
    out
});

fn fixed(s: &str) -> String {
    fix_str(s, &Options::new()).0
}

fn repaired_fixes(report: &Report) -> Vec<&Fix> {
    report
        .events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Repaired(f) => Some(f),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Recall floors on the generated corpus.
// ---------------------------------------------------------------------------------------------

/// Exact-restoration rate floors, in whole percent: (family, lines, shorts). Each is the rate
/// measured with `cargo run --release --example repair_eval` (which computes the same numbers)
/// at commit d794d3a (unchanged at 63d84a2), rounded down. Raise them as the engine improves;
/// never lower them without saying why in the commit.
const FLOORS: &[(&str, u32, u32)] = &[
    ("big5", 99, 97),
    ("euc-jp", 99, 92),
    ("euc-kr", 99, 95),
    ("gb18030", 99, 97),
    ("gbk", 99, 97),
    ("ibm437", 100, 100),
    ("iso-8859-2", 98, 98),
    ("koi8-r", 99, 99),
    ("latin-1", 99, 100),
    ("layered-gbk", 85, 78),
    ("layered-windows-1252", 99, 99),
    ("macintosh", 100, 100),
    ("shift_jis", 99, 99),
    ("windows-1250", 98, 96),
    ("windows-1251", 99, 98),
    ("windows-1252", 99, 99),
    ("windows-1253", 99, 98),
    ("windows-1254", 100, 99),
    ("windows-1257", 99, 99),
];

/// Every record is repaired by [`Repairer::repair_line`] with a fresh `Repairer` (no document
/// context), exactly as `examples/repair_eval.rs` does, and counts when the result equals
/// `original`. `repair_line` rather than `fix_str`: `fix_str` also normalizes (NFC, controls),
/// which would mix the normalize stage into a repair measurement. The originals are NFC (the
/// clean corpus is), so for a correct repair the two agree.
#[test]
fn corpus_recall_is_at_least_the_floors() {
    let mut table = String::new();
    let mut below = Vec::new();
    writeln!(
        table,
        "{:<22} {:>16} {:>16}   floors",
        "family", "lines", "shorts"
    )
    .unwrap();
    for &(family, floor_lines, floor_shorts) in FLOORS {
        // [lines, shorts] as (restored, total).
        let mut stats = [(0usize, 0usize); 2];
        for r in RECORDS.iter().filter(|r| r.family == family) {
            let out = Repairer::new()
                .repair_line(&r.mojibake)
                .map_or_else(|| r.mojibake.clone(), |(t, _)| t);
            let s = &mut stats[usize::from(r.short)];
            s.1 += 1;
            s.0 += usize::from(out == r.original);
        }
        assert_eq!(
            (stats[0].1, stats[1].1),
            (2000, 1000),
            "{family}: the corpus has 2,000 lines and 1,000 shorts per family"
        );
        let pct = |(ok, n): (usize, usize)| 100.0 * ok as f64 / n as f64;
        writeln!(
            table,
            "{family:<22} {:>7.2}% {:>4}/{:<4} {:>6.2}% {:>4}/{:<4}   {floor_lines}% {floor_shorts}%",
            pct(stats[0]),
            stats[0].0,
            stats[0].1,
            pct(stats[1]),
            stats[1].0,
            stats[1].1,
        )
        .unwrap();
        for ((ok, n), floor, kind) in [
            (stats[0], floor_lines, "lines"),
            (stats[1], floor_shorts, "shorts"),
        ] {
            // ok / n >= floor / 100, in integers.
            if ok * 100 < floor as usize * n {
                below.push(format!(
                    "{family} {kind}: {:.2}% < floor {floor}%",
                    pct((ok, n))
                ));
            }
        }
    }
    eprintln!("{table}");
    let families: Vec<&str> = FLOORS.iter().map(|f| f.0).collect();
    let mut seen: Vec<&str> = RECORDS.iter().map(|r| r.family.as_str()).collect();
    seen.dedup();
    assert_eq!(seen, families, "every corpus family has a floor");
    assert!(below.is_empty(), "recall regressed:\n{}", below.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 2. Idempotence.
// ---------------------------------------------------------------------------------------------

/// Real lines in the scripts the repair stage must leave alone or could confuse.
static CLEAN_POOL: LazyLock<Vec<String>> = LazyLock::new(|| {
    let langs = [
        "zh_CN", "zh_TW", "ja", "ko", "ru", "el", "fr", "de", "tr", "vi", "ar", "he",
    ];
    langs.iter().flat_map(|l| clean_lines(l)).collect()
});

/// Mojibake strings of the corpus; `layered` says whether the two layered families are in.
fn mojibake_pool(layered: bool) -> Vec<&'static str> {
    RECORDS
        .iter()
        .filter(|r| layered || !r.family.starts_with("layered-"))
        .map(|r| r.mojibake.as_str())
        .collect()
}

static MOJIBAKE_POOL: LazyLock<Vec<&'static str>> = LazyLock::new(|| mojibake_pool(false));
static MOJIBAKE_POOL_LAYERED: LazyLock<Vec<&'static str>> = LazyLock::new(|| mojibake_pool(true));

fn piece(layered: bool) -> impl Strategy<Value = String> {
    let moji: &'static [&'static str] = if layered {
        &MOJIBAKE_POOL_LAYERED
    } else {
        &MOJIBAKE_POOL
    };
    prop_oneof![
        4 => any::<Index>().prop_map(|i| i.get(&CLEAN_POOL).clone()),
        4 => any::<Index>().prop_map(move |i| i.get(moji).to_string()),
        1 => "[ -~]{1,20}",
        1 => prop::sample::select(vec![
            "!", "?", "...", "…", "«", "»", "“", "”", "—", "–", "·", "、", "。", "（", "）", "°",
            "\u{a0}", "%s", "©", "€",
        ])
        .prop_map(str::to_string),
    ]
}

fn joiner() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "  ", "\n", "\n\n", " \n", "\t"])
}

fn mix(layered: bool) -> impl Strategy<Value = String> {
    prop::collection::vec((piece(layered), joiner()), 1..8)
        .prop_map(|parts| parts.into_iter().map(|(p, j)| p + j).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `fix_str` is idempotent on random mixes of clean lines, mojibake (all families but the
    /// layered ones, see the ignored test below), ASCII and punctuation.
    #[test]
    fn fix_str_is_idempotent(x in mix(false)) {
        let once = fixed(&x);
        let twice = fixed(&once);
        prop_assert_eq!(&twice, &once, "input {:?}", x);
    }
}

proptest! {
    // Enough cases (about 15 s) that a run nearly always meets the bug.
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        failure_persistence: None, // do not write tests/repair.proptest-regressions
        ..ProptestConfig::default()
    })]

    /// The same with the layered families in the mix. Measured over 200,000 random mixes
    /// (outside this test): 62 not idempotent (0.03 %), so 256 cases would fail about one run
    /// in ten; see the two deterministic tests below for the causes.
    #[test]
    fn fix_str_is_idempotent_with_layered_mojibake(x in mix(true)) {
        let once = fixed(&x);
        let twice = fixed(&once);
        prop_assert_eq!(&twice, &once, "input {:?}", x);
    }
}

/// Idempotence on each record of the corpus alone, deterministically.
fn not_idempotent(family: &str) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut bad = Vec::new();
    for r in RECORDS.iter().filter(|r| r.family == family) {
        n += 1;
        let once = fixed(&r.mojibake);
        let twice = fixed(&once);
        if twice != once {
            bad.push(format!(
                "{:?}\n  once  {once:?}\n  twice {twice:?}",
                r.mojibake
            ));
        }
    }
    (n, bad)
}

#[test]
fn every_corpus_record_but_layered_gbk_is_fixed_idempotently() {
    let mut families: Vec<&str> = FLOORS.iter().map(|f| f.0).collect();
    families.retain(|&f| f != "layered-gbk");
    let mut msg = String::new();
    for family in families {
        let (n, bad) = not_idempotent(family);
        assert_eq!(n, 3000, "{family}");
        for b in bad.iter().take(3) {
            writeln!(msg, "{family}: {b}").unwrap();
        }
    }
    assert!(msg.is_empty(), "not idempotent:\n{msg}");
}

/// A layered-GBK record whose first pass leaves a partly repaired run that the second pass
/// repairs further: "閸╄桨绨..." → "基于一涓顏嗗箛存的引用…鍚嶇袨" → "…鍚嶇״".
#[test]
fn layered_gbk_records_are_idempotent() {
    let (n, bad) = not_idempotent("layered-gbk");
    assert_eq!(n, 3000);
    assert!(
        bad.is_empty(),
        "{} not idempotent, e.g.\n{}",
        bad.len(),
        bad[..bad.len().min(3)].join("\n")
    );
}

/// Found by the mixed property: layered windows-1252 on a line with Latin-1 mojibake of
/// Japanese. The first fix leaves `píÅ¡e` (one layer of `š` left), the second gives `píše`.
/// Alone, the layered word is repaired in one go.
#[test]
fn layered_1252_beside_latin1_mojibake_is_idempotent() {
    let layered = "pÃƒÂ\u{ad}Ã…Â¡e"; // "píše", UTF-8 read as windows-1252 twice
    let latin1 = "ã\u{81}§ã\u{81}\u{82}ã\u{82}\u{8c}ã\u{81}°"; // "であれば" read as ISO-8859-1
    assert_eq!(fixed(layered), "píše");
    assert_eq!(fixed(latin1), "であれば");
    let x = format!("{layered} {latin1}");
    let once = fixed(&x);
    assert_eq!(fixed(&once), once, "not idempotent on {x:?}");
    assert_eq!(once, "píše であれば");
}

// ---------------------------------------------------------------------------------------------
// 3. Round trips: real text, misdecoded with a family, repaired back.
// ---------------------------------------------------------------------------------------------

const LATIN: &[&str] = &["fr", "de", "es", "pt_BR", "it", "nl", "sv"];

/// `t` as UTF-8 bytes decoded with the family's decoder, when that is lossless (no malformed
/// byte, no U+FFFD) and changes the text. `latin-1` is real ISO-8859-1 (bytes 80–9F become C1
/// controls): `Charset::for_label("latin-1")` is windows-1252 (the WHATWG label mapping).
fn misdecode(label: &str, t: &str) -> Option<String> {
    let s = if label == "latin-1" {
        Family::Latin1.decode_exact(t.as_bytes())?
    } else {
        let cs = Charset::for_label(label).unwrap_or_else(|| panic!("label {label}"));
        let (s, bad) = cs.decode(t.as_bytes());
        if !bad.is_empty() {
            return None;
        }
        s
    };
    (!s.contains('\u{FFFD}') && s != t).then_some(s)
}

/// Lines of ≥ 20 characters with ≥ 3 non-ASCII characters.
fn substantial(t: &str) -> bool {
    t.chars().count() >= 20 && t.chars().filter(|c| !c.is_ascii()).count() >= 3
}

/// Checks `fix_str(misdecode(t)) == t` for every line of the languages' clean files that
/// misdecodes losslessly (only `substantial` ones if `restricted`). Deterministic: every line
/// is checked, which is stronger than sampling. Panics on any failure, showing the rate.
fn round_trip(label: &str, langs: &[&str], restricted: bool, min_checked: usize) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for lang in langs {
        for t in clean_lines(lang) {
            if restricted && !substantial(&t) {
                continue;
            }
            let Some(m) = misdecode(label, &t) else {
                continue;
            };
            checked += 1;
            let out = fixed(&m);
            if out != t {
                failures.push(format!(
                    "{lang}: {t:?}\n   misdecoded {m:?}\n   fixed      {out:?}"
                ));
            }
        }
    }
    eprintln!(
        "round trip {label}{}: {} of {checked} lines fail ({:.3}%)",
        if restricted { " (restricted)" } else { "" },
        failures.len(),
        100.0 * failures.len() as f64 / checked.max(1) as f64
    );
    assert!(
        checked >= min_checked,
        "{label}: only {checked} lines checked"
    );
    assert!(
        failures.is_empty(),
        "{label}: {} of {checked} lines not restored, e.g.\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn round_trip_macintosh() {
    round_trip("macintosh", LATIN, false, 30_000);
}

#[test]
fn round_trip_windows_1253() {
    round_trip("windows-1253", &["el"], false, 7_000);
}

#[test]
fn round_trip_latin_1() {
    round_trip("latin-1", LATIN, false, 39_000);
}

#[test]
fn round_trip_windows_1254() {
    round_trip("windows-1254", &["tr"], false, 11_000);
}

/// Few Korean lines survive EUC-KR losslessly (162 of 10,778; 13 restricted). All lines: 2 of
/// 162 fail.
#[test]
fn round_trip_euc_kr() {
    round_trip("euc-kr", &["ko"], true, 10);
}

/// All lines: 29 of 39,609 fail (0.07 %: short all-caps words such as `RÃ”LE`); restricted:
/// none.
#[test]
fn round_trip_windows_1252() {
    round_trip("windows-1252", LATIN, true, 10_000);
}

#[test]
#[ignore = "bug (measured at 5eba2be+): 84 of 20,799 restricted lines fail (0.40%; all lines 585/31,742 = 1.84%): wrong repairs such as Skončí → Skonīí, VÝRAZ → VûRAZ"]
fn round_trip_windows_1250() {
    round_trip("windows-1250", &["cs", "pl", "hu"], true, 20_000);
}

#[test]
#[ignore = "bug: 16 of 19,238 restricted lines fail (0.08%; earlier 22; all lines 35/22,390 = 0.16%): wrong repairs Рівень → гвень, ЛІМІТ-ЧАСУ → ˲+U+0332+Т-ЧАСУ; ѝ (Сќ) left"]
fn round_trip_windows_1251() {
    round_trip("windows-1251", &["ru", "uk", "bg"], true, 19_000);
}

#[test]
#[ignore = "bug: 10 of 19,238 restricted lines fail (0.05%; earlier 132; all lines 134/22,390 = 0.60%): mostly a line-initial capital (пё for У) left"]
fn round_trip_koi8_r() {
    round_trip("koi8-r", &["ru", "uk", "bg"], true, 19_000);
}

#[test]
#[ignore = "bug: 4 of 1,248 restricted lines fail (0.32%; earlier 21; all lines 67/4,283 = 1.56%): a GBK trail byte that was ASCII (名称] read as 鍚嶇О, 峕) is not restored"]
fn round_trip_gbk() {
    round_trip("gbk", &["zh_CN"], true, 1_200);
}

#[test]
#[ignore = "bug: 2 of 768 restricted lines fail (0.26%; all lines 15/1,756 = 0.85%): 、 before ASCII (縲“id for 、uid) is not restored"]
fn round_trip_shift_jis() {
    round_trip("shift_jis", &["ja"], true, 700);
}

// ---------------------------------------------------------------------------------------------
// 4. Chunking independence on mojibake-heavy input.
// ---------------------------------------------------------------------------------------------

fn chunks<'a>(input: &'a [u8], splits: &[Index]) -> Vec<&'a [u8]> {
    cut_at(
        input,
        splits.iter().map(|i| i.index(input.len() + 1)).collect(),
    )
}

/// A document that is mostly mojibake lines (all families), with some clean lines.
fn mojibake_document() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => any::<Index>().prop_map(|i| i.get(&MOJIBAKE_POOL_LAYERED).to_string()),
        1 => any::<Index>().prop_map(|i| i.get(&CLEAN_POOL).clone()),
    ];
    let ending = prop::sample::select(vec!["\n", "\n", "\r\n", " "]);
    prop::collection::vec((line, ending), 1..30).prop_map(|v| {
        v.into_iter()
            .flat_map(|(l, e)| (l + e).into_bytes())
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn chunked_repair_equals_fix_bytes(
        input in mojibake_document(),
        splits in prop::collection::vec(any::<Index>(), 0..24),
        prefix_len in prop_oneof![Just(64 * 1024usize), 1..=64usize],
        max_line in prop_oneof![3 => Just(1usize << 20), 1 => 24..=200usize],
    ) {
        let mut opts = Options::new();
        opts.decode.prefix_len = prefix_len;
        opts.decode.max_line = max_line;
        let (whole, whole_report) = fix_bytes(&input, &opts);
        let parts = chunks(&input, &splits);
        let (chunked, chunked_report) = fix_chunked(&parts, &opts);
        let lens: Vec<usize> = parts.iter().map(|c| c.len()).collect();
        prop_assert!(
            chunked == whole,
            "output depends on chunking; chunk lengths {:?}\n whole   {:?}\n chunked {:?}",
            lens,
            String::from_utf8_lossy(&whole),
            String::from_utf8_lossy(&chunked)
        );
        prop_assert_eq!(chunked_report, whole_report, "chunk lengths {:?}", lens);
    }
}

/// Every 7th record of the corpus as one document, in chunk sizes from one byte up.
#[test]
fn mojibake_corpus_document_in_odd_sized_chunks() {
    let mut doc = String::new();
    for r in RECORDS.iter().step_by(7) {
        doc.push_str(&r.mojibake);
        doc.push('\n');
    }
    let input = doc.as_bytes();
    let opts = Options::new();
    let (whole, whole_report) = fix_bytes(input, &opts);
    assert!(
        whole_report.repairs > 5000,
        "the document is mostly mojibake: {} repairs",
        whole_report.repairs
    );
    for size in [1, 2, 3, 5, 4093, 65535, 65536, 65537] {
        let parts: Vec<&[u8]> = input.chunks(size).collect();
        let (chunked, chunked_report) = fix_chunked(&parts, &opts);
        assert!(chunked == whole, "output differs in chunks of {size} bytes");
        assert_eq!(
            chunked_report, whole_report,
            "report differs in chunks of {size} bytes"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. False repairs found earlier: each line must come out unchanged, with nothing reported.
// ---------------------------------------------------------------------------------------------

fn assert_unchanged(s: &str) {
    let (out, report) = fix_str(s, &Options::new());
    assert_eq!(out, s);
    assert_eq!(report.repairs, 0, "{}", show_events(&report));
    assert_eq!(report.lines_changed, 0, "{}", show_events(&report));
}

#[test]
fn kk_all_caps_type_is_not_read_as_cp1251() {
    assert_unchanged("MIME_ТҮРІ");
}

#[test]
fn sk_alphabet_line_is_left_alone() {
    assert_unchanged("aáäbcčdďeéfghiíjklĺľž AÁÄBCČDĎEÉFGHIÍJKLĹĽŽ");
}

#[test]
fn et_alphabet_line_is_left_alone() {
    assert_unchanged("abcdefghijkõäöü ABCDEFGHIJKÕÄÖÜ");
}

#[test]
fn zh_date_format_year_is_not_read_as_euc_jp() {
    assert_unchanged("%Y年%b%e日");
}

#[test]
fn zh_hk_date_format_is_left_alone() {
    assert_unchanged("西元%Y年%m月%d日 (%A) %H時%M分%S秒");
}

#[test]
fn zh_hk_feedback_sound_is_left_alone() {
    assert_unchanged("輸入回饋音效");
}

#[test]
fn zh_tw_until_is_not_read_as_shift_jis() {
    assert_unchanged("不會分享社交網路使用者名稱或電子郵件爲止");
}

#[test]
fn bg_ellipsis_after_cyrillic_capital_is_left_alone() {
    assert_unchanged("wait [ИД_ПР…]");
}

#[test]
fn cs_option_placeholder_with_ellipsis_is_left_alone() {
    assert_unchanged("Použití: %s PŘEPÍNAČ… SOUBOR…");
}

#[test]
fn kk_word_starting_with_si_is_left_alone() {
    assert_unchanged("Сізде пошта бар.");
}

#[test]
fn ca_guillemet_before_e_acute_is_left_alone() {
    assert_unchanged("emprar «am i» o «és genial».");
}

#[test]
fn cs_nbsp_before_dash_is_left_alone() {
    assert_unchanged("klíč %s: tělo klíče je na kartě\u{a0}– přeskočeno");
}

/// Once a document has a GBK repair, GBK is "confirmed" and clean Chinese and Japanese lines
/// later in it get single characters rewritten (threshold 1.0) into unassigned code points,
/// Hebrew accents and the like. Measured after the line `鍚屽睘鍏舵棗鍚屽睘鍏舵棗`: 26 of 13,644
/// zh_CN, 50 of 14,426 zh_TW, 13 of 2,568 zh_HK and 7 of 10,135 ja clean lines change. The same
/// happens on the sample page after its realigned run (tests/sample_page.rs).
#[test]
fn clean_cjk_after_a_gbk_repair_is_left_alone() {
    let clean = [
        "访问已被准许（上次访问是 %ld 秒之前）。",
        "描写流血及肢体伤害",
        "欲知如何配置软件源，请参阅 sources.list(5)。",
        "刻意造成情緒傷害之歧視",
        "使用「遊戲」財物之賭博",
        "用來知會表格標題物件已變動",
        "ファイルが途切れています",
        "セクション後の隙間を埋められません",
        "在全球電動(dòng)汽車市場(chǎng)從藍(lán)海轉(zhuǎn)向紅海",
    ];
    for line in clean {
        assert_unchanged(line); // alone: fine
    }
    let doc = format!("鍚屽睘鍏舵棗鍚屽睘鍏舵棗\n{}\n", clean.join("\n"));
    let (out, report) = fix_str(&doc, &Options::new());
    assert_eq!(
        out,
        format!("同属其旗同属其旗\n{}\n", clean.join("\n")),
        "{}",
        show_events(&report)
    );
}

/// A Czech line read as windows-1250. Found while writing these tests (at 54fe6bf): the run
/// `ĂŤ` (Í = C3 8D) was taken as ISO-8859-2 (Ť = AB), giving `VAROVÁNë`; fixed since.
#[test]
fn cs_all_caps_warning_is_repaired_in_the_lines_family() {
    let t = "VAROVÁNÍ: Chystáte se smazat rootovský účet (uid 0)";
    let m = misdecode("windows-1250", t).unwrap();
    assert_eq!(
        m,
        "VAROVĂ\u{81}NĂŤ: ChystĂˇte se smazat rootovskĂ˝ ĂşÄŤet (uid 0)"
    );
    assert_eq!(fixed(&m), t);
}

// ---------------------------------------------------------------------------------------------
// 6. Repairs checked by hand, and replays.
// ---------------------------------------------------------------------------------------------

/// Fixes `moji`, checks the result and that every reported fix replays to its replacement;
/// returns the fixes.
fn check_repair(moji: &str, want: &str) -> Vec<Fix> {
    let (out, report) = fix_str(moji, &Options::new());
    assert_eq!(out, want, "{moji:?}");
    let fixes: Vec<Fix> = repaired_fixes(&report).into_iter().cloned().collect();
    assert!(!fixes.is_empty(), "{moji:?}: no Change::Repaired reported");
    assert_eq!(report.repairs, fixes.len() as u64);
    for f in &fixes {
        assert_eq!(f.replay().as_deref(), Some(f.replacement.as_str()), "{f}");
    }
    fixes
}

#[test]
fn utf8_read_as_windows_1252_is_repaired() {
    let fixes = check_repair("CafÃ©", "Café");
    assert_eq!(fixes.len(), 1);
    assert_eq!(
        (fixes[0].span.clone(), fixes[0].original.as_str()),
        (3..7, "Ã©")
    );
    assert_eq!(fixes[0].steps[0].encoded_as.name(), "windows-1252");
    assert!(fixes[0].steps[0].decoded_as.is_utf8());
}

#[test]
fn chinese_read_as_gbk_is_repaired() {
    let fixes = check_repair("鍚屽睘鍏舵棗", "同属其旗");
    assert_eq!(fixes[0].steps[0].encoded_as.name(), "GBK");
}

#[test]
fn french_read_as_gbk_is_repaired() {
    let fixes = check_repair("Caf茅", "Café");
    assert_eq!(fixes[0].original, "茅");
    assert_eq!(fixes[0].steps[0].encoded_as.name(), "GBK");
}

#[test]
fn russian_read_as_windows_1252_is_repaired() {
    check_repair("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет");
}

#[test]
fn layered_windows_1252_is_repaired() {
    let fixes = check_repair("CafÃƒÂ©", "Café");
    // One fix per layer, each replaying on its own.
    let steps: Vec<(&str, &str)> = fixes
        .iter()
        .map(|f| (f.original.as_str(), f.replacement.as_str()))
        .collect();
    assert_eq!(steps, [("ÃƒÂ©", "Ã©"), ("Ã©", "é")]);
}

/// `锟斤拷` is U+FFFD U+FFFD written as UTF-8 (EF BF BD EF BF BD) and read as GBK: the lost
/// characters are restored as what they are, replacement characters.
#[test]
fn gbk_lossy_trace_becomes_replacement_characters() {
    check_repair("锟斤拷", "\u{FFFD}\u{FFFD}");
}

/// Every fix made on the whole corpus replays.
#[test]
fn every_corpus_fix_replays() {
    let mut fixes = 0;
    let mut bad = Vec::new();
    for r in RECORDS.iter() {
        let (_, report) = fix_str(&r.mojibake, &Options::new());
        for f in repaired_fixes(&report) {
            fixes += 1;
            if f.replay().as_deref() != Some(f.replacement.as_str()) {
                bad.push(format!("{}: {f}", r.family));
            }
        }
    }
    assert!(fixes > 50_000, "only {fixes} fixes");
    assert!(
        bad.is_empty(),
        "{} of {fixes} fixes do not replay, e.g.\n{}",
        bad.len(),
        bad[..bad.len().min(5)].join("\n")
    );
}
