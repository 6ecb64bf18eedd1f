//! A minimal W3C WebDriver client for `tests/browser.rs`: HTTP/1.1 with
//! `Content-Length` and JSON over `std::net::TcpStream`, plus a chromedriver
//! process guard. Commands panic with the endpoint and the driver's message;
//! the `Drop` impls never panic, so cleanup also runs while unwinding.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// W3C key of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long one WebDriver command may take (session start launches Chromium).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// One HTTP request; returns the status code and the JSON body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Result<(u16, Value), String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("{method} {path}: {what}: {e}");
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| fail("connect", &e))?;
    stream.set_read_timeout(Some(COMMAND_TIMEOUT)).ok();
    stream.set_write_timeout(Some(COMMAND_TIMEOUT)).ok();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| fail("write", &e))?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut expected_len: Option<usize> = None;
    loop {
        if let Some(end) = header_end(&raw) {
            if expected_len.is_none() {
                expected_len = content_length(&raw[..end]).map(|n| end + n);
            }
            if expected_len.is_some_and(|n| raw.len() >= n) {
                break;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) => return Err(fail("read", &e)),
        }
    }
    let end = header_end(&raw).ok_or_else(|| fail("response", &"no complete header"))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| fail("bad status line", &head.lines().next().unwrap_or("")))?;
    let body_end = expected_len.unwrap_or(raw.len()).min(raw.len());
    let json = serde_json::from_slice(&raw[end..body_end]).map_err(|e| {
        let text = String::from_utf8_lossy(&raw[end..body_end]);
        fail("body is not JSON", &format!("{e}: {text:.300}"))
    })?;
    Ok((status, json))
}

/// Offset just past the blank line that ends the header.
fn header_end(raw: &[u8]) -> Option<usize> {
    raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn content_length(head: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(head).lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            value.trim().parse().ok()
        } else {
            None
        }
    })
}

/// A free TCP port on 127.0.0.1 (bound, read and released).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// A running chromedriver, killed (with its process group) on drop.
pub struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until `/status` is ready.
    pub fn start(chromedriver: &Path, deadline: Duration) -> Driver {
        let port = free_port();
        let mut command = Command::new(chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let mut driver = Driver {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        };
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited during start-up ({status})");
            }
            let last = match http(driver.addr, "GET", "/status", "") {
                Ok((200, body)) if body["value"]["ready"] == true => return driver,
                Ok((code, body)) => format!("HTTP {code}: {body}"),
                Err(e) => e,
            };
            assert!(
                start.elapsed() < deadline,
                "chromedriver on port {port} not ready after {deadline:?}: {last}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // Also ends any browser process left in chromedriver's group.
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A reference to an element, with the selector it was found by (for errors).
pub struct Element {
    id: String,
    css: String,
}

/// A browser session; deleted (closing the browser) on drop.
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl<'d> Session<'d> {
    /// `POST /session` with the given `alwaysMatch` capabilities.
    pub fn new(driver: &'d Driver, capabilities: Value) -> Session<'d> {
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let value = call(driver.addr, "POST", "/session", Some(&body))
            .unwrap_or_else(|e| panic!("cannot start a browser session: {e}"));
        let id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {value}"))
            .to_string();
        Session { driver, id }
    }

    /// Runs a command on this session; panics with the driver's error.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}{path}", self.id);
        call(self.driver.addr, method, &path, body.as_ref())
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn current_url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn find(&self, css: &str) -> Element {
        self.find_all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches {css:?}"))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": css });
        match self.cmd("POST", "/elements", Some(body)) {
            Value::Array(items) => items
                .iter()
                .map(|item| Element {
                    id: item[ELEMENT_KEY].as_str().unwrap_or_default().to_string(),
                    css: css.to_string(),
                })
                .collect(),
            other => panic!("find {css:?}: unexpected answer {other}"),
        }
    }

    fn element_cmd(&self, method: &str, el: &Element, what: &str, body: Option<Value>) -> Value {
        let path = format!("/element/{}/{what}", el.id);
        self.try_cmd(method, &path, body)
            .unwrap_or_else(|e| panic!("WebDriver {what} on {:?}: {e}", el.css))
    }

    /// Types `text`; `\u{E015}` is ArrowDown, `\u{E007}` Enter.
    pub fn send_keys(&self, el: &Element, text: &str) {
        self.element_cmd("POST", el, "value", Some(json!({ "text": text })));
    }

    pub fn click(&self, el: &Element) {
        self.element_cmd("POST", el, "click", Some(json!({})));
    }

    pub fn clear(&self, el: &Element) {
        self.element_cmd("POST", el, "clear", Some(json!({})));
    }

    pub fn text(&self, el: &Element) -> String {
        let v = self.element_cmd("GET", el, "text", None);
        v.as_str().unwrap_or_default().to_string()
    }

    pub fn attribute(&self, el: &Element, name: &str) -> Option<String> {
        let v = self.element_cmd("GET", el, &format!("attribute/{name}"), None);
        v.as_str().map(str::to_string)
    }

    pub fn property(&self, el: &Element, name: &str) -> Value {
        self.element_cmd("GET", el, &format!("property/{name}"), None)
    }

    /// Runs a synchronous script (`arguments[i]` are `args`); returns its value.
    pub fn try_exec(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        let body = json!({ "script": script, "args": args });
        self.try_cmd("POST", "/execute/sync", Some(body))
    }

    pub fn exec(&self, script: &str, args: &[Value]) -> Value {
        self.try_exec(script, args)
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Resizes the browser window (CSS pixels).
    pub fn set_window_size(&self, width: u32, height: u32) {
        let body = json!({ "width": width, "height": height });
        self.cmd("POST", "/window/rect", Some(body));
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let value = self.cmd("GET", "/screenshot", None);
        base64_decode(value.as_str().unwrap_or_default()).expect("screenshot is base64")
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = call(
            self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
        );
    }
}

/// A WebDriver command: the `value` of a 200 answer, else the W3C error.
fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let payload = match (method, body) {
        (_, Some(body)) => body.to_string(),
        ("POST", None) => "{}".to_string(),
        _ => String::new(),
    };
    let (status, json) = http(addr, method, path, &payload)?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if status == 200 {
        return Ok(value);
    }
    let error = value["error"].as_str().unwrap_or("unknown error");
    let message = value["message"].as_str().unwrap_or_default();
    let message = message.lines().next().unwrap_or_default();
    Err(format!(
        "{method} {path} -> HTTP {status} {error}: {message}"
    ))
}

/// Standard base64 (with or without padding).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
