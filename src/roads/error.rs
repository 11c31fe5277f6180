//! [`RoadError`]: what can go wrong while preparing a road network. The extract reader
//! (`osm`) raises it and `RoadNetwork` passes it on, so it stands below both, in a file
//! of its own.

/// What can go wrong while preparing a road network.
#[derive(Debug, thiserror::Error)]
pub enum RoadError {
    /// The extract cannot be read or decoded.
    #[error("cannot read the OSM extract {path}: {message}")]
    Osm {
        /// The file.
        path: String,
        /// What the reader said.
        message: String,
    },
    /// The extract holds no drivable road.
    #[error("the OSM extract {path} holds no road a car may drive")]
    NoRoads {
        /// The file.
        path: String,
    },
}
