//! The HTTP server: actix-web's application behind [`guard::Guarded`] connections.
//!
//! This is what `actix_web::HttpServer::listen` does, with one difference: every accepted
//! connection is wrapped before the HTTP/1 dispatcher reads it, for the send timeout and
//! the request-head checks that `HttpServer` has no place for.

pub mod guard;

use std::net::TcpListener;
use std::time::Duration;

use actix_http::{HttpService, KeepAlive, Request, Response, body::MessageBody};
use actix_service::{IntoServiceFactory, ServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::rt::net::TcpStream;

use guard::{Guarded, Limits};

/// How long a client may take to send a request head (actix-web's default).
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a closing connection waits for the client (actix-web's default).
const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves `factory`'s application on `listener` with `workers` worker threads (default: one
/// per core), each connection held to `limits`.
pub fn serve<F, I, S, B>(
    listener: TcpListener,
    workers: Option<usize>,
    limits: Limits,
    shutdown_timeout_seconds: u64,
    factory: F,
) -> std::io::Result<Server>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::InitError: std::fmt::Debug,
    S::Response: Into<Response<B>> + 'static,
    <S::Service as actix_service::Service<Request>>::Future: 'static,
    B: MessageBody + 'static,
{
    let addr = listener.local_addr()?;
    let mut builder = Server::build().shutdown_timeout(shutdown_timeout_seconds);
    if let Some(n) = workers {
        builder = builder.workers(n.max(1));
    }
    builder
        .listen("utblick", listener, move || {
            let app = factory().into_factory().map_err(|err: S::Error| err.into().error_response());
            let guarded = fn_service(move |io: TcpStream| async move {
                let peer = io.peer_addr().ok();
                let _ = io.set_nodelay(true);
                Ok::<_, actix_http::error::DispatchError>((Guarded::new(io, limits, peer), peer))
            });
            guarded.and_then(
                HttpService::build()
                    .keep_alive(KeepAlive::default())
                    .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
                    .client_disconnect_timeout(CLIENT_DISCONNECT_TIMEOUT)
                    .local_addr(addr)
                    .h1(map_config(app, move |_| AppConfig::default())),
            )
        })
        .map(|b| b.run())
}
