//! Who may call `tournee.v1.Routing`: the API keys an operator lists in a file
//! (`serve --api-keys FILE`), checked on every Routing call before any work, and the
//! caller's identity ([`Caller`]) that the checked call carries on to the service in its
//! request extensions. Health and reflection are not behind it: a load balancer and
//! `grpcurl` need them without a key.
//!
//! The file holds one key a line as `name:sha256-hex` (the lowercase hex SHA-256 of the
//! key's bytes), `#` comments and blank lines; `tournee keys hash --name NAME` prints
//! such a line for a key read on stdin. The file holds no key itself, so a copy of it
//! (a backup, a config repository) gives no one access. Keys are meant to be long random
//! strings (`openssl rand -hex 32`): with that much entropy an unsalted hash is enough.
//!
//! A call shows its key as `authorization: Bearer <key>`. A missing, malformed or unknown
//! key gets the same UNAUTHENTICATED answer, which names no key; the presented key's hash
//! is compared with every listed hash in constant time, so neither the answer nor its
//! timing tells which names exist. The `authorization` header is removed once checked, so
//! nothing after this point can log the key; only the key's name travels on.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tonic::metadata::MetadataMap;
use tonic::service::Interceptor;
use tonic::{Request, Status};

use super::metrics::{CalledMethod, Metrics};

/// The metadata key that carries the caller's key.
pub const AUTHORIZATION: &str = "authorization";

/// What every refused call is told, whatever was wrong with its key.
pub const UNAUTHENTICATED_MESSAGE: &str =
    "a valid API key is required: send the metadata `authorization: Bearer <key>`";

/// Longest key name, bytes (it goes into logs and, later, stored records).
const MAX_NAME_BYTES: usize = 64;

/// Shortest key `tournee keys hash` accepts, bytes: a key is a secret, not a password.
pub const MIN_KEY_BYTES: usize = 16;

/// Who made a Routing call: in every call's request extensions once it passed the key
/// check, so the service can tell callers apart (log them, count them, later keep each
/// key's own operations apart).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// The server checks no keys (no `--api-keys`): every caller is this one.
    Open,
    /// The caller showed the key of this name.
    Key(Arc<str>),
}

impl Caller {
    /// The caller of `request`; [`Caller::Open`] when it carries none (a service called
    /// without the key check in front, as in unit tests).
    pub fn of<T>(request: &Request<T>) -> Caller {
        request
            .extensions()
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Open)
    }

    /// The key's name, when keys are checked.
    pub fn key_name(&self) -> Option<&str> {
        match self {
            Caller::Open => None,
            Caller::Key(name) => Some(name),
        }
    }
}

/// A key file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not `name:sha256-hex`.
    #[error("line {line}: {reason} (expected name:sha256-hex, see `tournee keys hash`)")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The file lists no key: every call would be refused.
    #[error("no key in the file (lines are name:sha256-hex; # starts a comment)")]
    Empty,
}

/// The keys the server accepts: each key's name and the SHA-256 of the key.
#[derive(Clone)]
pub struct ApiKeys {
    entries: Vec<(Arc<str>, [u8; 32])>,
}

impl fmt::Debug for ApiKeys {
    /// Names only: hashes stay out of debug output too.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.entries.iter().map(|(name, _)| &**name).collect();
        formatter
            .debug_struct("ApiKeys")
            .field("names", &names)
            .finish()
    }
}

impl ApiKeys {
    /// Reads a key file.
    pub fn load(path: &Path) -> Result<ApiKeys, KeysError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeysError::Read {
            path: path.display().to_string(),
            source,
        })?;
        ApiKeys::parse(&text)
    }

    /// Parses a key file's text: `name:sha256-hex` lines, `#` comments, blank lines.
    pub fn parse(text: &str) -> Result<ApiKeys, KeysError> {
        let mut entries: Vec<(Arc<str>, [u8; 32])> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let wrong = |reason: &str| KeysError::Line {
                line: index + 1,
                reason: reason.to_string(),
            };
            let (name, hex) = line.split_once(':').ok_or_else(|| wrong("no `:`"))?;
            let name = name.trim();
            if !valid_name(name) {
                return Err(wrong("the name must be 1 to 64 letters, digits or `-_.`"));
            }
            let hash = parse_hash(hex.trim())
                .ok_or_else(|| wrong("the hash must be 64 hex digits (a SHA-256)"))?;
            if entries.iter().any(|(known, _)| &**known == name) {
                return Err(wrong("this name is listed twice"));
            }
            entries.push((name.into(), hash));
        }
        if entries.is_empty() {
            return Err(KeysError::Empty);
        }
        Ok(ApiKeys { entries })
    }

    /// How many keys are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is listed (never, for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The name of `key`, if it is listed. Compares the key's hash with every listed
    /// hash, all of them and each in constant time, so the time taken tells nothing of
    /// which name matched or how close a guess came.
    pub fn name_of(&self, key: &str) -> Option<Arc<str>> {
        let hash: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let mut found = None;
        for (name, listed) in &self.entries {
            if bool::from(listed.ct_eq(&hash)) {
                found = Some(name.clone());
            }
        }
        found
    }
}

