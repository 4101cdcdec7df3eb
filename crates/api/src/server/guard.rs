//! Every client connection passes through a [`Guarded`] stream before actix-web sees it.
//! It does two things actix-web cannot be told to do:
//!
//! - **A send that makes no progress ends.** When the client stops reading (a full receive
//!   window) for longer than the send timeout, the next write fails and the connection
//!   closes, so a stalled download never holds anything for long.
//! - **Malformed requests get a real answer.** Each request head is checked before it is
//!   handed on: a head that actix-web would refuse with an empty 400/431 (a bad request
//!   line, a NUL in a header, more than 96 header fields, an oversized head) or a URL over
//!   the limit is answered here, as `application/problem+json` with the security headers,
//!   and the connection closes after the answers to the requests before it. Such requests
//!   are logged at WARN, at most once per [`LOG_EVERY`], with the count of the others.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode, Uri};
use actix_web::web::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

use crate::error::ApiError;

/// The most header fields a request may have (actix-web's own limit).
pub const MAX_HEADERS: usize = 96;

/// How often a refused malformed request is logged (the others are counted).
pub const LOG_EVERY: Duration = Duration::from_secs(10);

/// The limits a connection is held to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A write that makes no progress for this long fails (the client stopped reading).
    pub send_timeout: Duration,
    /// The largest request head (request line and header fields), in bytes.
    pub max_head_bytes: usize,
    /// The longest request target (path and query), in bytes.
    pub max_uri_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { send_timeout: Duration::from_secs(30), max_head_bytes: 16 * 1024, max_uri_bytes: 8 * 1024 }
    }
}

/// What the inspection of the bytes received so far found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Reading a request head.
    Head,
    /// Passing on this many more bytes of a request body.
    Body(u64),
    /// No more checking on this connection (chunked bodies, upgrades): everything passes.
    Off,
}

/// Why a request head was refused here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Malformed(&'static str),
    UriTooLong,
    HeadTooLarge,
    TooManyHeaders,
}

impl Refusal {
    fn error(&self, limits: &Limits) -> ApiError {
        match self {
            Refusal::Malformed(why) => ApiError::MalformedRequest((*why).to_owned()),
            Refusal::UriTooLong => ApiError::UriTooLong { limit: limits.max_uri_bytes },
            Refusal::HeadTooLarge => ApiError::HeadTooLarge {
                detail: format!(
                    "the request's header fields are larger than {} bytes",
                    limits.max_head_bytes
                ),
            },
            Refusal::TooManyHeaders => ApiError::HeadTooLarge {
                detail: format!("the request has more than {MAX_HEADERS} header fields"),
            },
        }
    }

    /// The whole answer, as bytes on the wire: problem+json with the security headers.
    pub fn response(&self, limits: &Limits) -> Bytes {
        let err = self.error(limits);
        let status: StatusCode = actix_web::ResponseError::status_code(&err);
        let body = serde_json::to_string(&err.problem()).unwrap_or_default();
        let mut out = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            crate::error::PROBLEM_JSON,
            body.len()
        );
        for (name, value) in crate::startup::SECURITY_HEADERS {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
        out.push_str("content-security-policy: ");
        out.push_str(crate::startup::STRICT_CSP);
        out.push_str("\r\ncache-control: no-store\r\n\r\n");
        out.push_str(&body);
        Bytes::from(out)
    }
}

/// Checks the bytes of one connection's requests as they arrive: where each head ends,
/// whether it is well-formed, and how long its body is.
#[derive(Debug)]
pub struct Inspector {
    limits: Limits,
    state: State,
}

impl Inspector {
    pub fn new(limits: Limits) -> Self {
        Self { limits, state: State::Head }
    }

    /// Stops checking: everything from here on passes.
    pub fn turn_off(&mut self) {
        self.state = State::Off;
    }

