"""Static word embeddings for the use classifier, distilled from all-MiniLM-L6-v2.

Every lower-case alphabetic word of the sentence model's own WordPiece vocabulary (about
21,700 words, independent of any training data) is run through the model alone
(`[CLS] word [SEP]`), mean-pooled and normalised to unit length, as sentence-transformers
pools and normalises a sentence: the vector a one-word text gets. The forward pass is written out in numpy (6 layers, 384
dimensions), so only numpy, scipy, safetensors and tokenizers are needed, no torch.

Output (little-endian): b"PFEMBED1", u32 words, u32 dims, then each word as u8 length +
ASCII bytes (sorted), then words x dims f32. Deterministic for the same package versions.

Usage: python3 distill_embeddings.py MODEL_DIR OUT_FILE
"""
import struct
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer


def layer_norm(x, g, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def forward(w, ids):
    """Mean-pooled last hidden state of a batch of equal-length id sequences."""
    batch, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    heads, dim = 12, x.shape[-1]
    hd = dim // heads
    for layer in range(6):
        p = f"encoder.layer.{layer}."

        def lin(h, name):
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def split(h):
            return h.reshape(batch, length, heads, hd).transpose(0, 2, 1, 3)

        q = split(lin(x, "attention.self.query"))
        k = split(lin(x, "attention.self.key"))
        v = split(lin(x, "attention.self.value"))
        a = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        c = (a @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)
        x = layer_norm(x + lin(c, "attention.output.dense"),
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
        x = layer_norm(x + lin(h, "output.dense"),
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    v = x.mean(1)
    # all-MiniLM-L6-v2 ends in a Normalize module: its embeddings are unit vectors.
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main(model_dir, out):
    w = load_file(f"{model_dir}/model.safetensors")
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.no_padding()
    tok.no_truncation()
    words = sorted({line.strip() for line in open(f"{model_dir}/vocab.txt", encoding="utf-8")
                    if line.strip().isascii() and line.strip().isalpha() and line.strip().islower()})
    ids = [tok.encode(x).ids for x in words]
    vecs = np.zeros((len(words), w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
    by_len = {}
    for i, e in enumerate(ids):
        by_len.setdefault(len(e), []).append(i)
    for _, idx in sorted(by_len.items()):
        for s in range(0, len(idx), 512):
            b = idx[s:s + 512]
            vecs[b] = forward(w, np.array([ids[i] for i in b]))
    with open(out, "wb") as f:
        f.write(b"PFEMBED1")
        f.write(struct.pack("<II", len(words), vecs.shape[1]))
        for x in words:
            f.write(struct.pack("<B", len(x)) + x.encode("ascii"))
        f.write(vecs.astype("<f4").tobytes())
    print(f"{len(words)} words x {vecs.shape[1]} dims -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
