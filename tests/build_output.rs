//! Whole-site guarantees: deterministic output, sub-path deployment, a failed build keeps the
//! published site, `vitrine init` builds at once, hostile HTML is neutralised.

mod common;

use std::fs;

use common::{build, build_with, fixture_site, snapshot};
use vitrine::site::BuildOptions;

#[test]
fn two_builds_are_byte_identical() {
    let site = common::demo_site();
    let first = site.path().join("sortie-1");
    let second = site.path().join("sortie-2");
    for out in [&first, &second] {
        let mut options = BuildOptions::new(site.path());
        options.output = Some(out.clone());
        build_with(options).expect("demo builds");
    }
    let a = snapshot(&first);
    let b = snapshot(&second);
    assert!(a.len() > 50, "the demo site has many files ({})", a.len());
    assert_eq!(a.len(), b.len());
    for ((pa, ca), (pb, cb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ca == cb, "{} differs between two builds", pa.display());
    }
}

#[test]
fn a_failed_build_keeps_the_published_site() {
    let site = fixture_site(&[]);
    build(site.path()).expect("first build");
    let before = snapshot(&site.path().join("public"));
    assert!(!before.is_empty());

    fs::write(
        site.path().join("content/scenarios/casse.md"),
        "---\ntitre: [cassé\n---\n",
    )
    .expect("write broken scenario");
    assert!(build(site.path()).is_err());
    assert_eq!(snapshot(&site.path().join("public")), before);
    let stray: Vec<_> = fs::read_dir(site.path())
        .expect("list root")
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".vitrine-staging") || name.ends_with(".vitrine-previous")
        })
        .collect();
    assert!(stray.is_empty(), "no staging folder left behind");
}

#[test]
fn a_template_error_keeps_the_published_site() {
    let site = fixture_site(&[]);
    build(site.path()).expect("first build");
    let before = snapshot(&site.path().join("public"));
    fs::create_dir_all(site.path().join("templates")).expect("templates dir");
    fs::write(site.path().join("templates/scenario.html"), "{% if %}").expect("broken template");
    assert!(build(site.path()).is_err());
    assert_eq!(snapshot(&site.path().join("public")), before);
}

#[test]
fn sub_path_base_url_uses_relative_links_and_absolute_canonical() {
    let site = fixture_site(&[]);
    let mut options = BuildOptions::new(site.path());
    options.base_url = Some("https://www.ac-exemple.fr/vitrine/".to_string());
    build_with(options).expect("build");
    let public = site.path().join("public");
    for (path, bytes) in snapshot(&public) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            let is_404 = path.to_string_lossy() == "404.html";
            for attr in ["href=\"/", "src=\"/"] {
                let bad = html.matches(attr).count();
                if is_404 {
                    assert!(
                        !html.contains("href=\"/s") || html.contains("href=\"/vitrine/"),
                        "404 links go through the sub-path"
                    );
                } else {
                    assert_eq!(bad, 0, "{} has a root-absolute link", path.display());
                }
            }
        }
    }
    let scenario = fs::read_to_string(public.join("scenarios/valide/index.html")).expect("page");
    assert!(
        scenario.contains("https://www.ac-exemple.fr/vitrine/scenarios/valide/"),
        "canonical URL under the sub-path"
    );
    let not_found = fs::read_to_string(public.join("404.html")).expect("404");
    assert!(
        not_found.contains("/vitrine/"),
        "404 links start with the sub-path"
    );
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("ma-vitrine");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("init")
        .arg(&target)
        .output()
        .expect("run init");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = build(&target).expect("the new site builds");
    assert_eq!(summary.scenarios, 1);
    assert!(target.join("public/index.html").is_file());
    // A second init into the same folder refuses to overwrite.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("init")
        .arg(&target)
        .output()
        .expect("run init");
    assert!(!again.status.success());
}

#[test]
fn hostile_html_is_neutralised() {
    let site = fixture_site(&[]);
    let mut options = BuildOptions::new(site.path());
    options.output = Some(site.path().join("public"));
    fs::write(
        site.path().join("vitrine.yaml"),
        "titre: T\niframes_autorisees: [tube-numerique-educatif.apps.education.fr]\n",
    )
    .expect("config");
    let hostile = r#"---
titre: Scénario hostile
resume: Tentatives d'injection.
date: 2025-01-10
academie: Lyon
disciplines: [Mathématiques]
niveaux: [5e]
---

<script>alert('x')</script>

<img src="x.png" alt="x" onerror="alert(1)">

<a href="javascript:alert(1)">clic</a>

<a href="JaVaScRiPt&#58;alert(1)">clic 2</a>

<svg onload="alert(1)"><circle r="1"/></svg>

<iframe src="https://evil.example.com/x"></iframe>

<iframe src="https://tube-numerique-educatif.apps.education.fr/videos/embed/abc" title="Vidéo"></iframe>

<style>body { display: none }</style>

<div onclick="alert(1)" style="background:url(javascript:alert(1))">texte gardé</div>
"#;
    fs::write(site.path().join("content/scenarios/hostile.md"), hostile).expect("write");
    build_with(options).expect("hostile HTML is sanitised, not an error");
    let html = fs::read_to_string(site.path().join("public/scenarios/hostile/index.html"))
        .expect("page")
        .to_lowercase();
    let body = html.split("<main").nth(1).expect("main landmark");
    assert!(!body.contains("<script"), "script removed");
    assert!(!body.contains("onerror"), "event handler removed");
    assert!(!body.contains("onload"), "event handler removed");
    assert!(!body.contains("onclick"), "event handler removed");
    assert!(!body.contains("javascript:"), "javascript: URL removed");
    assert!(
        !body.contains("evil.example.com"),
        "iframe from an unknown host removed"
    );
    assert!(!body.contains("<style"), "style element removed");
    assert!(
        body.contains("tube-numerique-educatif.apps.education.fr/videos/embed/abc"),
        "iframe from an allowed host kept"
    );
    assert!(body.contains("texte gardé"), "text content kept");
}
