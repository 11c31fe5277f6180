//! `tournee solve`: a problem file (native or VROOM) → an answer (native or VROOM).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use tournee::api::pb;
use tournee::pipeline::{self, Hooks, Solved};

use super::{InputFormat, OutputFormat, SearchOverrides};

/// Reads, solves and writes.
pub fn run(
    path: &Path,
    format: InputFormat,
    output_format: Option<OutputFormat>,
    out: Option<&Path>,
    search: &SearchOverrides,
) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut request = read_request(&text, format).with_context(|| format!("{}", path.display()))?;
    search.apply(&mut request)?;
    let solved = solve(&request)?;
    let output_format = output_format.unwrap_or(match format {
        InputFormat::Native => OutputFormat::Native,
        InputFormat::Vroom => OutputFormat::Vroom,
    });
    let answer = match output_format {
        OutputFormat::Native => serde_json::to_string_pretty(&solved.response())?,
        OutputFormat::Vroom => serde_json::to_string_pretty(&tournee::formats::vroom_output(
            &solved.problem,
            &solved.solution,
        ))?,
    };
    match out {
        Some(out) => std::fs::write(out, answer + "\n")
            .with_context(|| format!("writing {}", out.display()))?,
        None => println!("{answer}"),
    }
    Ok(())
}

/// Parses a problem file.
pub fn read_request(text: &str, format: InputFormat) -> anyhow::Result<pb::SolveRequest> {
    Ok(match format {
        InputFormat::Native => {
            serde_json::from_str(text).context("not a SolveRequest in the proto3 JSON mapping")?
        }
        InputFormat::Vroom => tournee::formats::parse_vroom(text)?,
    })
}

/// Solves on the calling thread with no deadline.
pub fn solve(request: &pb::SolveRequest) -> anyhow::Result<Solved> {
    let cancelled = AtomicBool::new(false);
    let hooks = Hooks {
        client_deadline: None,
        cancelled: &cancelled,
        on_progress: &|_| {},
    };
    Ok(pipeline::solve(request, &hooks)?)
}
