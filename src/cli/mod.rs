//! Argument parsing and dispatch.

mod detect;
mod fix;
mod walk;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mojifix::charset::Charset;
use mojifix::decode::DecodeOptions;
use mojifix::normalize::{Form, Newlines, NormalizeOptions};
use mojifix::Options;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "mojifix",
    version,
    about = "Turn messy text into clean UTF-8: detect the charset, repair mojibake, normalize.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Plain `mojifix [PATH…]` is `mojifix fix [PATH…]`.
    #[command(flatten)]
    fix: FixArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode, repair and normalize files or stdin into UTF-8 (the default command).
    Fix(FixArgs),
    /// Print the detected encoding of each file.
    Detect(DetectArgs),
    /// Show the plan of every change mojifix would make to TEXT (or stdin).
    Explain(ExplainArgs),
}

#[derive(Args, Debug, Clone)]
pub struct PipelineArgs {
    /// Decode input as this encoding instead of detecting it (WHATWG labels, cp437, utf-32le…).
    #[arg(long, value_name = "LABEL", value_parser = parse_charset)]
    pub encoding: Option<Charset>,
    /// Top-level domain the input came from, as a detection hint (cn, jp, ru…).
    #[arg(long, value_name = "TLD")]
    pub tld: Option<String>,
    /// Unicode normalization form.
    #[arg(long, value_enum, default_value_t = FormArg::Nfc)]
    pub normalize: FormArg,
    /// Keep C0 control characters (by default all but tab, LF and CR are removed).
    #[arg(long)]
    pub keep_controls: bool,
    /// Convert line endings.
    #[arg(long, value_enum, default_value_t = NewlinesArg::Keep)]
    pub newlines: NewlinesArg,
    /// Do not repair mojibake (decode and normalize only).
    #[arg(long)]
    pub no_repair: bool,
    /// Process files that look binary (NUL bytes that are not UTF-16/32) instead of skipping them.
    #[arg(long)]
    pub binary: bool,
}

#[derive(Args, Debug, Clone)]
pub struct FixArgs {
    /// Files or directories (walked recursively, honouring .gitignore). None or `-`: stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write each output file into DIR, at the same relative path.
    #[arg(short, long, value_name = "DIR", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,
    /// Rewrite files in place (atomically; files that need no change are not touched).
    #[arg(long)]
    pub in_place: bool,
    /// Input is JSON Lines: run the pipeline on one string field of each object.
    #[arg(long)]
    pub jsonl: bool,
    /// The JSON field to process with --jsonl.
    #[arg(long, default_value = "text", requires = "jsonl")]
    pub field: String,
    /// Print every change made, with its place, on stderr.
    #[arg(long)]
    pub explain: bool,
    /// Walk hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,
    /// Do not honour .gitignore / .ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

#[derive(Args, Debug)]
struct DetectArgs {
    /// Files or directories. None or `-`: stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DetectFormat::Human)]
    format: DetectFormat,
    /// Top-level domain hint (cn, jp, ru…).
    #[arg(long, value_name = "TLD")]
    tld: Option<String>,
    /// Walk hidden files and directories too.
    #[arg(long)]
    hidden: bool,
    /// Do not honour .gitignore / .ignore files.
    #[arg(long)]
    no_ignore: bool,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// The text to explain; read from stdin (as raw bytes, detection included) when absent.
    text: Option<String>,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormArg {
    None,
    Nfc,
    Nfkc,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewlinesArg {
    Keep,
    Lf,
    Crlf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum DetectFormat {
    Human,
    Json,
}

fn parse_charset(s: &str) -> Result<Charset, String> {
    Charset::for_label(s).ok_or_else(|| format!("unknown encoding label {s:?}"))
}

impl PipelineArgs {
    pub fn options(&self) -> Options {
        Options {
            decode: DecodeOptions {
                encoding: self.encoding,
                tld: self.tld.clone(),
                ..DecodeOptions::default()
            },
            normalize: NormalizeOptions {
                form: match self.normalize {
                    FormArg::None => Form::None,
                    FormArg::Nfc => Form::Nfc,
                    FormArg::Nfkc => Form::Nfkc,
                },
                remove_controls: !self.keep_controls,
                newlines: match self.newlines {
                    NewlinesArg::Keep => Newlines::Keep,
                    NewlinesArg::Lf => Newlines::Lf,
                    NewlinesArg::Crlf => Newlines::Crlf,
                },
            },
            repair: !self.no_repair,
            allow_binary: self.binary,
        }
    }
}

/// What a run found, which decides the exit status: 0 nothing, 1 something reported in the
/// input, 2 a usage or I/O error.
#[derive(Default)]
pub struct Status {
    pub reported: bool,
    pub errors: bool,
}

impl Status {
    pub fn exit_code(&self) -> ExitCode {
        if self.errors {
            ExitCode::from(2)
        } else if self.reported {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Reports an error that does not stop the run.
    pub fn error(&mut self, msg: impl std::fmt::Display) {
        self.errors = true;
        let _ = writeln!(io::stderr(), "mojifix: error: {msg}");
    }
}

/// True for the error a write to a closed pipe gives (`mojifix big.txt | head`).
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Some(Command::Fix(args)) => fix::run(&args),
        None => fix::run(&cli.fix),
        Some(Command::Detect(args)) => detect::run(&args),
        Some(Command::Explain(args)) => fix::explain(args.text.as_deref(), &args.pipeline),
    }
}
