//! End-to-end tests of the `mojifix` binary: streams, files, directories, output modes, JSON
//! Lines, exit statuses and the `detect` / `explain` commands.
//!
//! Legacy inputs come from `fixtures/inputs/` (written with Python's codecs, see its README) or
//! are spelled out byte by byte here; the expected UTF-8 text is always written literally.

use assert_cmd::Command;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

const ZH: &str = "我们的网站提供最新的新闻和信息。\n本文件使用国标码编码，请勿修改。\n";
const JA: &str =
    "日本語のテキストをここに書きます。\nこのファイルはシフトJISで保存されています。\n";
const RU: &str = "Съешь же ещё этих мягких французских булок, да выпей чаю.\nВ чащах юга жил бы цитрус? Да, но фальшивый экземпляр!\n";
const FR: &str = "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë au delà des îles.\n« Voilà », dit-il — ça coûte 5 € !\n";
const DE_RU: &str = "Grüße aus Köln\r\nПривет, мир\r\n";

/// The start of a real PNG file: signature and IHDR chunk, NUL bytes included.
const PNG_HEAD: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";

fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/inputs")
        .join(name)
}

fn input_bytes(name: &str) -> Vec<u8> {
    fs::read(input(name)).expect("fixture input")
}

fn mojifix() -> Command {
    let mut cmd = Command::cargo_bin("mojifix").expect("the mojifix binary is built");
    // The walker reads the user's global gitignore: keep the tests independent of it.
    cmd.env("HOME", "/nonexistent-mojifix-test-home")
        .env("XDG_CONFIG_HOME", "/nonexistent-mojifix-test-home/.config");
    cmd
}

/// What a run gave.
struct Run {
    out: Vec<u8>,
    err: String,
    code: i32,
}

impl Run {
    fn text(&self) -> &str {
        std::str::from_utf8(&self.out).expect("stdout is UTF-8")
    }
}

fn run(cmd: &mut Command) -> Run {
    let o = cmd.output().expect("mojifix runs");
    Run {
        out: o.stdout,
        err: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().expect("exited, not killed"),
    }
}

