// The classic Node.js tutorial signaling server's behaviour, as ../shared/protocol.md
// describes it (defects included): the app must also work against such a server.
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';

/** Starts a classic server on 127.0.0.1:`port`; `close()` stops it. */
export function startClassicServer(port) {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  const users = new Map();
  const send = (socket, message) => socket.send(JSON.stringify(message));
  const sendToOthers = (type, from) => {
    for (const [name, socket] of users) {
      if (name !== from.name) send(socket, { type, user: { id: from.id, userName: from.name } });
    }
  };
  server.on('connection', (socket) => {
    socket.on('message', (raw) => {
      let data;
      try {
        data = JSON.parse(raw);
      } catch {
        data = {};
      }
      const { type, name, offer, answer, candidate } = data ?? {};
      const recipient = users.get(name);
      switch (type) {
        case 'login':
          if (users.has(name)) {
            send(socket, { type: 'login', success: false, message: 'Username is unavailable' });
            break;
          }
          socket.name = name;
          socket.id = randomUUID();
          send(socket, {
            type: 'login',
            success: true,
            users: [...users.values()].map((user) => ({ id: user.id, userName: user.name })),
          });
          users.set(name, socket);
          sendToOthers('updateUsers', socket);
          break;
        // The classic server names the sender on offers only.
        case 'offer':
          if (recipient) send(recipient, { type: 'offer', offer, name: socket.name });
          break;
        case 'answer':
          if (recipient) send(recipient, { type: 'answer', answer });
          break;
        case 'candidate':
          if (recipient) send(recipient, { type: 'candidate', candidate });
          break;
        case 'leave':
          if (recipient) send(recipient, { type: 'leave' });
          break;
        default:
          send(socket, { type: 'error', message: `Command not found: ${type}` });
      }
    });
    socket.on('close', () => {
      if (socket.name === undefined || users.get(socket.name) !== socket) return;
      users.delete(socket.name);
      sendToOthers('removeUser', socket);
    });
    send(socket, { type: 'connect', message: 'Well hello there, I am a WebSocket server' });
  });
  return new Promise((resolve) => {
    server.on('listening', () => resolve({ close: () => new Promise((done) => server.close(done)) }));
  });
}
