//! A mistyped `--output` never costs the user a file, and the published folder is a complete
//! site at every instant: refused outputs, `--force`, publication interrupted at each step,
//! a full disk.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{assert_french, fixture_site, tree, vitrine_in};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `vitrine build` in `root` with `args`.
fn build(root: &Path, args: &[&str]) -> Output {
    vitrine_in(root)
        .arg("build")
        .args(args)
        .output()
        .expect("vitrine runs")
}

/// Builds with `--output <output>` run in `cwd` and expects a refusal that touched nothing
/// under `watched`.
fn assert_refused(cwd: &Path, output: &str, watched: &Path, reason: &str) {
    let before = tree(watched);
    let out = build(cwd, &["--output", output]);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "--output {output}: {message}");
    assert!(message.contains("Rien n'a été touché"), "{message}");
    assert!(message.contains(reason), "--output {output}: {message}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Site construit"));
    assert_french(&message);
    assert!(tree(watched) == before, "--output {output} changed files");
}

#[test]
fn outputs_over_the_sources_are_refused_and_nothing_is_touched() {
    let parent = tempfile::tempdir().expect("temp dir");
    let root = parent.path().join("site");
    common::copy_dir(&common::repo_root().join("tests/fixtures/_base"), &root);
    fs::write(parent.path().join("rapport-annuel.odt"), "à garder").expect("user file");
    fs::create_dir_all(root.join("themes/perso")).expect("theme folder");
    fs::write(root.join("themes/perso/style.css"), "body{}").expect("theme file");
    let watched = parent.path();
    assert_refused(&root, "content", watched, "content/");
    assert_refused(&root, "content/scenarios", watched, "content/");
    assert_refused(&root, ".", watched, "dossier du site lui-même");
    assert_refused(&root, "..", watched, "contient le dossier du site");
    assert_refused(&root, "themes", watched, "themes/");
    assert_refused(&root, ".vitrine-cache", watched, ".vitrine-cache/");
    assert_refused(&root, "vitrine.yaml", watched, "");
    // The same mistakes typed from elsewhere, with --root.
    let root_arg = root.display().to_string();
    let before = tree(watched);
    let out = build(
        parent.path(),
        &[
            "--root",
            &root_arg,
            "--output",
            &format!("{root_arg}/content"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(tree(watched) == before);
}

#[test]
fn an_existing_file_or_a_foreign_folder_is_refused_and_force_replaces_the_folder_only() {
    let site = fixture_site(&[]);
    let root = site.path();
    fs::write(root.join("notes.txt"), "mes notes").expect("user file");
    assert_refused(root, "notes.txt", root, "est un fichier");

    let foreign = root.join("mes-documents");
    fs::create_dir_all(foreign.join("2025")).expect("user folder");
    fs::write(foreign.join("2025/bilan.odt"), "bilan").expect("user file");
    assert_refused(root, "mes-documents", root, "--force");

    let forced = build(root, &["--output", "mes-documents", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(foreign.join("index.html").is_file());
    assert!(
        !foreign.join("2025").exists(),
        "--force replaces the folder"
    );
    // From now on the folder is vitrine's: no --force needed.
    let again = build(root, &["--output", "mes-documents"]);
    assert!(again.status.success(), "{}", stderr(&again));
    // --force never reaches the sources.
    assert_refused(root, "content", root, "content/");
    let forced_content = build(root, &["--output", "content", "--force"]);
    assert_eq!(forced_content.status.code(), Some(1));
    assert!(root.join("content/scenarios/valide.md").is_file());
}

#[test]
fn an_empty_or_missing_output_and_the_keep_file_are_accepted() {
    let site = fixture_site(&[]);
    let root = site.path();
    fs::create_dir_all(root.join("public")).expect("public");
    fs::write(root.join("public/.gitkeep"), "").expect("keep file");
    let out = build(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("public/.gitkeep").is_file());
    assert!(root.join("public/.vitrine-site").is_file());
    let fresh = build(root, &["--output", "nouveau/dossier/site"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert!(root.join("nouveau/dossier/site/index.html").is_file());
}

/// Folders vitrine leaves beside the output while it publishes.
fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".vitrine-staging") || n.ends_with(".vitrine-previous"))
        .collect()
}

/// A build that stops dead at `failpoint` (`std::process::abort`, as a power cut would).
fn crashed_build(root: &Path, failpoint: &str) {
    let out = vitrine_in(root)
        .arg("build")
        .env("VITRINE_FAILPOINT", failpoint)
        .output()
        .expect("vitrine runs");
    assert!(
        !out.status.success() && out.status.code().is_none(),
        "the build at {failpoint} should have been killed: {}",
        stderr(&out)
    );
}

fn complete_site(public: &Path) -> bool {
    public.join(".vitrine-site").is_file()
        && public.join("index.html").is_file()
        && public.join("scenarios/valide/index.html").is_file()
}

/// Builds the site, then edits its scenario; returns the published folder before the edit.
fn published_then_edited(root: &Path) -> Vec<(std::path::PathBuf, Option<Vec<u8>>)> {
    assert!(build(root, &[]).status.success());
    let published = tree(&root.join("public"));
    let scenario = root.join("content/scenarios/valide.md");
    let text = fs::read_to_string(&scenario).expect("scenario");
    fs::write(&scenario, text.replacen("titre:", "titre: Nouveau", 1)).expect("edit");
    published
}

#[test]
fn a_crash_between_the_two_renames_is_repaired_by_the_next_build_even_a_failed_one() {
    let site = fixture_site(&[]);
    let root = site.path();
    let public = root.join("public");
    let published = published_then_edited(root);

    // Systems without an atomic exchange: the old site is moved aside, then the crash.
    crashed_build(root, "no-exchange,between-renames");
    assert!(!public.exists(), "the crash left the output missing");
    assert!(!leftovers(root).is_empty());

    // The next build fails on a broken file, yet first puts the published site back, and says
    // so truly.
    fs::write(
        root.join("content/scenarios/casse.md"),
        "---\ntitre: [\n---\n",
    )
    .expect("write");
    let failed = build(root, &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("le site déjà publié dans « public » est intact"),
        "{}",
        stderr(&failed)
    );
    assert!(
        tree(&public) == published,
        "the previous site is back, whole"
    );
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));

    fs::remove_file(root.join("content/scenarios/casse.md")).expect("fix");
    assert!(build(root, &[]).status.success());
    assert!(complete_site(&public));
    assert!(tree(&public) != published, "the edit is published");
    assert!(leftovers(root).is_empty());
}

#[test]
fn a_crash_before_or_after_the_exchange_leaves_a_complete_site() {
    let site = fixture_site(&[]);
    let root = site.path();
    let public = root.join("public");
    let first = published_then_edited(root);

    crashed_build(root, "before-publication");
    assert!(tree(&public) == first, "nothing published yet");

    crashed_build(root, "after-exchange");
    assert!(complete_site(&public));
    assert!(tree(&public) != first, "the new site is in place");
    assert!(
        !leftovers(root).is_empty(),
        "the old site is still beside it"
    );

    assert!(build(root, &[]).status.success());
    assert!(complete_site(&public));
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

/// Runs `script` as root of a user namespace of its own, where a small tmpfs can be mounted:
/// a real full disk. The script gets `$1` an empty folder to mount on, `$2` the vitrine
/// program, `$3` the site root. Returns (stdout, stderr, the folder), or `None` when the system
/// does not allow it.
fn in_namespace(script: &str, root: &Path) -> Option<(String, String, String)> {
    let probe = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "IGNORÉ : ce système n'autorise pas unshare --user --mount (disque plein simulé)"
        );
        return None;
    }
    let disk = tempfile::tempdir().expect("mount point");
    let disk_arg = disk.path().display().to_string();
    let out = std::process::Command::new("unshare")
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
        ])
        .arg(&disk_arg)
        .arg(env!("CARGO_BIN_EXE_vitrine"))
        .arg(root)
        .env_remove("VITRINE_FAILPOINT")
        .output()
        .expect("unshare runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Some((stdout, stderr(&out), disk_arg))
}

