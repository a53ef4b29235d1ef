//! A socket's outgoing side, shared by whoever sends to it (the hub, the cluster link) and
//! its own task. A frame with nothing queued before it goes straight to the socket from
//! the sender's task: one write and no wake-up of another task, as a relay costs in Node.
//! Otherwise it waits in a bounded queue for the socket's task, which writes in batches.

use crate::frames::{self, OpCode};
use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::sync::{Arc, Mutex};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::{Bytes, Utf8Bytes};

/// Capacity an emptied queue keeps; a burst's larger buffer is given back.
const IDLE_CAPACITY: usize = 16;

/// A batch stops growing past this many bytes, or this many frames (one system call each).
const BATCH_BYTES: usize = 16 * 1024;
const BATCH_FRAMES: usize = 64;

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
    /// Written only under the state's lock, so frames go out whole and in order.
    socket: OwnedWriteHalf,
}

#[derive(Debug, Default)]
struct State {
    frames: VecDeque<(OpCode, Bytes)>,
    /// Total payload length of `frames`.
    bytes: usize,
    /// How much of the first frame (header and payload) is written already.
    written: usize,
    overflowed: bool,
    /// Another socket took over this one's login: nothing more goes out but the close.
    replaced: bool,
    /// The task is woken (or writing) and writes everything queued: no need for another.
    woken: bool,
}

/// What the socket's task is to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Write what is queued ([`Outbox::flush`]).
    Write,
    /// The reader fell more than a queue behind: drop the socket.
    Overflowed,
    /// The login moved to another socket: close this one.
    Replaced,
}

/// How far a [`Outbox::flush`] got.
#[derive(Debug, PartialEq, Eq)]
pub enum Flushed {
    /// Nothing is left.
    All,
    /// One batch went out and more is queued.
    More,
    /// The socket takes no more for now: wait until it is [`Outbox::writable`].
    Blocked,
}

impl Outbox {
    /// A queue of at most `capacity` bytes of frames in front of `socket`.
    pub fn new(capacity: usize, socket: OwnedWriteHalf) -> Self {
        let state = Mutex::default();
        Self(Arc::new(Queue { state, wake: Notify::new(), capacity: capacity.max(1), socket }))
    }

    /// Sends a text frame now: straight to the socket when nothing waits before it.
    pub fn push(&self, frame: Utf8Bytes) {
        self.enqueue(OpCode::Text, frame.into(), true);
    }

    /// Queues a text frame without writing or waking: a later [`Outbox::send_held`] (or
    /// push) writes it, together with whatever else came meanwhile, in one write.
    pub fn push_lazily(&self, frame: Utf8Bytes) {
        self.enqueue(OpCode::Text, frame.into(), false);
    }

    /// Sends a control frame (a ping, or a pong with the ping's payload).
    pub fn control(&self, opcode: OpCode, payload: &[u8]) {
        self.enqueue(opcode, Bytes::copy_from_slice(payload), true);
    }

    /// Queues the close frame after whatever is queued, even once replaced; the task then
    /// writes it with [`Outbox::flush`].
    pub fn close(&self, code: u16, reason: &str) {
        let mut state = self.0.state.lock().expect("queue lock");
        if state.overflowed {
            return;
        }
        let payload = [&code.to_be_bytes()[..], reason.as_bytes()].concat();
        state.bytes += payload.len();
        state.frames.push_back((OpCode::Close, payload.into()));
        state.woken = true;
    }

    /// Writes what is queued from the caller's task, unless the socket's own task is on it
    /// already; what the socket cannot take at once is left to its task.
    pub fn send_held(&self) {
        let mut state = self.0.state.lock().expect("queue lock");
        if state.frames.is_empty() || state.woken {
            return;
        }
        state.woken = true;
        if !matches!(self.write_queued(&mut state), Ok(Flushed::All)) {
            drop(state);
            self.0.wake.notify_one();
        }
    }

    /// Whether both are the same socket's.
    pub fn is(&self, other: &Outbox) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Ends the queue for a socket whose login another socket took over: what is queued
    /// is dropped (it was meant for the page being replaced) and the task closes its socket.
    pub fn close_replaced(&self) {
        let mut state = self.0.state.lock().expect("queue lock");
        // A frame half written must be finished, or the close would land inside it.
        let keep = usize::from(state.written > 0);
        state.frames.truncate(keep);
        state.bytes = state.frames.front().map_or(0, |(_, payload)| payload.len());
        state.replaced = true;
        state.woken = keep == 1;
        drop(state);
        self.0.wake.notify_one();
    }

