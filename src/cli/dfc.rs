//! `tournee dfc solve DOC.jsonld`: a DFC order cycle (JSON-LD) and its options → the
//! rounds and cost shares as DFC JSON-LD, through the same pipeline as `tournee solve`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tournee::api::encode;

use super::args::{RoadArgs, SearchOverrides};

/// `tournee dfc …`.
#[derive(Debug, clap::Args)]
pub struct DfcArguments {
    #[command(subcommand)]
    command: DfcCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DfcCommand {
    /// Plans the rounds of a DFC order cycle and writes them as DFC JSON-LD.
    Solve {
        /// The DFC JSON-LD document (an order cycle: orders, lines, products,
        /// suppliers, shipping options, places, vehicles).
        document: PathBuf,
        /// The options as JSON (planning_date, time_zone, mode, default_fleet…).
        #[arg(long, value_name = "O.json")]
        options: Option<PathBuf>,
        /// Write the plan here instead of stdout.
        #[arg(long, value_name = "PLAN.jsonld")]
        out: Option<PathBuf>,
        /// Draw the rounds on a map (SVG).
        #[arg(long, value_name = "PLAN.svg")]
        map: Option<PathBuf>,
        #[command(flatten)]
        roads: RoadArgs,
        #[command(flatten)]
        search: SearchOverrides,
    },
}

/// Runs `tournee dfc …`.
pub fn run(arguments: &DfcArguments) -> anyhow::Result<()> {
    let DfcCommand::Solve {
        document,
        options,
        out,
        map,
        roads,
        search,
    } = &arguments.command;
    let config = roads.config()?;
    let text = read(document)?;
    let value =
        tournee::dfc::parse_document(&text).with_context(|| document.display().to_string())?;
    let options = match options {
        Some(path) => Some(
            serde_json::from_str::<serde_json::Value>(&read(path)?)
                .with_context(|| format!("--options {}: not JSON", path.display()))?,
        ),
        None => None,
    };
    let mut adapted = tournee::dfc::read(&value, options.as_ref())
        .with_context(|| document.display().to_string())?;
    search.apply(&mut adapted.request)?;
    let solved = super::solve::solve(&adapted.request, &config)?;
    if let Some(path) = map {
        super::solve::write_map(&solved, path)?;
    }
    let answer = tournee::dfc::answer(&adapted, &encode::response(&solved));
    let text = serde_json::to_string_pretty(&answer)? + "\n";
    match out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("--out: writing {}", path.display()))
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}
