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
    let server = http::start_http(ServerConfig::new(common::liechtenstein_config())).await;
    let browser = Browser::start(&artifact("chromium-profile-en"), "en-US", 1200).await;
    browser.go(&server.url("/")).await;
    browser.click("#demo").await;
    let loaded = "return !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the demo").await;
    solve_in_page(&browser, "30").await;
    let answer = latest_answer(&server).await;
    map(&browser, &answer).await;
    road_vectors_and_no_tiles(&browser).await;
    sheets(&browser, &answer).await;
    pooling_statement(&server, &browser).await;
    breaks(&server, &browser).await;
    cancel(&browser).await;
    errors(&browser).await;
    vroom_and_dfc_files(&server, &browser).await;
    tiles(&browser).await;
}

/// Without `--map-tiles`: the road graph drawn under the tours as vectors, its
/// attribution shown, and no tile asked for.
async fn road_vectors_and_no_tiles(browser: &Browser) {
    // The background is drawn (or given up) once the server answered.
    let settled = "return /^[0-9]+$/.test(document.body.dataset.roads || '');";
    browser.wait_for(settled, CEILING, "the road vectors").await;
    let seen = browser
        .run(
            "return {roads: document.querySelectorAll('#map g.roads path.road').length, \
             underTours: document.querySelector('#map g.roads').compareDocumentPosition( \
               document.querySelector('#map path.tour-path')) === Node.DOCUMENT_POSITION_FOLLOWING, \
             tiles: document.querySelectorAll('#map image').length, \
             requested: performance.getEntriesByType('resource').map(entry => entry.name) \
               .filter(name => !name.startsWith(location.origin)), \
             attribution: document.getElementById('attribution').textContent};",
        )
        .await;
    assert!(seen["roads"].as_u64().unwrap() > 0, "{seen}");
    assert_eq!(seen["underTours"], true, "{seen}");
    assert_eq!(seen["tiles"], 0, "{seen}");
    assert_eq!(
        seen["requested"],
        json!([]),
        "nothing from elsewhere: {seen}"
    );
    let attribution = seen["attribution"].as_str().unwrap();
    assert!(
        attribution.contains("OpenStreetMap contributors"),
        "{attribution}"
    );
    assert!(attribution.contains("Road network"), "{attribution}");
}

/// With `--map-tiles` (a template on the test server itself: no network), the page
/// asks for the tiles under the map with that template, and says where they are from.
async fn tiles(browser: &Browser) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let template = format!("http://{address}/tiles/{{z}}/{{x}}/{{y}}.png");
    let door = tournee::http::HttpDoor::new(listener)
        .with_map_tiles(&template)
        .unwrap();
    let grpc = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let door: Box<dyn tournee::server::Door> = Box::new(door);
        let shutdown = async {
            let _ = stopped.await;
        };
        let config = ServerConfig::new(common::liechtenstein_config());
        tournee::server::run_with_door(grpc, Some(door), shutdown, config)
            .await
            .unwrap();
    });
    browser.go(&format!("http://{address}/")).await;
    browser.click("#demo").await;
    let loaded = "return !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the demo").await;
    solve_in_page(browser, "30").await;
    let settled = "return /^[0-9]+$/.test(document.body.dataset.roads || '');";
    browser
        .wait_for(settled, CEILING, "the map's background")
        .await;
    let seen = browser
        .run(
            "return {hrefs: [...document.querySelectorAll('#map g.tiles image.tile')] \
               .map(image => image.getAttribute('href')), \
             attribution: document.getElementById('attribution').textContent};",
        )
        .await;
    let hrefs: Vec<String> = serde_json::from_value(seen["hrefs"].clone()).unwrap();
    assert!(!hrefs.is_empty() && hrefs.len() <= 64, "{seen}");
    let prefix = format!("http://{address}/tiles/");
    for href in &hrefs {
        let rest = href.strip_prefix(&prefix).expect(href);
        let numbers: Vec<u32> = rest
            .trim_end_matches(".png")
            .split('/')
            .map(|n| n.parse().unwrap())
            .collect();
        let [z, x, y] = numbers[..] else {
            panic!("{href}")
        };
        assert!(
            (8..=18).contains(&z) && x < (1 << z) && y < (1 << z),
            "{href}"
        );
    }
    let requested = format!(
        "return performance.getEntriesByType('resource') \
         .some(entry => entry.name.startsWith('{prefix}'));"
    );
    browser
        .wait_for(&requested, CEILING, "a tile request")
        .await;
    let attribution = seen["attribution"].as_str().unwrap();
    assert!(
        attribution.contains(&format!("Map tiles: {address}")),
        "{attribution}"
    );
    let note = browser
        .run("return document.querySelector('[data-i18n=privacy]').textContent;")
        .await;
    assert!(
        note.as_str().unwrap().contains(&address.to_string()),
        "{note}"
    );
    browser.screenshot(&artifact("planner-tiles.png")).await;
}

