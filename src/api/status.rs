//! [`crate::Error`] → `tonic::Status`: the one place that knows gRPC codes. The client's
//! mistakes become `INVALID_ARGUMENT` with a `google.rpc.BadRequest` listing the field
//! violations (field path, and the description prefixed by its stable code): validation's
//! violations, and the sites the travel step found too far from a road.
//!
//! Whatever the input, what goes back stays small enough for every client to read (gRPC
//! libraries refuse trailers above 16 KiB): at most [`MAX_LISTED_VIOLATIONS`] violations
//! in request order, then one entry on the field `request` counting the others; each
//! field path and description cut to a few hundred bytes; `grpc-message` one short line
//! naming the first violation. Errors from an OSRM server never echo its answer or its
//! URL (see [`osrm_message`]). A busy server (solvers and queue, or the bytes of requests
//! it holds), or a key at its own limit, answers
//! `RESOURCE_EXHAUSTED` with a `google.rpc.RetryInfo`; a call whose deadline passed in
//! the queue, `DEADLINE_EXCEEDED`.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::error::Error;
use crate::travel::TravelError;
use crate::travel::osrm::OsrmError;
use crate::validate::Code as ViolationCode;

/// Most field violations listed in one answer; the rest are counted.
pub const MAX_LISTED_VIOLATIONS: usize = 50;
/// Longest field path or description in the details, bytes.
const MAX_TEXT_BYTES: usize = 120;
/// Longest `grpc-message`, bytes.
const MAX_MESSAGE_BYTES: usize = 300;

/// Maps a crate error to a gRPC status.
pub fn status(error: &Error) -> Status {
    match error {
        Error::Validation(violations) => invalid_argument(
            violations
                .0
                .iter()
                .map(|v| (v.field.clone(), v.code, v.description.clone())),
        ),
        Error::Travel(TravelError::SitesOffRoad(off_road)) => invalid_argument(
            off_road
                .descriptions()
                .into_iter()
                .map(|(field, description)| (field, ViolationCode::OffRoad, description)),
        ),
        Error::Travel(TravelError::Osrm(osrm)) => {
            Status::unavailable(osrm_message("configured by the operator", osrm))
        }
        Error::Travel(TravelError::RequestOsrm(osrm)) => {
            Status::unavailable(osrm_message("named in travel.osrm.url", osrm))
        }
        Error::Travel(_) => Status::failed_precondition(cut(&error.to_string(), MAX_MESSAGE_BYTES)),
        Error::Busy { retry_after_ms }
        | Error::KeyBusy { retry_after_ms, .. }
        | Error::KeyRateLimited { retry_after_ms, .. }
        | Error::BytesBusy { retry_after_ms, .. } => busy(error, *retry_after_ms),
        Error::QueuedPastDeadline => Status::deadline_exceeded(error.to_string()),
        Error::Solve(_) | Error::Internal(_) => {
            Status::internal(cut(&error.to_string(), MAX_MESSAGE_BYTES))
        }
    }
}

/// `RESOURCE_EXHAUSTED` with a `google.rpc.RetryInfo` saying when to try again.
fn busy(error: &Error, retry_after_ms: u64) -> Status {
    let details =
        ErrorDetails::with_retry_info(Some(std::time::Duration::from_millis(retry_after_ms)));
    Status::with_error_details(Code::ResourceExhausted, error.to_string(), details)
}

/// What a caller learns of an OSRM failure: which server (the operator's, or the one the
/// request named) and the kind of failure, never the server's answer nor its URL, so the
/// server cannot be used to read private pages or to tell closed ports from open ones.
pub fn osrm_message(which: &str, error: &OsrmError) -> String {
    let failure = match error {
        OsrmError::Unavailable { .. } => "is unreachable (refused, timed out or not HTTP)".into(),
        OsrmError::Answer { code, .. } if is_osrm_code(code) => format!("answered {code}"),
        OsrmError::Answer { code, .. } if code.starts_with("HTTP ") => {
            format!("answered {}", cut(code, 16))
        }
        OsrmError::Answer { .. } => "did not answer like an OSRM server".into(),
    };
    format!("the OSRM server {which} {failure}")
}

