//! `tournee matrix`: durations and distances between the points of an `id,lat,lon` CSV,
//! on the same code as the `ComputeMatrix` RPC, written as JSON.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tournee::pb;

use super::args::RoadArgs;

/// Arguments of `tournee matrix`.
#[derive(Debug, clap::Args)]
pub struct MatrixArguments {
    /// The points: a CSV with the header `id,lat,lon`.
    #[arg(long, value_name = "POINTS.csv")]
    points: PathBuf,
    /// Write the JSON here instead of stdout.
    #[arg(long, value_name = "M.json")]
    out: Option<PathBuf>,
    /// Reject points further than this from a road, metres (embedded graph).
    #[arg(long, default_value_t = tournee::domain::DEFAULT_MAX_SNAP_DISTANCE_M)]
    max_snap_distance_m: f64,
    /// The OSRM server's `--max-table-size`: larger matrices go in blocks.
    #[arg(long, default_value_t = 100)]
    osrm_max_table_size: u32,
    /// Use straight lines (great circle × 1.3 at 50 km/h) instead of roads.
    #[arg(long, conflicts_with_all = ["osm", "osrm_url"])]
    straight_line: bool,
    #[command(flatten)]
    roads: RoadArgs,
}

/// Reads the points, computes, writes.
pub fn run(arguments: &MatrixArguments) -> anyhow::Result<()> {
    let points = read_points(&arguments.points)?;
    let config = arguments.roads.config()?;
    let source = if arguments.straight_line {
        pb::travel_options::Source::StraightLine(pb::StraightLine::default())
    } else if config.osm.is_some() {
        pb::travel_options::Source::RoadGraph(pb::RoadGraph {
            max_snap_distance_m: arguments.max_snap_distance_m,
            allow_straight_line_fallback: false,
        })
    } else if config.osrm_url.is_some() {
        pb::travel_options::Source::Osrm(pb::Osrm {
            max_table_size: arguments.osrm_max_table_size,
            ..Default::default()
        })
    } else {
        bail!("give --osm FILE.pbf, --osrm-url URL or --straight-line");
    };
    let request = pb::ComputeMatrixRequest {
        points,
        travel: Some(pb::TravelOptions {
            source: Some(source),
        }),
        profile: String::new(),
    };
    let computed = tournee::pipeline::compute_matrix(&request, &config)?;
    let response = tournee::api::encode::matrix(&request, &computed);
    let text = serde_json::to_string(&to_json(&response))? + "\n";
    match &arguments.out {
        Some(out) => {
            std::fs::write(out, text).with_context(|| format!("--out: writing {}", out.display()))
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// The JSON of a matrix answer: `null` for an unreachable cell.
pub fn to_json(response: &pb::ComputeMatrixResponse) -> Value {
    let table = |rows: &[pb::MatrixRow]| -> Value {
        rows.iter()
            .map(|row| {
                row.values
                    .iter()
                    .map(|&v| if v < 0 { Value::Null } else { json!(v) })
                    .collect::<Vec<Value>>()
                    .into()
            })
            .collect::<Vec<Value>>()
            .into()
    };
    json!({
        "ids": response.ids,
        "snapped": response.snapped.iter().map(|c| [c.lat_deg, c.lon_deg]).collect::<Vec<_>>(),
        "snap_distances_m": response.snap_distances_m,
        "durations_s": table(&response.durations_s),
        "distances_m": table(&response.distances_m),
        "unreachable": response.unreachable.iter().map(|c| [c.from, c.to]).collect::<Vec<_>>(),
        "source": response.source,
    })
}

/// Reads `id,lat,lon` rows (header required).
fn read_points(path: &Path) -> anyhow::Result<Vec<pb::Site>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--points: reading {}", path.display()))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header: Vec<String> = match lines.next() {
        Some((_, line)) => line
            .split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .collect(),
        None => bail!("--points: {} is empty", path.display()),
    };
    if header != ["id", "lat", "lon"] {
        bail!(
            "--points: {} line 1: the header must be `id,lat,lon`",
            path.display()
        );
    }
    let mut sites = Vec::new();
    for (number, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let [id, lat, lon] = cells[..] else {
            bail!(
                "--points: {} line {}: expected 3 columns `id,lat,lon`",
                path.display(),
                number + 1
            );
        };
        let parse = |name: &str, value: &str| -> anyhow::Result<f64> {
            value.parse::<f64>().with_context(|| {
                format!(
                    "--points: {} line {}: {name} {value:?} is not a number",
                    path.display(),
                    number + 1
                )
            })
        };
        sites.push(pb::Site {
            id: id.to_string(),
            location: Some(pb::Location {
                kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                    lat_deg: parse("lat", lat)?,
                    lon_deg: parse("lon", lon)?,
                })),
            }),
            ..Default::default()
        });
    }
    Ok(sites)
}
