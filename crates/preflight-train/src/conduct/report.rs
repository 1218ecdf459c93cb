//! `model/ABUSE-REPORT.md`: what the conduct trainer did and measured.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use preflight_core::abuse::split::{Split, HELD_OUT_SHARE, VALIDATION_SHARE};

use super::{fit, Outcome, AUC_SLACK, BUDGETS, L2_GRID, LEARNING_RATE, TARGET_FALSE_ALARMS};

/// Thresholds of the score tables.
const THRESHOLDS: [f32; 10] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / d as f64)
    }
}

fn split_name(s: Split) -> &'static str {
    match s {
        Split::HeldOut => "held out",
        Split::Validation => "validation",
        Split::Fit => "fit",
    }
}

/// Score table on the rows `idx`: per (dataset, label) cell, the share at or above each
/// threshold (recall for abusive cells, flag rate for clean ones).
fn table(o: &Outcome, idx: &[usize], out: &mut String) {
    let mut cells: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in idx {
        cells.entry(o.rows[i].cell()).or_default().push(i);
        let all = if o.rows[i].abusive() {
            "all · hate + offensive"
        } else {
            "all · clean"
        };
        cells.entry(all.into()).or_default().push(i);
    }
    let _ = write!(out, "| rows | n |");
    for t in THRESHOLDS {
        let _ = write!(out, " ≥ {t} |");
    }
    let _ = write!(out, "\n|---|---:|");
    for _ in THRESHOLDS {
        out.push_str("---:|");
    }
    out.push('\n');
    for (cell, members) in &cells {
        let _ = write!(out, "| {cell} | {} |", members.len());
        for t in THRESHOLDS {
            let n = members.iter().filter(|&&i| o.probs[i] >= t).count();
            let _ = write!(out, " {} |", pct(n, members.len()));
        }
        out.push('\n');
    }
}

