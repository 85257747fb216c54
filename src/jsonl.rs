//! JSON Lines records: one field of each object goes through the pipeline, every other byte of
//! the record stays as it was (key order, escapes, number formatting, other fields).

use crate::pipeline::{fix_str, Options, Report};
use serde_json::value::RawValue;
use std::collections::HashMap;

/// The result of processing one record.
#[derive(Debug)]
pub struct Record {
    /// The record to write (without line ending): the input itself when nothing changed.
    pub line: String,
    /// What the pipeline did to the field; `None` when the record has no such string field.
    pub report: Option<Report>,
}

/// Why a line is not a record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not a JSON object")]
    NotObject,
}

/// Runs the pipeline on the string field `field` of the JSON object in `line` (no line ending).
/// Blank lines pass through. A missing or non-string field leaves the record as it is.
pub fn process_record(line: &str, field: &str, opts: &Options) -> Result<Record, RecordError> {
    if line.trim().is_empty() {
        return Ok(Record {
            line: line.to_string(),
            report: None,
        });
    }
    if !line.trim_start().starts_with('{') {
        // Validate to give the precise error, then refuse non-objects.
        serde_json::from_str::<&RawValue>(line)?;
        return Err(RecordError::NotObject);
    }
    let fields: HashMap<String, &RawValue> = serde_json::from_str(line)?;
    let Some(raw) = fields.get(field) else {
        return Ok(Record {
            line: line.to_string(),
            report: None,
        });
    };
    let raw = raw.get();
    let Ok(value) = serde_json::from_str::<String>(raw) else {
        return Ok(Record {
            line: line.to_string(),
            report: None,
        });
    };
    let (fixed, report) = fix_str(&value, opts);
    if fixed == value {
        return Ok(Record {
            line: line.to_string(),
            report: Some(report),
        });
    }
    // `raw` borrows from `line`: its address gives the span of the value.
    let start = raw.as_ptr() as usize - line.as_ptr() as usize;
    let end = start + raw.len();
    let mut out = String::with_capacity(line.len() + 16);
    out.push_str(&line[..start]);
    out.push_str(&serde_json::to_string(&fixed).expect("strings serialize"));
    out.push_str(&line[end..]);
    Ok(Record {
        line: out,
        report: Some(report),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_field_changes_and_everything_else_is_byte_identical() {
        let opts = Options::new();
        let line =
            r#"{"id": 1.50, "meta": {"text": "e\u0301"}, "text": "Cafe\u0301 ok", "z": "\u00e9"}"#;
        let r = process_record(line, "text", &opts).unwrap();
        assert_eq!(
            r.line,
            r#"{"id": 1.50, "meta": {"text": "e\u0301"}, "text": "Café ok", "z": "\u00e9"}"#
        );
    }

    #[test]
    fn unchanged_records_are_returned_verbatim() {
        let opts = Options::new();
        let line = r#"{ "text" : "clean \"text\" 中文" , "n":[1,2] }"#;
        assert_eq!(process_record(line, "text", &opts).unwrap().line, line);
        let other = r#"{"body": "no text field"}"#;
        let r = process_record(other, "text", &opts).unwrap();
        assert_eq!(r.line, other);
        assert!(r.report.is_none());
    }

    #[test]
    fn invalid_lines_are_errors() {
        let opts = Options::new();
        assert!(matches!(
            process_record("{\"text\": ", "text", &opts),
            Err(RecordError::Json(_))
        ));
        assert!(matches!(
            process_record("[1, 2]", "text", &opts),
            Err(RecordError::NotObject)
        ));
        assert!(process_record("", "text", &opts).is_ok());
    }
}
