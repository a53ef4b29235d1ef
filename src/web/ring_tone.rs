//! A ring's sound, made by Web Audio (no sound file to download): one sine oscillator
//! whose pitch and volume follow the whole ring's pattern, scheduled at once.
//!
//! Only the handful of Web Audio calls used are bound here: web-sys's features for them
//! would bring the same imports and a `Result` around each.

use natter_model::call::Tone;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type AudioContext;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<AudioContext, JsValue>;
    #[wasm_bindgen(method, getter, js_name = currentTime)]
    fn current_time(this: &AudioContext) -> f64;
    #[wasm_bindgen(method, getter)]
    fn destination(this: &AudioContext) -> AudioNode;
    #[wasm_bindgen(method, js_name = createOscillator)]
    fn create_oscillator(this: &AudioContext) -> AudioNode;
    #[wasm_bindgen(method, js_name = createGain)]
    fn create_gain(this: &AudioContext) -> AudioNode;
    #[wasm_bindgen(method)]
    fn close(this: &AudioContext);

    /// An oscillator, a gain or the speakers.
    type AudioNode;
    #[wasm_bindgen(method)]
    fn connect(this: &AudioNode, to: &AudioNode);
    #[wasm_bindgen(method, getter)]
    fn frequency(this: &AudioNode) -> AudioParam;
    #[wasm_bindgen(method, getter)]
    fn gain(this: &AudioNode) -> AudioParam;
    #[wasm_bindgen(method)]
    fn start(this: &AudioNode);
    #[wasm_bindgen(method)]
    fn stop(this: &AudioNode);

    type AudioParam;
    #[wasm_bindgen(method, js_name = setValueAtTime)]
    fn set_at(this: &AudioParam, value: f32, at: f64);
    #[wasm_bindgen(method, js_name = linearRampToValueAtTime)]
    fn ramp_to(this: &AudioParam, value: f32, at: f64);
}

/// How loud a beep is (of full scale): soft.
const VOLUME: f32 = 0.12;
/// Fade in and out, so beeps do not click.
const FADE_S: f64 = 0.02;

/// A ring sounding until dropped.
pub struct RingTone {
    context: AudioContext,
    oscillator: AudioNode,
}

impl RingTone {
    /// Plays `tone` for `seconds`. `None` where the browser has no Web Audio. A page the
    /// person has not clicked or typed in yet may be kept silent by the browser (its
    /// autoplay policy): the call panel still shows the ring.
    pub fn play(tone: Tone, seconds: f64) -> Option<Self> {
        let context = AudioContext::new().ok()?;
        let oscillator = context.create_oscillator();
        let volume = context.create_gain();
        let (pitch, level) = (oscillator.frequency(), volume.gain());
        let start = context.current_time();
        level.set_at(0.0, start);
        for pattern in 0..tone.patterns(seconds) {
            let from = start + f64::from(pattern) * tone.period;
            for beep in tone.beeps {
                let (on, off) = (from + beep.at, from + beep.at + beep.seconds);
                pitch.set_at(beep.hz, on);
                level.set_at(0.0, on);
                level.ramp_to(VOLUME, on + FADE_S);
                level.set_at(VOLUME, off - FADE_S);
                level.ramp_to(0.0, off);
            }
        }
        oscillator.connect(&volume);
        volume.connect(&context.destination());
        oscillator.start();
        Some(RingTone { context, oscillator })
    }
}

impl Drop for RingTone {
    fn drop(&mut self) {
        self.oscillator.stop();
        self.context.close();
    }
}
