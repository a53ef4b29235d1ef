//! A socket's incoming side: reads whatever is there in one system call and hands out whole
//! messages. It holds no buffer while no message is half read, so an idle socket costs
//! nothing here however large a read may be.

use crate::frames::{self, OpCode, Unreadable};
use std::cell::RefCell;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::tcp::OwnedReadHalf;

thread_local! {
    /// Where reads land before their bytes are copied to the socket's own buffer: one per
    /// thread, as no read outlives its poll.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A whole message, as long as the next call to [`Inbox::next`].
#[derive(Debug, PartialEq, Eq)]
pub enum Message<'a> {
    Text(&'a str),
    /// Its bytes are of no use to the server.
    Binary,
    Ping(&'a [u8]),
    Pong,
    Close,
}

#[derive(Debug)]
pub struct Inbox {
    half: OwnedReadHalf,
    /// Bytes read and not yet handed out, from `start` on.
    pending: Vec<u8>,
    start: usize,
    /// Largest message taken, in bytes.
    max: usize,
    /// Most bytes one read takes.
    read_size: usize,
    /// A fragmented message so far: whether it is text, and its bytes.
    fragments: Option<(bool, Vec<u8>)>,
    /// The last message put together from fragments, while it is handed out.
    whole: Vec<u8>,
}

impl Inbox {
    /// The reading half of a socket, with `early` bytes already read from it.
    pub fn new(half: OwnedReadHalf, early: Vec<u8>, max: usize, read_size: usize) -> Self {
        let (pending, start, fragments, whole) = (early, 0, None, Vec::new());
        Self { half, pending, start, max, read_size: read_size.max(1), fragments, whole }
    }

    /// Waits for bytes and reads what is there; 0 at the end of the stream. Cancel safe.
    pub async fn fill(&mut self) -> io::Result<usize> {
        poll_fn(|cx| {
            SCRATCH.with_borrow_mut(|scratch| {
                scratch.resize(self.read_size, 0);
                let mut read = ReadBuf::new(scratch);
                // A read shorter than the buffer tells tokio the socket is drained, so the
                // next one waits for readiness instead of trying again: one read a message.
                ready!(Pin::new(&mut self.half).poll_read(cx, &mut read))?;
                self.pending.extend_from_slice(read.filled());
                Poll::Ready(Ok(read.filled().len()))
            })
        })
        .await
    }

    /// The next whole message among the bytes read, if there is one.
    pub fn next(&mut self) -> Result<Option<Message<'_>>, Unreadable> {
        self.whole = Vec::new();
        loop {
            let frame = match frames::take(&mut self.pending[self.start..], self.max)? {
                Ok(frame) => frame,
                Err(_) => {
                    self.keep_rest();
                    return Ok(None);
                }
            };
            let payload = self.start + frame.payload.start..self.start + frame.payload.end;
            self.start = payload.end;
            let text = frame.opcode == OpCode::Text;
            match (frame.opcode, &mut self.fragments) {
                (OpCode::Ping, _) => return Ok(Some(Message::Ping(&self.pending[payload]))),
                (OpCode::Pong, _) => return Ok(Some(Message::Pong)),
                (OpCode::Close, _) => return Ok(Some(Message::Close)),
                (OpCode::Text | OpCode::Binary, Some(_)) => return Err(Unreadable::Invalid),
                (OpCode::Text | OpCode::Binary, None) if frame.fin => {
                    return message(text, &self.pending[payload]).map(Some);
                }
                (OpCode::Text | OpCode::Binary, None) => {
                    self.fragments = Some((text, self.pending[payload].to_vec()));
                }
                (OpCode::Continuation, None) => return Err(Unreadable::Invalid),
                (OpCode::Continuation, Some((_, bytes))) => {
                    if bytes.len() + payload.len() > self.max {
                        return Err(Unreadable::TooLarge);
                    }
                    bytes.extend_from_slice(&self.pending[payload]);
                    if frame.fin {
                        let (text, bytes) = self.fragments.take().expect("fragments");
                        self.whole = bytes;
                        return message(text, &self.whole).map(Some);
                    }
                }
            }
        }
    }

    /// Keeps only the bytes not handed out yet; none is no buffer at all.
    fn keep_rest(&mut self) {
        if self.start == self.pending.len() {
            self.pending = Vec::new();
        } else {
            self.pending.drain(..self.start);
        }
        self.start = 0;
    }
}

fn message(text: bool, payload: &[u8]) -> Result<Message<'_>, Unreadable> {
    if !text {
        return Ok(Message::Binary);
    }
    std::str::from_utf8(payload).map(Message::Text).map_err(|_| Unreadable::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;
    use tokio::net::{TcpListener, TcpStream};

    /// A masked client frame (mask 0: the bytes as they are).
    fn frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut frame = vec![first, 0x80 | payload.len() as u8, 0, 0, 0, 0];
        frame.extend_from_slice(payload);
        frame
    }

    async fn inbox_and_writer(max: usize) -> (Inbox, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (read, write) = server.into_split();
        write.forget();
        (Inbox::new(read, frame(0x89, b"early"), max, 4096), client)
    }

    #[tokio::test]
    async fn messages_come_whole_in_order_and_the_buffer_goes_when_drained() {
        let (mut inbox, mut client) = inbox_and_writer(100).await;
        assert_eq!(inbox.next().unwrap(), Some(Message::Ping(b"early")));
        let mut bytes = frame(0x01, b"hel");
        bytes.extend(frame(0x8A, b""));
        bytes.extend(frame(0x80, "lo ✓".as_bytes()));
        bytes.extend(frame(0x82, b"\x00"));
        bytes.extend(&frame(0x81, b"next")[..4]);
        client.write_all(&bytes).await.unwrap();
        while inbox.pending.len() < bytes.len() {
            inbox.fill().await.unwrap();
        }
        assert_eq!(inbox.next().unwrap(), Some(Message::Pong));
        assert_eq!(inbox.next().unwrap(), Some(Message::Text("hello ✓")));
        assert_eq!(inbox.next().unwrap(), Some(Message::Binary));
        assert_eq!(inbox.next().unwrap(), None);
        assert_eq!(inbox.pending.len(), 4, "the partial frame is kept");
        client.write_all(&frame(0x81, b"next")[4..]).await.unwrap();
        inbox.fill().await.unwrap();
        assert_eq!(inbox.next().unwrap(), Some(Message::Text("next")));
        assert_eq!(inbox.next().unwrap(), None);
        assert_eq!(inbox.pending.capacity(), 0, "an idle socket holds no buffer");
        drop(client);
        assert_eq!(inbox.fill().await.unwrap(), 0);
    }

    #[tokio::test]
    async fn bad_text_and_long_or_stray_fragments_are_refused() {
        let (mut inbox, mut client) = inbox_and_writer(5).await;
        inbox.next().unwrap();
        client.write_all(&frame(0x81, b"\xff")).await.unwrap();
        inbox.fill().await.unwrap();
        assert_eq!(inbox.next(), Err(Unreadable::Invalid));
        let (mut inbox, mut client) = inbox_and_writer(5).await;
        inbox.next().unwrap();
        let mut bytes = frame(0x01, b"abc");
        bytes.extend(frame(0x80, b"def"));
        client.write_all(&bytes).await.unwrap();
        while inbox.pending.len() < bytes.len() {
            inbox.fill().await.unwrap();
        }
        assert_eq!(inbox.next(), Err(Unreadable::TooLarge));
        let (mut inbox, mut client) = inbox_and_writer(5).await;
        inbox.next().unwrap();
        client.write_all(&frame(0x80, b"x")).await.unwrap();
        inbox.fill().await.unwrap();
        assert_eq!(inbox.next(), Err(Unreadable::Invalid));
    }
}
