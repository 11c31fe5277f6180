//! Operation records in the NATS JetStream key-value bucket (`cluster::OPERATIONS_BUCKET`),
//! the shared store of `serve --nats` front ends and workers. Every change is a
//! compare-and-set on the revision read, retried on a conflict, so two processes never
//! lose each other's writes; a change function that refuses a done record keeps a
//! result from ever being overwritten.

use std::time::Instant;

use async_nats::jetstream::kv;
use prost::Message;
use tokio_stream::StreamExt;

use super::error::OperationError;
use super::record::Record;
use crate::cluster::key_of;

/// Conflicting writes tried again before giving up: more than any real contention.
const MAX_CONFLICTS: usize = 64;

/// The records of the bucket.
#[derive(Debug, Clone)]
pub struct KvRecords {
    store: kv::Store,
}

impl KvRecords {
    /// The records of `store`.
    pub fn new(store: kv::Store) -> Self {
        KvRecords { store }
    }

    /// The record `name` and its revision; `None` when missing, deleted or expired.
    pub async fn get(&self, name: &str) -> Result<Option<(Record, u64)>, OperationError> {
        let Some(key) = key_of(name) else {
            return Ok(None);
        };
        let entry = self.store.entry(key).await.map_err(queue_error)?;
        match entry {
            Some(entry) if entry.operation == kv::Operation::Put => {
                Ok(Some((decode(&entry.value)?, entry.revision)))
            }
            _ => Ok(None),
        }
    }

    /// Stores a new record; fails if its name is taken.
    pub async fn create(&self, record: &Record) -> Result<(), OperationError> {
        let key = key_of(record.name())
            .ok_or_else(|| OperationError::NotFound(record.name().to_string()))?;
        self.store
            .create(key, record.encode_to_vec().into())
            .await
            .map_err(queue_error)?;
        Ok(())
    }

    /// Changes the record `name` with `change` (whether to write it back), retried on
    /// a concurrent write; the record as it is afterwards, `None` when missing.
    pub async fn update(
        &self,
        name: &str,
        mut change: impl FnMut(&mut Record) -> bool,
    ) -> Result<Option<Record>, OperationError> {
        let Some(key) = key_of(name) else {
            return Ok(None);
        };
        for _ in 0..MAX_CONFLICTS {
            let Some((mut record, revision)) = self.get(name).await? else {
                return Ok(None);
            };
            if !change(&mut record) {
                return Ok(Some(record));
            }
            let written = self
                .store
                .update(key, record.encode_to_vec().into(), revision)
                .await;
            match written {
                Ok(_) => return Ok(Some(record)),
                Err(error) if error.kind() == kv::UpdateErrorKind::WrongLastRevision => {}
                Err(error) => return Err(queue_error(error)),
            }
        }
        Err(OperationError::Queue(format!(
            "{name}: too many concurrent writes"
        )))
    }

    /// Deletes the record `name`.
    pub async fn delete(&self, name: &str) -> Result<(), OperationError> {
        if let Some(key) = key_of(name) {
            self.store.purge(key).await.map_err(queue_error)?;
        }
        Ok(())
    }

    /// Every operation's name, sorted (names sort by submission).
    pub async fn names(&self) -> Result<Vec<String>, OperationError> {
        let mut keys = self.store.keys().await.map_err(queue_error)?;
        let mut names = Vec::new();
        while let Some(key) = keys.next().await {
            names.push(format!("operations/{}", key.map_err(queue_error)?));
        }
        names.sort();
        Ok(names)
    }

    /// Waits until the record `name` changes after `revision`, or `until`; whether it
    /// changed.
    pub async fn changed(
        &self,
        name: &str,
        revision: u64,
        until: Instant,
    ) -> Result<bool, OperationError> {
        let Some(key) = key_of(name) else {
            return Ok(false);
        };
        let mut watch = self
            .store
            .watch_from_revision(key, revision.saturating_add(1))
            .await
            .map_err(queue_error)?;
        match tokio::time::timeout_at(until.into(), watch.next()).await {
            Ok(Some(Ok(_))) => Ok(true),
            Ok(Some(Err(error))) => Err(queue_error(error)),
            Ok(None) | Err(_) => Ok(false),
        }
    }

    /// The revisions of `name` still kept, oldest first (for tests and audits: a
    /// result is written once).
    pub async fn history(&self, name: &str) -> Result<Vec<Record>, OperationError> {
        let Some(key) = key_of(name) else {
            return Ok(Vec::new());
        };
        let mut history = self.store.history(key).await.map_err(queue_error)?;
        let mut records = Vec::new();
        while let Some(entry) = history.next().await {
            let entry = entry.map_err(queue_error)?;
            if entry.operation == kv::Operation::Put {
                records.push(decode(&entry.value)?);
            }
        }
        Ok(records)
    }
}

/// A stored record's bytes, decoded.
fn decode(bytes: &[u8]) -> Result<Record, OperationError> {
    Record::decode(bytes).map_err(|error| OperationError::Store(format!("a record: {error}")))
}

/// Any NATS failure, as the operations' error.
fn queue_error(error: impl std::fmt::Display) -> OperationError {
    OperationError::Queue(error.to_string())
}
