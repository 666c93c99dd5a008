"""Tiny, valid Argos Translate packages built offline for the tests (adapted from
shared/reference/argos_tiny_model.py).

A SentencePiece model trained in-process on generated sentences and a 1+1-layer CTranslate2
Transformer whose weights are set by hand so that it copies the source position by position and
maps a small dictionary (``cat`` -> ``猫`` ...). Output is deterministic and input-dependent:
``the big cat eats the fish today.`` -> ``the大きい猫 eats the魚今日.``. About 2 s to build.
"""
import io
import json
import os
import random
import tempfile
import zipfile

import numpy as np
import sentencepiece as spm

# --------------------------------------------------------------------------
# 1. toy corpus + dictionary
# --------------------------------------------------------------------------
DICT = [  # (english word, japanese word)
    ("cat", "猫"), ("dog", "犬"), ("fish", "魚"), ("bird", "鳥"),
    ("water", "水"), ("rice", "米"), ("book", "本"), ("car", "車"),
    ("house", "家"), ("tree", "木"), ("sun", "太陽"), ("moon", "月"),
    ("teacher", "先生"), ("student", "学生"), ("friend", "友達"),
    ("eats", "食べる"), ("drinks", "飲む"), ("sees", "見る"),
    ("reads", "読む"), ("likes", "好き"), ("has", "持つ"), ("wants", "欲しい"),
    ("big", "大きい"), ("small", "小さい"), ("red", "赤い"), ("blue", "青い"),
    ("today", "今日"), ("tomorrow", "明日"), ("yes", "はい"), ("no", "いいえ"),
    ("hello", "こんにちは"), ("thanks", "ありがとう"),
]
NOUNS = [e for e, _ in DICT[:15]]
VERBS = [e for e, _ in DICT[15:22]]
ADJS = [e for e, _ in DICT[22:26]]
TIMES = ["today", "tomorrow"]
EN2JA = dict(DICT)


def make_corpus(n=400, seed=0):
    rnd = random.Random(seed)
    en, ja = [], []
    for _ in range(n):
        s, v, o, a, t = (rnd.choice(NOUNS), rnd.choice(VERBS), rnd.choice(NOUNS),
                         rnd.choice(ADJS), rnd.choice(TIMES))
        form = rnd.randrange(4)
        if form == 0:
            e = f"the {a} {s} {v} the {o} {t}."
            j = f"{EN2JA[t]}、{EN2JA[a]}{EN2JA[s]}は{EN2JA[o]}を{EN2JA[v]}。"
        elif form == 1:
            e = f"a {s} {v} {o}."
            j = f"{EN2JA[s]}は{EN2JA[o]}を{EN2JA[v]}。"
        elif form == 2:
            e = f"hello, the {s} is {a}!"
            j = f"こんにちは、{EN2JA[s]}は{EN2JA[a]}！"
        else:
            e = f"does the {s} {v.rstrip('s')} {o}? yes, thanks."
            j = f"{EN2JA[s]}は{EN2JA[o]}を{EN2JA[v]}？はい、ありがとう。"
        en.append(e)
        ja.append(j)
    return en, ja


def train_sentencepiece(sentences, vocab_size, user_symbols):
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=buf,
        model_type="unigram", vocab_size=vocab_size, character_coverage=1.0,
        hard_vocab_limit=False, user_defined_symbols=user_symbols,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,  # <unk> <s> </s>, what CT2 expects
        minloglevel=2, num_threads=1, seed_sentencepiece_size=100000,
    )
    return buf.getvalue()