pub fn render(o: &Outcome) -> String {
    let mut s = String::new();
    let m = &o.model;
    let part = |sp: Split| o.splits.get(&sp).map(Vec::as_slice).unwrap_or(&[]);
    let _ = writeln!(
        s,
        "# Abuse score: training report\n\n\
         Written by `preflight-train conduct` (do not edit by hand). Command:\n\n```\n{}\n```\n\n\
         Data SHA-256 `{}`, {} rows. The model is `{}`: {} bytes, **{} bytes gzip -9**, {} non-zero \
         int8 weights over 2^{} hashed buckets, feature extractor v{} \
         (`crates/preflight-core/src/abuse/features.rs`, the code inference runs).\n",
        o.command,
        m.data_sha256
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        o.rows.len(),
        o.args.out,
        o.bytes.len(),
        o.gzip,
        m.sparse.len(),
        preflight_core::abuse::features::HASH_BITS,
        preflight_core::abuse::features::FEATURE_VERSION,
    );

    let _ = writeln!(
        s,
        "## Split\n\n\
         Decided by a hash of each row's text before anything else is read \
         (`crates/preflight-core/src/abuse/split.rs`, shared with `preflight-judge`): \
         {:.0} % of every source held out (never fitted, tuned or calibrated on), \
         {:.0} % of the rest for validation (the grid, the calibration and the bundle's \
         thresholds), the rest fitted.\n",
        HELD_OUT_SHARE * 100.0,
        VALIDATION_SHARE * 100.0
    );
    if let Some(register) = &o.args.register {
        let _ = writeln!(
            s,
            "Register rows (`--register {register}`): the organizational and professional `train` \
             rows of the use classifier's data, labelled clean (`posts:*` below). The conduct \
             sources are tweets by the public, in which the words of public life (\"secretary\", \
             \"deputy\", \"immigration\") occur mostly in insults; without these rows such words \
             lean abusive. They are split by the same hash; the judge does not score them.\n"
        );
    }
    let _ = writeln!(
        s,
        "Features: word stems and neighbouring pairs{} of the first {} tokens, hashed; words \
         that name a group of people (`GROUP_WORDS`: \"women\", \"refugees\", \"Muslims\", \
         \"gay\", …) are no feature and break pairs, since the data has hate about some groups and \
         no neutral text about them: a weight on the group would learn the topic and flag the \
         news.\n",
        if o.chosen.0.char_grams {
            ", character 4-grams of long words"
        } else {
            ""
        },
        preflight_core::abuse::features::MAX_TOKENS
    );
    let mut by_source: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
    for (sp, idx) in &o.splits {
        for &i in idx {
            let r = &o.rows[i];
            by_source
                .entry((r.label.as_str(), r.source.as_str()))
                .or_default()[*sp as usize] += 1;
        }
    }
    s.push_str("| label | source | held out | validation | fit |\n|---|---|---:|---:|---:|\n");
    for ((label, source), n) in &by_source {
        let _ = writeln!(s, "| {label} | {source} | {} | {} | {} |", n[0], n[1], n[2]);
    }

    let _ = writeln!(
        s,
        "\n## Mislabelled clean rows\n\n\
         Davidson et al.'s \"neither\" class (here: clean) holds tweets with slurs. A clean \
         Davidson row in which the default bundle's `conduct.slur` list finds a \
         violation-grade term (its word-sense contexts applied, no abuse score) is counted as \
         mislabelled and left out of fitting and of the validation measurements (it stays in \
         the held-out figures, labelled as the source has it).\n"
    );
    s.push_str("| split | Davidson clean rows | with a violation-grade slur |\n|---|---:|---:|\n");
    for (sp, idx) in &o.splits {
        let clean: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| !o.rows[i].abusive() && o.rows[i].dataset().starts_with("davidson"))
            .collect();
        let bad = clean.iter().filter(|&&i| o.mislabelled[i]).count();
        let _ = writeln!(
            s,
            "| {} | {} | {} ({}) |",
            split_name(*sp),
            clean.len(),
            bad,
            pct(bad, clean.len())
        );
    }

    let _ = writeln!(
        s,
        "\n## Fitting and the grid\n\n\
         Weighted logistic regression (AdaGrad, learning rate {LEARNING_RATE}, {} epochs, seed {}); \
         abusive and clean rows weigh the same, each (dataset, label) cell in proportion to the \
         square root of its size. Each candidate is pruned to the largest weights of a budget, \
         quantised to int8 as stored and compared on validation by the selection metric: the \
         score threshold that flags {:.0} % of the clean OLID rows, and the mean over the four \
         abusive (dataset, label) cells of the share of their rows above it. The smallest budget \
         within {AUC_SLACK} of its candidate's best is kept. L2 grid {:?}, budgets {:?}.\n",
        o.args.epochs, o.args.seed, TARGET_FALSE_ALARMS * 100.0, L2_GRID, BUDGETS
    );
    s.push_str("| char 4-grams | L2 | AUC unpruned | metric unpruned |");
    for b in BUDGETS {
        let _ = write!(s, " metric at {b} |");
    }
    s.push_str("\n|---|---|---:|---:|");
    for _ in BUDGETS {
        s.push_str("---:|");
    }
    s.push('\n');
    for c in &o.candidates {
        let _ = write!(
            s,
            "| {} | {:e} | {:.4} | {:.4} |",
            if c.options.char_grams { "yes" } else { "no" },
            c.l2,
            c.full_auc,
            c.full_metric
        );
        for (_, auc) in &c.budgets {
            let _ = write!(s, " {auc:.4} |");
        }
        s.push('\n');
    }
    let (opt, l2, budget) = o.chosen;
    let _ = writeln!(
        s,
        "\nChosen: char 4-grams {}, L2 {l2:e}, {budget} weights. Calibration (Platt, on \
         validation): score = sigmoid({:.4} × logit + {:.4}).\n",
        if opt.char_grams { "on" } else { "off" },
        m.platt.0,
        m.platt.1
    );

    let scored = |idx: &[usize]| -> (Vec<f32>, Vec<f32>) {
        idx.iter()
            .filter(|&&i| !o.mislabelled[i])
            .map(|&i| (o.probs[i], if o.rows[i].abusive() { 1.0 } else { 0.0 }))
            .unzip()
    };
    let val: Vec<usize> = part(Split::Validation)
        .iter()
        .copied()
        .filter(|&i| !o.mislabelled[i])
        .collect();
    let (vs, vy) = scored(&val);
    let _ = writeln!(
        s,
        "## Validation (tuning: the default bundle's thresholds are read from here)\n\n\
         AUC {:.4}. Share of rows at or above each score (recall on hate and offensive \
         rows, flag rate on clean ones), model alone:\n",
        fit::auc(&vs, &vy)
    );
    table(o, &val, &mut s);

    let held = part(Split::HeldOut);
    let (hs, hy) = scored(held);
    let (hs_all, hy_all): (Vec<f32>, Vec<f32>) = held
        .iter()
        .map(|&i| (o.probs[i], if o.rows[i].abusive() { 1.0 } else { 0.0 }))
        .unzip();
    let _ = writeln!(
        s,
        "\n## Held out (measured once, never tuned on)\n\n\
         AUC {:.4} as labelled ({:.4} without the mislabelled clean rows). Model alone, \
         the same table; `docs/JUDGEMENT.md` gives the default bundle's findings (lexicons and \
         this score together) on these rows, beside alex.\n",
        fit::auc(&hs_all, &hy_all),
        fit::auc(&hs, &hy)
    );
    table(o, held, &mut s);
    s
}
