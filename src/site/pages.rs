//! Page planning (placeholder until the theme lands).

use crate::diagnostics::Diagnostic;
use crate::render::Theme;
use crate::site::{BuildInput, OutputFile};

pub fn render_pages(
    input: &BuildInput,
    _theme: &Theme,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    Ok(vec![OutputFile {
        path: "index.html".into(),
        contents: input.config.titre.clone().into_bytes(),
    }])
}