fn run_stdin(args: &[&str], stdin: &[u8]) -> Run {
    run(mojifix().args(args).write_stdin(stdin.to_vec()))
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

/// Every file below `dir`, as sorted relative paths.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn temp_files_left(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_iter()
        .filter(|p| {
            Path::new(p)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".mojifix-"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// stdin → stdout

#[test]
fn stdin_gbk_chinese_comes_out_as_utf8() {
    // "中文内容" in GBK, then a longer sentence from a GBK file.
    let r = run_stdin(&[], b"\xd6\xd0\xce\xc4\xc4\xda\xc8\xdd\n");
    assert_eq!((r.text(), r.code, r.err.as_str()), ("中文内容\n", 0, ""));
    let r = run_stdin(&[], &input_bytes("zh_gbk.txt"));
    assert_eq!((r.text(), r.code, r.err.as_str()), (ZH, 0, ""));
}

#[test]
fn stdin_windows_1251_russian_comes_out_as_utf8() {
    let r = run_stdin(&[], &input_bytes("ru_windows1251.txt"));
    assert_eq!((r.text(), r.code, r.err.as_str()), (RU, 0, ""));
}

#[test]
fn legacy_and_utf16_files_come_out_as_utf8() {
    for (name, expected) in [
        ("ja_shift_jis.txt", JA),
        ("fr_windows1252.txt", FR),
        ("de_utf16le_bom.txt", DE_RU),
    ] {
        let r = run(mojifix().arg(input(name)));
        assert_eq!(r.text(), expected, "{name}: stderr {}", r.err);
        assert_eq!(r.code, 0, "{name}");
    }
}

#[test]
fn dash_means_stdin_in_its_place_among_files() {
    let r = run(mojifix()
        .arg(input("ru_windows1251.txt"))
        .arg("-")
        .arg(input("zh_gbk.txt"))
        .write_stdin(input_bytes("ja_shift_jis.txt")));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.text(), format!("{RU}{JA}{ZH}"));
}

#[test]
fn plain_mojifix_is_mojifix_fix() {
    let gbk = input_bytes("zh_gbk.txt");
    let plain = run_stdin(&[], &gbk);
    let fix = run_stdin(&["fix"], &gbk);
    assert_eq!(plain.text(), ZH);
    assert_eq!(fix.text(), ZH);
    assert_eq!(fix.code, 0);

    let crlf = "Cafe\u{301} au lait\r\nsecond\r\n";
    let args = ["--newlines", "lf", "--normalize", "none"];
    let plain = run_stdin(&args, crlf.as_bytes());
    let fix = run_stdin(&[&["fix"][..], &args].concat(), crlf.as_bytes());
    assert_eq!(plain.text(), "Cafe\u{301} au lait\nsecond\n");
    assert_eq!(fix.text(), plain.text());
}

/// Output must come out while input is still coming in (`tail -f log | mojifix`), not after
/// the whole of stdin was read.
#[test]
fn stdin_is_streamed_before_the_input_ends() {
    let copies = 1_000_000 / RU.len() + 1;
    let input = input_bytes("ru_windows1251.txt").repeat(copies);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mojifix"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (close_tx, close_rx) = mpsc::channel::<()>();
    let writer = thread::spawn(move || {
        stdin.write_all(&input).unwrap();
        // Keep stdin open until the output has been seen (or the test gives up).
        let _ = close_rx.recv_timeout(Duration::from_secs(120));
    });
    let mut stdout = child.stdout.take().unwrap();
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let reader = thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = stdout.read(&mut buf).unwrap();
            if n == 0 {
                return all;
            }
            all.extend_from_slice(&buf[..n]);
            if all.len() >= 512 * 1024 {
                let _ = seen_tx.send(());
            }
        }
    });
    let streamed = seen_rx.recv_timeout(Duration::from_secs(60)).is_ok();
    if !streamed {
        let _ = child.kill();
    }
    close_tx.send(()).ok();
    writer.join().unwrap();
    let out = reader.join().unwrap();
    let status = child.wait().unwrap();
    assert!(
        streamed,
        "no 512 KiB of output while 1 MB of input sat in an open stdin"
    );
    assert!(status.success());
    assert_same_text(&out, &RU.repeat(copies));
}

