//! An event handler property (`onopen`, `onmessage`, ...) that is detached when dropped.

use wasm_bindgen::prelude::*;

/// Keeps a Rust closure alive as a JS event handler for as long as this value lives.
pub struct Listener {
    detach: Box<dyn Fn()>,
    _closure: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Installs `handler` with `set` (e.g. `WebSocket::set_onmessage`) on `target`;
    /// dropping the listener sets the property back to `null`.
    pub fn new<T: Clone + 'static>(
        target: &T,
        set: fn(&T, Option<&js_sys::Function>),
        handler: impl FnMut(JsValue) + 'static,
    ) -> Self {
        let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
        set(target, Some(closure.as_ref().unchecked_ref()));
        let target = target.clone();
        Listener { detach: Box::new(move || set(&target, None)), _closure: closure }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        (self.detach)();
    }
}

/// Drops `value` after the current event handler returns: a JS callback must not drop the
/// closure it is running in.
pub fn drop_later<T: 'static>(value: T) {
    wasm_bindgen_futures::spawn_local(async move { drop(value) });
}
