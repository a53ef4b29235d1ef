//! A socket's bounded outgoing queue, shared by the hub (producers) and its task (consumer).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// Capacity an emptied queue keeps; a burst's larger buffer is given back.
const IDLE_CAPACITY: usize = 16;

/// A plain deque under a lock rather than a channel: an idle socket's queue then holds no
/// preallocated slots, which matters at 10k sockets.
#[derive(Debug, Clone)]
pub struct Outbox(Arc<Queue>);

#[derive(Debug)]
struct Queue {
    state: Mutex<State>,
    /// Wakes the socket's task: frames to write, or the queue overflowed.
    wake: Notify,
    /// Most bytes queued; bytes rather than frames, as a frame may be 80 bytes or 64 KiB.
    capacity: usize,
}

#[derive(Debug, Default)]
struct State {
    frames: VecDeque<Utf8Bytes>,
    /// Total length of `frames`.
    bytes: usize,
    overflowed: bool,
    /// Another socket took over this one's login: nothing more goes out but the close.
    replaced: bool,
    /// A wake-up is on its way and the task drains everything: no need for another.
    woken: bool,
}

/// What the socket's task gets from its queue.
#[derive(Debug)]
pub enum Next {
    /// The oldest queued frame.
    Frame(Utf8Bytes),
    /// The reader fell more than a queue behind: drop the socket.
    Overflowed,
    /// The login moved to another socket: close this one.
    Replaced,
}

impl Outbox {
    /// A queue of at most `capacity` bytes of frames.
    pub fn new(capacity: usize) -> Self {
        let queue =
            Queue { state: Mutex::default(), wake: Notify::new(), capacity: capacity.max(1) };
        Self(Arc::new(queue))
    }

    /// Queues a frame and wakes the socket's task to write it now.
    pub fn push(&self, frame: Utf8Bytes) {
        self.enqueue(frame, true);
    }

    /// Queues a frame without waking the task: a later [`Outbox::wake`] (or push) writes
    /// it, together with whatever else came meanwhile, in one write.
    pub fn push_lazily(&self, frame: Utf8Bytes) {
        self.enqueue(frame, false);
    }

    /// Wakes the task if it has frames to write.
    pub fn wake(&self) {
        let mut state = self.0.state.lock().expect("queue lock");
        if !state.frames.is_empty() && !state.woken {
            state.woken = true;
            drop(state);
            self.0.wake.notify_one();
        }
    }

    /// Ends the queue for a socket whose login another socket took over: what is queued
    /// is dropped (it was meant for the page being replaced) and the task closes its socket.
    pub fn close_replaced(&self) {
        let mut state = self.0.state.lock().expect("queue lock");
        state.frames = VecDeque::new();
        state.bytes = 0;
        state.replaced = true;
        drop(state);
        self.0.wake.notify_one();
    }

    /// A full queue means the reader cannot keep up: the socket is marked for dropping
    /// rather than let the server's memory grow.
    fn enqueue(&self, frame: Utf8Bytes, now: bool) {
        let mut state = self.0.state.lock().expect("queue lock");
        if state.overflowed || state.replaced {
            return;
        }
        // An empty queue takes any frame, so a long user list still gets through.
        if !state.frames.is_empty() && state.bytes + frame.len() > self.0.capacity {
            state.frames = VecDeque::new();
            state.bytes = 0;
            state.overflowed = true;
        } else {
            state.bytes += frame.len();
            state.frames.push_back(frame);
            if !now || state.woken {
                return;
            }
            state.woken = true;
        }
        drop(state);
        self.0.wake.notify_one();
    }

    /// The next frame if one is queued, without waiting.
    pub fn try_next(&self) -> Option<Next> {
        let mut state = self.0.state.lock().expect("queue lock");
        if state.overflowed {
            return Some(Next::Overflowed);
        }
        if state.replaced {
            return Some(Next::Replaced);
        }
        let frame = state.frames.pop_front();
        state.bytes -= frame.as_ref().map_or(0, |f| f.len());
        if state.frames.is_empty() {
            // The task is about to wait (or is writing the last frame): wake it next time.
            state.woken = false;
            if state.frames.capacity() > IDLE_CAPACITY {
                state.frames.shrink_to(IDLE_CAPACITY);
            }
        }
        frame.map(Next::Frame)
    }

    /// Waits for the next frame or the overflow.
    pub async fn next(&self) -> Next {
        loop {
            if let Some(next) = self.try_next() {
                return next;
            }
            // A push between the check and here leaves a permit: no wake-up is lost.
            self.0.wake.notified().await;
        }
    }

    /// Completes once the queue has overflowed.
    pub async fn overflowed(&self) {
        while !self.0.state.lock().expect("queue lock").overflowed {
            self.0.wake.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &'static str) -> Utf8Bytes {
        Utf8Bytes::from_static(text)
    }

    fn next_text(outbox: &Outbox) -> Option<String> {
        match outbox.try_next()? {
            Next::Frame(frame) => Some(frame.as_str().to_owned()),
            Next::Overflowed => Some("overflowed".into()),
            Next::Replaced => Some("replaced".into()),
        }
    }

    #[tokio::test]
    async fn keeps_order_across_lazy_and_immediate_frames() {
        let outbox = Outbox::new(8);
        outbox.push_lazily(frame("a"));
        outbox.push(frame("b"));
        assert!(matches!(outbox.next().await, Next::Frame(f) if f.as_str() == "a"));
        assert_eq!(next_text(&outbox).as_deref(), Some("b"));
        assert_eq!(next_text(&outbox), None);
    }

    #[tokio::test]
    async fn a_lazy_frame_waits_for_a_wake() {
        let outbox = Outbox::new(8);
        outbox.push_lazily(frame("a"));
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), async {
            outbox.0.wake.notified().await;
        });
        assert!(waiting.await.is_err(), "a lazy push must not wake the task");
        outbox.wake();
        assert!(matches!(outbox.next().await, Next::Frame(_)));
    }

    #[test]
    fn overflow_drops_the_frames_and_sticks() {
        let big = Outbox::new(3);
        big.push(frame("longer than the capacity"));
        assert_eq!(next_text(&big).as_deref(), Some("longer than the capacity"));
        let outbox = Outbox::new(3);
        for text in ["1", "2", "34"] {
            outbox.push(frame(text));
        }
        assert_eq!(next_text(&outbox).as_deref(), Some("overflowed"));
        assert_eq!(next_text(&outbox).as_deref(), Some("overflowed"));
    }

    #[tokio::test]
    async fn a_replaced_queue_drops_its_frames_and_takes_no_more() {
        let outbox = Outbox::new(8);
        outbox.push(frame("a"));
        outbox.close_replaced();
        outbox.push(frame("b"));
        assert!(matches!(outbox.next().await, Next::Replaced));
        assert_eq!(next_text(&outbox).as_deref(), Some("replaced"));
    }
}
