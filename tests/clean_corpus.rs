//! Never make good text worse: every line of the clean multilingual corpus (`fixtures/clean`,
//! 100 languages of real, NFC, well-formed UTF-8; see its README) must come out byte-identical,
//! with nothing reported, through [`fix_bytes`], through [`fix_str`] line by line, and through
//! the command line. This is the release-blocking check.
//!
//! A failure names each file that changed, the first line that differs (before and after) and
//! what the pipeline said it did there.

use assert_cmd::Command;
use mojifix::{fix_bytes, fix_str, Event, Options, Report};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/clean")
}

/// The corpus files, sorted, with their contents.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("fixtures/clean exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 100,
        "expected the 100 languages of fixtures/clean, found {} files",
        files.len()
    );
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect()
}

/// Shows a line the way a reader can compare it: escaped, and cut if very long.
fn show(line: &[u8]) -> String {
    let s = format!("{:?}", String::from_utf8_lossy(line));
    if s.chars().count() > 300 {
        let head: String = s.chars().take(300).collect();
        format!("{head}…")
    } else {
        s
    }
}

fn events_on(report: &Report, line: u64) -> Vec<&Event> {
    report.events.iter().filter(|e| e.line == line).collect()
}

/// Describes how `out` differs from `input` (or what was reported although nothing differs).
fn describe(name: &str, input: &[u8], out: &[u8], report: Option<&Report>) -> String {
    let mut msg = String::new();
    let before: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
    let after: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
    let differing = before.iter().zip(&after).filter(|(a, b)| a != b).count()
        + before.len().abs_diff(after.len());
    let first = (0..before.len().max(after.len()))
        .find(|&i| before.get(i) != after.get(i))
        .map(|i| i + 1);
    let _ = write!(msg, "{name}: {differing} of {} lines differ", before.len());
    if let Some(report) = report {
        let det = report
            .detection
            .as_ref()
            .map_or("no detection".to_string(), |d| {
                format!("detected {} ({})", d.charset.name(), d.method.as_str())
            });
        let _ = write!(
            msg,
            "; {det}, {} lines changed, {} events (+{} dropped), {} malformed, {} repairs",
            report.lines_changed,
            report.events.len(),
            report.events_dropped,
            report.malformed,
            report.repairs
        );
    }
    let first_event = report
        .and_then(|r| r.events.first())
        .map(|e| e.line as usize);
    let line = first.or(first_event);
    if let Some(n) = line {
        let _ = write!(
            msg,
            "\n  first at line {n}:\n    before {}\n    after  {}",
            before.get(n - 1).map_or("<none>".to_string(), |l| show(l)),
            after.get(n - 1).map_or("<none>".to_string(), |l| show(l)),
        );
        for e in report.map_or(vec![], |r| events_on(r, n as u64)) {
            let _ = write!(msg, "\n    event: {}", e.change);
        }
    }
    msg
}

fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} file(s) of the clean corpus changed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fix_bytes_leaves_every_clean_file_byte_identical() {
    let opts = Options::new();
    let mut failures = Vec::new();
    for (name, input) in corpus() {
        let (out, report) = fix_bytes(&input, &opts);
        let quiet = report.events.is_empty()
            && report.events_dropped == 0
            && report.lines_changed == 0
            && report.malformed == 0
            && report.repairs == 0;
        if out != input || !quiet {
            failures.push(describe(&name, &input, &out, Some(&report)));
        }
    }
    assert_no_failures("fix_bytes", &failures);
}

#[test]
fn fix_str_leaves_every_clean_line_identical() {
    let opts = Options::new();
    let mut failures = Vec::new();
    for (name, input) in corpus() {
        let text = String::from_utf8(input).expect("the clean corpus is UTF-8");
        let mut first = None;
        let mut changed = 0usize;
        for (n, line) in (1..).zip(text.lines()) {
            let (out, report) = fix_str(line, &opts);
            if out != line || !report.events.is_empty() || report.lines_changed != 0 {
                changed += 1;
                if first.is_none() {
                    let events: Vec<String> =
                        report.events.iter().map(|e| e.change.to_string()).collect();
                    first = Some(format!(
                        "  first at line {n}:\n    before {}\n    after  {}\n    events {events:?}",
                        show(line.as_bytes()),
                        show(out.as_bytes())
                    ));
                }
            }
        }
        if let Some(first) = first {
            failures.push(format!("{name}: {changed} line(s) changed\n{first}"));
        }
    }
    assert_no_failures("fix_str line by line", &failures);
}

/// Through the binary (64 KiB reads, stdout), files in several scripts at once.
#[test]
fn cli_leaves_clean_files_byte_identical() {
    let names = [
        "zh_CN.txt",
        "ja.txt",
        "ko.txt",
        "ar.txt",
        "he.txt",
        "ru.txt",
        "el.txt",
        "hi.txt",
        "th.txt",
        "km.txt",
        "my.txt",
        "vi.txt",
    ];
    let dir = corpus_dir();
    let mut expected = Vec::new();
    for n in names {
        expected.extend(fs::read(dir.join(n)).unwrap());
    }
    let out = Command::cargo_bin("mojifix")
        .unwrap()
        .args(names.iter().map(|n| dir.join(n)))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr");
    assert_eq!(out.status.code(), Some(0));
    if out.stdout != expected {
        // Find the file and line where the output first differs.
        let mut at = 0;
        for n in names {
            let input = fs::read(dir.join(n)).unwrap();
            let rest = &out.stdout[at.min(out.stdout.len())..];
            let got = rest.get(..input.len()).unwrap_or(rest);
            if got != input {
                panic!(
                    "mojifix changed the clean corpus:\n{}",
                    describe(n, &input, got, None)
                );
            }
            at += input.len();
        }
        panic!(
            "output is {} bytes, input {} bytes",
            out.stdout.len(),
            expected.len()
        );
    }
    // stdin too.
    let el = fs::read(dir.join("el.txt")).unwrap();
    let out = Command::cargo_bin("mojifix")
        .unwrap()
        .write_stdin(el.clone())
        .output()
        .unwrap();
    assert!(out.stdout == el, "el.txt through stdin changed");
    assert_eq!(out.status.code(), Some(0));
}
