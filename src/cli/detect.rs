//! `mojifix detect`: the encoding of each input, how it was decided, and a confidence.

use super::walk::{inputs, Input};
use super::{is_broken_pipe, DetectArgs, DetectFormat, Status};
use mojifix::decode::{detect, DecodeOptions};
use std::fs::File;
use std::io::{self, Read, Write};
use std::process::ExitCode;

pub fn run(args: &DetectArgs) -> ExitCode {
    let mut status = Status::default();
    let opts = DecodeOptions {
        tld: args.tld.clone(),
        ..DecodeOptions::default()
    };
    let list = inputs(&args.paths, args.hidden, args.no_ignore, &mut |e| {
        status.error(e)
    });
    let mut out = io::stdout().lock();
    for input in &list {
        let prefix = match read_prefix(input, opts.prefix_len + 1) {
            Ok(p) => p,
            Err(e) => {
                status.error(format!("{}: {e}", input.display()));
                continue;
            }
        };
        let complete = prefix.len() <= opts.prefix_len;
        let prefix = &prefix[..prefix.len().min(opts.prefix_len)];
        let det = detect(prefix, complete, &opts, false);
        let line = match args.format {
            DetectFormat::Human => {
                let fallback = det
                    .fallback
                    .map_or(String::new(), |f| format!(", other lines {}", f.name()));
                format!(
                    "{}: {} ({}, confidence {:.2}{fallback})",
                    input.display(),
                    if det.is_binary() {
                        "binary".to_string()
                    } else {
                        det.charset.name()
                    },
                    det.method.as_str(),
                    det.confidence
                )
            }
            DetectFormat::Json => serde_json::json!({
                "path": input.display(),
                "encoding": if det.is_binary() { None } else { Some(det.charset.name()) },
                "method": det.method.as_str(),
                "confidence": (f64::from(det.confidence) * 1000.0).round() / 1000.0,
                "fallback": det.fallback.map(|f| f.name()),
                "bom": det.bom_len > 0,
            })
            .to_string(),
        };
        if let Err(e) = writeln!(out, "{line}") {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            status.error(e);
            break;
        }
    }
    status.exit_code()
}

fn read_prefix(input: &Input, limit: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    match input {
        Input::Stdin => io::stdin()
            .lock()
            .take(limit as u64)
            .read_to_end(&mut buf)?,
        Input::File { path, .. } => File::open(path)?.take(limit as u64).read_to_end(&mut buf)?,
    };
    Ok(buf)
}
