//! The server's memory and CPU time, read from /proc.

use std::time::Duration;

/// Resident set size in bytes (VmRSS).
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// User plus system CPU time consumed so far.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    cpu_split(pid).map(|split| split.user + split.system)
}

/// CPU time consumed so far, in user space and in the kernel.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuSplit {
    pub user: Duration,
    pub system: Duration,
}

impl std::iter::Sum for CpuSplit {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |a, b| Self {
            user: a.user + b.user,
            system: a.system + b.system,
        })
    }
}

impl CpuSplit {
    /// What was spent between `earlier` and `self`.
    pub fn since(self, earlier: Self) -> Self {
        Self {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
        }
    }
}

/// User and system CPU time consumed so far (utime and stime).
pub fn cpu_split(pid: u32) -> Option<CpuSplit> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux architecture we run on.
    Some(CpuSplit {
        user: Duration::from_millis(utime * 10),
        system: Duration::from_millis(stime * 10),
    })
}
