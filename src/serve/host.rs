//! Which `Host` the preview answers to: a defence against DNS rebinding. A hostile web page
//! whose name is made to resolve to 127.0.0.1 could otherwise read the preview (drafts
//! included) from the user's own browser. Such a request carries the hostile name in `Host`;
//! an IP address cannot be rebound, and `localhost` names never leave the machine.

use std::net::IpAddr;

use axum::http::uri::Authority;

/// The names and addresses accepted in `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPolicy {
    /// Listening on one address: that address, loopback addresses and `localhost` names.
    Local { bound: IpAddr },
    /// Shared on the network (`--bind 0.0.0.0`, `::` or a network address): any IP address
    /// (the computer may have several, and the port may be forwarded), `localhost` names, and
    /// the computer's own names (`nom`, `nom.local`), lower case.
    Network { names: Vec<String> },
}

/// What to do with a request, from its `Host` header(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// A host the preview does not answer to (403).
    Refused(String),
    /// HTTP/1.1 without `Host`, or with several: malformed (400, RFC 9112 § 3.2).
    Malformed,
}

impl HostPolicy {
    /// The policy for a server listening on `bound`; `names` are the computer's names, only
    /// used when the preview is shared on the network.
    pub fn for_address(bound: IpAddr, names: Vec<String>) -> HostPolicy {
        if !bound.is_loopback() {
            let names = names.into_iter().map(|n| n.to_lowercase()).collect();
            HostPolicy::Network { names }
        } else {
            HostPolicy::Local { bound }
        }
    }

    /// Judges the `Host` values of a request (all of them, to catch duplicates).
    /// HTTP/1.0 requests may lack `Host`: only programs talking straight to the socket send
    /// them (every browser sends `Host`), so they cannot be a rebinding attack.
    pub fn judge<'a>(&self, hosts: impl IntoIterator<Item = &'a str>, http10: bool) -> Verdict {
        let hosts: Vec<&str> = hosts.into_iter().collect();
        match hosts.as_slice() {
            [] if http10 => Verdict::Allowed,
            [host] if self.allows(host) => Verdict::Allowed,
            [host] => Verdict::Refused((*host).to_string()),
            _ => Verdict::Malformed,
        }
    }

    /// Whether one `Host` value (name or address, with or without port) is accepted. The port
    /// is not checked: a tunnel (`ssh -L 8080:localhost:1111`) changes it, and a rebinding
    /// attack is told by the name, not the port.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if is_localhost_name(&name) {
            return true;
        }
        let address = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(&name)
            .parse::<IpAddr>()
            .ok();
        match (self, address) {
            (HostPolicy::Local { bound }, Some(ip)) => ip.is_loopback() || ip == *bound,
            (HostPolicy::Local { .. }, None) => false,
            (HostPolicy::Network { .. }, Some(_)) => true,
            (HostPolicy::Network { names }, None) => names.contains(&name),
        }
    }
}

/// The host part of a `Host` value, lower case, without port nor final dot; `None` when the
/// value is not a plain `host[:port]` (user info, path, empty).
fn host_name(value: &str) -> Option<String> {
    if value.is_empty() || value.contains(['@', '/', '?', '#']) {
        return None;
    }
    let authority: Authority = value.parse().ok()?;
    let host = authority.host().to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// `localhost` and its subdomains always resolve to the computer itself (RFC 6761 § 6.3,
/// enforced by browsers): no outside page can be served under them.
fn is_localhost_name(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost")
}

/// The computer's names, as a browser on the network may address it: its host name and the
/// same with `.local` (mDNS). Empty when the name cannot be found: IP addresses still work.
pub fn machine_names() -> Vec<String> {
    let Some(name) = machine_name() else {
        return Vec::new();
    };
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Vec::new();
    }
    let short = name.split('.').next().unwrap_or(&name).to_string();
    let mut names = vec![name.clone(), format!("{short}.local")];
    if short != name {
        names.push(short);
    }
    names
}

fn machine_name() -> Option<String> {
    // Linux has it in a file; elsewhere (macOS, Windows) the `hostname` command prints it.
    if let Ok(name) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        return Some(name);
    }
    if let Some(name) = std::env::var_os("COMPUTERNAME") {
        return name.into_string().ok();
    }
    let output = std::process::Command::new("hostname").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn local() -> HostPolicy {
        HostPolicy::for_address(IpAddr::V4(Ipv4Addr::LOCALHOST), vec!["poste".into()])
    }

    fn network() -> HostPolicy {
        HostPolicy::for_address(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            vec!["Poste-Prof".into(), "poste-prof.local".into()],
        )
    }

    #[test]
    fn loopback_binding_answers_loopback_names_and_addresses_only() {
        let policy = local();
        assert!(matches!(policy, HostPolicy::Local { .. }));
        for good in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "localhost.",
            "vitrine.localhost:1111",
            "[::1]:1111",
            "[::1]",
            "127.0.0.2:8080",
        ] {
            assert!(policy.allows(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "poste",
            "192.168.1.10:1111",
            "",
            "user@localhost",
            "localhost/chemin",
            "[::1",
            "2130706433",
        ] {
            assert!(!policy.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_specific_loopback_address_is_accepted_as_bound() {
        let policy = HostPolicy::for_address(IpAddr::V6(Ipv6Addr::LOCALHOST), Vec::new());
        assert!(policy.allows("[::1]:1111"));
        assert!(policy.allows("localhost"));
        assert!(!policy.allows("evil.example"));
    }

    #[test]
    fn network_sharing_adds_any_address_and_the_computer_names() {
        let policy = network();
        for good in [
            "192.168.1.10:1111",
            "10.0.0.3",
            "[fe80::1]:1111",
            "localhost:1111",
            "poste-prof:1111",
            "POSTE-PROF.local",
        ] {
            assert!(policy.allows(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "poste-prof.evil.example",
            "autre-poste",
        ] {
            assert!(!policy.allows(bad), "{bad}");
        }
        // Bound to one network address: shared too.
        let one = HostPolicy::for_address("192.168.1.10".parse().expect("ip"), Vec::new());
        assert!(one.allows("192.168.1.10:1111"));
        assert!(!one.allows("evil.example"));
    }

    #[test]
    fn missing_or_repeated_host_is_judged() {
        let policy = local();
        assert_eq!(policy.judge([], true), Verdict::Allowed);
        assert_eq!(policy.judge([], false), Verdict::Malformed);
        assert_eq!(
            policy.judge(["localhost", "evil.example"], false),
            Verdict::Malformed
        );
        assert_eq!(
            policy.judge(["evil.example"], false),
            Verdict::Refused("evil.example".into())
        );
        assert_eq!(policy.judge(["localhost:1"], false), Verdict::Allowed);
    }

    #[test]
    fn machine_names_add_the_mdns_form() {
        // Whatever the test machine is called, its names are lower case and include `.local`.
        let names = machine_names();
        if cfg!(target_os = "linux") {
            assert!(!names.is_empty(), "Linux always has a host name");
        }
        for name in &names {
            assert_eq!(name, &name.to_ascii_lowercase());
        }
        if !names.is_empty() {
            assert!(names.iter().any(|n| n.ends_with(".local")), "{names:?}");
        }
    }
}
