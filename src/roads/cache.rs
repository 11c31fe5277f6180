//! The process cache of prepared networks, keyed by extract content and profile: a
//! server prepares an extract once and answers every later request at query speed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::{PROFILE_VERSION, RoadNetwork};

type Cache = Mutex<HashMap<String, Arc<RoadNetwork>>>;

/// Networks found prepared in the cache, and prepared because they were not, since the
/// process started (the server's `/metrics`).
static CACHE_HITS: AtomicU64 = AtomicU64::new(0);
static CACHE_MISSES: AtomicU64 = AtomicU64::new(0);

/// How often [`RoadNetwork::load`] and [`RoadNetwork::load_bytes`] found the network
/// prepared, and how often they prepared it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheCounts {
    /// Found prepared.
    pub hits: u64,
    /// Prepared then.
    pub misses: u64,
}

/// The cache's counts since the process started.
pub fn cache_counts() -> CacheCounts {
    CacheCounts {
        hits: CACHE_HITS.load(Ordering::Relaxed),
        misses: CACHE_MISSES.load(Ordering::Relaxed),
    }
}

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// One key per extract and profile, whether the network came from the PBF or from its
/// prepared file.
pub(super) fn cache_key(extract_sha256: &[u8; 32]) -> String {
    let hex: String = extract_sha256.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}/{PROFILE_VERSION}")
}

/// The cached network under `key`, counting the hit or the miss.
pub(super) fn cached(key: &str) -> Option<Arc<RoadNetwork>> {
    let found = cache().lock().ok().and_then(|c| c.get(key).cloned());
    let counter = if found.is_some() {
        &CACHE_HITS
    } else {
        &CACHE_MISSES
    };
    counter.fetch_add(1, Ordering::Relaxed);
    found
}

pub(super) fn remember(key: String, network: &Arc<RoadNetwork>) {
    if let Ok(mut c) = cache().lock() {
        c.insert(key, network.clone());
    }
}