/// The bundled VROOM example, read by the server and planned like a native file; the
/// DFC example read; a bad VROOM file refused, naming its field.
async fn vroom_and_dfc_files(server: &http::HttpServer, browser: &Browser) {
    browser.click("#vroom-example").await;
    let loaded = "return document.getElementById('loaded').textContent.includes('(VROOM)') && \
                  !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the VROOM example").await;
    solve_in_page(browser, "30").await;
    let answer = latest_answer(server).await;
    let paths = browser
        .run("return document.querySelectorAll('#map path.tour-path').length;")
        .await;
    assert_eq!(paths, json!(answer["tours"].as_array().unwrap().len()));
    assert!(paths.as_u64().unwrap() > 0);

    browser.click("#dfc-example").await;
    let loaded = "return document.getElementById('loaded').textContent.includes('(DFC)') && \
                  !document.getElementById('solve').disabled;";
    browser.wait_for(loaded, CEILING, "the DFC example").await;

    let file = artifact("bad-vroom.json");
    let bad = json!({"vehicles": [{"id": 1, "start": "here"}], "jobs": [{"id": 7, "location": [9.5, 47.1]}]});
    std::fs::write(&file, bad.to_string()).unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let refused = "return !document.getElementById('errors').hidden && \
                   document.getElementById('violations').textContent.includes('vehicles[0].start');";
    browser.wait_for(refused, CEILING, "the VROOM error").await;
}

/// A file whose vans take a lunch break: each break step of the answer is a row of
/// its driver's sheet, with its time.
async fn breaks(server: &http::HttpServer, browser: &Browser) {
    let mut request: Value = serde_json::from_str(DEMO).unwrap();
    for vehicle in request["vehicles"].as_array_mut().unwrap() {
        vehicle["breaks"] = json!([{"id": "lunch", "durationS": "1800",
            "windows": [{"startS": "36000", "endS": "61200"}]}]);
    }
    let file = artifact("breaks.json");
    std::fs::write(&file, request.to_string()).unwrap();
    browser
        .type_into("#file[type=file]", file.to_str().unwrap())
        .await;
    let loaded = "return document.getElementById('loaded').textContent.includes('breaks.json');";
    browser
        .wait_for(loaded, CEILING, "the file with breaks")
        .await;
    solve_in_page(browser, "30").await;
    let answer = latest_answer(server).await;
    let steps: Vec<&Value> = answer["tours"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|tour| tour["steps"].as_array().unwrap())
        .filter(|step| step["kind"] == "STEP_KIND_BREAK")
        .collect();
    assert!(!steps.is_empty(), "{answer}");
    let rows = browser
        .run(
            "return [...document.querySelectorAll('.sheet tr.break')].map(row => row.textContent);",
        )
        .await;
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), steps.len(), "{rows:?}");
    for row in &rows {
        assert!(row.contains("Break lunch: 0:30 from"), "{row}");
        assert!(row.contains("10:00–17:00"), "its window: {row}");
    }
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
    browser
        .run(
            "window.progressTexts = []; new MutationObserver(() => window.progressTexts.push( \
             document.getElementById('progress').textContent)).observe( \
             document.getElementById('progress'), {childList: true, characterData: true, subtree: true}); \
             return true;",
        )
        .await;
    solve_in_page(browser, "30").await;
    let answer = latest_answer(server).await;
    // The progress came as server-sent events, the coalitions counted to the end.
    let progress = browser
        .run(
            "return {how: document.body.dataset.progress, \
             texts: window.progressTexts, last: document.getElementById('progress').textContent};",
        )
        .await;
    assert_eq!(progress["how"], "events", "{progress}");
    let texts = progress["texts"].as_array().unwrap();
    assert!(
        texts
            .iter()
            .any(|text| text.as_str().unwrap().contains("best cost")),
        "{progress}"
    );
    let last = progress["last"].as_str().unwrap();
    let counted = regex_free_fraction(last).expect(last);
    assert!(counted.0 == counted.1 && counted.1 >= 30, "{last}");
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

/// The "N / M" of "Pooling report: N / M coalitions solved.", if there.
fn regex_free_fraction(text: &str) -> Option<(u64, u64)> {
    let rest = text.split("Pooling report: ").nth(1)?;
    let (done, rest) = rest.split_once(" / ")?;
    let total = rest.split(' ').next()?;
    Some((done.trim().parse().ok()?, total.parse().ok()?))
}
