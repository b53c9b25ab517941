//! Real-world input: the teachers' course pages of ../shared/corpora (MkDocs/Pandoc Markdown,
//! no front matter) wrapped in a minimal front matter and built as a site. The build must not
//! panic; every problem it reports must be a located, explained link or image problem.

mod common;

use std::fs;
use std::path::Path;

use vitrine::diagnostics::ErrorKind;

fn front_matter(title: &str) -> String {
    format!(
        "---\ntitre: \"{}\"\nresume: Cours réel du corpus partagé.\ndate: 2025-01-01\nacademie: Lyon\ndisciplines: [NSI]\nniveaux: [1re]\n---\n",
        title.replace('"', "'")
    )
}

#[test]
fn the_shared_corpora_build_without_panicking() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let site = common::fixture_site(&[]);
    let target = site.path().join("content/scenarios/corpus");
    let mut count = 0;
    for entry in walkdir::WalkDir::new(shared.join("corpora")).sort_by_file_name() {
        let entry = entry.expect("walk corpora");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        count += 1;
        let name = format!("cours-{count:03}.md");
        let title = Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        fs::create_dir_all(&target).expect("dir");
        fs::write(
            target.join(name),
            front_matter(&title.unwrap_or_default()) + &text,
        )
        .expect("write");
    }
    assert!(
        count > 100,
        "the corpora hold more than 100 Markdown files ({count})"
    );

    match common::build(site.path()) {
        Ok(summary) => assert_eq!(summary.scenarios, count + 1),
        Err(problems) => {
            for d in &problems {
                assert!(
                    matches!(
                        d.kind,
                        ErrorKind::MissingAlt
                            | ErrorKind::BrokenLink
                            | ErrorKind::BrokenAnchor
                            | ErrorKind::UnsafePath
                    ),
                    "unexpected problem: {d}"
                );
                assert!(d.line > 0 && d.column > 0, "unlocated problem: {d}");
                assert!(d.file.starts_with("content/scenarios/corpus"), "{d}");
            }
        }
    }
}
