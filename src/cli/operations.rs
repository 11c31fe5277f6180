//! `tournee serve`'s flags for long-running operations: where their store is
//! (`--data-dir`, durable by default), how long a done operation is kept
//! (`--operation-ttl-s`) and how often a running one is checkpointed
//! (`--checkpoint-every-s`).

use std::path::PathBuf;

/// Where operations (SubmitSolve) are kept and for how long.
#[derive(Debug, Clone, clap::Args)]
pub struct OperationArgs {
    /// Directory of the operations store (a redb file, operations.redb), created if
    /// missing; queued and running operations resume from it after a restart. Default:
    /// $XDG_STATE_HOME/tournee, else $HOME/.local/state/tournee, else ./tournee-data
    /// (when that default is held by another running server, operations stay in memory,
    /// with a warning; a directory given here must be free).
    #[arg(long, value_name = "DIR", conflicts_with = "no_data_dir")]
    data_dir: Option<PathBuf>,
    /// Keep operations in memory only: they do not survive a restart.
    #[arg(long)]
    no_data_dir: bool,
    /// Seconds a done operation is kept, then deleted (default: 7 days).
    #[arg(long, value_name = "S", default_value_t = tournee::server::operations::DEFAULT_OPERATION_TTL.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=10 * 365 * 24 * 3600))]
    operation_ttl_s: u64,
    /// Seconds between two stored checkpoints of a running operation's best plan (a
    /// server that dies resumes from the latest).
    #[arg(long, value_name = "S", default_value_t = tournee::server::operations::DEFAULT_CHECKPOINT_EVERY.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    checkpoint_every_s: u64,
    /// A NATS server with JetStream (nats://HOST:PORT): operations are kept there and
    /// solved by `tournee worker` processes, so several front ends share them
    /// (--data-dir is then unused).
    #[arg(long, value_name = "URL")]
    nats: Option<String>,
}

impl OperationArgs {
    /// The library's configuration.
    pub fn config(&self) -> tournee::server::OperationsConfig {
        let (data_dir, memory_if_locked) = match (&self.data_dir, self.no_data_dir) {
            (_, true) => (None, false),
            (Some(directory), false) => (Some(directory.clone()), false),
            (None, false) => (Some(default_data_dir()), true),
        };
        tournee::server::OperationsConfig {
            data_dir,
            memory_if_locked,
            ttl: std::time::Duration::from_secs(self.operation_ttl_s),
            checkpoint_every: std::time::Duration::from_secs(self.checkpoint_every_s),
            nats_url: self.nats.clone(),
        }
    }
}

/// The XDG state directory's `tournee`, else `./tournee-data`.
fn default_data_dir() -> PathBuf {
    let from = |variable: &str| std::env::var_os(variable).filter(|value| !value.is_empty());
    if let Some(state) = from("XDG_STATE_HOME") {
        return PathBuf::from(state).join("tournee");
    }
    if let Some(home) = from("HOME") {
        return PathBuf::from(home).join(".local/state/tournee");
    }
    PathBuf::from("tournee-data")
}
