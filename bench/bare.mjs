// The bare reference of the file benchmarks: two pages with one RTCPeerConnection each,
// connected through the calling script (no signaling server, no app), and 64 KiB-style
// messages blasted from memory over a plain RTCDataChannel, paced by water marks.

/**
 * Connects `sender` and `receiver` anew (closing any earlier connection), with an open
 * channel as the app's chat would have. The receiver counts the bytes of every other
 * channel and notes each pause of over 200 ms between two messages.
 */
export async function connectBare(sender, receiver) {
  const describe = (page, remote) =>
    page.evaluate(async (remote) => {
      if (!remote || remote.type === 'offer') {
        window.pc?.close();
        window.pc = new RTCPeerConnection();
      }
      const pc = window.pc;
      if (!remote) window.chat = pc.createDataChannel('chat');
      pc.ondatachannel = ({ channel }) => {
        if (channel.label === 'chat') return;
        channel.binaryType = 'arraybuffer';
        let received = 0;
        let last = 0;
        const pauses = [];
        channel.onmessage = ({ data }) => {
          const now = performance.now();
          if (last && now - last > 200) pauses.push({ atMB: received / 1e6, ms: Math.round(now - last) });
          last = now;
          received += data.byteLength;
          if (received === window.expected) window.finished({ end: Date.now(), pauses });
        };
      };
      if (remote) await pc.setRemoteDescription(remote);
      if (remote?.type === 'answer') return null;
      const gathered = new Promise((resolve) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      });
      await pc.setLocalDescription();
      if (pc.iceGatheringState !== 'complete') await gathered;
      return pc.localDescription.toJSON();
    }, remote);
  const offer = await describe(sender, null);
  const answer = await describe(receiver, offer);
  await describe(sender, answer);
  await sender.evaluate(async () => {
    if (window.chat.readyState !== 'open') await new Promise((resolve) => (window.chat.onopen = resolve));
  });
}

/**
 * Sends the sender's `window.data` on a new channel in `chunk`-byte messages, pausing above
 * `high` bytes queued until the queue drains to `low`, and waiting `paceMs` after each
 * message of the first `paceBytes` if set. Resolves with the ms from opening the channel
 * to the receiver's last byte, and the receiver's pauses.
 */
export async function sendBare(sender, receiver, { chunk, high, low, paceMs = 0, paceBytes = 0 }) {
  const size = await sender.evaluate(() => window.data.length);
  const done = receiver.evaluate(
    (size) => new Promise((resolve) => Object.assign(window, { expected: size, finished: resolve })),
    size,
  );
  const start = await sender.evaluate(
    async ({ chunk, high, low, paceMs, paceBytes }) => {
      const start = Date.now();
      const channel = window.pc.createDataChannel('file');
      channel.bufferedAmountLowThreshold = low;
      await new Promise((resolve) => (channel.onopen = resolve));
      const data = window.data;
      for (let offset = 0; offset < data.length; offset += chunk) {
        if (channel.bufferedAmount > high) {
          await new Promise((resolve) => (channel.onbufferedamountlow = resolve));
        }
        channel.send(data.subarray(offset, offset + chunk));
        if (paceMs && offset < paceBytes) await new Promise((resolve) => setTimeout(resolve, paceMs));
      }
      return start;
    },
    { chunk, high, low, paceMs, paceBytes },
  );
  const { end, pauses } = await done;
  return { ms: end - start, pauses };
}