# --------------------------------------------------------------------------
# 2. CTranslate2 "copy + dictionary" Transformer built from numpy weights
# --------------------------------------------------------------------------
def build_copy_transformer(vocab, mapping, out_dir, d_tok=64, d_pos=64,
                           max_pos=1100, ffn=8, gain=8.0, copy_scale=4.0,
                           seed=0, quantization=None):
    """vocab: list of pieces (shared src/tgt). mapping: {src_id: tgt_id}."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    V, D = len(vocab), d_tok + d_pos
    T = slice(0, d_tok)          # token subspace
    P = slice(d_tok, D)          # position subspace
    f32 = np.float32

    tok = rng.standard_normal((V, d_tok)).astype(f32)
    pos = rng.standard_normal((max_pos, d_pos)).astype(f32)

    def ln(dim):
        return np.ones(dim, f32), np.zeros(dim, f32)

    def zero_layer(layer, cross):
        for att in ([layer.self_attention] + ([layer.attention] if cross else [])):
            att.layer_norm.gamma, att.layer_norm.beta = ln(D)
        sa = layer.self_attention
        sa.linear[0].weight = np.zeros((3 * D, D), f32)
        sa.linear[0].bias = np.zeros(3 * D, f32)
        sa.linear[1].weight = np.zeros((D, D), f32)
        sa.linear[1].bias = np.zeros(D, f32)
        layer.ffn.layer_norm.gamma, layer.ffn.layer_norm.beta = ln(D)
        layer.ffn.linear_0.weight = np.zeros((ffn, D), f32)
        layer.ffn.linear_0.bias = np.zeros(ffn, f32)
        layer.ffn.linear_1.weight = np.zeros((D, ffn), f32)
        layer.ffn.linear_1.bias = np.zeros(D, f32)

    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=1)
    enc, dec = spec.encoder, spec.decoder

    # encoder: x_s = [tok(s) ; pos(s)], sub-layers are zero -> output = LN(x_s)
    emb = np.zeros((V, D), f32); emb[:, T] = tok
    enc.embeddings[0].weight = emb
    enc.scale_embeddings = False
    pe = np.zeros((max_pos, D), f32); pe[:, P] = pos
    enc.position_encodings.encodings = pe
    enc.layer_norm.gamma, enc.layer_norm.beta = ln(D)
    zero_layer(enc.layer[0], cross=False)

    # decoder: y_t = [0 ; pos(t)]; cross-attention q=pos(t), k=pos(s), v=tok(s)
    dec.embeddings.weight = np.zeros((V, D), f32)
    dec.scale_embeddings = False
    dec.position_encodings.encodings = pe.copy()
    dec.layer_norm.gamma, dec.layer_norm.beta = ln(D)
    layer = dec.layer[0]
    zero_layer(layer, cross=True)
    att = layer.attention
    wq = np.zeros((D, D), f32); wq[P, P] = gain * np.eye(d_pos, dtype=f32)
    wk = np.zeros((D, D), f32); wk[P, P] = np.eye(d_pos, dtype=f32)
    wv = np.zeros((D, D), f32); wv[T, T] = np.eye(d_tok, dtype=f32)
    wo = np.zeros((D, D), f32); wo[T, T] = copy_scale * np.eye(d_tok, dtype=f32)
    att.linear[0].weight, att.linear[0].bias = wq, np.zeros(D, f32)
    att.linear[1].weight, att.linear[1].bias = np.concatenate([wk, wv]), np.zeros(2 * D, f32)
    att.linear[2].weight, att.linear[2].bias = wo, np.zeros(D, f32)

    # output projection: row j = sum of tok(i) over source ids i with f(i) == j
    proj = np.zeros((V, D), f32)
    for i in range(V):
        proj[mapping.get(i, i), T] += tok[i]
    dec.projection.weight = proj
    dec.projection.bias = np.zeros(V, f32)

    spec.config.add_source_eos = True        # copy </s> -> decoding stops
    save_spec(spec, vocab, out_dir, quantization)


def save_spec(spec, vocab, out_dir, quantization=None):
    """Register the shared vocabulary, validate, quantise and write a CTranslate2 model folder."""
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    os.makedirs(out_dir, exist_ok=True)
    spec.save(out_dir)


# --------------------------------------------------------------------------
# 4. package assembly
# --------------------------------------------------------------------------
NAMES = {"en": "English", "ja": "Japanese"}


def build_package(out_dir, from_code, to_code, sp_bytes, mapping_words, quantization=None, version="0.1"):
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    mapping = {}
    for src_piece, tgt_piece in mapping_words:      # only whole pieces are mapped
        s_id, t_id = sp.piece_to_id(src_piece), sp.piece_to_id(tgt_piece)
        if sp.unk_id() not in (s_id, t_id):
            mapping[s_id] = t_id

    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, name)
        os.makedirs(root)
        build_copy_transformer(vocab, mapping, os.path.join(root, "model"),
                               quantization=quantization)
        with open(os.path.join(root, "sentencepiece.model"), "wb") as fh:
            fh.write(sp_bytes)
        meta = {
            "package_version": version, "argos_version": "1.11.0",
            "from_code": from_code, "from_name": NAMES.get(from_code, from_code),
            "to_code": to_code, "to_name": NAMES.get(to_code, to_code),
            "type": "translate", "links": [],
        }
        with open(os.path.join(root, "metadata.json"), "w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=2, ensure_ascii=False)
        with open(os.path.join(root, "README.md"), "w") as fh:
            fh.write(f"Tiny synthetic {from_code}->{to_code} test package "
                     f"({len(mapping)} dictionary entries, otherwise copies input).\n")
        path = os.path.join(out_dir, name + ".argosmodel")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for dirpath, _, files in os.walk(root):
                for fn in sorted(files):
                    full = os.path.join(dirpath, fn)
                    zf.write(full, os.path.relpath(full, tmp))   # keeps top-level dir
    return path


def build_packages(out_dir, pairs=("en-ja",)):
    """Build one ``.argosmodel`` per ``src-tgt`` pair into ``out_dir``; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    en, ja = make_corpus()
    ja_words = [j for _, j in DICT]
    # Digits in the vocabulary, so numeric glossary placeholders pass through as with real models.
    digits = ["0 1 2 3 4 5 6 7 8 9 7001 7002 7003"] * 3
    sp_bytes = train_sentencepiece(en + ja + digits + [" ".join(e for e, _ in DICT)], vocab_size=400,
                                   user_symbols=ja_words)
    paths = []
    for pair in pairs:
        src, tgt = pair.split("-")
        if (src, tgt) == ("en", "ja"):
            words = [("▁" + e, j) for e, j in DICT]
        elif (src, tgt) == ("ja", "en"):
            words = [(j, "▁" + e) for e, j in DICT]
        else:
            words = []  # a pure copy model for any other pair
        paths.append(build_package(out_dir, src, tgt, sp_bytes, words))
    return paths


def serve_index(folder):
    """Serve ``folder`` on this machine, as argostranslate's package index is served on the internet
    (``index.json`` and the files it links); returns its address, for ``ARGOS_PACKAGE_INDEX``."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"
