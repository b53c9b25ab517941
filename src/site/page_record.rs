//! What the last build rendered, so that a rebuild renders only the pages whose inputs
//! changed (`.vitrine-cache/pages.json`): for each HTML page, the key of its rendering (see
//! [`crate::pages::reuse`]) and the hash of the bytes published, under one key for what every
//! page shares: theme, configuration, build options and program. A different site key, or a
//! record that cannot be read, and every page is rendered.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{Config, CONFIG_FILE};
use crate::pages::reuse::{PageKeys, RecordedPage};
use crate::site::cache::Published;
use crate::site::options::BuildOptions;
use crate::theme::Theme;

const FILE: &str = "pages.json";
const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct PageRecord {
    version: u32,
    site: String,
    pages: BTreeMap<String, RecordedPage>,
}

/// The key of what every page's rendering shares besides its own context.
pub fn site_key(options: &BuildOptions, config: &Config, theme: &Theme) -> String {
    let mut hasher = blake3::Hasher::new();
    crate::site::cache::hash_program(&mut hasher);
    let mut part = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(options.cache_key().as_bytes());
    // The configuration as read (with `--base-url`) and as written.
    part(format!("{config:?}").as_bytes());
    part(&fs::read(options.root.join(CONFIG_FILE)).unwrap_or_default());
    part(theme.fingerprint().as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// The pages recorded by the last build under the same site key (empty otherwise).
pub fn load(cache_dir: &Path, site: &str) -> BTreeMap<String, RecordedPage> {
    fs::read(cache_dir.join(FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<PageRecord>(&bytes).ok())
        .filter(|record| record.version == VERSION && record.site == site)
        .map(|record| record.pages)
        .unwrap_or_default()
}

/// Records each page's keys with the hash of the file published for it. Failing to save only
/// costs the next build time.
pub fn save(
    cache_dir: &Path,
    site: &str,
    keys: BTreeMap<String, PageKeys>,
    published: &BTreeMap<String, Published>,
) {
    let pages = keys
        .into_iter()
        .filter_map(|(path, PageKeys { key, inputs })| {
            let hash = published.get(&path)?.hash.clone()?;
            Some((path, RecordedPage { key, inputs, hash }))
        })
        .collect();
    let record = PageRecord {
        version: VERSION,
        site: site.to_string(),
        pages,
    };
    let _ = write_atomically(cache_dir, &record);
}

fn write_atomically(cache_dir: &Path, record: &PageRecord) -> std::io::Result<()> {
    fs::create_dir_all(cache_dir)?;
    let temporary = cache_dir.join(format!("{FILE}.tmp"));
    fs::write(&temporary, serde_json::to_vec(record)?)?;
    fs::rename(&temporary, cache_dir.join(FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_read_back_only_under_its_site_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let published = BTreeMap::from([(
            "a/index.html".to_string(),
            Published {
                size: 3,
                modified_ns: 1,
                hash: Some("h".to_string()),
            },
        )]);
        let keys_of = |key: &str| PageKeys {
            key: key.to_string(),
            inputs: format!("i{key}"),
        };
        let keys = BTreeMap::from([
            ("a/index.html".to_string(), keys_of("k")),
            ("not-published/index.html".to_string(), keys_of("k2")),
        ]);
        save(dir.path(), "site", keys, &published);
        let pages = load(dir.path(), "site");
        let expected = RecordedPage {
            key: "k".to_string(),
            inputs: "ik".to_string(),
            hash: "h".to_string(),
        };
        assert_eq!(
            pages,
            BTreeMap::from([("a/index.html".to_string(), expected)])
        );
        assert!(load(dir.path(), "other site").is_empty());
        fs::write(dir.path().join(FILE), "{ pas du json").expect("write");
        assert!(load(dir.path(), "site").is_empty());
    }

    #[test]
    fn the_site_key_follows_the_options_and_the_theme() {
        let dir = tempfile::tempdir().expect("tempdir");
        let options = BuildOptions::new(dir.path());
        let config = Config::parse("titre: T\n").expect("config");
        let theme = Theme::load(dir.path(), "defaut").expect("theme");
        let key = site_key(&options, &config, &theme);
        assert_eq!(key, site_key(&options, &config, &theme));
        let mut drafts = BuildOptions::new(dir.path());
        drafts.drafts = true;
        assert_ne!(key, site_key(&drafts, &config, &theme));
        let other = Config::parse("titre: U\n").expect("config");
        assert_ne!(key, site_key(&options, &other, &theme));
        let templates = dir.path().join("templates");
        fs::create_dir_all(&templates).expect("mkdir");
        fs::write(templates.join("page.html"), "{{ titre }}").expect("write");
        let changed = Theme::load(dir.path(), "defaut").expect("theme");
        assert_ne!(key, site_key(&options, &config, &changed));
    }
}
