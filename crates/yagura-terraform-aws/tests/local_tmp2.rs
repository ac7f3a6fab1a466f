#[test]
fn modules() {
    let out = yagura_terraform::load_module_dir(std::path::Path::new("/tmp/tfaws/mod"), &Default::default());
    println!("issues {:?}", out.issues);
    for r in &out.resources { println!("RAW {} {}", r.address, serde_json::to_string(&r.attributes).unwrap()); }
    for r in yagura_terraform_aws::adapt(&out.resources) {
        println!("{} {} {:?}:{:?} {}", r.kind, r.id, r.location.as_ref().map(|l| &l.file), r.location.as_ref().and_then(|l| l.start_line), r.attributes);
    }
}
