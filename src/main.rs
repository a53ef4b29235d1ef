//! Entry point: install the panic hook, mount the app.

// A free-list allocator: about 3 KB less wasm than the default dlmalloc.
// SAFETY: the app runs on the browser's main thread only (no wasm threads), so every
// allocation and free happens on one thread.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

fn main() {
    console_error_panic_hook::set_once();
    natter::i18n::start();
    natter::config::fetch_config();
    leptos::mount::mount_to_body(natter::App);
}
