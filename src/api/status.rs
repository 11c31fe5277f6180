//! [`crate::Error`] → `tonic::Status`: the one place that knows gRPC codes. The client's
//! mistakes become `INVALID_ARGUMENT` with a `google.rpc.BadRequest` listing every field
//! violation (field path, and the description prefixed by its stable code): validation's
//! violations, and the sites the travel step found too far from a road.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::error::Error;
use crate::travel::TravelError;
use crate::validate::Code as ViolationCode;

/// Maps a crate error to a gRPC status.
pub fn status(error: &Error) -> Status {
    match error {
        Error::Validation(violations) => invalid_argument(
            error,
            violations
                .0
                .iter()
                .map(|v| field_violation(&v.field, v.code, &v.description))
                .collect(),
        ),
        Error::Travel(TravelError::SitesOffRoad(off_road)) => invalid_argument(
            error,
            off_road
                .descriptions()
                .iter()
                .map(|(field, description)| {
                    field_violation(field, ViolationCode::OutOfRange, description)
                })
                .collect(),
        ),
        Error::Travel(TravelError::Osrm(_)) => Status::unavailable(error.to_string()),
        Error::Travel(_) => Status::failed_precondition(error.to_string()),
        Error::Solve(_) | Error::Pooling(_) | Error::Internal(_) => {
            Status::internal(error.to_string())
        }
    }
}

fn field_violation(field: &str, code: ViolationCode, description: &str) -> FieldViolation {
    FieldViolation::new(field, format!("[{}] {description}", code.as_str()))
}

fn invalid_argument(error: &Error, fields: Vec<FieldViolation>) -> Status {
    let message = format!("{} invalid field(s): {error}", fields.len());
    Status::with_error_details(
        Code::InvalidArgument,
        message,
        ErrorDetails::with_bad_request(fields),
    )
}
