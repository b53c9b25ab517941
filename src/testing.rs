//! Test support shared by the unit tests.

use std::path::PathBuf;

/// A folder of `../shared/` (beside the repository), when present. A user's clone has none,
/// so the caller skips with a visible message; under `tests/run.sh` (which sets
/// `VITRINE_TESTS_COMPLETS`) its absence is a failure.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("VITRINE_TESTS_COMPLETS").is_none(),
        "{} est absent alors que tests/run.sh demande tous les tests",
        dir.display()
    );
    eprintln!(
        "IGNORÉ : {} absent, test sauté (présent en CI)",
        dir.display()
    );
    None
}
