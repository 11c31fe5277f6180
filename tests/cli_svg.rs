//! `tournee solve --map` end to end: the demo solved on the bundled Liechtenstein roads
//! with an iteration cap, its SVG map read back and checked against the answer written
//! beside it — every stop numbered, every tour's direction shown, a legend entry per
//! vehicle drawn and none for a site kind absent, a connector from the sites off the
//! road, the OpenStreetMap credit, and tags that balance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const EXTRACT: &str = "data/roads/liechtenstein-2013-08-03.osm.pbf";

/// A file in this test binary's scratch directory (under the target directory).
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_svg");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// How many stops the answer's tour shows: a run of task steps at one site is one.
fn stops(tour: &Value) -> usize {
    let sites: Vec<&str> = tour["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|step| {
            !matches!(
                step["kind"].as_str(),
                Some("STEP_KIND_START" | "STEP_KIND_END")
            )
        })
        .filter_map(|step| step["siteId"].as_str())
        .collect();
    (0..sites.len())
        .filter(|&at| at == 0 || sites[at - 1] != sites[at])
        .count()
}

/// Every tag closed in order, quotes paired, no bare `&` in text.
fn assert_balanced(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "stray '>' in {text:?}");
        assert!(
            !text
                .replace("&amp;", "")
                .replace("&lt;", "")
                .replace("&gt;", "")
                .contains('&')
        );
        let end = start + rest[start..].find('>').unwrap();
        let tag = &rest[start + 1..end];
        assert_eq!(tag.matches('"').count() % 2, 0, "<{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name));
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

#[test]
fn the_demo_map_on_roads_numbers_stops_shows_direction_and_legends_what_is_drawn() {
    let (map, answer) = (scratch("demo.svg"), scratch("demo.json"));
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", "data/demo/cooperative.json", "--osm", EXTRACT])
        .args([
            "--max-iterations",
            "300",
            "--time-limit-s",
            "3600",
            "--threads",
            "1",
        ])
        .arg("--map")
        .arg(&map)
        .arg("--out")
        .arg(&answer)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let svg = std::fs::read_to_string(&map).unwrap();
    let answer: Value = serde_json::from_str(&std::fs::read_to_string(&answer).unwrap()).unwrap();
    assert_balanced(&svg);
    let tours = answer["tours"].as_array().unwrap();
    assert!(!tours.is_empty());
    for (index, tour) in tours.iter().enumerate() {
        let numbered = svg
            .matches(&format!(r#"class="stop" data-tour="{index}""#))
            .count();
        assert_eq!(numbered, stops(tour), "tour {index}");
        let arrows = svg
            .matches(&format!(r#"class="arrow" data-tour="{index}""#))
            .count();
        assert!(arrows >= 1, "tour {index} shows no direction");
        let vehicle = tour["vehicleId"].as_str().unwrap();
        let entry = format!(r#"class="legend-entry" data-vehicle="{vehicle}""#);
        assert_eq!(svg.matches(&entry).count(), 1, "{vehicle} in the legend");
    }
    assert_eq!(
        svg.matches(r#"class="legend-entry" data-vehicle="#).count(),
        tours.len()
    );
    assert!(svg.contains(">farm</text>") && svg.contains(">pickup point</text>"));
    assert!(!svg.contains(">hub</text>"), "the demo has no hub");
    let off_road = answer["snappedSites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|site| site["snapDistanceM"].as_f64().unwrap_or(0.0) >= 1.0)
        .count();
    assert!(off_road > 0);
    assert_eq!(svg.matches(r#"class="connector""#).count(), off_road);
    assert!(svg.contains("© OpenStreetMap contributors"));
    assert_eq!(svg.matches(r#"class="label""#).count(), 10);
}
