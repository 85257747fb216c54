//! mojifix turns messy text into clean UTF-8.
//!
//! The pipeline is **bytes → [decode] → [repair] → [normalize] → UTF-8**, one module per stage.
//! [`pipeline::Fixer`] runs it streaming; [`fix_bytes`] and [`fix_str`] run it on a buffer.
//!
//! ```
//! let gbk = b"\xd6\xd0\xce\xc4\xc4\xda\xc8\xdd\n"; // "中文内容" in GBK
//! let (out, report) = mojifix::fix_bytes(gbk, &mojifix::Options::new());
//! assert_eq!(out, "中文内容\n".as_bytes());
//! assert_eq!(report.detection.unwrap().charset.name(), "GBK");
//! ```

pub mod charset;
pub mod decode;
pub mod jsonl;
pub mod normalize;
pub mod pipeline;
pub mod repair;

pub use charset::Charset;
pub use pipeline::{fix_bytes, fix_str, Change, Event, Fixer, Options, Report};
