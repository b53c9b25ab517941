//! The HTTP side of `vitrine serve` (axum routes served by hyper, on a tokio runtime of its own
//! thread): files of the current snapshot, confined to the site; the reload script and events;
//! the state for tests. Requests for another host are refused, slow request heads cut off.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State as Extract};
use axum::http::{header, HeaderValue, StatusCode, Uri, Version};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::stream::{self, Stream};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::host::{HostPolicy, Verdict};
use super::live::{Live, State};
use crate::diagnostics::io_message_fr;
use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::session::Served;
use crate::text::escape_html;

/// Paths of the server's own resources; no site page can start with `_`.
pub const EVENTS_PATH: &str = "/_vitrine/evenements";
pub const SCRIPT_PATH: &str = "/_vitrine/direct.js";
pub const STATE_PATH: &str = "/_vitrine/etat";

const RELOAD_SCRIPT: &str = include_str!("direct.js");

/// After a failed `accept` (no file descriptor left…), wait before the next one instead of
/// spinning: connections that end free what was missing.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// How the server protects itself, besides confining paths.
pub struct Guarding {
    /// Which `Host` the server answers to.
    pub policy: HostPolicy,
    /// A connection that has not sent a whole request head within this time is closed
    /// (slow clients holding connections open, idle keep-alive connections).
    pub header_timeout: Duration,
    /// The preview's address, shown on the refusal page.
    pub url: String,
}

pub fn spawn(
    listener: std::net::TcpListener,
    live: Arc<Live>,
    guarding: Guarding,
) -> Result<(), Diagnostic> {
    listener.set_nonblocking(true).map_err(|e| io_error(&e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| io_error(&e))?;
    // Converted here rather than in the server thread, so that a failure is reported instead
    // of leaving a server that never answers.
    let listener = {
        let _inside = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| io_error(&e))?
    };
    let guard = Guard {
        policy: Arc::new(guarding.policy),
        url: Arc::from(guarding.url),
    };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .route(STATE_PATH, get(state))
        .fallback(get(file))
        .with_state(live)
        // Outermost, so that it covers every route, the fallback and the events.
        .layer(middleware::from_fn_with_state(guard, check_host));
    let timeout = guarding.header_timeout;
    // The server runs until the process ends.
    std::thread::spawn(move || runtime.block_on(accept_loop(listener, app, timeout)));
    Ok(())
}

/// Serves each connection with hyper directly: `axum::serve` has no header-read timeout.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router, header_timeout: Duration) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            // A client that leaves, or is cut off for being too slow, is not the preview's
            // problem: nothing to report.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn io_error(err: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Io,
        "",
        format!(
            "le serveur de prévisualisation ne peut pas démarrer : {}",
            io_message_fr(err)
        ),
    )
}

#[derive(Clone)]
struct Guard {
    policy: Arc<HostPolicy>,
    url: Arc<str>,
}

/// Refuses requests addressed to another name than the preview's (DNS rebinding), before any
/// route sees them. A request with an absolute address (`GET http://…/`) is judged on it too.
async fn check_host(Extract(guard): Extract<Guard>, request: Request, next: Next) -> Response {
    let http10 = request.version() <= Version::HTTP_10;
    let hosts = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(|value| value.to_str().unwrap_or(""));
    let mut verdict = guard.policy.judge(hosts, http10);
    if let (Verdict::Allowed, Some(authority)) = (&verdict, request.uri().authority()) {
        if !guard.policy.allows(authority.as_str()) {
            verdict = Verdict::Refused(authority.to_string());
        }
    }
    match verdict {
        Verdict::Allowed => next.run(request).await,
        Verdict::Refused(host) => refusal(
            StatusCode::FORBIDDEN,
            "Accès refusé",
            &format!(
                "Cet aperçu ne répond pas au nom « {} » : seules ses propres adresses sont acceptées, pour qu'aucun autre site ne puisse le lire depuis votre navigateur. {}",
                escape_html(&host),
                where_to_open(&guard)
            ),
        ),
        Verdict::Malformed => refusal(
            StatusCode::BAD_REQUEST,
            "Requête invalide",
            "L'en-tête Host de la requête est absent ou répété.",
        ),
    }
}

/// The way to the preview: its address on this computer, or any of its addresses from the
/// network (the one shown in the terminal, 127.0.0.1, would lead elsewhere from another
/// computer).
fn where_to_open(guard: &Guard) -> String {
    match guard.policy.as_ref() {
        HostPolicy::Local { .. } => format!(
            "Ouvrez <a href=\"{url}\">{url}</a>.",
            url = escape_html(&guard.url)
        ),
        HostPolicy::Network { .. } => "Ouvrez-le par l'adresse IP de l'ordinateur qui le sert (par exemple http://192.168.1.10:1111/) ou par son nom.".to_string(),
    }
}

