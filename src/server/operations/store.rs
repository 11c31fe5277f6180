//! The durable store of operations: two redb tables, name → encoded [`Record`] and
//! name → encoded request (written once, read when the job runs), in a file under
//! `--data-dir` (or in memory for tests and `--no-data-dir`). Every change is
//! one committed write transaction, so a process killed at any instant leaves each
//! operation either as it was or as it became, never half-written; a result is visible
//! only once committed, so a done operation is never run again.
//!
//! Sync: call it off the async runtime (`spawn_blocking`), as a commit waits for the
//! disk.

use std::ops::Bound;
use std::path::Path;

use prost::Message;
use redb::{Database, ReadableTable, TableDefinition};

use super::error::OperationError;
use super::record::Record;
use crate::pb;

/// Name → encoded [`Record`].
const OPERATIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("operations");
/// Name → encoded `SolveRequest`.
const REQUESTS: TableDefinition<&str, &[u8]> = TableDefinition::new("requests");

/// The file under the data directory.
pub const FILE_NAME: &str = "operations.redb";

/// The store of operations.
#[derive(Debug)]
pub struct Store {
    database: Database,
}

impl Store {
    /// Opens (creating if need be) the store in `directory`; fails with
    /// [`OperationError::Locked`] when another process holds it.
    pub fn open(directory: &Path) -> Result<Store, OperationError> {
        std::fs::create_dir_all(directory).map_err(|error| {
            OperationError::Store(format!("creating {}: {error}", directory.display()))
        })?;
        let database = match Database::create(directory.join(FILE_NAME)) {
            Ok(database) => database,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(OperationError::Locked(directory.display().to_string()));
            }
            Err(error) => return Err(store_error(error)),
        };
        Store::ready(database)
    }

    /// A store that lives as long as the process.
    pub fn in_memory() -> Result<Store, OperationError> {
        let database = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(store_error)?;
        Store::ready(database)
    }

    /// `database` with its table created, so that readers never find it missing.
    fn ready(database: Database) -> Result<Store, OperationError> {
        let transaction = database.begin_write().map_err(store_error)?;
        transaction.open_table(OPERATIONS).map_err(store_error)?;
        transaction.open_table(REQUESTS).map_err(store_error)?;
        transaction.commit().map_err(store_error)?;
        Ok(Store { database })
    }

    /// Stores a new operation: `record` and its `request`, in one transaction.
    pub fn create(
        &self,
        record: &Record,
        request: &pb::SolveRequest,
    ) -> Result<(), OperationError> {
        let transaction = self.database.begin_write().map_err(store_error)?;
        {
            let mut requests = transaction.open_table(REQUESTS).map_err(store_error)?;
            let bytes = request.encode_to_vec();
            requests
                .insert(record.name(), bytes.as_slice())
                .map_err(store_error)?;
        }
        self.write_in(transaction, |table| {
            table.insert(record.name(), record.encode_to_vec().as_slice())?;
            Ok(())
        })
    }

    /// The request of the operation `name`.
    pub fn request(&self, name: &str) -> Result<Option<pb::SolveRequest>, OperationError> {
        let transaction = self.database.begin_read().map_err(store_error)?;
        let table = transaction.open_table(REQUESTS).map_err(store_error)?;
        let Some(bytes) = table.get(name).map_err(store_error)? else {
            return Ok(None);
        };
        pb::SolveRequest::decode(bytes.value())
            .map(Some)
            .map_err(|error| OperationError::Store(format!("a request: {error}")))
    }

    /// The record named `name`.
    pub fn get(&self, name: &str) -> Result<Option<Record>, OperationError> {
        let transaction = self.database.begin_read().map_err(store_error)?;
        let table = transaction.open_table(OPERATIONS).map_err(store_error)?;
        let Some(bytes) = table.get(name).map_err(store_error)? else {
            return Ok(None);
        };
        decode(bytes.value()).map(Some)
    }

    /// Changes the record named `name` with `change` in one transaction: `change` says
    /// whether to write it back. The record as it is afterwards; `None` when missing.
    pub fn update(
        &self,
        name: &str,
        change: impl FnOnce(&mut Record) -> bool,
    ) -> Result<Option<Record>, OperationError> {
        let mut outcome = Ok(None);
        self.write(|table| {
            // The guard borrows the table: decode and let it go before writing.
            let found = table.get(name)?.map(|bytes| decode(bytes.value()));
            outcome = match found {
                None => Ok(None),
                Some(Err(error)) => Err(error),
                Some(Ok(mut record)) => {
                    if change(&mut record) {
                        table.insert(name, record.encode_to_vec().as_slice())?;
                    }
                    Ok(Some(record))
                }
            };
            Ok(())
        })?;
        outcome
    }

    /// Deletes the operation `name`; whether there was one.
    pub fn delete(&self, name: &str) -> Result<bool, OperationError> {
        let transaction = self.database.begin_write().map_err(store_error)?;
        {
            let mut requests = transaction.open_table(REQUESTS).map_err(store_error)?;
            requests.remove(name).map_err(store_error)?;
        }
        let mut deleted = false;
        self.write_in(transaction, |table| {
            deleted = table.remove(name)?.is_some();
            Ok(())
        })?;
        Ok(deleted)
    }

    /// Up to `limit` records after the name `after` (from the first when empty), in
    /// name order, that `keep` accepts.
    pub fn page(
        &self,
        after: &str,
        limit: usize,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<Vec<Record>, OperationError> {
        let transaction = self.database.begin_read().map_err(store_error)?;
        let table = transaction.open_table(OPERATIONS).map_err(store_error)?;
        let start = if after.is_empty() {
            Bound::Unbounded
        } else {
            Bound::Excluded(after)
        };
        let mut records = Vec::new();
        for entry in table
            .range::<&str>((start, Bound::Unbounded))
            .map_err(store_error)?
        {
            let (_, bytes) = entry.map_err(store_error)?;
            let record = decode(bytes.value())?;
            if keep(&record) {
                records.push(record);
                if records.len() >= limit {
                    break;
                }
            }
        }
        Ok(records)
    }

    /// Deletes every operation done and expired at `now_unix_ms`; how many.
    pub fn purge(&self, now_unix_ms: i64) -> Result<usize, OperationError> {
        let transaction = self.database.begin_write().map_err(store_error)?;
        let mut expired = Vec::new();
        {
            let mut table = transaction.open_table(OPERATIONS).map_err(store_error)?;
            table
                .retain(|name, bytes| {
                    let gone = decode(bytes).is_ok_and(|record| record.expired(now_unix_ms));
                    if gone {
                        expired.push(name.to_string());
                    }
                    !gone
                })
                .map_err(store_error)?;
            let mut requests = transaction.open_table(REQUESTS).map_err(store_error)?;
            for name in &expired {
                requests.remove(name.as_str()).map_err(store_error)?;
            }
        }
        transaction.commit().map_err(store_error)?;
        Ok(expired.len())
    }

    /// Runs `body` on the table in one write transaction and commits it.
    fn write(
        &self,
        body: impl FnOnce(&mut redb::Table<&str, &[u8]>) -> Result<(), redb::StorageError>,
    ) -> Result<(), OperationError> {
        let transaction = self.database.begin_write().map_err(store_error)?;
        self.write_in(transaction, body)
    }

    /// Runs `body` on the records' table in `transaction`, then commits it.
    fn write_in(
        &self,
        transaction: redb::WriteTransaction,
        body: impl FnOnce(&mut redb::Table<&str, &[u8]>) -> Result<(), redb::StorageError>,
    ) -> Result<(), OperationError> {
        {
            let mut table = transaction.open_table(OPERATIONS).map_err(store_error)?;
            body(&mut table).map_err(store_error)?;
        }
        transaction.commit().map_err(store_error)
    }
}

