//! `vitrine serve`: a live preview. The site is built in memory ([`crate::site::session`]),
//! served over HTTP on loopback, rebuilt when a source changes (notify, debounced), and every
//! open page reloads by itself (server-sent events). Errors keep the last good version served,
//! with an overlay listing them on every page until they are fixed. Only requests addressed to
//! the preview's own names are answered ([`host`]), and slow clients are cut off.

mod host;
mod http;
mod live;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostics::{Diagnostic, ErrorKind};
use crate::site::session::Session;
use crate::site::BuildOptions;

pub use host::HostPolicy;
pub use live::{Event, Live};

/// Time a client has to send a whole request head. Long enough for any real client on a slow
/// network, short enough that connections held open on purpose are freed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// See [`HEADER_TIMEOUT`]; shorter in tests.
    pub header_timeout: Duration,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            drafts: false,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// Reports what the server does (the terminal in the CLI, nothing in tests).
pub trait Reporter: Send + Sync + 'static {
    fn listening(&self, url: &str);
    fn rebuilt(&self, message: &str);
    fn failed(&self, problems: &[Diagnostic]);
    /// Problems that do not stop the preview (lists written with commas, harvested entries
    /// left out), of the files just read.
    fn warned(&self, _warnings: &[Diagnostic]) {}
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
    let root = options.root.canonicalize().map_err(|e| {
        Diagnostic::new(
            ErrorKind::Io,
            &options.root,
            format!(
                "dossier du site inaccessible : {}",
                crate::diagnostics::io_message_fr(&e)
            ),
        )
    })?;
    let mut build_options = BuildOptions::new(root);
    build_options.drafts = options.drafts;
    // Canonical links and feeds point to the preview, as the pages are seen there.
    build_options.base_url = Some(url.clone());
    let mut session = Session::new(build_options);

    let live = Arc::new(Live::new());
    match session.start() {
        Ok(snapshot) => {
            reporter.warned(&snapshot.warnings());
            live.publish(Some(snapshot), Vec::new(), Event::reload_all());
        }
        Err(problems) => {
            reporter.failed(&problems);
            live.publish(None, problems, Event::reload_all());
        }
    }
    watch::spawn(session, Arc::clone(&live), Arc::clone(&reporter))?;
    let policy = if options.bind.is_loopback() {
        HostPolicy::for_address(options.bind, Vec::new())
    } else {
        HostPolicy::for_address(options.bind, host::machine_names())
    };
    let guarding = http::Guarding {
        policy,
        header_timeout: options.header_timeout,
        url: url.clone(),
    };
    http::spawn(listener, Arc::clone(&live), guarding)?;
    reporter.listening(&url);
    Ok(Server { url, live })
}

/// When the preview is shared on the network: how other computers reach it, and that other
/// names are refused (see [`host`]).
pub fn network_hint() -> String {
    let names = host::machine_names();
    let by_name = if names.is_empty() {
        String::new()
    } else {
        format!(" ou par son nom ({})", names.join(", "))
    };
    format!("Les autres ordinateurs l'ouvrent par l'adresse IP de celui-ci{by_name} ; tout autre nom est refusé.")
}

fn display_host(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", address.port()),
        _ => address.to_string(),
    }
}

fn bind_error(options: &ServeOptions, err: &std::io::Error) -> Diagnostic {
    let address = SocketAddr::new(options.bind, options.port);
    let message = match err.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "le port {} est déjà utilisé : une autre vitrine serve tourne peut-être ; choisissez un autre port avec --port",
            options.port
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "l'adresse {} n'appartient pas à cet ordinateur : choisissez une de ses adresses avec --bind (127.0.0.1 pour cet ordinateur seul, 0.0.0.0 pour le réseau)",
            options.bind
        ),
        std::io::ErrorKind::PermissionDenied if (1..1024).contains(&options.port) => format!(
            "écoute sur le port {} refusée : les ports inférieurs à 1024 sont réservés à l'administrateur ; choisissez-en un autre avec --port (1111 par défaut)",
            options.port
        ),
        _ => format!(
            "impossible d'écouter sur {address} : {}",
            crate::diagnostics::io_message_fr(err)
        ),
    };
    Diagnostic::new(ErrorKind::Io, &options.root, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::assert_french;

    #[test]
    fn a_port_in_use_is_explained_in_french() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut options = ServeOptions::new(".");
        options.port = taken.local_addr().expect("address").port();
        let err = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
            .expect_err("the port is taken");
        let message = bind_error(&options, &err).message;
        assert!(
            message.contains(&format!("le port {} est déjà utilisé", options.port)),
            "{message}"
        );
        assert!(message.contains("--port"), "{message}");
        assert_french(&message);
    }

    #[test]
    fn other_bind_errors_are_french_and_keep_the_address() {
        let mut options = ServeOptions::new(".");
        // TEST-NET-1 (RFC 5737): never an address of this computer.
        options.bind = "192.0.2.1".parse().expect("ip");
        let err = std::net::TcpListener::bind(SocketAddr::new(options.bind, 0))
            .expect_err("not an address of this computer");
        let message = bind_error(&options, &err).message;
        assert!(message.contains("192.0.2.1"), "{message}");
        assert_french(&message);
        for kind in [
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::ConnectionReset,
            std::io::ErrorKind::Other,
        ] {
            let message = bind_error(&options, &std::io::Error::from(kind)).message;
            assert_french(&message);
        }
        let raw = crate::diagnostics::io_message_fr(&std::io::Error::from_raw_os_error(9999));
        assert!(raw.contains("9999"), "{raw}");
        assert_french(&raw);
    }
}
