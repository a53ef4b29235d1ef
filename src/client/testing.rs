//! What the engine's own tests drive a part with: a fake peer outlet that records what the
//! part sends, and an engine that keeps the events the part hands out (timers, finished
//! tasks) for the test to deliver, or not.

use super::events::{Dispatch, Engine, Event};
use super::outlet::PeerOutlet;
use crate::state::ChatState;
use crate::web::peer_link::SendError;
use natter_model::peer_app::{PeerApp, OUR_FEATURES};
use natter_model::per_peer::PerPeer;
use natter_protocol::PeerMessage;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

// The lib's tests use the browser's objects (signals, data channels, WebCrypto).
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// How a fake peer's chat channel takes what is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Takes everything.
    Open,
    /// There is none: [`SendError::NotOpen`].
    Closed,
    /// Open, but refuses texts longer than this many bytes, as a real channel refuses
    /// one too large: [`SendError::Refused`].
    RefusesOver(usize),
}

/// One fake peer, as the outlet answers for it.
struct FakePeer {
    app: PeerApp,
    identity: Option<String>,
    channel: Channel,
}

/// A [`PeerOutlet`] whose peers are what the test says, and which records every text sent.
#[derive(Default)]
pub struct FakeOutlet {
    peers: RefCell<PerPeer<FakePeer>>,
    sent: RefCell<Vec<(String, String)>>,
}

impl FakeOutlet {
    /// An outlet to `peers`, each a natter app with every feature, identified as
    /// `id-<name>`, its chat channel open.
    pub fn natter(peers: &[&str]) -> Self {
        let outlet = FakeOutlet::default();
        for peer in peers {
            let mut app = PeerApp::Unknown;
            app.hello(&OUR_FEATURES.map(str::to_owned));
            let identity = Some(format!("id-{peer}"));
            let fake = FakePeer { app, identity, channel: Channel::Open };
            outlet.peers.borrow_mut().insert(peer, fake);
        }
        outlet
    }

    /// `peer`'s app is now `app`.
    pub fn set_app(&self, peer: &str, app: PeerApp) {
        self.peers.borrow_mut().get_or_default(peer).app = app;
    }

    /// `peer`'s chat channel now behaves as `channel` says.
    pub fn set_channel(&self, peer: &str, channel: Channel) {
        self.peers.borrow_mut().get_or_default(peer).channel = channel;
    }

    /// `peer`'s connection now announces `identity`.
    pub fn set_identity(&self, peer: &str, identity: &str) {
        self.peers.borrow_mut().get_or_default(peer).identity = Some(identity.to_owned());
    }

    /// Every message sent since the last call, oldest first, with whom it went to.
    pub fn take_sent(&self) -> Vec<(String, PeerMessage)> {
        let sent = self.sent.take();
        let parse = |(peer, text): (String, String)| {
            let message = PeerMessage::parse(&text).expect("the part sent a message peers read");
            (peer, message)
        };
        sent.into_iter().map(parse).collect()
    }

    /// The messages sent since the last call, without whom they went to.
    pub fn take_messages(&self) -> Vec<PeerMessage> {
        self.take_sent().into_iter().map(|(_, message)| message).collect()
    }
}

impl Default for FakePeer {
    fn default() -> Self {
        FakePeer { app: PeerApp::Unknown, identity: None, channel: Channel::Closed }
    }
}

impl PeerOutlet for FakeOutlet {
    fn app(&self, peer: &str) -> PeerApp {
        self.peers.borrow().get(peer).map_or(PeerApp::Unknown, |fake| fake.app)
    }

    fn identity(&self, peer: &str) -> Option<String> {
        self.peers.borrow().get(peer).and_then(|fake| fake.identity.clone())
    }

    fn send_line(&self, peer: &str, text: &str) -> Result<(), SendError> {
        let channel = self.peers.borrow().get(peer).map_or(Channel::Closed, |fake| fake.channel);
        match channel {
            Channel::Closed => Err(SendError::NotOpen),
            Channel::RefusesOver(most) if text.len() > most => Err(SendError::Refused),
            Channel::Open | Channel::RefusesOver(_) => {
                self.sent.borrow_mut().push((peer.to_owned(), text.to_owned()));
                Ok(())
            }
        }
    }

    // As the real outlet (`Links`): typed messages only to a natter app.
    fn send(&self, peer: &str, message: &PeerMessage) -> bool {
        self.app(peer).is_natter() && self.send_line(peer, &message.to_json()).is_ok()
    }
}

/// An engine that keeps every event a part hands it, for the test to take.
#[derive(Default)]
pub struct Recorder {
    events: RefCell<VecDeque<Event>>,
    waiting: RefCell<Option<Waker>>,
}

impl Engine for Recorder {
    fn handle(&self, event: Event) {
        self.events.borrow_mut().push_back(event);
        if let Some(waker) = self.waiting.take() {
            waker.wake();
        }
    }
}

/// How long [`Recorder::next`] waits before the test fails.
const EVENT_PATIENCE_MS: f64 = 5_000.0;

impl Recorder {
    /// The next event a part hands out (a finished task's, as a rule); the test fails if
    /// none comes within a few seconds.
    pub async fn next(&self) -> Event {
        let deadline = js_sys::Date::now() + EVENT_PATIENCE_MS;
        let patience = std::time::Duration::from_millis(EVENT_PATIENCE_MS as u64 + 1);
        let waiting = Rc::new(RefCell::new(None::<Waker>));
        let timer = waiting.clone();
        // Wakes the wait below once its time is up, so that it fails instead of hanging.
        leptos::prelude::set_timeout(
            move || {
                if let Some(waker) = timer.take() {
                    waker.wake();
                }
            },
            patience,
        );
        std::future::poll_fn(|context| {
            if let Some(event) = self.events.borrow_mut().pop_front() {
                return Poll::Ready(event);
            }
            assert!(js_sys::Date::now() < deadline, "no event came from the part");
            *self.waiting.borrow_mut() = Some(context.waker().clone());
            *waiting.borrow_mut() = Some(context.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// A fresh state, and a dispatch to `recorder` for the part under test.
pub fn state_and_dispatch(recorder: &Rc<Recorder>) -> (ChatState, Dispatch) {
    let engine: Rc<dyn Engine> = recorder.clone();
    (ChatState::new(None), Dispatch::new(Rc::downgrade(&engine)))
}
