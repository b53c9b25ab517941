//! `vitrine serve`: a live preview. The site is built in memory ([`crate::site::session`]),
//! served over HTTP on loopback, rebuilt when a source changes (notify, debounced), and every
//! open page reloads by itself (server-sent events). Errors keep the last good version served,
//! with an overlay listing them on every page until they are fixed.

mod http;
mod live;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::session::Session;
use crate::site::BuildOptions;

pub use live::{Event, Live};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            drafts: false,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        }
    }
}

/// Reports what the server does (the terminal in the CLI, nothing in tests).
pub trait Reporter: Send + Sync + 'static {
    fn listening(&self, url: &str);
    fn rebuilt(&self, message: &str);
    fn failed(&self, problems: &[Diagnostic]);
}

/// A running preview server: its address and its live state. Dropping it does not stop it;
/// the process ends it.
pub struct Server {
    pub url: String,
    pub live: Arc<Live>,
}

/// Starts the server and the watcher in background threads and returns once the first build
/// is done (successful or not) and the socket listens.
pub fn start(options: ServeOptions, reporter: Arc<dyn Reporter>) -> Result<Server, Diagnostic> {
    let listener = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .map_err(|e| bind_error(&options, &e))?;
    let address = listener
        .local_addr()
        .map_err(|e| bind_error(&options, &e))?;
    let url = format!("http://{}/", display_host(address));

    // Watched paths come back absolute: the root must be too, to tell what changed.
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Diagnostic::io(&options.root, &e))?;
    let mut build_options = BuildOptions::new(root);
    build_options.drafts = options.drafts;
    // Canonical links and feeds point to the preview, as the pages are seen there.
    build_options.base_url = Some(url.clone());
    let mut session = Session::new(build_options);

    let live = Arc::new(Live::new());
    match session.start() {
        Ok(snapshot) => live.publish(Some(snapshot), Vec::new(), Event::reload_all()),
        Err(problems) => {
            reporter.failed(&problems);
            live.publish(None, problems, Event::reload_all());
        }
    }
    watch::spawn(session, Arc::clone(&live), Arc::clone(&reporter))?;
    http::spawn(listener, Arc::clone(&live))?;
    reporter.listening(&url);
    Ok(Server { url, live })
}

fn display_host(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", address.port()),
        _ => address.to_string(),
    }
}

fn bind_error(options: &ServeOptions, err: &std::io::Error) -> Diagnostic {
    let hint = if err.kind() == std::io::ErrorKind::AddrInUse {
        " : le port est déjà utilisé, choisissez-en un autre avec --port"
    } else {
        ""
    };
    Diagnostic::new(
        ErrorKind::Io,
        &options.root,
        format!(
            "impossible d'écouter sur {}:{} ({err}){hint}",
            options.bind, options.port
        ),
    )
}
