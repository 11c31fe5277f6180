//! `tournee solve`: a problem file (native, VROOM, or a Solomon, Li & Lim or CVRPLIB
//! benchmark file) → an answer (native or VROOM).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use tournee::api::encode;
use tournee::budget::Budget;
use tournee::pb;
use tournee::pipeline::{self, Solved};

use super::args::{InputFormat, ObjectiveArg, OutputFormat, RoadArgs, SearchOverrides};

/// Where the answers go.
pub struct Outputs<'a> {
    /// Format of the answer (default: from the input's format).
    pub format: Option<OutputFormat>,
    /// The answer's file (default: stdout).
    pub answer: Option<&'a Path>,
    /// An SVG map of the tours.
    pub map: Option<&'a Path>,
    /// The pooling report as a CSV statement (asks for the report).
    pub pooling_csv: Option<&'a Path>,
}

/// Reads, solves and writes.
pub fn run(
    path: &Path,
    format: InputFormat,
    outputs: Outputs,
    objective: Option<ObjectiveArg>,
    roads: &RoadArgs,
    search: &SearchOverrides,
) -> anyhow::Result<()> {
    let (output_format, out) = (outputs.format, outputs.answer);
    let config = roads.config()?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (mut request, unknown_keys) =
        read_request_noting(&text, format).with_context(|| format!("{}", path.display()))?;
    search.apply(&mut request)?;
    if outputs.pooling_csv.is_some() {
        request.pooling.get_or_insert_with(Default::default).enabled = true;
    }
    if let Some(objective) = objective {
        request
            .options
            .get_or_insert_with(Default::default)
            .objective = objective.proto() as i32;
    }
    let solved = solve(&request, &config)?;
    if let Some(map) = outputs.map {
        write_map(&solved, map)?;
    }
    let output_format = output_format.unwrap_or(match format {
        InputFormat::Vroom => OutputFormat::Vroom,
        InputFormat::Native | InputFormat::Solomon | InputFormat::Lilim | InputFormat::Cvrp => {
            OutputFormat::Native
        }
    });
    let answer = match output_format {
        OutputFormat::Native => {
            for path in &unknown_keys {
                eprintln!("warning: unknown key {path} ignored");
            }
            serde_json::to_string_pretty(&encode::response(&solved))?
        }
        OutputFormat::Vroom => {
            let answer = tournee::vroom::vroom_answer(&solved);
            serde_json::to_string_pretty(&tournee::vroom::with_warnings(answer, &unknown_keys))?
        }
        OutputFormat::Text => tournee::report::plan_text(&solved.problem, &solved.solution),
    };
    if let Some(report) = &solved.pooling {
        // The table is for people; stdout stays the machine-readable answer.
        eprint!("{}", tournee::report::pooling_text(&solved.problem, report));
        if let Some(csv) = outputs.pooling_csv {
            std::fs::write(csv, tournee::report::pooling_csv(&solved.problem, report))
                .with_context(|| format!("--pooling-csv: writing {}", csv.display()))?;
        }
    }
    match out {
        Some(out) => std::fs::write(out, answer + "\n")
            .with_context(|| format!("writing {}", out.display()))?,
        None => println!("{answer}"),
    }
    Ok(())
}

/// Parses a problem file, with the paths of the keys read past (VROOM input only).
fn read_request_noting(
    text: &str,
    format: InputFormat,
) -> anyhow::Result<(pb::SolveRequest, Vec<String>)> {
    if format == InputFormat::Vroom {
        let read = tournee::vroom::read_vroom(text)?;
        return Ok((read.request, read.unknown_keys));
    }
    Ok((read_request(text, format)?, Vec::new()))
}

/// Parses a problem file.
pub fn read_request(text: &str, format: InputFormat) -> anyhow::Result<pb::SolveRequest> {
    Ok(match format {
        InputFormat::Native => {
            serde_json::from_str(text).context("not a SolveRequest in the proto3 JSON mapping")?
        }
        InputFormat::Vroom => tournee::vroom::parse_vroom(text)?,
        InputFormat::Solomon => tournee::scientific::parse_solomon(text)?.request,
        InputFormat::Lilim => tournee::scientific::parse_lilim(text)?.request,
        InputFormat::Cvrp => tournee::scientific::parse_tsplib(text)?.request,
    })
}

/// Writes the SVG map of a plan.
pub fn write_map(solved: &Solved, path: &Path) -> anyhow::Result<()> {
    std::fs::write(path, tournee::report::map_svg(solved))
        .with_context(|| format!("--map: writing {}", path.display()))
}

/// Solves on the calling thread with no deadline.
pub fn solve(
    request: &pb::SolveRequest,
    config: &tournee::travel::TravelConfig,
) -> anyhow::Result<Solved> {
    let cancelled = AtomicBool::new(false);
    Ok(pipeline::solve_with(
        request,
        &Budget::new(&cancelled),
        &|_| {},
        config,
    )?)
}
