//! HTTP's side of a failed call: the gRPC [`Status`] the call ended with (built by
//! `api::status`, the one place that maps the crate's errors) turned into an HTTP status
//! and a JSON body, so that HTTP says exactly what gRPC says:
//!
//! ```json
//! {"code": "INVALID_ARGUMENT", "message": "…",
//!  "violations": [{"field": "sites[0].id", "reason": "missing", "description": "…"}],
//!  "more": 0}
//! ```
//!
//! The violations are the status's `google.rpc.BadRequest` entries, each description
//! split back into its stable reason code and its text; the entry `api::status` adds
//! to count the violations it did not list becomes `more`. A status with a
//! `google.rpc.RetryInfo` (a full queue) gets a `Retry-After` header.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tonic::{Code, Status};
use tonic_types::StatusExt;

/// The field `api::status` names for the entry that counts unlisted violations.
const TRUNCATED_FIELD: &str = "request";
/// That entry's reason.
const TRUNCATED_REASON: &str = "truncated";

/// One bad field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldViolation {
    /// Path in the request (`shipments[3].delivery.time_windows[0]`).
    pub field: String,
    /// The stable code of the rule (`missing`, `window_order`…), empty when none.
    pub reason: String,
    /// What is wrong and how to fix it.
    pub description: String,
}

/// A failed call's JSON body, with the HTTP status and retry delay that go with it.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    /// The HTTP status (not in the body).
    #[serde(skip)]
    pub http: StatusCode,
    /// When a retry may find room, seconds (the `Retry-After` header, not in the body).
    #[serde(skip)]
    pub retry_after_s: Option<u64>,
    /// The gRPC code's name (`INVALID_ARGUMENT`).
    pub code: &'static str,
    /// One line for people.
    pub message: String,
    /// The bad fields, in request order, at most `api::status::MAX_LISTED_VIOLATIONS`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<FieldViolation>,
    /// How many more violations there are than listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl ApiError {
    /// A plain error: `code` and `message`, the HTTP status mirroring the code.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        ApiError {
            http: http_status(code),
            retry_after_s: None,
            code: code_name(code),
            message: message.into(),
            violations: Vec::new(),
            more: 0,
        }
    }

    /// What a gRPC client would be told, as HTTP.
    pub fn from_status(status: &Status) -> Self {
        let mut error = ApiError::new(status.code(), status.message());
        if let Some(bad_request) = status.get_details_bad_request() {
            for violation in bad_request.field_violations {
                let (reason, description) = split_reason(&violation.description);
                match (violation.field.as_str(), reason) {
                    (TRUNCATED_FIELD, TRUNCATED_REASON) => error.more = leading_count(description),
                    _ => error.violations.push(FieldViolation {
                        field: violation.field,
                        reason: reason.to_string(),
                        description: description.to_string(),
                    }),
                }
            }
        }
        error.retry_after_s = status
            .get_details_retry_info()
            .and_then(|retry| retry.retry_delay)
            // A whole second at least: `Retry-After` counts seconds, and 0 invites a spin.
            .map(|delay| delay.as_millis().div_ceil(1000).max(1) as u64);
        error
    }

    /// The same error with another HTTP status (413 for a body over the limit, where
    /// the gRPC code alone would say 400).
    pub fn with_http(self, http: StatusCode) -> Self {
        ApiError { http, ..self }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after_s;
        let mut response = super::json_response(self.http, &self);
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// `"[reason] text"` (how `api::status` writes a violation) → `("reason", "text")`;
/// `("", text)` for text without a reason.
fn split_reason(text: &str) -> (&str, &str) {
    text.strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
        .unwrap_or(("", text))
}

/// The number a text starts with (`"950 more violations"` → 950), 0 when none.
fn leading_count(text: &str) -> usize {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// The HTTP status that mirrors a gRPC code (as Google's HTTP/JSON APIs map them).
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        // nginx's "client closed request": the caller went away.
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The gRPC code's canonical name, as in `google.rpc.Code`.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::status::{MAX_LISTED_VIOLATIONS, status};
    use crate::error::Error;
    use crate::validate::{Code as Rule, Violation, Violations};

    #[test]
    fn says_what_the_grpc_status_says() {
        let violations = (0..MAX_LISTED_VIOLATIONS + 7)
            .map(|i| Violation {
                code: Rule::Negative,
                field: format!("sites[{i}].service_s"),
                description: "must not be negative".into(),
            })
            .collect();
        let error = ApiError::from_status(&status(&Error::Validation(Violations(violations))));
        assert_eq!(
            (error.http, error.code),
            (StatusCode::BAD_REQUEST, "INVALID_ARGUMENT")
        );
        assert_eq!(error.violations.len(), MAX_LISTED_VIOLATIONS);
        assert_eq!(error.more, 7);
        assert_eq!(
            error.violations[3],
            FieldViolation {
                field: "sites[3].service_s".into(),
                reason: "negative".into(),
                description: "must not be negative".into(),
            }
        );
        let busy = ApiError::from_status(&status(&Error::Busy {
            retry_after_ms: 1_500,
        }));
        assert_eq!(busy.http, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(busy.retry_after_s, Some(2));
        let late = ApiError::from_status(&status(&Error::QueuedPastDeadline));
        assert_eq!(late.http, StatusCode::GATEWAY_TIMEOUT);
    }
}
