//! The planner page in a real headless Chromium (WebDriver), against a real server on
//! 127.0.0.1:0: load the demo, solve it with a small iteration cap under a long time
//! limit, wait for the plan, check the map (one path per tour, numbered stops) and a
//! driver's sheet against the server's own answer; a file with pooling gives the
//! statement, whose shares add up to the pooled cost; a bad file and a refused request
//! show their errors, naming the bad fields. Screenshots go to the target directory's
//! `tmp/` (`planner.png`, `planner-sheet.png`, `planner-pooling.png`, `planner-fr.png`).
//! Every wait polls under a generous ceiling; nothing asserts how long anything took.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;
#[path = "common/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use tournee::server::ServerConfig;
use webdriver::Browser;

/// The longest any wait may take before the test fails: a ceiling, not a measure.
const CEILING: Duration = Duration::from_secs(600);
const DEMO: &str = include_str!("../data/demo/cooperative.json");

/// A file of the target directory's test area.
fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The answer of the server's latest operation.
async fn latest_answer(server: &http::HttpServer) -> Value {
    let url = server.url("/v1/operations?pageSize=1000");
    let list: Value = server
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations = list["operations"].as_array().unwrap();
    operations.last().unwrap()["response"].clone()
}

/// Each tour's stop count as the page numbers them: consecutive task steps at one
/// site are one stop.
fn stop_counts(answer: &Value) -> Vec<usize> {
    let tours = answer["tours"].as_array().unwrap();
    tours
        .iter()
        .map(|tour| {
            let mut sites: Vec<&str> = Vec::new();
            for step in tour["steps"].as_array().unwrap() {
                let kind = step["kind"].as_str().unwrap_or("");
                let site = step["siteId"].as_str().unwrap_or("");
                let task = !matches!(kind, "STEP_KIND_START" | "STEP_KIND_END");
                if task && !site.is_empty() && sites.last() != Some(&site) {
                    sites.push(site);
                }
            }
            sites.len()
        })
        .collect()
}

/// Solves whatever is loaded with the form's options, until the plan is drawn.
async fn solve_in_page(browser: &Browser, iterations: &str) {
    browser
        .run("delete document.body.dataset.planned; return true;")
        .await;
    browser.type_into("#time-limit", "600").await;
    browser.type_into("#max-iterations", iterations).await;
    browser.click("#solve").await;
    let planned = "return document.body.dataset.planned === 'true';";
    browser.wait_for(planned, CEILING, "the plan").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_the_demo_in_a_real_browser() {
    let server = http::start_http(ServerConfig::default()).await;
    let browser = Browser::start(&artifact("chromium-profile-en"), "en-US", 1200).await;
    browser.go(&server.url("/")).await;
    browser.click("#demo").await;
    let loaded = "return !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the demo").await;
    solve_in_page(&browser, "30").await;
    let answer = latest_answer(&server).await;
    map(&browser, &answer).await;
    sheets(&browser, &answer).await;
    pooling_statement(&server, &browser).await;
    cancel(&browser).await;
    errors(&browser).await;
}

/// The map: one path per tour, the stops numbered 1..n per tour, a legend of what is
/// drawn.
async fn map(browser: &Browser, answer: &Value) {
    let counts = stop_counts(answer);
    let paths = browser
        .run("return document.querySelectorAll('#map path.tour-path').length;")
        .await;
    assert_eq!(paths, json!(counts.len()), "one path per tour");
    let numbers = browser
        .run(
            "return [...document.querySelectorAll('#map path.tour-path')].map(path => \
             [...document.querySelectorAll('#map g.stop')] \
             .filter(stop => stop.dataset.vehicle === path.dataset.vehicle) \
             .map(stop => Number(stop.querySelector('text').textContent)));",
        )
        .await;
    let expected: Vec<Vec<usize>> = counts.iter().map(|n| (1..=*n).collect()).collect();
    let drawn: Vec<Vec<usize>> = serde_json::from_value(numbers).unwrap();
    assert_eq!(drawn.len(), expected.len());
    for (drawn, expected) in drawn.iter().zip(&expected) {
        assert_eq!(drawn, expected, "numbered stops");
    }
    let legend = browser
        .run("return document.getElementById('legend').textContent;")
        .await;
    let legend = legend.as_str().unwrap();
    assert!(
        legend.contains("Farm") && legend.contains("Pickup point"),
        "{legend}"
    );
    assert!(!legend.contains("Hub"), "no hub in the demo: {legend}");

    browser
        .run("document.getElementById('plan').scrollIntoView(); return true;")
        .await;
    browser.screenshot(&artifact("planner.png")).await;
}