    /// A full queue means the reader cannot keep up: the socket is marked for dropping
    /// rather than let the server's memory grow.
    fn enqueue(&self, opcode: OpCode, payload: Bytes, now: bool) {
        let mut state = self.0.state.lock().expect("queue lock");
        if state.overflowed || state.replaced {
            return;
        }
        if state.frames.is_empty() && now {
            let frame = (opcode, payload);
            // An error is the task's to find when it writes next.
            let written = self.write(0, std::iter::once(&frame)).unwrap_or(0);
            if written == frame_len(&frame) {
                return;
            }
            state.written = written;
            state.bytes = frame.1.len();
            state.frames.push_back(frame);
        } else if !state.frames.is_empty() && state.bytes + payload.len() > self.0.capacity {
            // An empty queue takes any frame, so a long user list still gets through.
            state.frames = VecDeque::new();
            (state.bytes, state.written) = (0, 0);
            state.overflowed = true;
        } else {
            state.bytes += payload.len();
            state.frames.push_back((opcode, payload));
            if !now || state.woken {
                return;
            }
        }
        state.woken = true;
        drop(state);
        self.0.wake.notify_one();
    }

    /// Writes one batch of what is queued, as far as the socket takes it.
    pub fn flush(&self) -> io::Result<Flushed> {
        self.write_queued(&mut self.0.state.lock().expect("queue lock"))
    }

    fn write_queued(&self, state: &mut State) -> io::Result<Flushed> {
        let batch = state.frames.len().min(BATCH_FRAMES);
        let mut left = match self.write(state.written, state.frames.iter().take(batch)) {
            Ok(written) => state.written + written,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(Flushed::Blocked),
            Err(error) => return Err(error),
        };
        let mut whole = true;
        while let Some(frame) = state.frames.front() {
            if left < frame_len(frame) {
                whole = false;
                break;
            }
            left -= frame_len(frame);
            state.bytes -= frame.1.len();
            state.frames.pop_front();
        }
        state.written = left;
        if state.frames.is_empty() {
            // The task is about to wait: wake it next time.
            state.woken = false;
            if state.frames.capacity() > IDLE_CAPACITY {
                state.frames.shrink_to(IDLE_CAPACITY);
            }
            return Ok(Flushed::All);
        }
        Ok(if whole { Flushed::More } else { Flushed::Blocked })
    }