    /// Given the bytes not yet classified, how many of them may pass on now, and the
    /// refusal of the head that follows those, if it is malformed.
    pub fn classify(&mut self, pending: &[u8]) -> (usize, Option<Refusal>) {
        let mut passed = 0;
        loop {
            let rest = &pending[passed..];
            if rest.is_empty() {
                return (passed, None);
            }
            match self.state {
                State::Off => return (pending.len(), None),
                State::Body(left) => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(rest.len());
                    passed += n;
                    let left = left - n as u64;
                    self.state = if left == 0 { State::Head } else { State::Body(left) };
                }
                State::Head => match self.head(rest) {
                    Ok(Some((len, next))) => {
                        passed += len;
                        self.state = next;
                    }
                    Ok(None) => return (passed, None),
                    Err(refusal) => return (passed, Some(refusal)),
                },
            }
        }
    }

    /// A complete head's length and what follows it; `None` while it is incomplete.
    fn head(&self, bytes: &[u8]) -> Result<Option<(usize, State)>, Refusal> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        let len = match req.parse(bytes) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => {
                // The request line alone may already be too long.
                if req.path.is_some_and(|p| p.len() > self.limits.max_uri_bytes)
                    || (req.path.is_none() && first_line_len(bytes) > self.limits.max_uri_bytes + 32)
                {
                    return Err(Refusal::UriTooLong);
                }
                if bytes.len() > self.limits.max_head_bytes {
                    return Err(Refusal::HeadTooLarge);
                }
                return Ok(None);
            }
            Err(httparse::Error::TooManyHeaders) => return Err(Refusal::TooManyHeaders),
            Err(httparse::Error::Version) => {
                return Err(Refusal::Malformed("the HTTP version is not HTTP/1.0 or 1.1"));
            }
            Err(httparse::Error::HeaderName) => {
                return Err(Refusal::Malformed("a header field name is invalid"));
            }
            Err(httparse::Error::HeaderValue) => {
                return Err(Refusal::Malformed("a header field value holds a forbidden character"));
            }
            Err(_) => return Err(Refusal::Malformed("the request line is not valid HTTP")),
        };
        let path = req.path.unwrap_or("");
        if path.len() > self.limits.max_uri_bytes {
            return Err(Refusal::UriTooLong);
        }
        if len > self.limits.max_head_bytes {
            return Err(Refusal::HeadTooLarge);
        }
        let method = Method::from_bytes(req.method.unwrap_or("").as_bytes())
            .map_err(|_| Refusal::Malformed("the method is not valid"))?;
        Uri::try_from(path).map_err(|_| Refusal::Malformed("the request target is not a valid URI"))?;
        let http11 = req.version == Some(1);
        let (mut host, mut length, mut chunked, mut upgrade) = (false, None::<u64>, false, false);
        for h in req.headers.iter() {
            let name = HeaderName::from_bytes(h.name.as_bytes())
                .map_err(|_| Refusal::Malformed("a header field name is invalid"))?;
            HeaderValue::from_bytes(h.value)
                .map_err(|_| Refusal::Malformed("a header field value holds a forbidden character"))?;
            match name.as_str() {
                "host" => host = true,
                "content-length" => {
                    let n = std::str::from_utf8(h.value)
                        .ok()
                        .map(str::trim)
                        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|v| v.parse::<u64>().ok())
                        .ok_or(Refusal::Malformed("Content-Length is not a number"))?;
                    if length.is_some_and(|l| l != n) {
                        return Err(Refusal::Malformed(
                            "Content-Length is given twice with different values",
                        ));
                    }
                    length = Some(n);
                }
                "transfer-encoding" => chunked = true,
                "upgrade" => upgrade = true,
                _ => {}
            }
        }
        if http11 && !host {
            return Err(Refusal::Malformed("an HTTP/1.1 request needs a Host header field"));
        }
        if chunked && length.is_some() {
            return Err(Refusal::Malformed("both Content-Length and Transfer-Encoding are set"));
        }
        let next = if chunked || upgrade || method == Method::CONNECT {
            // actix-web reads these itself; this connection is not checked any further.
            State::Off
        } else {
            match length {
                Some(n) if n > 0 => State::Body(n),
                _ => State::Head,
            }
        };
        Ok(Some((len, next)))
    }
}