/// A driver's sheet (the first tour's steps in order, with the site names), and the
/// page printed: the drivers' sheets alone, one page or more each.
async fn sheets(browser: &Browser, answer: &Value) {
    browser.click("#sheet-buttons .open-sheet").await;
    let sheet = browser
        .run(
            "const sheet = document.getElementById('sheet-0'); return {hidden: sheet.hidden, \
             rows: sheet.querySelectorAll('tr').length, text: sheet.textContent};",
        )
        .await;
    assert_eq!(sheet["hidden"], false);
    let steps = answer["tours"][0]["steps"].as_array().unwrap().len();
    assert_eq!(
        sheet["rows"],
        json!(steps + 1),
        "a header and one row per step"
    );
    let text = sheet["text"].as_str().unwrap();
    assert!(text.contains("Load") && text.contains("Unload"), "{text}");
    browser.screenshot(&artifact("planner-sheet.png")).await;
    let pdf = browser.print().await;
    std::fs::write(artifact("planner-sheets.pdf"), &pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // The page tree's `/Count`: how many pages were printed.
    let text = String::from_utf8_lossy(&pdf);
    let pages: usize = text
        .split("/Count ")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .max()
        .expect("a page count");
    let tours = answer["tours"].as_array().unwrap().len();
    assert!(pages >= tours, "{pages} pages for {tours} tours");
}

/// A search without an iteration cap, cancelled from the page while it runs: the
/// progress line shows the best cost, then says the solve was cancelled.
async fn cancel(browser: &Browser) {
    browser.click("#demo").await;
    let loaded = "return document.getElementById('loaded').textContent.includes('cooperative');";
    browser.wait_for(loaded, CEILING, "the demo again").await;
    browser.type_into("#time-limit", "3600").await;
    browser
        .run("document.getElementById('max-iterations').value = ''; return true;")
        .await;
    browser.click("#solve").await;
    let searching = "return document.getElementById('progress').textContent.includes('best cost');";
    browser.wait_for(searching, CEILING, "the progress").await;
    browser.click("#cancel").await;
    let cancelled =
        "return document.getElementById('progress').textContent === 'The solve was cancelled.';";
    browser
        .wait_for(cancelled, CEILING, "the cancellation")
        .await;
}

/// A file asking for the pooling report: the statement's shares add up to the
/// pooled cost under every rule.
async fn pooling_statement(server: &http::HttpServer, browser: &Browser) {
    let mut request: Value = serde_json::from_str(DEMO).unwrap();
    request["pooling"] = json!({"enabled": true, "coalitionIterations": 20});
    let file = artifact("pooled.json");
    std::fs::write(&file, request.to_string()).unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let checked = "return document.getElementById('pooling').checked;";
    browser.wait_for(checked, CEILING, "the pooled file").await;
    solve_in_page(browser, "30").await;
    let answer = latest_answer(server).await;
    let pooled = answer["pooling"]["pooled"]["cost"].as_f64().unwrap();
    let table = browser
        .run(
            "const rows = [...document.querySelectorAll('#shares tr')]; \
             return {hidden: document.getElementById('fair').hidden, \
             rows: rows.map(row => [...row.children].map(cell => cell.textContent))};",
        )
        .await;
    assert_eq!(table["hidden"], false);
    let rows: Vec<Vec<String>> = serde_json::from_value(table["rows"].clone()).unwrap();
    let producers = answer["pooling"]["producers"].as_array().unwrap().len();
    assert_eq!(rows.len(), producers + 2, "header, producers, totals");
    let totals = rows.last().unwrap();
    // Columns: producer, alone, proportional, shapley, nucleolus, equal profit, …
    for column in [2, 3] {
        let sum: f64 = totals[column].replace(',', "").parse().unwrap();
        assert!((sum - pooled).abs() < 0.02, "{totals:?} against {pooled}");
    }
    let bars = browser
        .run("return document.querySelectorAll('#bars rect.bar').length;")
        .await;
    assert_eq!(bars, json!(2 * producers));
    browser
        .run("document.getElementById('fair').scrollIntoView(); return true;")
        .await;
    browser.screenshot(&artifact("planner-pooling.png")).await;
}

/// A file that is not JSON, then a request the server refuses: both shown, the
/// refusal naming each bad field.
async fn errors(browser: &Browser) {
    let file = artifact("broken.json");
    std::fs::write(&file, "{ not json").unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let shown = "return !document.getElementById('errors').hidden && \
                 document.getElementById('solve').disabled;";
    browser.wait_for(shown, CEILING, "the JSON error").await;

    let mut request: Value = serde_json::from_str(DEMO).unwrap();
    request["sites"][0]["openingWindows"][0] = json!({"startS": "40000", "endS": "100"});
    request["vehicles"][1]["capacity"] = json!(["-5"]);
    let file = artifact("invalid.json");
    std::fs::write(&file, request.to_string()).unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let loaded = "return !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the invalid file").await;
    browser.click("#solve").await;
    let listed = "return document.querySelectorAll('#violations li').length >= 2;";
    browser.wait_for(listed, CEILING, "the field errors").await;
    let violations = browser
        .run("return document.getElementById('violations').textContent;")
        .await;
    let violations = violations.as_str().unwrap();
    assert!(
        violations.contains("sites[0].opening_windows[0]"),
        "{violations}"
    );
    assert!(
        violations.contains("vehicles[1].capacity[0]"),
        "{violations}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn speaks_french_to_a_french_phone() {
    let server = http::start_http(ServerConfig::default()).await;
    let browser = Browser::start(&artifact("chromium-profile-fr"), "fr-FR", 390).await;
    browser.go(&server.url("/planner")).await;
    let french = "return document.documentElement.lang === 'fr';";
    browser.wait_for(french, CEILING, "the French page").await;
    let button = browser
        .run("return document.getElementById('demo').textContent;")
        .await;
    assert_eq!(button, json!("Charger la coopérative de démonstration"));
    // At phone width nothing is wider than the screen, with a plan drawn too: the demo
    // and a shipment too big for any van, marked on the map and listed.
    let mut request: Value = serde_json::from_str(DEMO).unwrap();
    let mut too_big = request["shipments"][0].clone();
    too_big["id"] = json!("too-big");
    too_big["amount"] = json!(["100000", "0"]);
    request["shipments"].as_array_mut().unwrap().push(too_big);
    let file = artifact("too-big.json");
    std::fs::write(&file, request.to_string()).unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let loaded = "return !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the file").await;
    solve_in_page(&browser, "30").await;
    let unassigned = browser
        .run(
            "return {listed: document.getElementById('unassigned').textContent, \
             rings: document.querySelectorAll('#map circle.unserved').length};",
        )
        .await;
    assert!(
        unassigned["listed"].as_str().unwrap().contains("too-big"),
        "{unassigned}"
    );
    assert_eq!(unassigned["rings"], json!(2), "its pickup and its delivery");
    let fits = browser
        .run("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(fits, json!(true), "no horizontal scrolling at 390 px");
    let legend = browser
        .run("return document.getElementById('legend').textContent;")
        .await;
    assert!(legend.as_str().unwrap().contains("Ferme"), "{legend}");
    // Every field has its label, for screen readers.
    let labelled = browser
        .run(
            "return [...document.querySelectorAll('input')] \
             .every(input => document.querySelector(`label[for=\"${input.id}\"]`));",
        )
        .await;
    assert_eq!(labelled, json!(true));
    browser
        .run("document.getElementById('plan').scrollIntoView(); return true;")
        .await;
    browser.screenshot(&artifact("planner-fr.png")).await;
}