fn refusal(status: StatusCode, title: &str, message: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title} – vitrine</title></head><body><main><h1>{title}</h1><p>{message}</p></main></body></html>"
    );
    let mut response = with_type(page.into_bytes(), "text/html; charset=utf-8");
    *response.status_mut() = status;
    response
}

async fn events(
    Extract(live): Extract<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = live.subscribe();
    let stream = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    let data = serde_json::to_string(&event).unwrap_or_default();
                    let sse = SseEvent::default().event("rechargement").data(data);
                    return Some((Ok(sse), receiver));
                }
                // A page that missed events reloads on the next one anyway.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> Response {
    with_type(
        RELOAD_SCRIPT.as_bytes().to_vec(),
        "text/javascript; charset=utf-8",
    )
}

#[derive(Serialize)]
struct StateView {
    generation: u64,
    occupe: bool,
    scenarios: Option<usize>,
    /// Scenario sources read again by the last update.
    relus: usize,
    /// Scenario bodies rendered again from Markdown by the last update.
    remis_en_forme: usize,
    /// Pages of the current version rendered so far (pages are rendered when asked for).
    pages_rendues: usize,
    erreurs: Vec<ErrorView>,
}

#[derive(Serialize)]
struct ErrorView {
    fichier: String,
    ligne: usize,
    colonne: usize,
    message: String,
    suggestion: Option<String>,
}

fn error_view(d: &Diagnostic) -> ErrorView {
    ErrorView {
        fichier: d.file.display().to_string(),
        ligne: d.line,
        colonne: d.column,
        message: d.message.clone(),
        suggestion: d.suggestion.clone(),
    }
}

async fn state(Extract(live): Extract<Arc<Live>>) -> Json<StateView> {
    let state = live.state();
    Json(StateView {
        generation: state.generation,
        occupe: state.busy,
        scenarios: state.snapshot.as_ref().map(|s| s.scenario_count()),
        relus: state.work.parsed,
        remis_en_forme: state.work.rendered,
        pages_rendues: state.snapshot.as_ref().map_or(0, |s| s.rendered_pages()),
        erreurs: state.errors.iter().map(error_view).collect(),
    })
}

/// Where a request path leads, before looking at the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An output path (`scenarios/x/index.html`).
    File(String),
    /// Refused: traversal, encoded separators, invalid UTF-8.
    Refused,
}

/// Decodes and confines a request path. Nothing outside the output can be named: `..`, `.`,
/// backslashes and NUL are refused whether written plainly or percent-encoded.
pub fn target(uri_path: &str) -> Target {
    let Ok(decoded) = percent_decode_str(uri_path).decode_utf8() else {
        return Target::Refused;
    };
    if decoded.contains('\\') || decoded.contains('\0') {
        return Target::Refused;
    }
    let relative = decoded.trim_start_matches('/');
    if relative
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Target::Refused;
    }
    if relative.is_empty() || relative.ends_with('/') {
        Target::File(format!("{relative}index.html"))
    } else {
        Target::File(relative.to_string())
    }
}

async fn file(Extract(live): Extract<Arc<Live>>, uri: Uri) -> Response {
    let state = live.state();
    let Some(snapshot) = state.snapshot.clone() else {
        return html_response(StatusCode::SERVICE_UNAVAILABLE, failed_page(&state), &state);
    };
    let Target::File(path) = target(uri.path()) else {
        return not_found(&state);
    };
    match snapshot.file(&path) {
        Ok(Some(served)) => serve_file(&path, served, &state),
        Ok(None) => {
            // `scenarios/x` without its slash: the page is there, under the right address.
            let folder = format!("{path}/index.html");
            if !path.ends_with(".html") && matches!(snapshot.file(&folder), Ok(Some(_))) {
                redirect(&format!("{}/", uri.path()))
            } else {
                not_found(&state)
            }
        }
        Err(problem) => html_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            overlay_page(&[problem]),
            &state,
        ),
    }
}

