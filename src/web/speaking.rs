//! Who is speaking in a call: the loudness of a stream's sound, read by Web Audio a few
//! times a second, marked on the element that shows the person (`data-speaking`).
//!
//! Only the Web Audio calls used are bound here, as in `ring_tone`: web-sys's features
//! would bring the same imports and a `Result` around each.

use leptos::prelude::{set_interval_with_handle, IntervalHandle};
use std::cell::{Cell, RefCell};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MediaStream};

#[wasm_bindgen]
extern "C" {
    type AudioContext;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<AudioContext, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createMediaStreamSource)]
    fn create_source(this: &AudioContext, stream: &MediaStream) -> Result<AudioNode, JsValue>;
    #[wasm_bindgen(method, js_name = createAnalyser)]
    fn create_analyser(this: &AudioContext) -> AudioNode;
    #[wasm_bindgen(method, js_name = createGain)]
    fn create_gain(this: &AudioContext) -> AudioNode;
    #[wasm_bindgen(method, getter)]
    fn destination(this: &AudioContext) -> AudioNode;

    /// A stream's sound, or what measures it.
    type AudioNode;
    #[wasm_bindgen(method)]
    fn connect(this: &AudioNode, to: &AudioNode);
    #[wasm_bindgen(method)]
    fn disconnect(this: &AudioNode);
    #[wasm_bindgen(method, js_name = getFloatTimeDomainData)]
    fn read_samples(this: &AudioNode, into: &mut [f32]);
    #[wasm_bindgen(method, getter)]
    fn gain(this: &AudioNode) -> AudioParam;

    type AudioParam;
    #[wasm_bindgen(method, setter)]
    fn set_value(this: &AudioParam, value: f32);
}

/// How often the sound is read.
const EVERY: Duration = Duration::from_millis(100);
/// Samples read each time (the analyser's default window).
const WINDOW: usize = 2048;
/// Root mean square of the samples above which someone is heard (of full scale).
const HEARD: f32 = 0.02;
/// How long the mark stays after the last sound: words have gaps.
const HOLD_READS: u32 = 8;

thread_local! {
    /// One for the page: each context holds an audio thread of its own.
    static CONTEXT: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Marks an element while its stream's sound is heard; stops when dropped.
pub struct SpeakingMark {
    source: AudioNode,
    reads: IntervalHandle,
}

impl SpeakingMark {
    /// Watches `stream`'s sound, marking `shown`; `None` if it has no sound or the
    /// browser no Web Audio.
    pub fn watch(stream: &MediaStream, shown: Element) -> Option<SpeakingMark> {
        let (source, analyser) = CONTEXT.with_borrow_mut(|context| {
            if context.is_none() {
                *context = AudioContext::new().ok();
            }
            let context = context.as_ref()?;
            let source = context.create_source(stream).ok()?;
            let analyser = context.create_analyser();
            source.connect(&analyser);
            // Firefox measures only what goes on to the speakers: it goes there silenced
            // (the tile's video plays the sound itself).
            let silence = context.create_gain();
            silence.gain().set_value(0.0);
            analyser.connect(&silence);
            silence.connect(&context.destination());
            Some((source, analyser))
        })?;
        let samples = RefCell::new(vec![0.0; WINDOW]);
        let quiet_reads = Cell::new(HOLD_READS);
        let reads = set_interval_with_handle(
            move || {
                let mut samples = samples.borrow_mut();
                analyser.read_samples(&mut samples);
                let power = samples.iter().map(|s| s * s).sum::<f32>() / WINDOW as f32;
                let quiet = if power > HEARD * HEARD { 0 } else { quiet_reads.get() + 1 };
                quiet_reads.set(quiet);
                let _ = shown.toggle_attribute_with_force("data-speaking", quiet < HOLD_READS);
            },
            EVERY,
        )
        .ok()?;
        Some(SpeakingMark { source, reads })
    }
}

impl Drop for SpeakingMark {
    fn drop(&mut self) {
        self.reads.clear();
        self.source.disconnect();
    }
}
