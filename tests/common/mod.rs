//! Shared test helpers: a real server on 127.0.0.1:0, fixtures from data/, the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

pub mod nats;
pub mod operations;
pub mod osrm;
pub mod pooling;

use std::net::SocketAddr;

use tokio::sync::oneshot;
use tournee::pb;

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}

impl TestServer {
    /// The server's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A routing client.
    pub async fn client(&self) -> pb::routing_client::RoutingClient<tonic::transport::Channel> {
        pb::routing_client::RoutingClient::connect(self.url())
            .await
            .expect("connect")
            .max_decoding_message_size(64 * 1024 * 1024)
            .max_encoding_message_size(64 * 1024 * 1024)
    }
}

/// Starts the real server on an ephemeral loopback port.
pub async fn start_server() -> TestServer {
    start_server_with(tournee::travel::TravelConfig::default()).await
}

/// Starts the real server with default travel sources (as `serve --osm/--osrm-url`).
pub async fn start_server_with(travel: tournee::travel::TravelConfig) -> TestServer {
    let policy = tournee::server::server_policy(&travel, Default::default(), &[]);
    start_server_within(travel, policy).await
}

/// Starts the real server with travel sources and a policy (as `serve --max-…
/// --osrm-allow`).
pub async fn start_server_within(
    travel: tournee::travel::TravelConfig,
    policy: tournee::validate::Policy,
) -> TestServer {
    start_server_config(tournee::server::ServerConfig {
        policy,
        ..tournee::server::ServerConfig::new(travel)
    })
    .await
}

/// Starts the real server with a whole configuration (as `serve` with its flags).
pub async fn start_server_config(config: tournee::server::ServerConfig) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (sender, receiver) = oneshot::channel::<()>();
    tokio::spawn(async move {
        tournee::server::run_with(
            listener,
            async {
                let _ = receiver.await;
            },
            config,
        )
        .await
        .expect("server");
    });
    TestServer {
        addr,
        shutdown: Some(sender),
    }
}

/// Asks the health service whether `service` ("" for the server) is serving.
pub async fn health_status(addr: std::net::SocketAddr, service: &str) -> i32 {
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    health
        .check(tonic_health::pb::HealthCheckRequest {
            service: service.to_string(),
        })
        .await
        .expect("health")
        .into_inner()
        .status
}

/// The bundled Liechtenstein extract (© OpenStreetMap contributors, ODbL).
pub const LIECHTENSTEIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/roads/liechtenstein-2013-08-03.osm.pbf"
);

/// Travel on the bundled extract.
pub fn liechtenstein_config() -> tournee::travel::TravelConfig {
    tournee::travel::TravelConfig {
        osm: Some(tournee::travel::OsmSource::File(LIECHTENSTEIN.into())),
        osrm_url: None,
    }
}

/// A site at (lat, lon) degrees.
pub fn site_at(id: &str, lat_deg: f64, lon_deg: f64) -> pb::Site {
    pb::Site {
        id: id.to_string(),
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                lat_deg,
                lon_deg,
            })),
        }),
        ..Default::default()
    }
}

/// The demo scenario as a request.
pub fn demo_request() -> pb::SolveRequest {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/demo/cooperative.json"
    ))
    .expect("demo file");
    serde_json::from_str(&text).expect("demo parses")
}

/// Options for a quick deterministic solve: the iteration cap ends it, never the time
/// limit (the longest a request may ask for), however slow or busy the machine.
pub fn quick_options(iterations: u64) -> pb::SolveOptions {
    pb::SolveOptions {
        max_iterations: Some(iterations),
        threads: 1,
        seed: 3,
        time_limit_ms: Some(3_600_000),
        ..Default::default()
    }
}

/// Solves `request` on a fresh server and holds the answer to the checker.
pub async fn solve_checked(request: &pb::SolveRequest) -> pb::SolveResponse {
    let server = start_server().await;
    let mut client = server.client().await;
    let response = client
        .solve(request.clone())
        .await
        .expect("solve")
        .into_inner();
    assert_feasible(request, &response);
    response
}

/// Checks a wire response against its request with the independent checker.
pub fn assert_feasible(request: &pb::SolveRequest, response: &pb::SolveResponse) {
    assert_feasible_with(request, response, &Default::default());
}

/// Checks a wire response against its request, with travel data from `config`.
pub fn assert_feasible_with(
    request: &pb::SolveRequest,
    response: &pb::SolveResponse,
    config: &tournee::travel::TravelConfig,
) {
    let problem = tournee::validate::problem(request).expect("valid request");
    let (matrices, _) = tournee::travel::matrices(&problem, config).expect("travel matrices");
    let solution = tournee::api::decode::solution(&problem, response).expect("response decodes");
    if let Err(findings) = tournee::checker::check(&problem, &matrices, &solution) {
        panic!("checker rejects the answer: {findings:#?}");
    }
}

/// A child process (`tournee serve`) killed when dropped, so that a failing test leaves
/// no server running; [`KillOnDrop::wait`] waits for its own exit instead.
pub struct KillOnDrop(Option<std::process::Child>);

impl KillOnDrop {
    /// Guards `child`.
    pub fn new(child: std::process::Child) -> Self {
        KillOnDrop(Some(child))
    }

    /// Waits for the process to exit (after a signal the test sent); no kill then.
    pub fn wait(mut self) -> std::io::Result<std::process::ExitStatus> {
        self.0.take().expect("not waited for yet").wait()
    }

    /// The first line a `tournee serve` prints on its (piped) stdout: the bound address.
    pub fn bound_address(&mut self) -> String {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(self.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the bound address");
        line.trim().to_string()
    }

    /// Sends SIGTERM, what process managers send to stop a server.
    pub fn terminate(&self) {
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
    }

    /// Waits for the exit off the test's runtime (which must stay free to close the
    /// server's connections) and asserts it is a clean one.
    pub async fn exits_cleanly(self) {
        let exit = tokio::task::spawn_blocking(move || self.wait())
            .await
            .expect("joined")
            .expect("wait");
        assert!(exit.success(), "{exit:?}");
    }
}

impl std::ops::Deref for KillOnDrop {
    type Target = std::process::Child;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref().expect("not waited for yet")
    }
}

impl std::ops::DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.as_mut().expect("not waited for yet")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the setup script `script` (a path from the repository's top) and reads the two
/// paths it prints as `KEY=path` lines (the last of each): how the tests find the OSRM
/// executables and data, and Chromium and its driver, that the scripts install.
pub fn run_setup(
    script: &str,
    (first, second): (&str, &str),
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let output = std::process::Command::new(&path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let value = |key: &str| {
        stdout
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix(key))
            .map(std::path::PathBuf::from)
    };
    match (output.status.success(), value(first), value(second)) {
        (true, Some(a), Some(b)) => Ok((a, b)),
        _ => Err(format!(
            "{script} failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status
        )),
    }
}