/// Compares long outputs, reporting the first line that differs.
fn assert_same_text(actual: &[u8], expected: &str) {
    if actual == expected.as_bytes() {
        return;
    }
    let actual = String::from_utf8_lossy(actual);
    let (mut a, mut e) = (actual.split_inclusive('\n'), expected.split_inclusive('\n'));
    for n in 1.. {
        match (a.next(), e.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (x, y) => panic!(
                "output differs first on line {n} (of {} expected):\n  got      {x:?}\n  expected {y:?}",
                expected.lines().count()
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// files and directories

#[test]
fn files_go_to_stdout_in_argument_order() {
    let r = run(mojifix()
        .arg(input("zh_gbk.txt"))
        .arg(input("ru_windows1251.txt"))
        .arg(input("fr_windows1252.txt")));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.text(), format!("{ZH}{RU}{FR}"));
}

/// A directory tree with ignore rules, hidden entries and a legacy file deep inside.
fn sample_tree() -> TempDir {
    let t = TempDir::new().unwrap();
    let d = t.path();
    write(&d.join(".gitignore"), b"*.log\n!important.log\nbuild/\n");
    write(&d.join("a.txt"), b"a\n");
    write(&d.join("debug.log"), b"ignored by *.log\n");
    write(&d.join("important.log"), b"important\n");
    write(&d.join("build/out.txt"), b"ignored by build/\n");
    write(&d.join("sub/.gitignore"), b"local.txt\n");
    write(&d.join("sub/local.txt"), b"ignored by sub/.gitignore\n");
    write(
        &d.join("sub/deep/ru.txt"),
        &input_bytes("ru_windows1251.txt"),
    );
    write(&d.join(".hidden.txt"), b"hidden file\n");
    write(&d.join(".cache/c.txt"), b"in hidden dir\n");
    t
}

#[test]
fn directory_walk_honours_gitignore_without_a_git_repository() {
    let t = sample_tree();
    assert!(!t.path().join(".git").exists());
    let r = run(mojifix().arg(t.path()));
    assert_eq!(r.code, 0, "{}", r.err);
    // Sorted by path: a.txt, important.log, sub/deep/ru.txt.
    assert_eq!(r.text(), format!("a\nimportant\n{RU}"));
}

#[test]
fn directory_walk_skips_hidden_entries_unless_asked() {
    let t = sample_tree();
    let r = run(mojifix().arg("--hidden").arg(t.path()));
    assert_eq!(r.code, 0, "{}", r.err);
    // .cache/c.txt, .gitignore, .hidden.txt, a.txt, important.log, sub/.gitignore, sub/deep/ru.txt
    assert_eq!(
        r.text(),
        format!(
            "in hidden dir\n*.log\n!important.log\nbuild/\nhidden file\na\nimportant\nlocal.txt\n{RU}"
        )
    );
}

#[test]
fn no_ignore_walks_ignored_files_too() {
    let t = sample_tree();
    let r = run(mojifix().arg("--no-ignore").arg(t.path()));
    assert_eq!(r.code, 0, "{}", r.err);
    // a.txt, build/out.txt, debug.log, important.log, sub/deep/ru.txt, sub/local.txt
    assert_eq!(
        r.text(),
        format!(
            "a\nignored by build/\nignored by *.log\nimportant\n{RU}ignored by sub/.gitignore\n"
        )
    );
}

#[test]
fn files_named_explicitly_are_processed_even_if_hidden_or_ignored() {
    let t = sample_tree();
    let r = run(mojifix()
        .arg(t.path().join(".hidden.txt"))
        .arg(t.path().join("debug.log")));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.text(), "hidden file\nignored by *.log\n");
}

#[test]
fn output_dir_mirrors_relative_paths() {
    let t = sample_tree();
    write(
        &t.path().join("sub/deep/zh.txt"),
        &input_bytes("zh_gbk.txt"),
    );
    let out = TempDir::new().unwrap();
    let target = out.path().join("new/dir");
    let r = run(mojifix().arg("-o").arg(&target).arg(t.path()));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.is_empty(), "nothing on stdout with -o");
    assert_eq!(
        tree(&target),
        [
            "a.txt",
            "important.log",
            "sub/deep/ru.txt",
            "sub/deep/zh.txt"
        ]
    );
    assert_eq!(
        fs::read_to_string(target.join("sub/deep/ru.txt")).unwrap(),
        RU
    );
    assert_eq!(
        fs::read_to_string(target.join("sub/deep/zh.txt")).unwrap(),
        ZH
    );
    assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "a\n");
    // The sources are left alone.
    assert_eq!(
        fs::read(t.path().join("sub/deep/ru.txt")).unwrap(),
        input_bytes("ru_windows1251.txt")
    );
}

#[test]
fn output_dir_takes_the_file_name_of_a_file_argument() {
    let out = TempDir::new().unwrap();
    let r = run(mojifix()
        .arg("--output")
        .arg(out.path())
        .arg(input("ja_shift_jis.txt")));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(tree(out.path()), ["ja_shift_jis.txt"]);
    assert_eq!(
        fs::read_to_string(out.path().join("ja_shift_jis.txt")).unwrap(),
        JA
    );
}

#[test]
fn in_place_rewrites_a_legacy_file_as_utf8_keeping_its_mode() {
    let t = TempDir::new().unwrap();
    let ru = t.path().join("ru.txt");
    let zh = t.path().join("nested/zh.txt");
    write(&ru, &input_bytes("ru_windows1251.txt"));
    write(&zh, &input_bytes("zh_gbk.txt"));
    fs::set_permissions(&ru, fs::Permissions::from_mode(0o640)).unwrap();
    fs::set_permissions(&zh, fs::Permissions::from_mode(0o604)).unwrap();
    let r = run(mojifix().arg("--in-place").arg(t.path()));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.is_empty());
    assert_eq!(fs::read_to_string(&ru).unwrap(), RU);
    assert_eq!(fs::read_to_string(&zh).unwrap(), ZH);
    assert_eq!(fs::metadata(&ru).unwrap().mode() & 0o7777, 0o640);
    assert_eq!(fs::metadata(&zh).unwrap().mode() & 0o7777, 0o604);
    assert_eq!(temp_files_left(t.path()), Vec::<String>::new());
}

