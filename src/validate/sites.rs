//! Sites: location (coordinates or matrix index), windows, setup and service times.

use super::options::TravelKind;
use super::violation::{Code, Collector};
use crate::domain::{Site, SiteKind};
use crate::pb;

/// Validates sites; a site's `matrix_index` is its supplied index, or its position when
/// the matrix is computed from coordinates.
pub fn sites(collector: &mut Collector, sites: &[pb::Site], travel: TravelKind) -> Vec<Site> {
    sites
        .iter()
        .enumerate()
        .map(|(index, site)| {
            let field = format!("sites[{index}]");
            let (coordinates_deg, matrix_index) = location(collector, &field, site, index, travel);
            Site {
                id: site.id.clone(),
                name: site.name.clone(),
                kind: match pb::SiteKind::try_from(site.kind) {
                    Ok(pb::SiteKind::Farm) => SiteKind::Farm,
                    Ok(pb::SiteKind::Hub) => SiteKind::Hub,
                    Ok(pb::SiteKind::PickupPoint) => SiteKind::PickupPoint,
                    _ => SiteKind::Other,
                },
                coordinates_deg,
                matrix_index,
                opening_windows: collector
                    .windows(&format!("{field}.opening_windows"), &site.opening_windows),
                setup_s: collector.non_negative(format!("{field}.setup_s"), site.setup_s),
                service_s: collector.non_negative(format!("{field}.service_s"), site.service_s),
            }
        })
        .collect()
}

fn location(
    collector: &mut Collector,
    field: &str,
    site: &pb::Site,
    index: usize,
    travel: TravelKind,
) -> (Option<(f64, f64)>, usize) {
    let kind = site
        .location
        .as_ref()
        .and_then(|location| location.kind.as_ref());
    match (kind, travel) {
        (None, _) => {
            collector.push(
                Code::Missing,
                format!("{field}.location"),
                "give coordinates or a matrix_index",
            );
            (None, index)
        }
        (Some(pb::location::Kind::Coordinates(point)), TravelKind::StraightLine) => {
            let (lat, lon) = (point.lat_deg, point.lon_deg);
            if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
                collector.push(
                    Code::Coordinates,
                    format!("{field}.location.coordinates.lat_deg"),
                    format!("{lat} is not a latitude in -90..90"),
                );
            }
            if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
                collector.push(
                    Code::Coordinates,
                    format!("{field}.location.coordinates.lon_deg"),
                    format!("{lon} is not a longitude in -180..180"),
                );
            }
            (Some((lat, lon)), index)
        }
        (Some(pb::location::Kind::Coordinates(point)), TravelKind::Supplied) => {
            collector.push(
                Code::MatrixShape,
                format!("{field}.location"),
                "with supplied matrices, locate sites by matrix_index",
            );
            (Some((point.lat_deg, point.lon_deg)), index)
        }
        (Some(pb::location::Kind::MatrixIndex(matrix_index)), TravelKind::Supplied) => {
            (None, *matrix_index as usize)
        }
        (Some(pb::location::Kind::MatrixIndex(_)), TravelKind::StraightLine) => {
            collector.push(
                Code::MatrixShape,
                format!("{field}.location"),
                "a matrix_index needs travel.matrices; give coordinates",
            );
            (None, index)
        }
    }
}
