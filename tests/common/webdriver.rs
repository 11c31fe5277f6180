//! A real headless Chromium for tests, driven over the W3C WebDriver protocol:
//! `scripts/browser-setup` installs Debian's `chromium` and `chromium-driver` once,
//! [`Browser::start`] runs chromedriver on a free loopback port (killed on drop) and
//! opens a session with a fresh profile. The protocol is a handful of JSON calls, made
//! here with the reqwest client the tests already have rather than a WebDriver crate.
//! Included by the browser test with `#[path]`, so `common/mod.rs` stays as it is.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::common::KillOnDrop;

/// The key of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `CHROMIUM` and `CHROMEDRIVER` from `scripts/browser-setup`, run once for all tests.
pub fn setup() -> &'static (PathBuf, PathBuf) {
    static SETUP: OnceLock<Result<(PathBuf, PathBuf), String>> = OnceLock::new();
    let result = SETUP.get_or_init(|| {
        super::common::run_setup("scripts/browser-setup", ("CHROMIUM=", "CHROMEDRIVER="))
    });
    match result {
        Ok(paths) => paths,
        Err(message) => panic!("{message}"),
    }
}

/// A WebDriver session on a headless Chromium; the driver is killed on drop.
pub struct Browser {
    client: reqwest::Client,
    session: String,
    driver_url: String,
    _driver: KillOnDrop,
}

impl Browser {
    /// Starts chromedriver and a browser whose profile lives in `profile` (made fresh),
    /// speaking `language` (`en-US`, `fr-FR`), its window `width` pixels wide.
    pub async fn start(profile: &Path, language: &str, width: u32) -> Browser {
        let (chromium, chromedriver) = setup();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(profile.with_extension("chromedriver.log")).unwrap();
        let driver = Command::new(chromedriver)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("chromedriver");
        let driver = KillOnDrop::new(driver);
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let driver_url = format!("http://127.0.0.1:{port}");
        wait_until_ready(&client, &driver_url).await;
        let _ = std::fs::remove_dir_all(profile);
        std::fs::create_dir_all(profile).unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-proxy-server",
        ]
        .map(String::from)
        .into_iter()
        .chain([
            format!("--user-data-dir={}", profile.display()),
            format!("--lang={language}"),
            format!("--window-size={width},1400"),
        ])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {"intl.accept_languages": language},
            },
        }}});
        let answer = post(&client, &format!("{driver_url}/session"), &capabilities).await;
        let session = answer["sessionId"].as_str().expect("a session").to_string();
        Browser {
            client,
            session,
            driver_url,
            _driver: driver,
        }
    }

    /// A command of this session: POSTs `body` to `path`, answers the `value`.
    async fn command(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.driver_url, self.session);
        post(&self.client, &url, &body).await
    }

    /// Opens `url`.
    pub async fn go(&self, url: &str) {
        self.command("/url", json!({"url": url})).await;
    }

    /// The first element matching the CSS `selector`.
    pub async fn find(&self, selector: &str) -> String {
        let found = self
            .command(
                "/element",
                json!({"using": "css selector", "value": selector}),
            )
            .await;
        match found[ELEMENT].as_str() {
            Some(element) => element.to_string(),
            None => panic!("no element {selector}: {found}"),
        }
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) {
        let element = self.find(selector).await;
        self.command(&format!("/element/{element}/click"), json!({}))
            .await;
    }

    /// Empties the field matching `selector`, then types `text` into it (a file input
    /// takes a file's path).
    pub async fn type_into(&self, selector: &str, text: &str) {
        let element = self.find(selector).await;
        if !selector.contains("type=file") {
            self.command(&format!("/element/{element}/clear"), json!({}))
                .await;
        }
        self.command(&format!("/element/{element}/value"), json!({"text": text}))
            .await;
    }

    /// What `script` (a function body: `return …`) returns in the page.
    pub async fn run(&self, script: &str) -> Value {
        self.command("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// Polls `script` until it returns `true`, every 200 ms, for at most `ceiling`
    /// (generous: never a measure of speed); fails with `what` after that.
    pub async fn wait_for(&self, script: &str, ceiling: Duration, what: &str) {
        let start = Instant::now();
        while self.run(script).await != Value::Bool(true) {
            assert!(start.elapsed() < ceiling, "still waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The page printed as the browser prints it (print CSS applied), as PDF bytes.
    pub async fn print(&self) -> Vec<u8> {
        base64_decoded(
            self.command("/print", json!({}))
                .await
                .as_str()
                .expect("a PDF"),
        )
    }

    /// A PNG screenshot of the window, written to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let url = format!("{}/session/{}/screenshot", self.driver_url, self.session);
        let answer: Value = self
            .client
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let png = base64_decoded(answer["value"].as_str().expect("a screenshot"));
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the session (the browser with it) before the driver is killed; the
        // request runs on its own thread, outside the test's runtime.
        let url = format!("{}/session/{}", self.driver_url, self.session);
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let client = reqwest::Client::builder().no_proxy().build().ok()?;
                client.delete(url).send().await.ok()
            })
        })
        .join();
    }
}

/// POSTs `body` to `url`; the answer's `value`, or a failure naming the error.
async fn post(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    let answer = client.post(url).json(body).send().await.expect("webdriver");
    let status = answer.status();
    let mut answer: Value = answer.json().await.expect("a JSON answer");
    assert!(status.is_success(), "{url}: {status} {answer}");
    answer["value"].take()
}

/// Waits for chromedriver's `/status` to say ready (at most a minute: a ceiling).
async fn wait_until_ready(client: &reqwest::Client, url: &str) {
    let start = Instant::now();
    loop {
        if let Ok(answer) = client.get(format!("{url}/status")).send().await
            && let Ok(status) = answer.json::<Value>().await
            && status["value"]["ready"] == Value::Bool(true)
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "chromedriver never ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Standard base64 (with padding) decoded.
fn base64_decoded(text: &str) -> Vec<u8> {
    let value = |byte: u8| match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|byte| byte.is_ascii_alphanumeric() || *byte == b'+' || *byte == b'/')
        .map(value)
        .collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let word = chunk.iter().enumerate().fold(0u32, |word, (index, digit)| {
            word | (u32::from(*digit) << (18 - 6 * index))
        });
        bytes.extend_from_slice(&word.to_be_bytes()[1..chunk.len()]);
    }
    bytes
}
