//! The natter-server binary as `make run` starts it, with its output piped: the line that
//! says where to open it comes once the port accepts connections, and nothing it prints
//! carries colour codes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the binary on `port` (0: any free one), its stdout and stderr piped, logging at
/// `log`.
fn spawn(log: &str, port: u16) -> Child {
    let port = port.to_string();
    let args =
        ["--bind", "127.0.0.1", "--port", &port, "--no-stun", "--static-dir", "/nonexistent"];
    Command::new(env!("CARGO_BIN_EXE_natter-server"))
        .args(args)
        .env("RUST_LOG", log)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("natter-server starts")
}

/// Stops `child` gracefully (SIGTERM, so it logs its shutdown) and returns the rest of its
/// stdout, and its stderr.
fn stop(mut child: Child, mut stdout: impl Read) -> (String, String) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(status.unwrap().success());
    assert!(child.wait().unwrap().success());
    let (mut rest, mut stderr) = (String::new(), String::new());
    stdout.read_to_string(&mut rest).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    (rest, stderr)
}

/// Reads lines until the serving line; returns the lines before it and the line.
fn read_until_serving(stdout: &mut BufReader<ChildStdout>) -> (String, String) {
    let mut before = String::new();
    loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "ended before the line:\n{before}");
        if line.starts_with("natter: serving ") {
            return (before, line);
        }
        before.push_str(&line);
    }
}

#[test]
fn the_serving_line_comes_once_the_port_listens_and_pipes_get_no_colours() {
    let mut child = spawn("info", 0);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (before, line) = read_until_serving(&mut stdout);
    assert!(before.contains("listening"), "{before}");
    let hint = " — open it in two windows, or share the link\n";
    let url = line.strip_prefix("natter: serving ").unwrap().strip_suffix(hint).expect(&line);
    let address = url.strip_prefix("http://127.0.0.1:").and_then(|port| port.strip_suffix('/'));
    let port: u16 = address.expect(url).parse().unwrap();

    // At once and only once: the server listens by the time it says so.
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).expect("the port accepts connections");
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    tcp.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200") && response.ends_with("ok"), "{response}");

    let (after, stderr) = stop(child, stdout);
    assert!(after.contains("shutting down"), "{after}");
    assert!(!after.contains("natter: serving"), "{after}");
    let everything = [before, line, after, stderr].concat();
    assert!(!everything.contains('\x1b'), "colour codes in a pipe: {everything:?}");
}

#[test]
fn quieter_logs_leave_the_line_out() {
    let deadline = Instant::now() + Duration::from_secs(10);
    // A free port may be taken by another test between our look and the server's bind: the
    // server then exits at once, and another port is tried.
    let mut child = loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = spawn("warn", port);
        while child.try_wait().unwrap().is_none()
            && TcpStream::connect(("127.0.0.1", port)).is_err()
        {
            assert!(Instant::now() < deadline, "the server never listened");
            std::thread::sleep(Duration::from_millis(20));
        }
        if child.try_wait().unwrap().is_none() {
            break child;
        }
    };
    let stdout = child.stdout.take().unwrap();
    let (stdout, stderr) = stop(child, stdout);
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
}