fn serve_file(path: &str, served: Served, state: &State) -> Response {
    let bytes = match served {
        Served::Bytes(bytes) => bytes.as_ref().clone(),
        Served::Source(source) => match std::fs::read(&source) {
            Ok(bytes) => bytes,
            Err(_) => return not_found(state),
        },
    };
    if path.ends_with(".html") {
        let html = String::from_utf8_lossy(&bytes).into_owned();
        return html_response(StatusCode::OK, html, state);
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    with_type(bytes, &content_type(&mime))
}

/// Text is served as UTF-8, which every file vitrine writes is: without the charset a browser
/// guesses Windows-1252 for a `.txt` attachment and shows « Ã© » for « é ».
fn content_type(mime: &mime_guess::mime::Mime) -> String {
    let essence = mime.essence_str();
    if mime.type_() == mime_guess::mime::TEXT {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

fn not_found(state: &State) -> Response {
    let page = state
        .snapshot
        .as_ref()
        .and_then(|s| s.file("404.html").ok().flatten());
    let html = match page {
        Some(Served::Bytes(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => "<!DOCTYPE html><html lang=\"fr\"><title>Page introuvable</title><body><h1>Page introuvable</h1></body></html>".to_string(),
    };
    html_response(StatusCode::NOT_FOUND, html, state)
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn with_type(bytes: Vec<u8>, content_type: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must never show a stale version.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An HTML page with the reload script and, while the last rebuild failed, the error overlay.
fn html_response(status: StatusCode, html: String, state: &State) -> Response {
    let mut injected = String::new();
    if !state.errors.is_empty() {
        injected.push_str(&overlay(&state.errors));
    }
    injected.push_str(&format!("<script src=\"{SCRIPT_PATH}\"></script>"));
    let html = inject(html, &injected);
    let mut response = with_type(html.into_bytes(), "text/html; charset=utf-8");
    *response.status_mut() = status;
    response
}

/// Inserts `extra` before the last `</body>` (or at the end).
pub fn inject(mut html: String, extra: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, extra),
        None => html.push_str(extra),
    }
    html
}

/// Before any successful build there is no site to show: a page that the overlay fills.
fn failed_page(_state: &State) -> String {
    "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreurs – vitrine</title></head><body><main><h1>Le site n'a pas encore pu être construit</h1></main></body></html>".to_string()
}

fn overlay_page(problems: &[Diagnostic]) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreurs – vitrine</title></head><body>{}</body></html>",
        overlay(problems)
    )
}

/// The error overlay: fixed on top of the page, readable, announced to screen readers.
pub fn overlay(problems: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in problems {
        let mut place = escape_html(&d.file.display().to_string());
        if d.line > 0 {
            place.push_str(&format!(", ligne {}", d.line));
            if d.column > 0 {
                place.push_str(&format!(", colonne {}", d.column));
            }
        }
        items.push_str(&format!(
            "<li><strong>{place}</strong> : {}",
            escape_html(&d.message)
        ));
        if let Some(s) = &d.suggestion {
            items.push_str(&format!(" — vouliez-vous dire « {} » ?", escape_html(s)));
        }
        items.push_str("</li>");
    }
    let count = match problems.len() {
        1 => "1 erreur".to_string(),
        n => format!("{n} erreurs"),
    };
    format!(
        "<section id=\"vitrine-erreurs\" role=\"alert\" aria-labelledby=\"vitrine-erreurs-titre\" style=\"position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#1e1e1e;border-bottom:.4rem solid #b30000;padding:1rem 1.5rem;font:1rem/1.5 system-ui,sans-serif;box-shadow:0 .2rem 1rem rgba(0,0,0,.4)\"><h2 id=\"vitrine-erreurs-titre\" style=\"color:#b30000;margin:0 0 .5rem\">Le site n'a pas pu être mis à jour ({count})</h2><p style=\"margin:0 0 .5rem\">La dernière version correcte reste affichée. Corrigez le fichier et enregistrez : la page se rechargera d'elle-même.</p><ul style=\"margin:0;padding-left:1.2rem\">{items}</ul></section>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_attachments_are_served_as_utf8() {
        let of = |path: &str| content_type(&mime_guess::from_path(path).first_or_octet_stream());
        assert_eq!(of("scenarios/a/consignes.txt"), "text/plain; charset=utf-8");
        assert_eq!(of("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(of("scenarios/a/photo.png"), "image/png");
    }

    #[test]
    fn paths_are_confined_to_the_output() {
        assert_eq!(target("/"), Target::File("index.html".into()));
        assert_eq!(
            target("/scenarios/pythagore/"),
            Target::File("scenarios/pythagore/index.html".into())
        );
        assert_eq!(target("/style.css"), Target::File("style.css".into()));
        assert_eq!(
            target("/disciplines/math%C3%A9matiques/"),
            Target::File("disciplines/mathématiques/index.html".into())
        );
        for hostile in [
            "/../vitrine.yaml",
            "/scenarios/../../etc/passwd",
            "/%2e%2e/vitrine.yaml",
            "/%2E%2E%2Fvitrine.yaml",
            "/scenarios/%2e%2e%2f%2e%2e%2fvitrine.yaml",
            "/..%5cvitrine.yaml",
            "/./index.html",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(target(hostile), Target::Refused, "{hostile}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        assert_eq!(
            inject(
                "<html><body><p>x</p></body></html>".into(),
                "<script></script>"
            ),
            "<html><body><p>x</p><script></script></body></html>"
        );
        assert_eq!(inject("<p>x".into(), "<s>"), "<p>x<s>");
    }

    #[test]
    fn the_overlay_escapes_and_locates() {
        let d = Diagnostic::new(
            ErrorKind::UnknownVocabulary,
            "content/scenarios/a.md",
            "niveau « <b> » inconnu",
        )
        .at(4, 12)
        .suggest(Some("6e".into()));
        let html = overlay(&[d]);
        assert!(html.contains("content/scenarios/a.md, ligne 4, colonne 12"));
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("vouliez-vous dire « 6e »"));
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("1 erreur)"));
    }
}
