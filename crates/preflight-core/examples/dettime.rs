fn main() {
    let sample = "Proud of our team at the regional office: we shipped the new permit portal today, \
after months of user research with small businesses. Join the webinar Thursday to see how it works! \
Questions? Email permits@example.gov or call 202-555-0143. #OpenGov #CivicTech https://example.gov/permits ";
    let text: String = sample.chars().cycle().take(280).collect();
    for name in preflight_core::detectors::NAMES {
        let n = 20000;
        let t = std::time::Instant::now();
        let mut c = 0;
        for _ in 0..n {
            c += preflight_core::detectors::detect(name, &text).len();
        }
        println!("{name:28} {:?} ({c})", t.elapsed() / n);
    }
}
