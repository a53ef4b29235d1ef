//! Abuse limits: a per-socket token bucket and the per-address / global socket counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Classic token bucket: `burst` messages at once, refilled at `per_sec` per second.
#[derive(Debug)]
pub struct TokenBucket {
    tokens: f64,
    burst: f64,
    per_sec: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(burst: u32, per_sec: u32) -> Self {
        let burst = f64::from(burst.max(1));
        Self { tokens: burst, burst, per_sec: f64::from(per_sec), last: Instant::now() }
    }

    /// Takes one token if there is one.
    pub fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Why a new socket was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds its maximum of sockets.
    ServerFull,
    /// This address holds its maximum of sockets.
    TooManyFromAddress,
}

/// Open sockets, in total and per address.
#[derive(Debug, Clone)]
pub struct ConnectionCounts {
    inner: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_ip: usize,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

impl ConnectionCounts {
    /// Counts with the given caps.
    pub fn new(max_total: usize, max_per_ip: usize) -> Self {
        Self { inner: Arc::default(), max_total, max_per_ip }
    }

    /// Reserves a slot for a socket from `ip`, released when the slot is dropped.
    pub fn acquire(&self, ip: IpAddr) -> Result<Slot, Refusal> {
        let mut counts = self.inner.lock().expect("counts lock");
        if counts.total >= self.max_total {
            return Err(Refusal::ServerFull);
        }
        let per_ip = counts.per_ip.entry(ip).or_default();
        if *per_ip >= self.max_per_ip {
            return Err(Refusal::TooManyFromAddress);
        }
        *per_ip += 1;
        counts.total += 1;
        Ok(Slot { counts: self.inner.clone(), ip })
    }
}

/// One counted socket.
#[derive(Debug)]
pub struct Slot {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().expect("counts lock");
        counts.total -= 1;
        if let Some(n) = counts.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.per_ip.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_allows_a_burst_then_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket { last: start, ..TokenBucket::new(3, 2) };
        assert!((0..3).all(|_| bucket.take(start)));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(500)));
        assert!(!bucket.take(start + Duration::from_millis(600)));
    }

    #[test]
    fn counts_per_address_and_in_total() {
        let counts = ConnectionCounts::new(3, 2);
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let first = counts.acquire(a).unwrap();
        let _second = counts.acquire(a).unwrap();
        assert_eq!(counts.acquire(a).unwrap_err(), Refusal::TooManyFromAddress);
        let _third = counts.acquire(b).unwrap();
        assert_eq!(counts.acquire(b).unwrap_err(), Refusal::ServerFull);
        drop(first);
        assert!(counts.acquire(a).is_ok());
    }
}
