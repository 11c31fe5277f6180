//! The per-key rate of new work (`serve --max-calls-per-key-per-minute N`): each API key
//! has a bucket of N calls that refills at N a minute; a call that starts work (Solve,
//! SolveStream, ComputeMatrix, SubmitSolve) takes one, and a key whose bucket is empty
//! is refused at once with [`Error::KeyRateLimited`] (RESOURCE_EXHAUSTED with the delay
//! until its next call is allowed), before it queues.
//!
//! Why beside `per_key.rs`: that bounds how many calls a key has at once, this how many
//! it starts over time, so a platform that sends a thousand short solves in a loop shares
//! the server like one that sends a few long ones. The calls that only read an operation
//! (Get, Wait, List) cost nothing, nor do resumed jobs (they were charged when submitted).
//!
//! What flows in: the call's [`Caller`] and the time; out: allowed, or the wait. An open
//! server ([`Caller::Open`]) has no keys to charge.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::auth::Caller;
use crate::error::Error;

/// Calls each key may start, refilled over a minute.
#[derive(Debug, Default)]
pub struct KeyRate {
    /// Calls a key may start per minute (and at once, after a quiet minute), if limited.
    per_minute: Option<u32>,
    buckets: Mutex<HashMap<Arc<str>, Bucket>>,
}

/// A key's calls left, as of `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    calls: f64,
    at: Instant,
}

impl KeyRate {
    /// At most `per_minute` new calls per key and minute (none, or 0: no limit).
    pub fn new(per_minute: Option<u32>) -> Self {
        KeyRate {
            per_minute: per_minute.filter(|&n| n > 0),
            buckets: Mutex::default(),
        }
    }

    /// Charges one call of `caller` at `now`, or says how long until it may call again.
    pub fn charge(&self, caller: &Caller, now: Instant) -> Result<(), Error> {
        let (Some(per_minute), Caller::Key(name)) = (self.per_minute, caller) else {
            return Ok(());
        };
        let capacity = f64::from(per_minute);
        let per_second = capacity / 60.0;
        // The map only ever holds the keys of the key file, each a few numbers; a panic
        // elsewhere while holding the lock leaves them usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets.entry(name.clone()).or_insert(Bucket {
            calls: capacity,
            at: now,
        });
        let elapsed_s = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.calls = (bucket.calls + elapsed_s * per_second).min(capacity);
        bucket.at = now;
        if bucket.calls >= 1.0 {
            bucket.calls -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - bucket.calls) / per_second);
        Err(Error::KeyRateLimited {
            per_minute,
            // Rounded up, so that a client retrying after it finds a call in the bucket.
            retry_after_ms: wait.as_millis() as u64 + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry_ms(result: Result<(), Error>) -> u64 {
        match result {
            Err(Error::KeyRateLimited { retry_after_ms, .. }) => retry_after_ms,
            other => panic!("expected a rate refusal, got {other:?}"),
        }
    }

    #[test]
    fn allows_a_burst_then_one_call_per_refill() {
        let rate = KeyRate::new(Some(6));
        let (a, b) = (Caller::Key("a".into()), Caller::Key("b".into()));
        let start = Instant::now();
        for _ in 0..6 {
            rate.charge(&a, start).unwrap();
        }
        // Six a minute: the next call of `a` in ten seconds; `b` has its own bucket.
        let wait_ms = retry_ms(rate.charge(&a, start));
        assert!((9_990..=10_001).contains(&wait_ms), "{wait_ms}");
        rate.charge(&b, start).unwrap();
        let later = start + Duration::from_millis(5_000);
        let wait_ms = retry_ms(rate.charge(&a, later));
        assert!((4_990..=5_001).contains(&wait_ms), "{wait_ms}");
        rate.charge(&a, start + Duration::from_millis(10_001))
            .unwrap();
        assert!(
            rate.charge(&a, start + Duration::from_millis(10_002))
                .is_err()
        );
    }

    #[test]
    fn refills_no_more_than_the_bucket_and_charges_no_open_caller() {
        let rate = KeyRate::new(Some(2));
        let a = Caller::Key("a".into());
        let start = Instant::now();
        rate.charge(&a, start).unwrap();
        let hour_later = start + Duration::from_secs(3_600);
        rate.charge(&a, hour_later).unwrap();
        rate.charge(&a, hour_later).unwrap();
        assert!(
            rate.charge(&a, hour_later).is_err(),
            "a quiet hour gives 2, not 120"
        );
        for _ in 0..100 {
            rate.charge(&Caller::Open, start).unwrap();
        }
        let unlimited = KeyRate::new(None);
        let zero = KeyRate::new(Some(0));
        for _ in 0..100 {
            unlimited.charge(&a, start).unwrap();
            zero.charge(&a, start).unwrap();
        }
    }
}
