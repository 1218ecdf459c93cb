//! `fuzz-seeds ROOT OUT`: write the seed corpora of the fuzz targets from the repository at
//! ROOT into OUT/bundle/ and OUT/analyze/ (one file per seed; an `analyze` seed is a zero
//! byte, then the draft: default bundle, no context).

use std::path::PathBuf;

use preflight_fuzz::seeds;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(root), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: fuzz-seeds ROOT OUT");
        std::process::exit(64);
    };
    let (bundle_dir, analyze_dir) = (out.join("bundle"), out.join("analyze"));
    std::fs::create_dir_all(&bundle_dir)?;
    std::fs::create_dir_all(&analyze_dir)?;
    let bundles = seeds::bundles(&root);
    for (i, path) in bundles.iter().enumerate() {
        std::fs::write(
            bundle_dir.join(format!("seed-{i:03}")),
            std::fs::read(path)?,
        )?;
    }
    let drafts = seeds::drafts(&root);
    for (i, (text, _, _)) in drafts.iter().enumerate() {
        let mut data = vec![0u8];
        data.extend_from_slice(text.as_bytes());
        std::fs::write(analyze_dir.join(format!("seed-{i:04}")), data)?;
    }
    println!(
        "{} bundle seeds, {} draft seeds in {}",
        bundles.len(),
        drafts.len(),
        out.display()
    );
    Ok(())
}
