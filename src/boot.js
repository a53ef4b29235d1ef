// Starts the app: loads the glue and the wasm named by the preloads in index.html (their
// names carry content hashes), then lets the app take over the first screen. A file of its
// own, not an inline script, so the page runs under a CSP without 'unsafe-inline'.
//
// Until the app runs, index.html's first screen is usable: a person types a name (and a
// room), and a click on one of its buttons waits, said "Starting…", to be carried out by
// the app. When the app has mounted its own first screen (the same markup), what was typed,
// the caret and the focus move to it, the waiting click is made there, and the page's
// screen goes, all in one task: nothing is painted twice and nothing is lost.
const href = (id) => document.getElementById(id).href;
const standIns = () => document.querySelectorAll('[data-loading]');
const form = document.querySelector('[data-loading] form.login');
/** What the app must do once it runs: 'submit' (the form's), or a button's id. */
let waiting = null;

showFirstScreen();
// Not awaited at the top: this module is done at once, so the page counts as loaded
// (DOMContentLoaded) and is drawn without waiting for the app's files.
start();

async function start() {
  try {
    announceNewBuild();
    const { default: init } = await import(href('natter-js'));
    await init({ module_or_path: href('natter-wasm') });
    // The app has mounted (main ran inside init).
    takeOver();
    // Keeps this build for offline use (sw.js, written at build time). Only now: the files
    // it keeps are in the HTTP cache, not downloaded a second time.
    navigator.serviceWorker
      ?.register(new URL('sw.js', import.meta.url))
      .catch((error) => console.warn(`natter will not open offline: ${error}`));
  } catch (error) {
    const problem = document.querySelector('[data-loading] #login-error');
    const words = document.querySelector('[data-loading] [data-text="CouldNotStart"]');
    if (problem) problem.textContent = `${words?.textContent} ${error}`;
    throw error;
  }
}

/** The first screen in the person's language, for the room the address names, if any. */
function showFirstScreen() {
  // The language as src/i18n.rs chooses it: the one picked in the settings, else the
  // browser's first language natter speaks.
  let tag;
  try {
    tag = localStorage.getItem('natter-lang');
  } catch {}
  tag ??= navigator.languages.find((t) => /^(zh|en)/i.test(t));
  if (/^zh/i.test(tag)) {
    document.documentElement.lang = 'zh-CN';
    for (const element of document.querySelectorAll('[data-zh]')) element.textContent = element.dataset.zh;
  }
  // An invitation (`?room=` or `#room=`, as src/config.rs reads it) only asks for the name.
  const room = [new URLSearchParams(location.search), new URLSearchParams(location.hash.slice(1))]
    .map((params) => params.get('room'))
    .find((room) => room?.trim());
  if (room) {
    const joining = form.querySelector('[data-text="JoiningRoom"]');
    joining.textContent = joining.textContent.replace('{room}', room);
    form.querySelector('[data-invited]').hidden = false;
    form.querySelector('[data-uninvited]').hidden = true;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    wait('submit', event.submitter);
  });
  for (const id of ['start-private', 'join-lobby']) {
    document.getElementById(id).addEventListener('click', (event) => wait(id, event.currentTarget));
  }
  form.dataset.ready = '';
  // Hidden, the field could not take the page's autofocus.
  if (!form.contains(document.activeElement)) form.querySelector('#login-name').focus();
}

/** Keeps a click for the app, and says so on the button clicked. */
function wait(action, button) {
  if (waiting) return;
  waiting = action;
  form.setAttribute('aria-busy', 'true');
  if (button) button.textContent = form.parentElement.querySelector('[data-text="Starting"]').textContent;
}

/** Moves what the person did on the page's first screen to the app's, then drops the page's. */
function takeOver() {
  const app = [...document.querySelectorAll('main.screen form.login')].find((f) => !f.closest('[data-loading]'));
  if (app) {
    const focused = document.activeElement;
    for (const field of form.querySelectorAll('input[id]')) {
      const twin = app.querySelector(`#${field.id}`);
      if (!twin || field.value === '') continue;
      twin.value = field.value;
      // The app's fields follow their `input` events (Leptos's bind:value).
      twin.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (focused?.id && form.contains(focused)) {
      const twin = app.querySelector(`#${focused.id}`);
      twin?.focus();
      if (twin && 'selectionStart' in focused && focused.selectionStart !== null) {
        twin.setSelectionRange(focused.selectionStart, focused.selectionEnd, focused.selectionDirection);
      }
    }
  }
  for (const element of standIns()) element.remove();
  if (app && waiting === 'submit') app.requestSubmit();
  else if (app && waiting) app.querySelector(`#${waiting}`)?.click();
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
