//! `mojifix fix` (the default command) and `mojifix explain`.

use super::walk::{inputs, Input};
use super::{is_broken_pipe, FixArgs, PipelineArgs, Status};
use mojifix::jsonl::process_record;
use mojifix::{Fixer, Options, Report};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const CHUNK: usize = 64 * 1024;

/// Why processing one input stopped.
enum Failure {
    Read(io::Error),
    Write(io::Error),
}

/// What processing one input gave.
struct Outcome {
    report: Report,
    /// Per record problems found in JSONL input (invalid JSON lines).
    bad_records: u64,
}

pub fn run(args: &FixArgs) -> ExitCode {
    let mut status = Status::default();
    let opts = args.pipeline.options();
    let list = inputs(&args.paths, args.hidden, args.no_ignore, &mut |e| {
        status.error(e)
    });
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(CHUNK, stdout.lock());
    for input in &list {
        let result = match (input, &args.output, args.in_place) {
            (Input::File { path, .. }, None, true) => in_place(path, args, &opts),
            (Input::File { path, relative }, Some(dir), _) => {
                to_directory(path, &dir.join(relative), args, &opts)
            }
            (Input::Stdin, Some(dir), _) => {
                to_directory_from_stdin(&dir.join("stdin"), args, &opts)
            }
            (Input::Stdin, _, _) => process(&mut io::stdin().lock(), &mut out, args, &opts),
            (Input::File { path, .. }, None, false) => match File::open(path) {
                Ok(mut f) => process(&mut f, &mut out, args, &opts),
                Err(e) => Err(Failure::Read(e)),
            },
        };
        match result {
            Ok(outcome) => note(&input.display(), &outcome, args, &mut status),
            Err(Failure::Write(e)) if is_broken_pipe(&e) => return ExitCode::SUCCESS,
            Err(Failure::Read(e)) => status.error(format!("{}: {e}", input.display())),
            Err(Failure::Write(e)) => status.error(format!("{}: {e}", input.display())),
        }
    }
    if let Err(e) = out.flush() {
        if is_broken_pipe(&e) {
            return ExitCode::SUCCESS;
        }
        status.error(format!("<stdout>: {e}"));
    }
    status.exit_code()
}

/// Prints what is worth saying about one input and records it in the status.
fn note(name: &str, outcome: &Outcome, args: &FixArgs, status: &mut Status) {
    let r = &outcome.report;
    let mut err = io::stderr().lock();
    if r.is_binary() {
        if !args.quiet {
            let _ = writeln!(
                err,
                "mojifix: {name}: skipped: binary file (--binary processes it)"
            );
        }
        return;
    }
    if args.explain {
        for e in &r.events {
            let _ = writeln!(err, "{name}:{}: {}", e.line, e.change);
        }
        if r.events_dropped > 0 {
            let _ = writeln!(err, "{name}: … and {} more changes", r.events_dropped);
        }
    }
    if r.has_problems() || outcome.bad_records > 0 {
        status.reported = true;
    }
    if r.malformed > 0 && !args.quiet && !args.explain {
        let first = r
            .events
            .iter()
            .find(|e| matches!(e.change, mojifix::Change::Malformed { .. }));
        let at = first.map_or(String::new(), |e| format!(", first on line {}", e.line));
        let _ = writeln!(
            err,
            "mojifix: {name}: {} undecodable byte sequence(s) replaced by U+FFFD{at}",
            r.malformed
        );
    }
}

/// Runs the pipeline from `reader` to `writer`.
fn process(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    args: &FixArgs,
    opts: &Options,
) -> Result<Outcome, Failure> {
    if args.jsonl {
        return process_jsonl(reader, writer, args, opts);
    }
    let mut fixer = Fixer::new(opts);
    let mut buf = vec![0u8; CHUNK];
    let mut out = Vec::with_capacity(CHUNK * 2);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Read(e)),
        };
        fixer.push(&buf[..n], &mut out);
        if fixer.detection().is_some_and(|d| d.is_binary()) {
            break;
        }
        writer.write_all(&out).map_err(Failure::Write)?;
        out.clear();
    }
    let report = fixer.finish(&mut out);
    writer.write_all(&out).map_err(Failure::Write)?;
    Ok(Outcome {
        report,
        bad_records: 0,
    })
}

/// JSON Lines: each line is a record; bad lines are reported and passed through.
fn process_jsonl(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    args: &FixArgs,
    opts: &Options,
) -> Result<Outcome, Failure> {
    let mut reader = BufReader::with_capacity(CHUNK, reader);
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut total = Report::default();
    let mut bad_records = 0;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(Failure::Read)?;
        if n == 0 {
            break;
        }
        number += 1;
        total.bytes_in += n as u64;
        let body_len = line.len() - line.ends_with(b"\n") as usize;
        let body_len = body_len - line[..body_len].ends_with(b"\r") as usize;
        let (body, ending) = line.split_at(body_len);
        let result = match std::str::from_utf8(body) {
            Ok(text) => process_record(text, &args.field, opts).map_err(|e| e.to_string()),
            Err(e) => Err(format!("not UTF-8 ({e})")),
        };
        match result {
            Ok(rec) => {
                writer
                    .write_all(rec.line.as_bytes())
                    .map_err(Failure::Write)?;
                if let Some(r) = rec.report {
                    if args.explain {
                        let mut err = io::stderr().lock();
                        for e in &r.events {
                            let _ = writeln!(err, "record {number}: line {}: {}", e.line, e.change);
                        }
                    }
                    total.lines_changed += r.lines_changed;
                    total.repairs += r.repairs;
                }
            }
            Err(msg) => {
                bad_records += 1;
                if !args.quiet {
                    let _ = writeln!(
                        io::stderr(),
                        "mojifix: line {number}: {msg}; passed through"
                    );
                }
                writer.write_all(body).map_err(Failure::Write)?;
            }
        }
        writer.write_all(ending).map_err(Failure::Write)?;
        total.lines += 1;
    }
    Ok(Outcome {
        report: total,
        bad_records,
    })
}

