fn main() {
    let t = std::time::Instant::now();
    let e = preflight_core::Engine::default_bundle().unwrap();
    let t1 = t.elapsed();
    let t = std::time::Instant::now();
    let a = e
        .analyze("Chip in $5 to my campaign today", &Default::default())
        .unwrap();
    println!(
        "default_bundle {:?}, first analyze {:?} ({} findings)",
        t1,
        t.elapsed(),
        a.findings.len()
    );
}
