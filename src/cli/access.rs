//! `serve`'s flags for who may call and how: API keys (`--api-keys`), each key's share
//! of the solvers (`--max-solves-per-key`, `--max-calls-per-key-per-minute`) and TLS (`--tls-cert`, `--tls-key`), read and
//! checked before the server listens, so a bad file stops the start with one line
//! naming its flag.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

/// Who may call the server, and over what.
#[derive(Debug, Clone, clap::Args)]
pub struct AccessArgs {
    /// A file of API keys, one `name:sha256-hex` a line (`#` comments; make lines with
    /// `tournee keys hash`): every tournee.v1.Routing call must then send
    /// `authorization: Bearer <key>` (health and reflection stay open). Without it, any
    /// caller may call.
    #[arg(long, value_name = "FILE")]
    api_keys: Option<PathBuf>,
    /// Calls one key may have running or waiting for a solver; past them its calls get
    /// RESOURCE_EXHAUSTED with a retry delay (default: no limit but the server's).
    #[arg(long, value_name = "N", requires = "api_keys",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_solves_per_key: Option<u64>,
    /// Calls one key may start per minute (Solve, SolveStream, ComputeMatrix,
    /// SubmitSolve; at once after a quiet minute); past them its calls get
    /// RESOURCE_EXHAUSTED with the delay until its next call (default: no limit).
    #[arg(long, value_name = "N", requires = "api_keys",
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_calls_per_key_per_minute: Option<u32>,
    /// The server's certificate chain (PEM): serve over TLS (with --tls-key).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The server's private key (PEM: PKCS#8, PKCS#1 or SEC1), for --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

impl AccessArgs {
    /// The keys and the per-key limit, the key file read and checked.
    pub fn access(&self) -> anyhow::Result<tournee::server::Access> {
        let api_keys = match &self.api_keys {
            Some(path) => Some(Arc::new(
                tournee::server::ApiKeys::load(path).context("--api-keys")?,
            )),
            None => None,
        };
        Ok(tournee::server::Access {
            api_keys,
            max_solves_per_key: self.max_solves_per_key.map(|n| n as usize),
            max_calls_per_key_per_minute: self.max_calls_per_key_per_minute,
        })
    }

    /// The TLS identity, when asked for, its files read and checked.
    pub fn tls(&self) -> anyhow::Result<Option<tournee::server::Tls>> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let certificate = read(cert, "--tls-cert")?;
        let private_key = read(key, "--tls-key")?;
        use tournee::server::TlsError;
        let tls = tournee::server::Tls::from_pem(&certificate, &private_key).map_err(|error| {
            let flag = match error {
                TlsError::NoCertificate => "--tls-cert",
                TlsError::NoKey => "--tls-key",
                TlsError::Pair(_) => "--tls-cert, --tls-key",
            };
            anyhow::anyhow!("{flag}: {error}")
        })?;
        Ok(Some(tls))
    }
}

/// A file's bytes, or an error naming its flag and path.
fn read(path: &Path, flag: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{flag}: cannot read {}", path.display()))
}