/// The key file line for `key` under `name`: what `tournee keys hash` prints.
pub fn key_line(name: &str, key: &str) -> String {
    let hash = Sha256::digest(key.as_bytes());
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{name}:{hex}")
}

/// Whether `name` may name a key: short and plain, since it goes into logs.
pub fn valid_name(name: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    !name.is_empty() && name.len() <= MAX_NAME_BYTES && name.chars().all(plain)
}

/// 64 hex digits as 32 bytes.
fn parse_hash(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut hash = [0u8; 32];
    for (index, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * index..2 * index + 2], 16).ok()?;
    }
    Some(hash)
}

/// The key of an `authorization: Bearer <key>` header (scheme in any case).
fn bearer(metadata: &MetadataMap) -> Option<&str> {
    let value = metadata.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

/// The key check in front of the Routing service: puts the [`Caller`] into each call's
/// extensions, or refuses the call with UNAUTHENTICATED (counted in the metrics, by the
/// method `request_bytes.rs` named, when it has metrics).
#[derive(Debug, Clone)]
pub struct Authenticator {
    keys: Option<Arc<ApiKeys>>,
    metrics: Option<Arc<Metrics>>,
}

impl Authenticator {
    /// Checks `keys`; with none, every call passes as [`Caller::Open`].
    pub fn new(keys: Option<Arc<ApiKeys>>) -> Self {
        Authenticator {
            keys,
            metrics: None,
        }
    }

    /// The same, counting refused calls in `metrics`.
    pub fn counting(self, metrics: Arc<Metrics>) -> Self {
        Authenticator {
            metrics: Some(metrics),
            ..self
        }
    }

    /// Who `metadata` says the caller is, if anyone.
    fn caller(&self, metadata: &MetadataMap) -> Option<Caller> {
        match &self.keys {
            None => Some(Caller::Open),
            Some(keys) => bearer(metadata)
                .and_then(|key| keys.name_of(key))
                .map(Caller::Key),
        }
    }
}

impl Interceptor for Authenticator {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let Some(caller) = self.caller(request.metadata()) else {
            // The peer's address helps an operator spot someone guessing keys; what was
            // sent is not logged.
            tracing::info!(peer = ?request.remote_addr(), "call refused: no valid API key");
            if let Some(metrics) = &self.metrics {
                let method = request.extensions().get::<CalledMethod>();
                metrics.call(
                    method.map_or("unknown", |m| m.0),
                    tonic::Code::Unauthenticated,
                );
            }
            return Err(Status::unauthenticated(UNAUTHENTICATED_MESSAGE));
        };
        request.metadata_mut().remove(AUTHORIZATION);
        request.extensions_mut().insert(caller);
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> ApiKeys {
        let text = format!(
            "# the cooperative's keys\n\n{}\n{}  # the shop\n",
            key_line("farm-a", "key-of-farm-a-0123456789"),
            key_line("shop", "key-of-the-shop-0123456789"),
        );
        ApiKeys::parse(&text).unwrap()
    }

    #[test]
    fn finds_the_name_of_a_listed_key_only() {
        let keys = keys();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys.name_of("key-of-the-shop-0123456789").as_deref(),
            Some("shop")
        );
        assert_eq!(
            keys.name_of("key-of-farm-a-0123456789").as_deref(),
            Some("farm-a")
        );
        assert_eq!(keys.name_of("key-of-the-shop-012345678"), None);
        assert_eq!(keys.name_of(""), None);
        assert!(!format!("{keys:?}").contains(&key_line("shop", "x")[5..]));
    }

    #[test]
    fn refuses_bad_lines_with_their_number() {
        let hash = "0".repeat(64);
        for (text, line) in [
            ("a:b\n", 1),
            (&format!("# c\nbad name:{hash}\n") as &str, 2),
            (&format!("a:{hash}\na:{hash}\n"), 2),
            (&format!("a:{}\n", "g".repeat(64)), 1),
            ("no colon\n", 1),
        ] {
            match ApiKeys::parse(text) {
                Err(KeysError::Line { line: got, .. }) => assert_eq!(got, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(ApiKeys::parse("# none\n"), Err(KeysError::Empty)));
    }

    #[test]
    fn reads_bearer_keys_and_refuses_the_rest_alike() {
        let mut authenticator = Authenticator::new(Some(Arc::new(keys())));
        let with = |value: Option<&str>| {
            let mut request = Request::new(());
            if let Some(value) = value {
                request
                    .metadata_mut()
                    .insert(AUTHORIZATION, value.parse().unwrap());
            }
            request
        };
        let passed = authenticator
            .call(with(Some("bearer key-of-farm-a-0123456789")))
            .unwrap();
        assert_eq!(Caller::of(&passed), Caller::Key("farm-a".into()));
        assert!(passed.metadata().get(AUTHORIZATION).is_none());
        for refused in [
            None,
            Some("Bearer nope"),
            Some("Basic key-of-farm-a-0123456789"),
        ] {
            let status = authenticator.call(with(refused)).unwrap_err();
            assert_eq!(status.code(), tonic::Code::Unauthenticated);
            assert_eq!(status.message(), UNAUTHENTICATED_MESSAGE);
        }
        let mut open = Authenticator::new(None);
        assert_eq!(Caller::of(&open.call(with(None)).unwrap()), Caller::Open);
    }
}
