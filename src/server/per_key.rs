//! The per-key share of the solvers (`serve --max-solves-per-key N`): one key's calls
//! that run or wait for a solver are counted, and a key already at N is refused at once
//! with [`Error::KeyBusy`] (RESOURCE_EXHAUSTED with a retry delay, like a full queue),
//! so one platform's burst cannot fill the queue that every key shares. Counted where
//! [`super::Admission`] counts: solves and matrix computations alike.
//!
//! What flows in: the call's [`Caller`]; out: a [`KeySlot`] that the call's permit holds
//! until its work ends. An open server ([`Caller::Open`]) has no keys to count.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::auth::Caller;
use crate::error::Error;
use crate::error::RETRY_AFTER_MS;

/// How many calls each key has running or waiting.
#[derive(Debug, Default)]
pub struct PerKey {
    /// The most one key may have, if limited.
    max: Option<usize>,
    counts: Mutex<HashMap<Arc<str>, usize>>,
}

/// One counted call of a key; gives its place back when dropped.
#[derive(Debug)]
pub struct KeySlot {
    per_key: Arc<PerKey>,
    name: Arc<str>,
}

impl PerKey {
    /// At most `max` calls per key (none: no limit).
    pub fn new(max: Option<usize>) -> Self {
        PerKey {
            max,
            counts: Mutex::default(),
        }
    }

    /// A slot for one more call of `caller`, or [`Error::KeyBusy`] when its key is at
    /// the limit. Nothing to count without a limit or without keys.
    pub fn take(self: &Arc<Self>, caller: &Caller) -> Result<Option<KeySlot>, Error> {
        let (Some(max), Caller::Key(name)) = (self.max, caller) else {
            return Ok(None);
        };
        // A panic elsewhere while holding the lock leaves the counts usable: they are
        // plain numbers, each change a single step.
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(name.clone()).or_insert(0);
        if *count >= max {
            return Err(Error::KeyBusy {
                max,
                retry_after_ms: RETRY_AFTER_MS,
            });
        }
        *count += 1;
        Ok(Some(KeySlot {
            per_key: self.clone(),
            name: name.clone(),
        }))
    }

    /// Calls `name` has running or waiting now.
    #[cfg(test)]
    pub fn count(&self, name: &str) -> usize {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(name).copied().unwrap_or(0)
    }
}

impl Drop for KeySlot {
    fn drop(&mut self) {
        let mut counts = self
            .per_key
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.name) {
            *count = count.saturating_sub(1);
            // Forget idle keys, so the map stays as small as the keys in use.
            if *count == 0 {
                counts.remove(&self.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_key_at_its_limit_and_no_other() {
        let per_key = Arc::new(PerKey::new(Some(2)));
        let (a, b) = (Caller::Key("a".into()), Caller::Key("b".into()));
        let first = per_key.take(&a).unwrap();
        let _second = per_key.take(&a).unwrap();
        assert!(matches!(
            per_key.take(&a),
            Err(Error::KeyBusy { max: 2, .. })
        ));
        assert!(per_key.take(&b).unwrap().is_some());
        drop(first);
        assert_eq!(per_key.count("a"), 1);
        assert!(per_key.take(&a).unwrap().is_some());
        assert!(per_key.take(&Caller::Open).unwrap().is_none());
        let unlimited = Arc::new(PerKey::new(None));
        assert!(unlimited.take(&a).unwrap().is_none());
    }
}
