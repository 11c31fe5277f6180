//! `GET /v1/roads?bbox=minLon,minLat,maxLon,maxLat`: the server's road graph (`serve
//! --osm`) inside a box, as encoded polylines (precision 5, as tour geometry), for the
//! planner page to draw the roads under the tours with no tile server and no network.
//!
//! ```json
//! {"source": "liechtenstein.osm.pbf", "roads": ["_p~iF~ps|U_ulLnnqC", …]}
//! ```
//!
//! A server without a road graph answers `{"source": "", "roads": []}`. A box holding
//! more than [`MAX_ROAD_SEGMENTS`] road segments is 400 `INVALID_ARGUMENT` at `bbox`
//! (zoom in), so one call never ships a country; a malformed box likewise.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tonic::Code;

use super::Http;
use super::call::admit;
use super::error::{ApiError, FieldViolation};
use crate::roads::extent::BoundingBox;

/// The most road segments (node to node) one answer holds.
pub const MAX_ROAD_SEGMENTS: usize = 50_000;

/// `GET /v1/roads?bbox=…`.
pub async fn roads(State(http): State<Http>, headers: HeaderMap, uri: Uri) -> Response {
    let answer = async {
        admit(&http.authenticator, &headers)?;
        let text = super::operations::query(&uri, "bbox").unwrap_or_default();
        let bbox = parse_bbox(&text)?;
        let Some(osm) = http.routing.travel.osm.clone() else {
            return Ok::<_, ApiError>(json!({"source": "", "roads": []}));
        };
        tokio::task::spawn_blocking(move || {
            let network = osm
                .load()
                .map_err(|error| ApiError::new(Code::Unavailable, error.to_string()))?;
            let lines = network
                .roads_within(&bbox, MAX_ROAD_SEGMENTS)
                .map_err(too_many)?;
            let roads: Vec<String> = lines
                .iter()
                .map(|line| crate::travel::encode_polyline5(line))
                .collect();
            let source = network.source.display().to_string();
            Ok(json!({"source": source, "roads": roads}))
        })
        .await
        .map_err(|error| ApiError::new(Code::Internal, error.to_string()))?
    };
    match answer.await {
        Ok(body) => super::json_response(StatusCode::OK, &body),
        Err(error) => error.into_response(),
    }
}

/// `minLon,minLat,maxLon,maxLat` in degrees, west < east, south < north.
fn parse_bbox(text: &str) -> Result<BoundingBox, ApiError> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad_bbox(text, "four numbers"))?;
    let [min_lon_deg, min_lat_deg, max_lon_deg, max_lat_deg] = numbers[..] else {
        return Err(bad_bbox(text, "four numbers"));
    };
    let longitudes =
        (-180.0..=180.0).contains(&min_lon_deg) && (-180.0..=180.0).contains(&max_lon_deg);
    let latitudes = (-90.0..=90.0).contains(&min_lat_deg) && (-90.0..=90.0).contains(&max_lat_deg);
    if !(longitudes && latitudes && min_lon_deg < max_lon_deg && min_lat_deg < max_lat_deg) {
        return Err(bad_bbox(text, "degrees with west < east and south < north"));
    }
    Ok(BoundingBox {
        min_lon_deg,
        min_lat_deg,
        max_lon_deg,
        max_lat_deg,
    })
}

/// A malformed `bbox`.
fn bad_bbox(text: &str, wanted: &str) -> ApiError {
    let description = format!("bbox=minLon,minLat,maxLon,maxLat wants {wanted}, not {text:?}");
    bbox_error("bad_bbox", description)
}

/// A box with more roads than one answer holds.
fn too_many(segments: usize) -> ApiError {
    let description = format!(
        "the box holds {segments} road segments, more than the {MAX_ROAD_SEGMENTS} one answer holds: ask for a smaller box"
    );
    bbox_error("too_large", description)
}

fn bbox_error(reason: &str, description: String) -> ApiError {
    let mut error = ApiError::new(Code::InvalidArgument, description.clone());
    error.violations.push(FieldViolation {
        field: "bbox".to_string(),
        reason: reason.to_string(),
        description,
    });
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_box_and_names_what_is_wrong() {
        let bbox = parse_bbox("9.47,47.04,9.64,47.27").unwrap();
        assert_eq!((bbox.min_lon_deg, bbox.max_lat_deg), (9.47, 47.27));
        for bad in ["", "1,2,3", "9.6,47,9.4,47.2", "a,b,c,d", "0,95,1,96"] {
            let error = parse_bbox(bad).unwrap_err();
            assert_eq!(error.violations[0].field, "bbox", "{bad}");
        }
    }
}
