// Starts the app: loads the glue and the wasm named by the preloads in index.html (their
// names carry content hashes), then lets the app replace the loading screen. A file of its
// own, not trunk's inline script, so the page runs under a CSP without 'unsafe-inline'.
const href = (id) => document.getElementById(id).href;
const loading = () => document.querySelectorAll('[data-loading]');
// The loading screen in the app's language, chosen as src/i18n.rs does: the one picked in
// the settings, else the browser's first language natter speaks.
let chinese = false;
try {
  const tag = localStorage.getItem('natter-lang') ?? navigator.languages.find((t) => /^(zh|en)/i.test(t));
  chinese = /^zh/i.test(tag);
  if (chinese) {
    document.documentElement.lang = 'zh-CN';
    document.querySelector('[data-loading] [role="status"]').textContent = '正在加载…';
  }
} catch {}
try {
  announceNewBuild();
  const { default: init } = await import(href('natter-js'));
  await init({ module_or_path: href('natter-wasm') });
  // The app has mounted (main ran inside init): the loading screen goes in the same task,
  // so it is never painted beside the app.
  for (const element of loading()) element.remove();
  // Keeps this build for offline use (sw.js, written at build time). Only now: the files
  // it keeps are in the HTTP cache, not downloaded a second time.
  navigator.serviceWorker
    ?.register(new URL('sw.js', import.meta.url))
    .catch((error) => console.warn(`natter will not open offline: ${error}`));
} catch (error) {
  const status = document.querySelector('[data-loading] [role="status"]');
  if (status) status.textContent = `${chinese ? 'natter 无法启动：' : 'natter could not start: '}${error}`;
  throw error;
}

/** Files (hashed names) other than those this browser ran last: the app says it was updated. */
function announceNewBuild() {
  const files = [...document.head.querySelectorAll('[href], [src]')];
  const build = files.map((file) => file.getAttribute('href') ?? file.getAttribute('src')).join(' ');
  try {
    const last = localStorage.getItem('natter.build');
    // src/app.rs says so, in the app's language.
    if (last !== null && last !== build) document.documentElement.dataset.updated = '';
    localStorage.setItem('natter.build', build);
  } catch {
    // No storage (the browser refuses it to this site): no notice either.
  }
}