#[test]
fn a_full_disk_is_one_french_error_naming_the_output_and_the_site_stays() {
    let site = fixture_site(&[]);
    let root = site.path();
    // A first build fits; then a 3 MB attachment does not.
    let script = r#"
        mount -t tmpfs -o size=1500k tmpfs "$1" || exit 90
        "$2" build --root "$3" --output "$1/public" --quiet || exit 91
        sum_before=$(cat "$1/public/index.html" | cksum)
        mkdir -p "$3/content/scenarios/lourd"
        mv "$3/content/scenarios/valide.md" "$3/content/scenarios/lourd/index.md"
        head -c 3000000 /dev/zero > "$3/content/scenarios/lourd/gros.bin"
        "$2" build --root "$3" --output "$1/public" --quiet
        echo "code=$?"
        test -f "$1/public/.vitrine-site" && echo "marqueur=oui"
        test "$(cat "$1/public/index.html" | cksum)" = "$sum_before" && echo "intact=oui"
        ls -a "$1"
    "#;
    let Some((stdout, message, disk_arg)) = in_namespace(script, root) else {
        return;
    };
    assert!(stdout.contains("code=1"), "{stdout}\n{message}");
    assert!(
        stdout.contains("marqueur=oui") && stdout.contains("intact=oui"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(".vitrine-staging"),
        "staging removed: {stdout}"
    );
    let errors: Vec<&str> = message.lines().filter(|l| l.contains(": erreur")).collect();
    assert_eq!(errors.len(), 1, "{message}");
    assert!(
        errors[0].contains(&format!("{disk_arg}/public")),
        "{message}"
    );
    assert!(
        errors[0].contains("plus de place sur le disque"),
        "{message}"
    );
    assert!(!message.contains("staging"), "{message}");
    assert!(message.contains("est intact"), "{message}");
    assert_french(&message);
}

#[test]
fn a_mount_point_is_refused_before_the_build_and_a_folder_inside_it_works() {
    let site = fixture_site(&[]);
    let script = r#"
        mount -t tmpfs -o size=20m tmpfs "$1" || exit 90
        "$2" build --root "$3" --output "$1" --quiet
        echo "code=$?"
        "$2" build --root "$3" --output "$1/site" --quiet && echo "dedans=oui"
        test -f "$1/site/index.html" && echo "publie=oui"
    "#;
    let Some((stdout, message, _)) = in_namespace(script, site.path()) else {
        return;
    };
    assert!(stdout.contains("code=1"), "{stdout}\n{message}");
    assert!(message.contains("point de montage"), "{message}");
    assert!(message.contains("Rien n'a été touché"), "{message}");
    assert!(
        stdout.contains("dedans=oui") && stdout.contains("publie=oui"),
        "{stdout}\n{message}"
    );
    assert_french(&message);
}

#[test]
fn a_mistyped_output_option_is_refused_with_a_suggestion_and_builds_nothing() {
    let site = fixture_site(&[]);
    let out = build(site.path(), &["--outptu", "public"]);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(
        message.contains("vouliez-vous dire « --output » ?"),
        "{message}"
    );
    assert!(!site.path().join("public").exists());
    assert_french(&message);
}

/// A webmaster puts a verification file in `public/` and corrects a page on the server, then
/// the site is rebuilt: the build replaces the folder (the published site stays exactly what
/// the sources give) but first sets both files aside under `.vitrine-cache/mis-de-cote/`,
/// each named in a French warning that says where it went and what to do instead.
#[test]
fn files_made_by_hand_in_the_published_folder_are_set_aside_before_a_rebuild() {
    let site = fixture_site(&[]);
    let root = site.path();
    assert!(build(root, &[]).status.success());
    let public = root.join("public");
    fs::write(public.join("google123.html"), "google-site-verification").expect("hand file");
    let page = public.join("index.html");
    let corrected = format!(
        "{}<!-- corrigé à la main -->",
        fs::read_to_string(&page).unwrap()
    );
    fs::write(&page, &corrected).expect("hand edit");

    let out = build(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    for file in ["public/google123.html", "public/index.html"] {
        let line = said
            .lines()
            .find(|l| l.contains(file) && l.contains("mis de côté"))
            .unwrap_or_else(|| panic!("{file} non signalé : {said}"));
        assert_french(line);
    }
    assert!(said.contains("static/"), "{said}");
    let aside = root.join(".vitrine-cache/mis-de-cote");
    assert_eq!(
        fs::read_to_string(aside.join("google123.html")).expect("set aside"),
        "google-site-verification"
    );
    assert_eq!(
        fs::read_to_string(aside.join("index.html")).expect("set aside"),
        corrected
    );
    // The published site is the sources' own: no hand file, the page rebuilt.
    assert!(!public.join("google123.html").exists());
    assert!(!fs::read_to_string(&page)
        .unwrap()
        .contains("corrigé à la main"));

    // A rebuild with no hand change says nothing of the kind.
    let again = build(root, &["--base-url", "https://exemple.fr/"]);
    assert!(
        !stderr(&again).contains("mis de côté"),
        "{}",
        stderr(&again)
    );
}

/// A scheduled build starting while the webmaster builds by hand waits for it (both used to
/// fail halfway, each swapping the published folder the other was replacing). The lock is
/// held here by the test itself (on the site's folder, as a build holds it): no timing.
#[test]
fn a_second_build_waits_for_the_one_running() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let site = fixture_site(&[]);
    let running = fs::File::open(site.path()).expect("the site folder");
    running.lock().expect("the other build's lock");

    let mut waiting = vitrine_in(site.path())
        .arg("build")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vitrine runs");
    let mut lines = BufReader::new(waiting.stderr.take().expect("stderr")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(
        first.contains("une autre construction de ce site est en cours"),
        "the build should say it waits, got: {first:?}"
    );
    assert_french(&first);
    assert!(
        !site.path().join("public").exists(),
        "nothing is written while the other build runs"
    );

    drop(running);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = waiting.wait().expect("vitrine ends");
    assert!(status.success(), "{rest:?}");
    assert!(site.path().join("public/index.html").is_file());
}

/// A webmaster deploying under a sub-folder of the web server's folder (`--output
/// /var/www/html/vitrine`) gets the reserve beside it, inside what the server publishes: it
/// holds the replaced site, pages of withdrawn scenarios included. It is kept to the user who
/// builds, and the published folder keeps the mode the webmaster gave it.
#[cfg(unix)]
#[test]
fn the_replaced_site_kept_beside_the_output_is_closed_to_the_web_server() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| {
        fs::metadata(path)
            .expect("folder exists")
            .permissions()
            .mode()
            & 0o777
    };
    let site = fixture_site(&[]);
    let www = site.path().join("www");
    fs::create_dir(&www).expect("web folder");
    let output = www.join("vitrine");
    let output_arg = output.to_string_lossy().into_owned();
    let built = |why: &str| {
        let out = build(site.path(), &["--output", &output_arg]);
        assert!(out.status.success(), "{why}: {}", stderr(&out));
    };
    built("first build");
    fs::set_permissions(&output, fs::Permissions::from_mode(0o750)).expect("chmod");

    let withdrawn = site.path().join("content/scenarios/retire.md");
    fs::copy(site.path().join("content/scenarios/valide.md"), &withdrawn).expect("copy");
    fs::write(
        &withdrawn,
        fs::read_to_string(&withdrawn)
            .expect("read")
            .replacen("titre:", "titre: Retiré", 1),
    )
    .expect("write");
    built("with the scenario to withdraw");
    fs::remove_file(&withdrawn).expect("withdraw it");
    built("after withdrawing it");

    let reserve = www.join(".vitrine.vitrine-reserve");
    assert!(reserve.is_dir(), "the replaced site is kept as the reserve");
    assert_eq!(mode(&reserve) & 0o077, 0, "the reserve is closed to others");
    assert_eq!(mode(&output), 0o750, "the published folder keeps its mode");

    let page = site.path().join("content/pages/a-propos.md");
    let edited = fs::read_to_string(&page).expect("read") + "\nUne phrase ajoutée.\n";
    fs::write(&page, edited).expect("edit");
    built("from the reserve");
    assert_eq!(
        mode(&output),
        0o750,
        "published from the reserve, same mode"
    );
    assert_eq!(mode(&reserve) & 0o077, 0);
}
