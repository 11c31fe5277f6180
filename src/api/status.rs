//! [`crate::Error`] → `tonic::Status`: the one place that knows gRPC codes. Validation
//! errors become `INVALID_ARGUMENT` with a `google.rpc.BadRequest` listing every field
//! violation (field path, and the description prefixed by its stable code).

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::error::Error;

/// Maps a crate error to a gRPC status.
pub fn status(error: &Error) -> Status {
    match error {
        Error::Validation(violations) => {
            let fields: Vec<FieldViolation> = violations
                .0
                .iter()
                .map(|v| {
                    FieldViolation::new(
                        v.field.clone(),
                        format!("[{}] {}", v.code.as_str(), v.description),
                    )
                })
                .collect();
            let message = format!("{} invalid field(s): {}", fields.len(), error);
            Status::with_error_details(
                Code::InvalidArgument,
                message,
                ErrorDetails::with_bad_request(fields),
            )
        }
        Error::Solve(inner) => Status::internal(inner.to_string()),
        Error::Pooling(inner) => Status::internal(inner.to_string()),
        Error::Travel(inner) => match inner {
            crate::travel::TravelError::Osrm(_) => Status::unavailable(inner.to_string()),
            _ => Status::failed_precondition(inner.to_string()),
        },
        Error::Internal(message) => Status::internal(message.clone()),
    }
}
