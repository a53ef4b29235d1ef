//! Abuse limits: token buckets (per socket, per datagram source) and the per-address /
//! global socket counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a full [`AddressBuckets`] may look for addresses it can forget.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

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
        Self::full_at(burst, per_sec, Instant::now())
    }

    fn full_at(burst: u32, per_sec: u32, now: Instant) -> Self {
        let burst = f64::from(burst.max(1));
        Self { tokens: burst, burst, per_sec: f64::from(per_sec), last: now }
    }

    /// Whether the bucket has refilled by `now`, so that a new one would do the same.
    fn is_full(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens + elapsed * self.per_sec >= self.burst
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

/// A token bucket per source address, for datagrams: they have no connection to hang one
/// on. At most `max_addresses` are remembered, so a flood of forged sources costs bounded
/// memory; while the table is full of busy addresses, new ones get nothing.
#[derive(Debug)]
pub struct AddressBuckets {
    buckets: HashMap<IpAddr, TokenBucket>,
    burst: u32,
    per_sec: u32,
    max_addresses: usize,
    last_sweep: Option<Instant>,
}

impl AddressBuckets {
    /// Each address gets `burst` at once, refilled at `per_sec` per second.
    pub fn new(burst: u32, per_sec: u32, max_addresses: usize) -> Self {
        Self { buckets: HashMap::new(), burst, per_sec, max_addresses, last_sweep: None }
    }

    /// Takes one token from `ip`'s bucket if it has one.
    pub fn take(&mut self, ip: IpAddr, now: Instant) -> bool {
        let known = self.buckets.contains_key(&ip);
        if !known && self.buckets.len() >= self.max_addresses && !self.sweep(now) {
            return false;
        }
        let (burst, per_sec) = (self.burst, self.per_sec);
        self.buckets
            .entry(ip)
            .or_insert_with(|| TokenBucket::full_at(burst, per_sec, now))
            .take(now)
    }

    /// Forgets the addresses whose buckets have refilled (a new bucket would be the same),
    /// at most once per [`SWEEP_EVERY`] so a flood does not rescan the table each time.
    /// True if that made room.
    fn sweep(&mut self, now: Instant) -> bool {
        if self.last_sweep.is_some_and(|last| now.saturating_duration_since(last) < SWEEP_EVERY) {
            return false;
        }
        self.last_sweep = Some(now);
        self.buckets.retain(|_, bucket| !bucket.is_full(now));
        self.buckets.len() < self.max_addresses
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
    fn address_buckets_are_separate_and_bounded() {
        let start = Instant::now();
        let mut buckets = AddressBuckets::new(2, 1, 2);
        let (a, b, c): (IpAddr, IpAddr, IpAddr) =
            ([192, 0, 2, 1].into(), [192, 0, 2, 2].into(), [192, 0, 2, 3].into());
        assert!(buckets.take(a, start) && buckets.take(a, start));
        assert!(!buckets.take(a, start), "a's burst is spent");
        assert!(buckets.take(b, start), "b has its own");
        assert!(!buckets.take(c, start), "the table is full of busy addresses");
        // Two seconds on, both refilled: they are forgotten and c fits.
        let later = start + Duration::from_secs(2);
        assert!(buckets.take(c, later));
        assert_eq!(buckets.buckets.len(), 1);
        assert!(buckets.take(a, later));
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
