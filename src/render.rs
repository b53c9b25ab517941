//! Theme loading and template rendering (placeholder until the theme lands).

use std::path::Path;

use crate::diagnostics::Diagnostic;

pub struct Theme;

impl Theme {
    pub fn load(_root: &Path, _theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
        Ok(Theme)
    }
    pub fn static_files(&self) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
        Ok(Vec::new())
    }
}
