//! One single-threaded runtime per core, each serving the connections handed to it in turn.
//!
//! A relay is read and written by the thread that serves its sender (`outbox` writes to the
//! receiver's socket, whichever thread serves it), so no other thread wakes for it; and
//! unlike a work-stealing runtime, no thread wakes to look for work that another has.

use axum::serve::{Listener, ListenerExt};
use axum::Router;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};

/// How long to pause after a failed accept (say, out of file descriptors).
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// The serving threads, from their start to their end.
pub struct Workers {
    handoffs: Vec<mpsc::UnboundedSender<(std::net::TcpStream, SocketAddr)>>,
    /// Flips to true once the server is done with its sockets: the threads then end.
    done: watch::Sender<bool>,
    exited: Vec<oneshot::Receiver<()>>,
}

impl Workers {
    /// Starts `count` threads (by default one per core but one: a thread only pays for its
    /// wake-ups with a core of its own, and the accepting thread and the kernel's network
    /// work need one), each serving `router` on what it is handed until `stopped` is true
    /// (axum's graceful shutdown), and running its sockets' tasks on.
    pub fn start(
        count: Option<usize>,
        router: Router,
        local: SocketAddr,
        stopped: &watch::Receiver<bool>,
    ) -> io::Result<Self> {
        let cores = || std::thread::available_parallelism().map_or(1, usize::from) - 1;
        let count = count.unwrap_or_else(cores).max(1);
        let (done, finished) = watch::channel(false);
        let (mut handoffs, mut exited) = (Vec::new(), Vec::new());
        for index in 0..count {
            let (handoff, incoming) = mpsc::unbounded_channel();
            let (exit, exit_seen) = oneshot::channel();
            let (router, stopped, finished) = (router.clone(), stopped.clone(), finished.clone());
            let handed = Handoff { incoming, local };
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            std::thread::Builder::new().name(format!("natter-worker-{index}")).spawn(
                move || {
                    runtime.block_on(serve(handed, router, stopped, finished));
                    let _ = exit.send(());
                },
            )?;
            handoffs.push(handoff);
            exited.push(exit_seen);
        }
        Ok(Self { handoffs, done, exited })
    }

    /// Accepts connections and hands them to the threads in turn, until `stop` completes.
    pub async fn accept(&self, listener: &TcpListener, stop: impl Future<Output = ()>) {
        let hand_out = async {
            for handoff in self.handoffs.iter().cycle() {
                let Ok((stream, peer)) = listener.accept().await else {
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                    continue;
                };
                // Out of this runtime's reactor, into the thread's.
                if let Ok(stream) = stream.into_std() {
                    let _ = handoff.send((stream, peer));
                }
            }
        };
        tokio::select! {
            _ = stop => {}
            _ = hand_out => {}
        }
    }

    /// Ends the threads, and with them whatever sockets are left.
    pub async fn end(self) {
        let _ = self.done.send(true);
        for exited in self.exited {
            let _ = exited.await;
        }
    }
}

/// One thread's life: HTTP and upgrades until shutdown, then its sockets until done.
async fn serve(
    handed: Handoff,
    router: Router,
    stopped: watch::Receiver<bool>,
    finished: watch::Receiver<bool>,
) {
    // Signaling frames are small and latency-bound: no Nagle delay.
    let listener = handed.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(until_true(stopped))
        .await;
    until_true(finished).await;
}

async fn until_true(mut flag: watch::Receiver<bool>) {
    let _ = flag.wait_for(|flag| *flag).await;
}

/// The connections the acceptor hands one thread, as axum's listener.
struct Handoff {
    incoming: mpsc::UnboundedReceiver<(std::net::TcpStream, SocketAddr)>,
    local: SocketAddr,
}

impl Listener for Handoff {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.incoming.recv().await {
                Some((stream, peer)) => {
                    if let Ok(stream) = TcpStream::from_std(stream) {
                        return (stream, peer);
                    }
                }
                // The acceptor stopped: so does this (axum's shutdown ends the wait).
                None => std::future::pending().await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}