fn first_line_len(bytes: &[u8]) -> usize {
    bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len())
}

/// Counts refused malformed requests and logs them at WARN, at most once per
/// [`LOG_EVERY`].
static REFUSALS: crate::telemetry::Sparse = crate::telemetry::Sparse::new(LOG_EVERY);

fn note_refusal(refusal: &Refusal, peer: Option<std::net::SocketAddr>) {
    if let Some(others) = REFUSALS.admit(Instant::now()) {
        tracing::warn!(peer = ?peer, refusal = ?refusal, others_since_last_line = others, "refused a malformed HTTP request");
    }
}

/// A client connection with a send timeout and request-head checks (see the module).
pub struct Guarded<T> {
    io: T,
    limits: Limits,
    peer: Option<std::net::SocketAddr>,
    /// Bytes read from the client and not yet handed on.
    inbuf: BytesMut,
    /// How many bytes at the front of `inbuf` may be handed on.
    ready: usize,
    inspector: Inspector,
    /// The client closed its side.
    eof: bool,
    /// The answer to a refused head: handed-on reading has ended, and this is written when
    /// actix-web closes the connection (after answering the requests before it).
    refusal: Option<Bytes>,
    /// Started when a write could not proceed; reset by any progress.
    stall: Option<Pin<Box<Sleep>>>,
}

impl<T> Guarded<T> {
    pub fn new(io: T, limits: Limits, peer: Option<std::net::SocketAddr>) -> Self {
        Self {
            io,
            limits,
            peer,
            inbuf: BytesMut::new(),
            ready: 0,
            inspector: Inspector::new(limits),
            eof: false,
            refusal: None,
            stall: None,
        }
    }
}

