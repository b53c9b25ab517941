//! The default theme and the vocabularies are compiled into the binary (include_dir!,
//! include_str!); new files there must trigger a rebuild too.
fn main() {
    println!("cargo:rerun-if-changed=themes/defaut");
    println!("cargo:rerun-if-changed=src/vocab/data");
    println!("cargo:rerun-if-changed=src/init");
}