    /// Writes `frames`, the first of which has `skip` bytes written already, in one system
    /// call of at most about [`BATCH_BYTES`]; how many bytes went.
    fn write<'a>(
        &self,
        mut skip: usize,
        frames: impl Iterator<Item = &'a (OpCode, Bytes)>,
    ) -> io::Result<usize> {
        let mut headers = [([0u8; 10], 0usize); BATCH_FRAMES];
        let mut payloads = [&[][..]; BATCH_FRAMES];
        let (mut count, mut bytes) = (0, 0);
        for (opcode, payload) in frames.take(BATCH_FRAMES) {
            if bytes >= BATCH_BYTES {
                break;
            }
            headers[count] = frames::server_header(*opcode, payload.len());
            payloads[count] = payload;
            bytes += headers[count].1 + payload.len();
            count += 1;
        }
        let mut slices = [IoSlice::new(&[]); 2 * BATCH_FRAMES];
        let mut used = 0;
        for ((header, header_len), payload) in headers.iter().zip(payloads).take(count) {
            let parts = [&header[skip.min(*header_len)..*header_len], payload];
            let payload_skip = skip.saturating_sub(*header_len);
            skip = 0;
            for part in [parts[0], &parts[1][payload_skip..]] {
                if !part.is_empty() {
                    slices[used] = IoSlice::new(part);
                    used += 1;
                }
            }
        }
        match self.0.socket.try_write_vectored(&slices[..used])? {
            0 if used > 0 => Err(io::ErrorKind::WriteZero.into()),
            written => Ok(written),
        }
    }

    /// Completes once the socket takes more bytes.
    pub async fn writable(&self) -> io::Result<()> {
        self.0.socket.writable().await
    }

    /// Waits for something to do.
    pub async fn next(&self) -> Next {
        loop {
            {
                let state = self.0.state.lock().expect("queue lock");
                if state.overflowed {
                    return Next::Overflowed;
                }
                if state.replaced && state.frames.is_empty() {
                    return Next::Replaced;
                }
                if state.woken && !state.frames.is_empty() {
                    return Next::Write;
                }
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

/// A frame's length on the wire.
fn frame_len((opcode, payload): &(OpCode, Bytes)) -> usize {
    frames::server_header(*opcode, payload.len()).1 + payload.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;
    use tokio::net::{TcpListener, TcpStream};

    fn frame(text: &'static str) -> Utf8Bytes {
        Utf8Bytes::from_static(text)
    }

    /// An outbox on a real loopback socket, and the client end that reads it.
    async fn outbox(capacity: usize) -> (Outbox, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (_read, write) = server.into_split();
        (Outbox::new(capacity, write), client)
    }

    async fn read_exactly(client: &mut TcpStream, len: usize) -> Vec<u8> {
        let mut bytes = vec![0; len];
        client.read_exact(&mut bytes).await.unwrap();
        bytes
    }

    fn queued(outbox: &Outbox) -> usize {
        outbox.0.state.lock().unwrap().frames.len()
    }

    #[tokio::test]
    async fn a_frame_with_nothing_before_it_goes_out_at_once_without_a_wake() {
        let (outbox, mut client) = outbox(8).await;
        outbox.push(frame("hi"));
        assert_eq!(read_exactly(&mut client, 4).await, b"\x81\x02hi");
        assert_eq!(queued(&outbox), 0);
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), outbox.next());
        assert!(waiting.await.is_err(), "the task has nothing to do");
    }

    #[tokio::test]
    async fn lazy_frames_wait_and_keep_their_place_before_immediate_ones() {
        let (outbox, mut client) = outbox(8).await;
        outbox.push_lazily(frame("a"));
        assert_eq!(queued(&outbox), 1);
        outbox.push(frame("b"));
        assert_eq!(outbox.next().await, Next::Write);
        assert_eq!(outbox.flush().unwrap(), Flushed::All);
        assert_eq!(read_exactly(&mut client, 6).await, b"\x81\x01a\x81\x01b");
    }

    #[tokio::test]
    async fn held_frames_go_out_together_from_the_senders_task() {
        let (outbox, mut client) = outbox(8).await;
        outbox.push_lazily(frame("a"));
        outbox.push_lazily(frame("b"));
        assert!(outbox.is(&outbox.clone()));
        outbox.send_held();
        assert_eq!(queued(&outbox), 0);
        assert_eq!(read_exactly(&mut client, 6).await, b"\x81\x01a\x81\x01b");
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), outbox.next());
        assert!(waiting.await.is_err(), "the socket's task was not woken");
    }

    #[tokio::test]
    async fn a_frame_the_socket_cannot_take_at_once_is_finished_by_the_task() {
        let (outbox, mut client) = outbox(1 << 24).await;
        let big: String = "x".repeat(8 << 20);
        outbox.push(big.clone().into());
        outbox.push(frame("after"));
        assert!(queued(&outbox) >= 1, "loopback takes less than 8 MiB at once");
        let reader =
            tokio::spawn(async move { read_exactly(&mut client, 10 + (8 << 20) + 7).await });
        while outbox.next().await == Next::Write {
            if outbox.flush().unwrap() == Flushed::Blocked {
                outbox.writable().await.unwrap();
            }
            if queued(&outbox) == 0 {
                break;
            }
        }
        let bytes = reader.await.unwrap();
        assert_eq!(bytes[..2], [0x81, 127]);
        assert!(bytes[10..10 + (8 << 20)].iter().all(|b| *b == b'x'));
        assert_eq!(&bytes[10 + (8 << 20)..], b"\x81\x05after");
    }

    #[tokio::test]
    async fn overflow_drops_the_frames_and_sticks() {
        let (outbox, _client) = outbox(3).await;
        for text in ["1", "2", "34"] {
            outbox.push_lazily(frame(text));
        }
        assert_eq!(outbox.next().await, Next::Overflowed);
        outbox.push(frame("5"));
        assert_eq!(outbox.next().await, Next::Overflowed);
        assert_eq!(queued(&outbox), 0);
    }

    #[tokio::test]
    async fn a_replaced_queue_drops_its_frames_and_sends_only_the_close() {
        let (outbox, mut client) = outbox(8).await;
        outbox.push_lazily(frame("a"));
        outbox.close_replaced();
        outbox.push(frame("b"));
        assert_eq!(outbox.next().await, Next::Replaced);
        outbox.close(4000, "bye");
        assert_eq!(outbox.flush().unwrap(), Flushed::All);
        assert_eq!(read_exactly(&mut client, 7).await, b"\x88\x05\x0f\xa0bye");
    }
}
