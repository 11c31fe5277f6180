//! The client's `grpc-timeout` header → an `Instant` the solver stops at.

use std::time::{Duration, Instant};

use tonic::metadata::MetadataMap;

/// Parses `grpc-timeout` (`<digits><H|M|S|m|u|n>`); `None` when absent or malformed.
pub fn client_deadline(metadata: &MetadataMap, now: Instant) -> Option<Instant> {
    let value = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let amount: u64 = digits.parse().ok()?;
    let timeout = match unit {
        "H" => Duration::from_secs(amount.saturating_mul(3600)),
        "M" => Duration::from_secs(amount.saturating_mul(60)),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    };
    // Leave a little time to encode and send the answer before the client gives up.
    let margin = (timeout / 10).min(Duration::from_millis(200));
    now.checked_add(timeout.saturating_sub(margin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_read_a_timeout_header() {
        let mut metadata = MetadataMap::new();
        let now = Instant::now();
        assert_eq!(client_deadline(&metadata, now), None);
        metadata.insert("grpc-timeout", "2S".parse().unwrap());
        assert_eq!(
            client_deadline(&metadata, now),
            Some(now + Duration::from_millis(1800))
        );
        metadata.insert("grpc-timeout", "bogus".parse().unwrap());
        assert_eq!(client_deadline(&metadata, now), None);
    }
}
