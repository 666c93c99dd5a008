"""Packages for bench/translate.py: a Transformer-base sized random-weight en->xx package.

6+6 layers, d512, 8 heads, ffn 2048, vocab 32000, int8 (~95 MB), built offline from the
SentencePiece recipe of tests/tiny_argos.py. A hand-encoded MiniSBD ONNX splitter is included so
that argostranslate's own ``translate()`` (the comparison) splits sentences without downloading.
Adapted from shared/reference (argos_base_random_model.py, argos_tiny_model.py).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import tiny_argos


def build_random_base(vocab, out_dir, layers=6, d=512, heads=8, ffn=2048, seed=0,
                      quantization="int8"):
    from ctranslate2.specs import transformer_spec
    rng = np.random.default_rng(seed)
    f32 = np.float32
    r = lambda *shape: (rng.standard_normal(shape, dtype=f32) * 0.05)
    V = len(vocab)
    spec = transformer_spec.TransformerSpec.from_config(num_layers=layers, num_heads=heads)

    def ln(x):
        x.gamma, x.beta = np.ones(d, f32), np.zeros(d, f32)

    def att(a, self_att):
        ln(a.layer_norm)
        if self_att:
            a.linear[0].weight, a.linear[0].bias = r(3 * d, d), np.zeros(3 * d, f32)
            a.linear[1].weight, a.linear[1].bias = r(d, d), np.zeros(d, f32)
        else:
            a.linear[0].weight, a.linear[0].bias = r(d, d), np.zeros(d, f32)
            a.linear[1].weight, a.linear[1].bias = r(2 * d, d), np.zeros(2 * d, f32)
            a.linear[2].weight, a.linear[2].bias = r(d, d), np.zeros(d, f32)

    def ff(x):
        ln(x.layer_norm)
        x.linear_0.weight, x.linear_0.bias = r(ffn, d), np.zeros(ffn, f32)
        x.linear_1.weight, x.linear_1.bias = r(d, ffn), np.zeros(d, f32)

    spec.encoder.embeddings[0].weight = r(V, d)
    ln(spec.encoder.layer_norm)
    for l in spec.encoder.layer:
        att(l.self_attention, True); ff(l.ffn)
    spec.decoder.embeddings.weight = r(V, d)
    ln(spec.decoder.layer_norm)
    for l in spec.decoder.layer:
        att(l.self_attention, True); att(l.attention, False); ff(l.ffn)
    spec.decoder.projection.weight = r(V, d)
    spec.decoder.projection.bias = np.zeros(V, f32)
    tiny_argos.save_spec(spec, vocab, out_dir, quantization)


def _varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _f(field, value):            # one protobuf field
    if isinstance(value, int):
        return _varint(field << 3) + _varint(value)
    if isinstance(value, str):
        value = value.encode("utf-8")
    return _varint(field << 3 | 2) + _varint(len(value)) + value


def _value_info(name, elem_type, dims):
    shape = b"".join(_f(1, _f(1, d) if isinstance(d, int) else _f(2, d)) for d in dims)
    tensor_type = _f(1, elem_type) + _f(2, shape)
    return _f(1, name) + _f(2, _f(1, tensor_type))


def build_minisbd_onnx(path, lang="xx"):
    FLOAT, INT64 = 1, 7
    enders = ".!?。！？"
    chars = [chr(c) for c in range(32, 127)] + list("。！？、「」『』…　")
    id2unit = ["<PAD>", "<UNK>"] + chars
    table = np.zeros((len(id2unit), 5), np.float32)   # classes 0..4
    table[0, 0] = 10.0                                 # PAD: no boundary
    for i, u in enumerate(id2unit[1:], start=1):
        table[i, 2 if u in enders else 1] = 10.0       # 1 = token end, 2 = sentence end
    initializer = (_f(1, table.shape[0]) + _f(1, table.shape[1]) + _f(2, FLOAT)
                   + _f(8, "table") + _f(9, table.tobytes()))
    node = (_f(1, "table") + _f(1, "units") + _f(2, "logits") + _f(3, "gather")
            + _f(4, "Gather") + _f(5, _f(1, "axis") + _f(3, 0) + _f(20, 2)))  # INT attr
    graph = (_f(1, node) + _f(2, "minisbd_rules") + _f(5, initializer)
             + _f(11, _value_info("units", INT64, ["batch", "seq"]))
             + _f(11, _value_info("features", FLOAT, ["batch", "seq", "feat"]))
             + _f(12, _value_info("logits", FLOAT, ["batch", "seq", 5])))
    config = {"skip_newline": False, "max_seqlen": 1000, "no_ssplit": False,
              "batch_size": 32, "feat_funcs": [], "use_dictionary": False,
              "num_dict_feat": 0}
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": id2unit, "_unit2id": {u: i for i, u in enumerate(id2unit)}}
    meta = {"lang_code": lang, "config": json.dumps(config),
            "vocab": json.dumps(vocab, ensure_ascii=False), "lexicon": "null"}
    model = (_f(1, 8) + _f(2, "make_tiny_model") + _f(7, graph)
             + _f(8, _f(1, "") + _f(2, 13))
             + b"".join(_f(14, _f(1, k) + _f(2, v)) for k, v in meta.items()))
    with open(path, "wb") as fh:
        fh.write(model)


def build_base_package(out_dir: str, vocab_size: int = 32000) -> str:
    """Build ``translate-en_xx-0_1.argosmodel`` into ``out_dir``; returns its path."""
    en, ja = tiny_argos.make_corpus()
    sp_bytes = tiny_argos.train_sentencepiece(en + ja, vocab_size=400, user_symbols=[j for _, j in tiny_argos.DICT])
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab += [f"<filler_{i}>" for i in range(vocab_size - len(vocab))]
    name = "translate-en_xx-0_1"
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".argosmodel")
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        root = os.path.join(tmp, name)
        build_random_base(vocab, os.path.join(root, "model"))
        with open(os.path.join(root, "sentencepiece.model"), "wb") as handle:
            handle.write(sp_bytes)
        os.makedirs(os.path.join(root, "minisbd"))
        build_minisbd_onnx(os.path.join(root, "minisbd", "rules.onnx"), "en")
        with open(os.path.join(root, "metadata.json"), "w") as handle:
            json.dump({"package_version": "0.1", "argos_version": "1.11.0", "from_code": "en", "from_name": "English",
                       "to_code": "xx", "to_name": "Random", "type": "translate"}, handle)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for folder, _, files in os.walk(root):
                for file in files:
                    archive.write(os.path.join(folder, file), os.path.relpath(os.path.join(folder, file), tmp))
    return path