/// OSRM's own codes (`TooBig`, `NoSegment`…), and our `BadAnswer` / `TooManyRequests`:
/// short words, safe to pass on.
fn is_osrm_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 32 && code.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `INVALID_ARGUMENT` listing the first violations and counting the rest.
fn invalid_argument(violations: impl Iterator<Item = (String, ViolationCode, String)>) -> Status {
    let mut fields = Vec::new();
    let mut total = 0usize;
    let mut first = String::new();
    for (field, code, description) in violations {
        if total == 0 {
            first = format!("{field}: [{}] {description}", code.as_str());
        }
        total += 1;
        if fields.len() < MAX_LISTED_VIOLATIONS {
            fields.push(FieldViolation::new(
                cut(&field, MAX_TEXT_BYTES),
                cut(
                    &format!("[{}] {description}", code.as_str()),
                    MAX_TEXT_BYTES,
                ),
            ));
        }
    }
    if total > fields.len() {
        let more = total - fields.len();
        fields.push(FieldViolation::new(
            "request",
            format!("[truncated] {more} more violations"),
        ));
    }
    let message = cut(
        &format!("{total} invalid field(s); first: {first}"),
        MAX_MESSAGE_BYTES,
    );
    Status::with_error_details(
        Code::InvalidArgument,
        message,
        ErrorDetails::with_bad_request(fields),
    )
}

/// `text` cut to at most `max_bytes` bytes on a character boundary, marked with `…`.
fn cut(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let mut end = max_bytes.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Violation, Violations};

    #[test]
    fn lists_the_first_violations_and_counts_the_rest() {
        let violations = (0..1000)
            .map(|i| Violation {
                code: ViolationCode::Negative,
                field: format!("sites[{i}].{}", "x".repeat(500)),
                description: "é".repeat(1000),
            })
            .collect();
        let status = status(&Error::Validation(Violations(violations)));
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(status.message().len() <= MAX_MESSAGE_BYTES);
        assert!(
            status
                .message()
                .starts_with("1000 invalid field(s); first: sites[0].")
        );
        let bad = status.get_details_bad_request().expect("details");
        assert_eq!(bad.field_violations.len(), MAX_LISTED_VIOLATIONS + 1);
        let last = &bad.field_violations[MAX_LISTED_VIOLATIONS];
        assert_eq!(
            (last.field.as_str(), last.description.as_str()),
            ("request", "[truncated] 950 more violations")
        );
        assert!(
            bad.field_violations
                .iter()
                .all(|v| v.description.len() <= MAX_TEXT_BYTES)
        );
    }

    #[test]
    fn osrm_errors_echo_neither_the_answer_nor_the_url() {
        let url = "http://10.0.0.1:8080/admin".to_string();
        let errors = [
            OsrmError::Unavailable {
                url: url.clone(),
                message: "Connection refused".into(),
            },
            OsrmError::Answer {
                url: url.clone(),
                code: "HTTP 404".into(),
                message: "secret".into(),
            },
            OsrmError::Answer {
                url: url.clone(),
                code: "<html>secret".into(),
                message: "secret".into(),
            },
            OsrmError::Answer {
                url: url.clone(),
                code: "TooBig".into(),
                message: "secret".into(),
            },
        ];
        for error in &errors {
            let message = osrm_message("named in travel.osrm.url", error);
            assert!(
                !message.contains("secret") && !message.contains("10.0.0.1"),
                "{message}"
            );
        }
        assert_eq!(
            osrm_message("configured by the operator", &errors[3]),
            "the OSRM server configured by the operator answered TooBig"
        );
    }
}
