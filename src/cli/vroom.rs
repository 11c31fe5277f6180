//! `tournee vroom`: the `vroom` command's flags, so that a script that runs VROOM
//! switches by renaming the command. Input as VROOM takes it (the JSON as the argument,
//! `-i FILE`, or standard input), output as VROOM writes it (`-o FILE` or standard
//! output), and errors as VROOM reports them: `{"code": 1|2|3, "error": …}` in the
//! output, `[Error] …` on standard error, the code as the exit status (1 internal,
//! 2 input, 3 routing).
//!
//! Coordinates are routed as VROOM routes them: by OSRM (`-r osrm`, the default, at
//! `-a PROFILE:HOST` and `-p PROFILE:PORT`, by default 0.0.0.0:5000), or on tournee's
//! embedded road graph of an extract (`--osm`); matrices in the input are used as
//! given. `-x` (0–5) is tournee's effort level, `-l` the time limit in seconds, `-c`
//! plan mode (the vehicles' `steps` timed as given, violations reported; see
//! `tournee::eta`). What tournee does not do is refused, never ignored: other routers.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use tournee::budget::Budget;
use tournee::error::Error;
use tournee::pipeline;

/// VROOM's error codes.
const INTERNAL: u8 = 1;
const INPUT: u8 = 2;
const ROUTING: u8 = 3;

/// VROOM's default routing server.
const DEFAULT_HOST: &str = "0.0.0.0";
const DEFAULT_PORT: &str = "5000";

/// The `vroom` command's arguments.
#[derive(Debug, clap::Args)]
pub struct VroomArguments {
    /// The input JSON itself (else -i FILE, else standard input).
    input: Option<String>,
    /// Read the input from FILE.
    #[arg(short = 'i', value_name = "FILE")]
    input_file: Option<PathBuf>,
    /// Write the output to FILE (else standard output).
    #[arg(short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Add each route's geometry (encoded polyline).
    #[arg(short = 'g')]
    geometry: bool,
    /// Threads (parallel searches).
    #[arg(short = 't', value_name = "THREADS", default_value_t = 4)]
    threads: u32,
    /// Exploration level, 0..5 (tournee's effort level).
    #[arg(short = 'x', value_name = "EXPLORE", default_value_t = 5)]
    exploration: u32,
    /// Time limit, seconds.
    #[arg(short = 'l', value_name = "SECONDS")]
    limit_s: Option<f64>,
    /// Routing engine: osrm (libosrm, ors and valhalla are VROOM's only).
    #[arg(short = 'r', value_name = "ROUTER", default_value = "osrm")]
    router: String,
    /// Routing server host, PROFILE:HOST or HOST (profile car).
    #[arg(short = 'a', value_name = "PROFILE:HOST")]
    hosts: Vec<String>,
    /// Routing server port, PROFILE:PORT or PORT (profile car).
    #[arg(short = 'p', value_name = "PROFILE:PORT")]
    ports: Vec<String>,
    /// Plan mode: time the vehicles' given `steps` as they are and report violations.
    #[arg(short = 'c')]
    choose_eta: bool,
    /// Route on the embedded road graph of this OpenStreetMap extract instead of OSRM.
    #[arg(long, value_name = "FILE.pbf")]
    osm: Option<PathBuf>,
    /// Iterations per search at most (tournee's; with -t and the same input, the same
    /// answer on any machine, which a time limit or -x alone does not promise).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_iterations: Option<u64>,
}

/// A VROOM-style failure: its code and message.
#[derive(Debug)]
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Failure {
            code: INPUT,
            message: message.into(),
        }
    }
}

/// The exit status a VROOM-style failure already reported asks for.
#[derive(Debug, thiserror::Error)]
#[error("exit status {0}")]
pub struct ExitStatus(pub u8);

