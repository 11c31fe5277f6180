//! The NATS side of the scale-out tests: a real `nats-server` with JetStream on a free
//! loopback port and a temporary store directory (installed by `scripts/test`), the
//! `tournee serve --nats` and `tournee worker --nats` processes around it, and reading
//! what they left in JetStream (records, dead letters). Every process is a
//! [`KillOnDrop`], so a failing test leaves none running.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::KillOnDrop;
use super::operations::Client;
use tournee::pb;

/// The longest any wait of these tests may last before it fails the test instead of
/// hanging it: far beyond what the work needs on a slow, shared machine.
pub const CEILING: Duration = Duration::from_secs(900);

/// A running `nats-server -js`; dropping it kills it and removes its store.
pub struct NatsServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    store: PathBuf,
    process: Option<KillOnDrop>,
}

impl NatsServer {
    /// Starts one on a free port with a new store directory.
    pub fn start() -> NatsServer {
        let port = free_port();
        let store =
            std::env::temp_dir().join(format!("tournee-nats-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&store);
        std::fs::create_dir_all(&store).expect("store directory");
        let mut server = NatsServer {
            port,
            store,
            process: None,
        };
        server.restart();
        server
    }

    /// Its client URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Stops it with SIGTERM and waits for its exit; its store stays.
    pub fn stop(&mut self) {
        if let Some(process) = self.process.take() {
            process.terminate();
            process.wait().expect("nats-server exits");
        }
    }

    /// Starts it again on the same port and store (after [`NatsServer::stop`]), and
    /// waits until it takes connections.
    pub fn restart(&mut self) {
        assert!(self.process.is_none(), "stop it first");
        let port = self.port.to_string();
        let store = self.store.display().to_string();
        // scripts/test names the one it installed; else the one on PATH.
        let binary = std::env::var("NATS_SERVER").unwrap_or_else(|_| "nats-server".into());
        let process = Command::new(binary)
            .args(["-js", "-sd", &store, "-a", "127.0.0.1", "-p", &port])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server runs (scripts/test installs the Debian package)");
        self.process = Some(KillOnDrop::new(process));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(started.elapsed() < CEILING, "nats-server never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.process.take();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}

/// A free port on 127.0.0.1 (bound, read, released).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// `tournee serve --nats` on a free port, `extra` flags added; its gRPC client URL.
pub fn start_front_end(nats: &NatsServer, extra: &[&str]) -> (KillOnDrop, String) {
    let mut process = KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["serve", "--addr", "127.0.0.1:0", "--nats", &nats.url()])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tournee serve starts"),
    );
    let address = process.bound_address();
    (process, format!("http://{address}"))
}

/// A `tournee worker` and the lines of its log, as they come.
pub struct Worker {
    /// The process.
    pub process: KillOnDrop,
    /// Its stderr lines.
    pub log: mpsc::Receiver<String>,
}

impl Worker {
    /// Waits until the worker logs a line containing `text`; that line.
    pub fn until_logged(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let left = CEILING.saturating_sub(started.elapsed());
            let line = self.log.recv_timeout(left).expect("the worker logs it");
            if line.contains(text) {
                return line;
            }
        }
    }

    /// Kills it at once (SIGKILL): no chance to hand its job back.
    pub fn kill(mut self) {
        self.process.kill().expect("SIGKILL");
        self.process.wait().expect("the worker exits");
    }
}

/// `tournee worker --nats` with `extra` flags, its log read on a thread.
pub fn start_worker(nats: &NatsServer, extra: &[&str]) -> Worker {
    let mut process = KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["worker", "--nats", &nats.url()])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tournee worker starts"),
    );
    let stderr = process.stderr.take().expect("stderr");
    let (sender, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    Worker { process, log }
}

/// A gRPC client of `url`, connected once the front end answers.
pub async fn client(url: &str) -> Client {
    Client::connect(url.to_string())
        .await
        .expect("connect")
        .max_decoding_message_size(64 * 1024 * 1024)
}

/// SubmitSolve of `request`: the operation's name.
pub async fn submit(client: &mut Client, request: pb::SolveRequest) -> String {
    client
        .submit_solve(request)
        .await
        .expect("submitted")
        .into_inner()
        .name
}

/// Waits until the operation is done, through the front end at `url`, reconnecting
/// while the front end or NATS is away; fails the test past [`CEILING`].
pub async fn wait_done(url: &str, name: &str) -> pb::Operation {
    let started = Instant::now();
    loop {
        assert!(started.elapsed() < CEILING, "{name} never ended");
        let Ok(mut client) = Client::connect(url.to_string()).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let request = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 10_000,
        };
        match client.wait_operation(request).await {
            Ok(answer) if answer.get_ref().done => return answer.into_inner(),
            Ok(_) => {}
            Err(status) if status.code() == tonic::Code::Unavailable => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(status) => panic!("waiting for {name}: {status}"),
        }
    }
}

/// The JetStream context of `nats`, for reading what tournee stored.
pub async fn jetstream(nats: &NatsServer) -> async_nats::jetstream::Context {
    let client = async_nats::connect(nats.url())
        .await
        .expect("connect to NATS");
    async_nats::jetstream::new(client)
}

/// How many revisions of the operation `name`'s record are done: a result is written
/// once, so 1 for every done operation.
pub async fn done_revisions(nats: &NatsServer, name: &str) -> usize {
    let context = jetstream(nats).await;
    let store = context
        .get_key_value(tournee::cluster::OPERATIONS_BUCKET)
        .await
        .expect("the records bucket");
    let records = tournee::server::operations::KvRecords::new(store);
    let history = records.history(name).await.expect("history");
    history.iter().filter(|record| record.done()).count()
}

/// Publishes the job of operation `name` again, as a redelivery would hand it out.
pub async fn publish_again(nats: &NatsServer, name: &str, request: &pb::SolveRequest) {
    use prost::Message;
    let job = tournee::cluster::Job {
        name: name.to_string(),
        request: Some(request.clone()),
    };
    let context = jetstream(nats).await;
    let acked = context
        .publish(tournee::cluster::JOBS_SUBJECT, job.encode_to_vec().into())
        .await
        .expect("published");
    acked.await.expect("stored");
}

/// Waits until the job queue is empty: every job acked.
pub async fn until_queue_empty(nats: &NatsServer) {
    let context = jetstream(nats).await;
    let mut stream = context
        .get_stream(tournee::cluster::JOBS_STREAM)
        .await
        .expect("the job stream");
    let started = Instant::now();
    while stream.info().await.expect("stream info").state.messages > 0 {
        assert!(started.elapsed() < CEILING, "jobs never acked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits off the runtime for `process` to exit by itself; fails the test past
/// [`CEILING`] (the process is then killed when dropped).
pub async fn exit_of(mut process: KillOnDrop) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = process.try_wait().expect("try_wait") {
            return status;
        }
        assert!(started.elapsed() < CEILING, "the process never exited");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every dead letter published so far.
pub async fn dead_letters(nats: &NatsServer) -> Vec<tournee::cluster::DeadLetter> {
    let context = jetstream(nats).await;
    let stream = context
        .get_stream(tournee::cluster::DEAD_STREAM)
        .await
        .expect("the dead-letter stream");
    let mut info = stream.clone();
    let count = info.info().await.expect("stream info").state.messages;
    let mut letters = Vec::new();
    for sequence in 1..=count {
        let message = stream.get_raw_message(sequence).await.expect("a letter");
        letters.push(serde_json::from_slice(&message.payload).expect("a letter decodes"));
    }
    letters
}
