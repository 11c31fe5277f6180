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
    /// A prepared network file cannot be read, or is damaged.
    #[error("cannot read the prepared road network {path}: {message}")]
    Prepared {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A prepared network file was made by another version of the format or profile.
    #[error(
        "the prepared road network {path} cannot be used: {message}; prepare it again with `tournee prepare EXTRACT.osm.pbf --out {path}`"
    )]
    PreparedStale {
        /// The file.
        path: String,
        /// Which version differs.
        message: String,
    },
}