/// Runs like `vroom`; on failure, writes VROOM's error object and returns the status.
pub fn run(arguments: &VroomArguments) -> anyhow::Result<()> {
    let answer = solve(arguments);
    let (text, failure) = match answer {
        Ok(answer) => (answer.to_string(), None),
        Err(failure) => {
            eprintln!("[Error] {}", failure.message);
            let object = serde_json::json!({"code": failure.code, "error": failure.message});
            (object.to_string(), Some(failure.code))
        }
    };
    match &arguments.output_file {
        Some(path) => std::fs::write(path, text + "\n")
            .map_err(|error| anyhow::anyhow!("-o: writing {}: {error}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
        }
    }
    match failure {
        Some(code) => Err(ExitStatus(code).into()),
        None => Ok(()),
    }
}

/// Reads, solves and writes the answer as VROOM's JSON.
fn solve(arguments: &VroomArguments) -> Result<serde_json::Value, Failure> {
    let config = travel(arguments)?;
    let text = input_text(arguments)?;
    let read =
        tournee::vroom::read_vroom(&text).map_err(|error| Failure::input(error.to_string()))?;
    let mut request = read.request;
    let options = request.options.get_or_insert_with(Default::default);
    options.threads = arguments.threads;
    options.effort = Some(arguments.exploration.min(5));
    options.geometry |= arguments.geometry;
    options.plan_only |= arguments.choose_eta;
    if arguments.max_iterations.is_some() {
        options.max_iterations = arguments.max_iterations;
    }
    if let Some(seconds) = arguments.limit_s {
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(Failure::input(format!(
                "-l: {seconds} is not a positive number of seconds"
            )));
        }
        options.time_limit_ms = Some((seconds * 1000.0).round().max(1.0) as u64);
    }
    let cancelled = AtomicBool::new(false);
    let solved = pipeline::solve_with(&request, &Budget::new(&cancelled), &|_| {}, &config)
        .map_err(|error| Failure {
            code: match &error {
                Error::Validation(_) => INPUT,
                Error::Travel(_) => ROUTING,
                _ => INTERNAL,
            },
            message: error.to_string(),
        })?;
    let answer = tournee::vroom::vroom_answer(&solved);
    Ok(tournee::vroom::with_warnings(answer, &read.unknown_keys))
}

/// The input: the argument, the file, or standard input.
fn input_text(arguments: &VroomArguments) -> Result<String, Failure> {
    if let Some(text) = &arguments.input {
        return Ok(text.clone());
    }
    if let Some(path) = &arguments.input_file {
        return std::fs::read_to_string(path)
            .map_err(|error| Failure::input(format!("-i: reading {}: {error}", path.display())));
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| Failure::input(format!("reading standard input: {error}")))?;
    Ok(text)
}

/// Where coordinates are routed: the extract's road graph, or the OSRM server of
/// profile `car` (the first one named otherwise).
fn travel(arguments: &VroomArguments) -> Result<tournee::travel::TravelConfig, Failure> {
    if let Some(path) = &arguments.osm {
        let source = tournee::travel::OsmSource::File(path.clone());
        source.load().map_err(|error| Failure {
            code: ROUTING,
            message: format!("--osm: {error}"),
        })?;
        return Ok(tournee::travel::TravelConfig {
            osm: Some(source),
            osrm_url: None,
        });
    }
    if arguments.router != "osrm" {
        return Err(Failure::input(format!(
            "invalid routing engine: {} (tournee routes with osrm, or on its own road graph with --osm)",
            arguments.router
        )));
    }
    let host = server_part(&arguments.hosts, "-a", DEFAULT_HOST)?;
    let port = server_part(&arguments.ports, "-p", DEFAULT_PORT)?;
    if port.parse::<u16>().is_err() {
        return Err(Failure::input(format!("-p: {port:?} is not a port")));
    }
    // VROOM's default host 0.0.0.0 means this machine.
    let host = if host == DEFAULT_HOST {
        "127.0.0.1"
    } else {
        host.as_str()
    };
    Ok(tournee::travel::TravelConfig {
        osm: None,
        osrm_url: Some(format!("http://{host}:{port}")),
    })
}

/// The value of `-a` or `-p` for profile car (an entry without a profile is car's), or
/// the first profile's, or `default`.
fn server_part(entries: &[String], flag: &str, default: &str) -> Result<String, Failure> {
    let parsed: Vec<(&str, &str)> = entries
        .iter()
        .map(|entry| entry.rsplit_once(':').unwrap_or(("car", entry.as_str())))
        .collect();
    if let Some(entry) = entries.iter().zip(&parsed).find(|(_, (_, v))| v.is_empty()) {
        return Err(Failure::input(format!(
            "{flag}: {:?} names no value",
            entry.0
        )));
    }
    Ok(parsed
        .iter()
        .find(|(profile, _)| *profile == "car")
        .or(parsed.first())
        .map_or(default, |(_, value)| value)
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_servers_as_vroom_does() {
        let entries = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let part = |list: &[&str], default| server_part(&entries(list), "-a", default).unwrap();
        assert_eq!(part(&[], "0.0.0.0"), "0.0.0.0");
        assert_eq!(part(&["osrm.local"], "0.0.0.0"), "osrm.local");
        assert_eq!(part(&["bike:b.local", "car:c.local"], "x"), "c.local");
        assert_eq!(part(&["bike:b.local"], "x"), "b.local");
        assert!(server_part(&entries(&["car:"]), "-p", "5000").is_err());
    }
}
