// The classic Node.js tutorial signaling server (express + ws + uuid), written from
// docs/protocol.md, for comparison benchmarks (see BENCHMARKS.md) and for the e2e test of
// the app against a classic server; natter itself never runs it.
const express = require("express");
const http = require("http");
const WebSocket = require("ws");
const { v4: uuidv4 } = require("uuid");

const app = express();
const port = process.env.PORT || 9000;
const server = http.createServer(app);
const wss = new WebSocket.Server({ server });

let users = {};

const sendTo = (connection, message) => connection.send(JSON.stringify(message));

const sendToAll = (clients, type, { id, name: userName }) => {
  Object.values(clients).forEach((client) => {
    if (client.name !== userName) {
      client.send(JSON.stringify({ type, user: { id, userName } }));
    }
  });
};

wss.on("connection", (ws) => {
  ws.on("message", (msg) => {
    let data;
    try {
      data = JSON.parse(msg);
    } catch (e) {
      data = {};
    }
    const { type, name, offer, answer, candidate } = data;
    switch (type) {
      case "login":
        if (users[name]) {
          sendTo(ws, { type: "login", success: false, message: "Username is unavailable" });
        } else {
          const id = uuidv4();
          const loggedIn = Object.values(users).map(({ id, name: userName }) => ({ id, userName }));
          users[name] = ws;
          ws.name = name;
          ws.id = id;
          sendTo(ws, { type: "login", success: true, users: loggedIn });
          sendToAll(users, "updateUsers", ws);
        }
        break;
      case "offer": {
        const recipient = users[name];
        if (recipient) sendTo(recipient, { type: "offer", offer, name: ws.name });
        break;
      }
      case "answer": {
        const recipient = users[name];
        if (recipient) sendTo(recipient, { type: "answer", answer });
        break;
      }
      case "candidate": {
        const recipient = users[name];
        if (recipient) sendTo(recipient, { type: "candidate", candidate });
        break;
      }
      case "leave": {
        const recipient = users[name];
        if (recipient) sendTo(recipient, { type: "leave" });
        break;
      }
      default:
        sendTo(ws, { type: "error", message: "Command not found: " + type });
        break;
    }
  });
  ws.on("close", () => {
    delete users[ws.name];
    sendToAll(users, "removeUser", ws);
  });
  ws.send(JSON.stringify({ type: "connect", message: "Well hello there, I am a WebSocket server" }));
});

server.listen(port, "127.0.0.1", () => console.log(`Signaling Server running on port: ${port}`));
