//! The core's inference over the shipped model file agrees with the trainer's own fit, and
//! retraining is byte-for-byte reproducible (fixture: `tests/fixtures/use-small.jsonl`,
//! written for these tests, with a tiny embeddings file made here).

use preflight_core::classify::eval::with_input;
use preflight_core::classify::{predict, UseModel};
use preflight_core::Tokenizer;
use preflight_train::load;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/use-small.jsonl"
);

/// A tiny embeddings file for the fixture: every word of the fixture in the extractor's
/// lookup form, with a deterministic unit vector (8 dimensions) derived from its bytes.
fn tiny_embeddings(rows: &[preflight_core::classify::eval::Row]) -> std::path::PathBuf {
    let tk = Tokenizer::new("en").unwrap();
    let mut words: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            tk.tokenize(&r.text)
                .into_iter()
                .filter(|t| t.kind == preflight_core::TokenKind::Word)
                .map(|t| preflight_core::classify::features::embedding_key(&t.norm).to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words.dedup();
    let dims = 8usize;
    let mut out = b"PFEMBED1".to_vec();
    out.extend_from_slice(&(words.len() as u32).to_le_bytes());
    out.extend_from_slice(&(dims as u32).to_le_bytes());
    for w in &words {
        out.push(w.len() as u8);
        out.extend_from_slice(w.as_bytes());
    }
    for w in &words {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut v = Vec::with_capacity(dims);
        for d in 0..dims {
            for b in w.bytes().chain([d as u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            v.push((h >> 40) as f32 / (1u64 << 24) as f32 - 0.5);
        }
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        for x in v {
            out.extend_from_slice(&(x / n).to_le_bytes());
        }
    }
    let path = std::env::temp_dir().join(format!("preflight-tiny-emb-{}.bin", std::process::id()));
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn word_embedding_model_matches_the_fit_and_retrains_identically() {
    use preflight_train::embed::Embeddings;
    use preflight_train::pipeline::{self, Variant};
    let (rows, sha) = load(FIXTURE).unwrap();
    let path = tiny_embeddings(&rows);
    let emb = Embeddings::load(path.to_str().unwrap()).unwrap();
    let tk = Tokenizer::new("en").unwrap();
    let items = pipeline::items(&rows, &tk, &emb);
    let all: Vec<usize> = (0..items.len()).collect();
    let v = Variant {
        name: "test".into(),
        embeddings: true,
        hashed: false,
        dense_text: false,
        alpha: 0.5,
    };
    let build = || {
        let fitted = pipeline::fit(&items, &all, &v).unwrap();
        let model =
            preflight_train::train::model_file(&fitted, &emb, 7, sha, all.len(), 1.0, 0.2, (0, 0))
                .unwrap();
        (fitted, model.to_bytes())
    };
    let (fitted, bytes) = build();
    assert_eq!(bytes, build().1, "retraining is byte-identical");
    let model = UseModel::from_bytes(&bytes).unwrap();
    let mut right = 0;
    for (row, item) in rows.iter().zip(&items) {
        let ours = with_input(&tk, row, |input| predict(&model, input)).logits;
        let theirs = fitted.logits(item);
        for k in 0..3 {
            // int8 word scores: within a few quantisation steps.
            assert!(
                (f64::from(ours[k]) - theirs[k]).abs() < 0.05,
                "{:?}: core {ours:?} vs fit {theirs:?}",
                row.text
            );
        }
        right += usize::from(preflight_train::metrics::argmax(&theirs) == item.y);
    }
    // The fit learned something from 8-dimensional random vectors of the fixture's words.
    assert!(right > items.len() / 2, "{right} of {}", items.len());
    let _ = std::fs::remove_file(path);
}