/// A stored record's bytes, decoded.
fn decode(bytes: &[u8]) -> Result<Record, OperationError> {
    Record::decode(bytes).map_err(|error| OperationError::Store(format!("a record: {error}")))
}

/// Any redb failure, as the store's error.
fn store_error(error: impl Into<redb::Error>) -> OperationError {
    OperationError::Store(error.into().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, done: bool, expire_time_unix_ms: i64) -> Record {
        Record {
            operation: Some(pb::Operation {
                name: name.to_string(),
                done,
                metadata: Some(pb::OperationMetadata {
                    expire_time_unix_ms,
                    ..Default::default()
                }),
                result: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn pages_updates_and_purges_only_expired_done_records() {
        let store = Store::in_memory().unwrap();
        let request = pb::SolveRequest::default();
        store
            .create(&record("operations/a", true, 10), &request)
            .unwrap();
        store
            .create(&record("operations/b", false, 0), &request)
            .unwrap();
        store
            .create(&record("operations/c", true, 1_000), &request)
            .unwrap();
        let first = store.page("", 2, |_| true).unwrap();
        let names: Vec<_> = first.iter().map(Record::name).collect();
        assert_eq!(names, ["operations/a", "operations/b"]);
        let rest = store.page("operations/b", 2, |_| true).unwrap();
        assert_eq!(rest.len(), 1);
        let updated = store
            .update("operations/b", |record| {
                record.owner = "key-1".into();
                true
            })
            .unwrap();
        assert_eq!(updated.map(|r| r.owner), Some("key-1".to_string()));
        assert_eq!(store.purge(100).unwrap(), 1);
        assert!(store.get("operations/a").unwrap().is_none());
        assert!(store.request("operations/a").unwrap().is_none());
        assert!(store.request("operations/b").unwrap().is_some());
        assert!(store.get("operations/b").unwrap().is_some());
        assert!(store.delete("operations/c").unwrap());
        assert!(!store.delete("operations/c").unwrap());
    }

    #[test]
    fn a_second_open_of_the_same_directory_is_refused_as_locked() {
        let directory = std::env::temp_dir().join(format!("tournee-store-{}", std::process::id()));
        let store = Store::open(&directory).unwrap();
        let request = pb::SolveRequest::default();
        store
            .create(&record("operations/a", false, 0), &request)
            .unwrap();
        assert!(matches!(
            Store::open(&directory),
            Err(OperationError::Locked(_))
        ));
        drop(store);
        let reopened = Store::open(&directory).unwrap();
        assert!(reopened.get("operations/a").unwrap().is_some());
        drop(reopened);
        let _ = std::fs::remove_dir_all(&directory);
    }
}