/// Rewrites `path` atomically: the output goes to a temporary file in the same directory, which
/// is synced and renamed over the original with its permissions. A file that needs no change is
/// not touched.
fn in_place(path: &Path, args: &FixArgs, opts: &Options) -> Result<Outcome, Failure> {
    let mut input = File::open(path).map_err(Failure::Read)?;
    let meta = input.metadata().map_err(Failure::Read)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".mojifix-")
        .tempfile_in(dir)
        .map_err(Failure::Write)?;
    let outcome = {
        let mut w = BufWriter::with_capacity(CHUNK, tmp.as_file_mut());
        let o = process(&mut input, &mut w, args, opts)?;
        w.flush().map_err(Failure::Write)?;
        o
    };
    if outcome.report.is_binary() || same_contents(path, tmp.path()).map_err(Failure::Read)? {
        return Ok(outcome); // the temporary file is removed on drop
    }
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(Failure::Write)?;
    tmp.as_file().sync_all().map_err(Failure::Write)?;
    tmp.persist(path).map_err(|e| Failure::Write(e.error))?;
    Ok(outcome)
}

/// Writes the output for `path` to `target` (directories created), atomically.
fn to_directory(
    path: &Path,
    target: &Path,
    args: &FixArgs,
    opts: &Options,
) -> Result<Outcome, Failure> {
    let mut input = File::open(path).map_err(Failure::Read)?;
    write_atomic(&mut input, target, args, opts)
}

fn to_directory_from_stdin(
    target: &Path,
    args: &FixArgs,
    opts: &Options,
) -> Result<Outcome, Failure> {
    write_atomic(&mut io::stdin().lock(), target, args, opts)
}

fn write_atomic(
    input: &mut dyn Read,
    target: &Path,
    args: &FixArgs,
    opts: &Options,
) -> Result<Outcome, Failure> {
    let dir = target
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&dir).map_err(Failure::Write)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".mojifix-")
        .tempfile_in(&dir)
        .map_err(Failure::Write)?;
    let outcome = {
        let mut w = BufWriter::with_capacity(CHUNK, tmp.as_file_mut());
        let o = process(input, &mut w, args, opts)?;
        w.flush().map_err(Failure::Write)?;
        o
    };
    if outcome.report.is_binary() {
        return Ok(outcome);
    }
    tmp.as_file().sync_all().map_err(Failure::Write)?;
    tmp.persist(target).map_err(|e| Failure::Write(e.error))?;
    Ok(outcome)
}

fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    let (ma, mb) = (fs::metadata(a)?, fs::metadata(b)?);
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let mut ra = BufReader::with_capacity(CHUNK, File::open(a)?);
    let mut rb = BufReader::with_capacity(CHUNK, File::open(b)?);
    loop {
        let ba = ra.fill_buf()?;
        let bb = rb.fill_buf()?;
        if ba.is_empty() || bb.is_empty() {
            return Ok(ba.is_empty() && bb.is_empty());
        }
        let n = ba.len().min(bb.len());
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
        ra.consume(n);
        rb.consume(n);
    }
}

/// `mojifix explain`: the fixed text on stdout, then every change, one per line.
pub fn explain(text: Option<&str>, pipeline: &PipelineArgs) -> ExitCode {
    let opts = pipeline.options();
    let (fixed, report) = match text {
        Some(t) => {
            let (s, r) = mojifix::fix_str(t, &opts);
            (s.into_bytes(), r)
        }
        None => {
            let mut input = Vec::new();
            if let Err(e) = io::stdin().read_to_end(&mut input) {
                let mut st = Status::default();
                st.error(format!("<stdin>: {e}"));
                return st.exit_code();
            }
            mojifix::fix_bytes(&input, &opts)
        }
    };
    let mut out = io::stdout().lock();
    let mut write = || -> io::Result<()> {
        if let Some(d) = &report.detection {
            writeln!(
                out,
                "input: {} ({}, confidence {:.2})",
                d.charset.name(),
                d.method.as_str(),
                d.confidence
            )?;
        }
        if report.events.is_empty() {
            writeln!(out, "no changes")?;
        }
        for e in &report.events {
            writeln!(out, "line {}: {}", e.line, e.change)?;
        }
        out.write_all(b"output: ")?;
        out.write_all(&fixed)?;
        if !fixed.ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
        out.flush()
    };
    match write() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut st = Status::default();
            st.error(e);
            st.exit_code()
        }
    }
}