impl<T: AsyncWrite + Unpin> Guarded<T> {
    /// `Pending` from a write: fails once the stall has lasted the send timeout.
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let timeout = self.limits.send_timeout;
        let timer = self.stall.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::warn!(peer = ?self.peer, timeout_seconds = timeout.as_secs(), "closed a connection whose client stopped reading");
                Poll::Ready(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn watch<R>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match polled {
            Poll::Ready(r) => {
                self.stall = None;
                Poll::Ready(r)
            }
            Poll::Pending => self.stalled(cx).map(Err),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if this.ready > 0 {
                let n = this.ready.min(buf.remaining());
                buf.put_slice(&this.inbuf.split_to(n));
                this.ready -= n;
                return Poll::Ready(Ok(()));
            }
            if this.refusal.is_some() {
                // Nothing more is handed on: to actix-web the client has finished.
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                // Whatever is left (a partial head) goes on as it is; actix-web ends it.
                if !this.inbuf.is_empty() {
                    this.ready = this.inbuf.len();
                    continue;
                }
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 8 * 1024];
            let mut rb = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut rb))?;
            if rb.filled().is_empty() {
                this.eof = true;
                continue;
            }
            this.inbuf.extend_from_slice(rb.filled());
            let (passed, refusal) = this.inspector.classify(&this.inbuf[this.ready..]);
            this.ready += passed;
            if let Some(refusal) = refusal {
                note_refusal(&refusal, this.peer);
                if passed > 0 {
                    // Pipelined behind requests actix-web has not read yet: they are answered
                    // first, in order, and actix-web answers this one itself (an empty 400).
                    this.inspector.turn_off();
                    this.ready = this.inbuf.len();
                } else {
                    // Everything before it is answered (or there was nothing): to actix-web the
                    // client is done, and the refusal goes out when it closes.
                    this.refusal = Some(refusal.response(&this.limits));
                }
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The answer to a refused head goes out last, after actix-web's own answers.
        while let Some(answer) = self.refusal.as_mut().filter(|a| !a.is_empty()) {
            let mut answer = answer.clone();
            let polled = Pin::new(&mut self.io).poll_write(cx, &answer);
            let n = ready!(self.watch(cx, polled))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            let _ = answer.split_to(n);
            self.refusal = Some(answer);
        }
        let polled = Pin::new(&mut self.io).poll_flush(cx);
        ready!(self.watch(cx, polled))?;
        let polled = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, polled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(bytes: &[u8]) -> (usize, Option<Refusal>) {
        Inspector::new(Limits::default()).classify(bytes)
    }

    #[test]
    fn passes_whole_heads_and_their_bodies_and_waits_for_the_rest() {
        let get = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(classify(get), (get.len(), None));
        assert_eq!(classify(&get[..10]), (0, None), "a partial head waits");
        let post = b"POST /api/v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcdeGET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(classify(post), (post.len(), None), "the body is skipped, the next head checked");
        // A body that arrives in pieces is passed on as it comes.
        let mut i = Inspector::new(Limits::default());
        let head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc";
        assert_eq!(i.classify(head), (head.len(), None));
        assert_eq!(i.classify(b"defghij"), (7, None));
        assert_eq!(
            i.classify(b"BAD\x01 / HTTP/1.1\r\n\r\n").1.map(|r| matches!(r, Refusal::Malformed(_))),
            Some(true)
        );
        // Chunked bodies and upgrades are left to actix-web.
        let chunked = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n\x01\x02";
        assert_eq!(classify(chunked), (chunked.len(), None));
    }

    #[test]
    fn refuses_what_actix_web_would_answer_with_an_empty_400_or_431() {
        let cases: [(&[u8], &str); 7] = [
            (b"GARBAGE\r\n\r\n", "malformed"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", "malformed"),
            (b"GET / HTTP/1.1\r\n\r\n", "malformed"),
            (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", "malformed"),
            (
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "malformed",
            ),
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", "malformed"),
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "malformed"),
        ];
        for (bytes, _) in cases {
            assert!(
                matches!(classify(bytes), (0, Some(Refusal::Malformed(_)))),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        let long = [b"GET /".as_slice(), &[b'a'; 9000], b" HTTP/1.1\r\nHost: x\r\n\r\n"].concat();
        assert_eq!(classify(&long), (0, Some(Refusal::UriTooLong)));
        assert_eq!(classify(&long[..8500]), (0, Some(Refusal::UriTooLong)), "known before the line ends");
        let many: Vec<u8> = [
            b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec(),
            (0..200).flat_map(|i| format!("X-{i}: 1\r\n").into_bytes()).collect(),
            b"\r\n".to_vec(),
        ]
        .concat();
        assert_eq!(classify(&many), (0, Some(Refusal::TooManyHeaders)));
        let big = [b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".as_slice(), &[b'a'; 17000]].concat();
        assert_eq!(classify(&big), (0, Some(Refusal::HeadTooLarge)));
    }

    #[test]
    fn the_answer_is_problem_json_with_the_security_headers() {
        let answer = Refusal::Malformed("x").response(&Limits::default());
        let text = String::from_utf8(answer.to_vec()).unwrap();
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"));
        for h in [
            "content-type: application/problem+json",
            "x-content-type-options: nosniff",
            "x-frame-options: DENY",
            "content-security-policy: default-src 'self'",
            "connection: close",
        ] {
            assert!(text.contains(h), "{h}");
        }
        let body = text.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], "malformed-request");
        assert!(text.contains(&format!("content-length: {}\r\n", body.len())));
        let too_long = String::from_utf8(Refusal::UriTooLong.response(&Limits::default()).to_vec()).unwrap();
        assert!(too_long.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
    }
}