#[test]
fn in_place_does_not_touch_a_file_that_needs_no_change() {
    let t = TempDir::new().unwrap();
    let clean = t.path().join("clean.txt");
    write(&clean, "déjà vu — 中文\r\nline two\n".as_bytes());
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&clean)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let before = fs::metadata(&clean).unwrap();
    let r = run(mojifix().arg("--in-place").arg(&clean));
    assert_eq!(r.code, 0, "{}", r.err);
    let after = fs::metadata(&clean).unwrap();
    assert_eq!(after.modified().unwrap(), past, "mtime changed");
    assert_eq!(after.ino(), before.ino(), "file replaced");
    assert_eq!(
        fs::read(&clean).unwrap(),
        "déjà vu — 中文\r\nline two\n".as_bytes()
    );
    assert_eq!(temp_files_left(t.path()), Vec::<String>::new());
}

#[test]
fn in_place_leaves_binary_files_alone() {
    let t = TempDir::new().unwrap();
    let bin = t.path().join("image.png");
    write(&bin, PNG_HEAD);
    let r = run(mojifix().arg("--in-place").arg(&bin));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(fs::read(&bin).unwrap(), PNG_HEAD);
    assert_eq!(temp_files_left(t.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

#[test]
fn jsonl_fixes_the_text_field_and_keeps_every_other_byte() {
    let input = concat!(
        r#"{"z": 1.50, "text": "Cafe\u0301 cre\u0300me", "x": "\u00e9\/", "n": [1e3, null]}"#,
        "\n",
        r#"{ "id":2 , "text" : "déjà \"vu\" \u00e9" }"#,
        "\n",
        r#"{"meta": {"text": "e\u0301"}, "text": 7}"#,
        "\n",
    );
    let r = run_stdin(&["--jsonl"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        r.text(),
        concat!(
            r#"{"z": 1.50, "text": "Café crème", "x": "\u00e9\/", "n": [1e3, null]}"#,
            "\n",
            r#"{ "id":2 , "text" : "déjà \"vu\" \u00e9" }"#,
            "\n",
            r#"{"meta": {"text": "e\u0301"}, "text": 7}"#,
            "\n",
        )
    );
}

#[test]
fn jsonl_field_option_selects_the_field() {
    let input = concat!(r#"{"text": "Cafe\u0301", "body": "Cafe\u0301"}"#, "\n");
    let r = run_stdin(&["--jsonl", "--field", "body"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        r.text(),
        concat!(r#"{"text": "Cafe\u0301", "body": "Café"}"#, "\n")
    );
}

#[test]
fn jsonl_bad_lines_are_reported_passed_through_and_exit_1() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"text\": \"Cafe\\u0301\"}\n");
    input.extend_from_slice(b"{\"text\": \"unterminated\n");
    input.extend_from_slice(b"[1, 2]\n");
    input.extend_from_slice(b"{\"text\": \"\xce\xd2\xc3\xc7\"}\n"); // GBK 我们: not UTF-8
    input.extend_from_slice(b"{\"text\": \"e\\u0301\"}\n");
    let r = run_stdin(&["--jsonl"], &input);
    assert_eq!(r.code, 1, "stderr: {}", r.err);
    let mut expected = Vec::new();
    expected.extend_from_slice("{\"text\": \"Café\"}\n".as_bytes());
    expected.extend_from_slice(b"{\"text\": \"unterminated\n");
    expected.extend_from_slice(b"[1, 2]\n");
    expected.extend_from_slice(b"{\"text\": \"\xce\xd2\xc3\xc7\"}\n");
    expected.extend_from_slice("{\"text\": \"é\"}\n".as_bytes());
    assert_eq!(r.out, expected);
    for n in [2, 3, 4] {
        assert!(
            r.err.contains(&format!("line {n}:")),
            "line {n} not reported: {}",
            r.err
        );
    }
    assert!(
        !r.err.contains("line 1:") && !r.err.contains("line 5:"),
        "{}",
        r.err
    );
}

#[test]
fn jsonl_records_are_never_lost_or_reordered() {
    let mut input = String::new();
    let mut expected = String::new();
    let n = 3000;
    for i in 0..n {
        let ending = if i % 7 == 0 { "\r\n" } else { "\n" };
        let (line, fixed) = match i % 5 {
            0 => (
                format!(r#"{{"i":{i},"text":"Cafe\u0301 n°{i}"}}"#),
                format!(r#"{{"i":{i},"text":"Café n°{i}"}}"#),
            ),
            1 => {
                let l = format!(r#"{{"i":{i},"text":"clean {i}"}}"#);
                (l.clone(), l)
            }
            2 => {
                let l = format!(r#"{{"i":{i},"text":"broken {i}"#);
                (l.clone(), l)
            }
            3 => (String::new(), String::new()),
            _ => {
                let l = format!(r#"{{"i":{i}}}"#);
                (l.clone(), l)
            }
        };
        input.push_str(&line);
        expected.push_str(&fixed);
        if i + 1 < n {
            input.push_str(ending);
            expected.push_str(ending);
        }
    }
    let r = run_stdin(&["--jsonl", "--quiet"], input.as_bytes());
    assert_eq!(r.code, 1);
    assert_eq!(r.err, "", "--quiet");
    assert_eq!(r.out.len(), expected.len());
    assert!(r.text() == expected, "records differ");
}

// ---------------------------------------------------------------------------------------------
// errors and exit statuses

#[test]
fn missing_file_is_reported_others_still_processed_exit_2() {
    let t = TempDir::new().unwrap();
    let missing = t.path().join("no-such-file.txt");
    let r = run(mojifix()
        .arg(input("zh_gbk.txt"))
        .arg(&missing)
        .arg(input("ru_windows1251.txt")));
    assert_eq!(r.code, 2);
    assert_eq!(r.text(), format!("{ZH}{RU}"));
    assert!(
        r.err.contains(&missing.display().to_string()),
        "path not in {:?}",
        r.err
    );
}

#[test]
fn binary_file_is_skipped_with_a_note_exit_0() {
    let t = TempDir::new().unwrap();
    let bin = t.path().join("image.png");
    write(&bin, PNG_HEAD);
    let r = run(mojifix().arg(&bin));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.is_empty(), "{:?}", r.out);
    assert!(
        r.err.contains("image.png") && r.err.contains("binary"),
        "{}",
        r.err
    );
    // And a binary file does not stop the others.
    let r = run(mojifix().arg(&bin).arg(input("zh_gbk.txt")));
    assert_eq!((r.text(), r.code), (ZH, 0));
    // --quiet drops the note.
    let r = run(mojifix().arg("-q").arg(&bin));
    assert_eq!((r.out.len(), r.err.as_str(), r.code), (0, "", 0));
}

#[test]
fn binary_flag_processes_a_nul_separated_file() {
    // `find -print0` output: text separated by NULs.
    let list = b"src/lib.rs\0src/main.rs\0src/cli/mod.rs\0src/pipeline.rs\0";
    let skipped = run_stdin(&[], list);
    assert_eq!((skipped.out.len(), skipped.code), (0, 0));
    assert!(skipped.err.contains("binary"), "{}", skipped.err);
    // NUL is a C0 control: removed unless --keep-controls.
    let r = run_stdin(&["--binary"], list);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        r.text(),
        "src/lib.rssrc/main.rssrc/cli/mod.rssrc/pipeline.rs"
    );
    let r = run_stdin(&["--binary", "--keep-controls"], list);
    assert_eq!(r.out, list);
}

/// `mojifix big.txt | head -1`: the closed pipe is not an error.
#[test]
fn broken_pipe_exits_quietly_with_status_0() {
    let t = TempDir::new().unwrap();
    let big = t.path().join("big.txt");
    let line = "Ligne de texte répétée, avec des accents et du chinois 中文内容。\n";
    let copies = 20_000_000 / line.len() + 1;
    fs::write(&big, line.repeat(copies)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mojifix"))
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
    } // the read end of the pipe is closed here
    let o = child.wait_with_output().unwrap();
    assert_eq!(first, line);
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn forced_utf8_with_invalid_bytes_gives_replacement_a_note_and_exit_1() {
    let t = TempDir::new().unwrap();
    let f = t.path().join("bad.txt");
    write(&f, b"ok line\nab\xe4\xb8 cd\n");
    let r = run(mojifix().args(["--encoding", "utf-8"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(r.text(), "ok line\nab\u{FFFD} cd\n");
    assert!(
        r.err.contains("bad.txt") && r.err.contains("U+FFFD") && r.err.contains("line 2"),
        "{}",
        r.err
    );
    // --quiet silences the note, not the status.
    let r = run(mojifix().args(["-q", "--encoding", "utf-8"]).arg(&f));
    assert_eq!((r.code, r.err.as_str()), (1, ""));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["--no-such-flag"][..],
        &["--encoding", "no-such-charset"],
        &["--encoding", "iso-2022-kr"], // a WHATWG "replacement" label: refused
        &["--field", "body"],           // needs --jsonl
        &["--in-place", "-o", "out"],
        &["--newlines", "cr"],
        &["detect", "--format", "xml"],
    ] {
        let r = run(mojifix().args(args).write_stdin("x\n"));
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.out.is_empty(), "{args:?}");
        assert!(!r.err.is_empty(), "{args:?}");
    }
    let r = run(mojifix().arg("--help"));
    assert_eq!(r.code, 0);
    assert!(r.text().contains("Usage"));
}

// ---------------------------------------------------------------------------------------------
// detect and explain

#[test]
fn detect_json_gives_one_object_per_file() {
    let t = TempDir::new().unwrap();
    let utf8 = t.path().join("utf8.txt");
    write(&utf8, "Grüße, 世界\n".as_bytes());
    let ascii = t.path().join("ascii.txt");
    write(&ascii, b"plain\n");
    let empty = t.path().join("empty.txt");
    write(&empty, b"");
    let bin = t.path().join("image.png");
    write(&bin, PNG_HEAD);
    let paths = [
        input("zh_gbk.txt"),
        input("ru_windows1251.txt"),
        input("ja_shift_jis.txt"),
        input("de_utf16le_bom.txt"),
        utf8,
        ascii,
        empty,
        bin,
    ];
    let r = run(mojifix().args(["detect", "--format", "json"]).args(&paths));
    assert_eq!(r.code, 0, "{}", r.err);
    let objects: Vec<serde_json::Value> = r
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let expected = [
        (Some("GBK"), "chardetng"),
        (Some("windows-1251"), "chardetng"),
        (Some("Shift_JIS"), "chardetng"),
        (Some("UTF-16LE"), "bom"),
        (Some("UTF-8"), "utf-8-valid"),
        (Some("UTF-8"), "ascii"),
        (Some("UTF-8"), "empty"),
        (None, "binary"),
    ];
    assert_eq!(objects.len(), expected.len(), "{}", r.text());
    for ((o, path), (encoding, method)) in objects.iter().zip(&paths).zip(expected) {
        assert_eq!(o["path"], path.display().to_string(), "{o}");
        assert_eq!(o["encoding"].as_str(), encoding, "{o}");
        assert_eq!(o["method"], method, "{o}");
        let c = o["confidence"].as_f64().expect("confidence is a number");
        assert!((0.0..=1.0).contains(&c), "{o}");
    }
    assert_eq!(objects[3]["bom"], true);
    assert_eq!(objects[4]["bom"], false);
    assert_eq!(objects[3]["confidence"], 1.0);
}

#[test]
fn detect_json_confidence_has_at_most_three_decimals() {
    let r = run(mojifix()
        .args(["detect", "--format", "json"])
        .arg(input("zh_gbk.txt"))
        .arg(input("ru_windows1251.txt")));
    for line in r.text().lines() {
        let o: serde_json::Value = serde_json::from_str(line).unwrap();
        let c = o["confidence"].to_string();
        let decimals = c.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 3, "confidence {c} in {line}");
    }
}

#[test]
fn detect_human_format_names_path_and_encoding() {
    let r = run(mojifix()
        .arg("detect")
        .arg(input("ru_windows1251.txt"))
        .arg(input("de_utf16le_bom.txt")));
    assert_eq!(r.code, 0, "{}", r.err);
    let lines: Vec<&str> = r.text().lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!(
        "{}: windows-1251",
        input("ru_windows1251.txt").display()
    )));
    assert!(lines[1].starts_with(&format!(
        "{}: UTF-16LE",
        input("de_utf16le_bom.txt").display()
    )));
    // stdin too, and a missing file is an error.
    let r = run(mojifix()
        .arg("detect")
        .arg("-")
        .arg("/nonexistent/mojifix-test")
        .write_stdin(input_bytes("zh_gbk.txt")));
    assert_eq!(r.code, 2);
    assert!(r.text().contains("GBK"), "{}", r.text());
    assert!(r.err.contains("/nonexistent/mojifix-test"), "{}", r.err);
}

#[test]
fn explain_text_prints_the_change_and_the_result() {
    let r = run(mojifix().args(["explain", "Cafe\u{301} au lait"]));
    assert_eq!(r.code, 0, "{}", r.err);
    let out = r.text();
    assert!(out.contains("line 1: normalized"), "{out}");
    assert!(out.lines().any(|l| l == "output: Café au lait"), "{out}");
    let r = run(mojifix().args(["explain", "déjà vu"]));
    assert!(r.text().contains("no changes"), "{}", r.text());
    assert!(r.text().lines().any(|l| l == "output: déjà vu"));
}

#[test]
fn explain_reads_raw_bytes_from_stdin_with_detection() {
    let r = run(mojifix()
        .arg("explain")
        .write_stdin(input_bytes("ru_windows1251.txt")));
    assert_eq!(r.code, 0, "{}", r.err);
    let out = r.text();
    assert!(out.starts_with("input: windows-1251"), "{out}");
    assert!(out.contains(&format!("output: {RU}")), "{out}");
}

#[test]
fn fix_explain_prints_changes_with_line_numbers_on_stderr() {
    let t = TempDir::new().unwrap();
    let f = t.path().join("notes.txt");
    write(&f, b"plain\nCafe\xcc\x81\nbell\x07\n");
    let r = run(mojifix().arg("--explain").arg(&f));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.text(), "plain\nCafé\nbell\n");
    let name = f.display().to_string();
    assert!(
        r.err.contains(&format!("{name}:2: normalized")),
        "{}",
        r.err
    );
    assert!(
        r.err
            .contains(&format!("{name}:3: 1 control character(s) removed")),
        "{}",
        r.err
    );
    assert!(!r.err.contains(&format!("{name}:1:")), "{}", r.err);
    // Without --explain, a run that only normalizes says nothing.
    let r = run(mojifix().arg(&f));
    assert_eq!(r.err, "");
}

#[test]
fn fix_explain_shows_undecodable_bytes_with_their_offsets() {
    let r = run_stdin(
        &["--explain", "--encoding", "utf-8"],
        b"ok line\nab\xe4\xb8 cd\n",
    );
    assert_eq!(r.code, 1);
    // "ok line\n" is 8 bytes, "ab" 2 more: the bad bytes are at 10..12.
    assert!(
        r.err
            .contains("<stdin>:2: undecodable bytes at offset 10..12 [E4 B8] replaced by U+FFFD"),
        "{}",
        r.err
    );
}

// ---------------------------------------------------------------------------------------------
// normalization options

#[test]
fn newlines_lf_converts_crlf_and_the_default_keeps_it() {
    let input = "one\r\ntwo\r\nthree\nfour".as_bytes();
    assert_eq!(run_stdin(&[], input).out, input);
    assert_eq!(
        run_stdin(&["--newlines", "lf"], input).text(),
        "one\ntwo\nthree\nfour"
    );
    assert_eq!(
        run_stdin(&["--newlines", "crlf"], input).text(),
        "one\r\ntwo\r\nthree\r\nfour"
    );
    // Legacy input is converted too, and UTF-16 CRLF input loses its CRs.
    assert_eq!(
        run_stdin(&["--newlines", "crlf"], &input_bytes("ru_windows1251.txt")).text(),
        RU.replace('\n', "\r\n")
    );
    assert_eq!(
        run_stdin(&["--newlines", "lf"], &input_bytes("de_utf16le_bom.txt")).text(),
        "Grüße aus Köln\nПривет, мир\n"
    );
}

#[test]
fn normalize_none_keeps_decomposed_text_and_nfkc_folds() {
    let decomposed = "Cafe\u{301} cre\u{300}me\n";
    assert_eq!(run_stdin(&[], decomposed.as_bytes()).text(), "Café crème\n");
    assert_eq!(
        run_stdin(&["--normalize", "none"], decomposed.as_bytes()).text(),
        decomposed
    );
    assert_eq!(
        run_stdin(&["--normalize", "nfkc"], "ｆｕｌｌ① ﬁ\n".as_bytes()).text(),
        "full1 fi\n"
    );
    // NFC (the default) keeps compatibility characters.
    assert_eq!(
        run_stdin(&[], "ｆｕｌｌ① ﬁ\n".as_bytes()).text(),
        "ｆｕｌｌ① ﬁ\n"
    );
}

#[test]
fn keep_controls_keeps_c0_controls_the_default_removes_them() {
    let input = b"red \x1b[31mtext\x1b[0m\x07\tok\r\n";
    assert_eq!(run_stdin(&[], input).text(), "red [31mtext[0m\tok\r\n");
    assert_eq!(run_stdin(&["--keep-controls"], input).out, input);
}

// ---------------------------------------------------------------------------------------------
// bugs found (see the ignore reasons)

#[test]
fn short_text_with_one_nul_is_binary_not_utf16() {
    let r = run_stdin(&[], b"hello world\0\n");
    assert_eq!(r.out, b"", "decoded as {:?}", r.text());
    assert_eq!(r.code, 0);
    assert!(r.err.contains("binary"), "{}", r.err);
}

#[test]
fn utf8_line_with_one_stray_legacy_byte_keeps_its_utf8_letters() {
    // A UTF-8 document where one line has a raw windows-1252 euro sign (0x80).
    let r = run_stdin(
        &[],
        b"premi\xc3\xa8re ligne\nDer Preis betr\xc3\xa4gt 5 \x80 f\xc3\xbcr Gr\xc3\xb6\xc3\x9fe XL\n",
    );
    let out = r.text();
    assert!(
        out.starts_with("première ligne\nDer Preis beträgt 5 "),
        "{out}"
    );
    assert!(out.ends_with(" für Größe XL\n"), "{out}");
}

#[test]
fn truncated_last_utf8_character_does_not_mangle_the_line() {
    // `head -c` cut the file in the middle of a two-byte "é".
    let r = run_stdin(&[], b"premi\xc3\xa8re ligne\nfin tronqu\xc3\xa9e, coup\xc3");
    assert!(
        r.text().starts_with("première ligne\nfin tronquée, coup"),
        "{}",
        r.text()
    );
}

#[test]
fn gbk_file_over_64k_is_decoded_when_the_prefix_ends_between_characters() {
    // A blank first line, then zh_gbk.txt (66 bytes) 1000 times: 65536 = 1 + 992 × 66 + 63, so
    // the 64 KiB detection prefix ends just after a whole character (33 + 30 bytes).
    let t = TempDir::new().unwrap();
    let f = t.path().join("big_gbk.txt");
    let mut bytes = b"\n".to_vec();
    bytes.extend(input_bytes("zh_gbk.txt").repeat(1000));
    write(&f, &bytes);
    let r = run(mojifix().arg(&f));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_same_text(&r.out, &format!("\n{}", ZH.repeat(1000)));
}

#[test]
fn gbk_file_over_64k_is_decoded_when_the_prefix_ends_inside_a_character() {
    // zh_gbk.txt is 66 bytes: 65536 = 992 × 66 + 64, so the 64 KiB detection prefix ends after
    // the first byte of a character of the second line (33 + 30 + 1 bytes).
    let t = TempDir::new().unwrap();
    let f = t.path().join("big_gbk.txt");
    write(&f, &input_bytes("zh_gbk.txt").repeat(1000));
    let r = run(mojifix().arg("detect").arg(&f));
    assert!(r.text().contains(": GBK ("), "{}", r.text());
    let r = run(mojifix().arg(&f));
    assert_same_text(&r.out, &ZH.repeat(1000));
}
