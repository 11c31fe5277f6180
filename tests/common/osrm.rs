//! A real `osrm-routed` for tests: `scripts/osrm-setup` installs and prepares it once,
//! [`start`] runs one on a free port, and dropping the [`Server`] kills it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// `OSRM_BIN` and `OSRM_DATA` from `scripts/osrm-setup`, run once for all tests (it is
/// idempotent, but concurrent first runs would prepare the extract twice at once).
pub fn setup() -> &'static (PathBuf, PathBuf) {
    static SETUP: OnceLock<Result<(PathBuf, PathBuf), String>> = OnceLock::new();
    let result =
        SETUP.get_or_init(|| super::run_setup("scripts/osrm-setup", ("OSRM_BIN=", "OSRM_DATA=")));
    match result {
        Ok(paths) => paths,
        Err(message) => panic!("{message}"),
    }
}

/// A running `osrm-routed`, killed and reaped on drop.
pub struct Server {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

impl Server {
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// Starts `osrm-routed` (CH, 2 threads) and waits until it is ready: its log says so and
/// `/nearest` answers Ok. A port taken between `free_port` and the server's bind makes the
/// server exit; then another port is tried, so a test never talks to another test's server.
pub fn start(max_table_size: usize) -> Server {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let (bin, data) = setup();
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("http client");
    let mut last_log = String::new();
    for _ in 0..3 {
        let port = free_port();
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "osrm-routed-{}-{}.log",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let log_file = File::create(&log).expect("create the server log");
        let child = Command::new(bin.join("osrm-routed"))
            .args([
                "-i",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-a",
                "CH",
                "-t",
                "2",
            ])
            .args(["--max-table-size", &max_table_size.to_string()])
            .arg(data)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log handle"))
            .stderr(log_file)
            .spawn()
            .expect("spawn osrm-routed");
        let mut server = Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if server.child.try_wait().ok().flatten().is_some() {
                break;
            }
            if server.log().contains("running and waiting for requests") {
                let nearest = format!("{}/nearest/v1/driving/9.52,47.14?number=1", server.url);
                let body = http
                    .get(&nearest)
                    .send()
                    .and_then(|r| r.text())
                    .unwrap_or_default();
                if body.contains(r#""code":"Ok""#) {
                    return server;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        last_log = server.log();
    }
    panic!("osrm-routed did not become ready; its last log:\n{last_log}");
}
