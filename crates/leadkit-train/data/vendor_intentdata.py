#!/usr/bin/env python3
"""Re-creates the compact TSVs vendored for the intent model from the upstream files.

This is provenance, not part of the build: the TSVs are committed, and nothing in
`cargo test` or the training command runs this script. It documents, as code, how
each TSV was cut from its upstream file, so a reviewer can check it.

Usage:
    python3 vendor_intentdata.py chatterbot RAW_DIR   # RAW_DIR = unpacked chatterbot-corpus 1.3.3 wheel
    python3 vendor_intentdata.py nlpjs RAW_DIR        # RAW_DIR holds corpus-en.json, corpus-es.json, corpus-fr.json

Every TSV has the header `text, label, lang, group`:
  text   the user utterance, verbatim except that tabs and newlines become spaces;
  label  the source's own label (never one of ours: the mapping is in SOURCES-intentdata.md);
  lang   ISO 639-1 code;
  group  the source's template or conversation id, so that a split by group keeps
         paraphrases of one template on the same side.
Rows are deduplicated on (text, lang) keeping the first, in source order; no sampling.
"""

import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def clean(text):
    return " ".join(str(text).replace("\t", " ").split())


def write_tsv(path, rows):
    seen = set()
    kept = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("text\tlabel\tlang\tgroup\n")
        for text, label, lang, group in rows:
            text = clean(text)
            if not text or (text, lang) in seen:
                continue
            seen.add((text, lang))
            out.write(f"{text}\t{label}\t{lang}\t{group}\n")
            kept += 1
    print(f"{os.path.relpath(path, HERE)}: {kept} rows")


CHATTERBOT_LANGS = {
    "english": "en",
    "spanish": "es",
    "german": "de",
    "french": "fr",
    "portuguese": "pt",
}


def chatterbot(raw):
    """The opening turn of every conversation; the label is the file (category) name.

    Later turns are skipped: in these files they are often alternative bot replies,
    not user turns, so only the opener is known to be a user's message.
    """
    rows = []
    for folder, lang in CHATTERBOT_LANGS.items():
        base = os.path.join(raw, "chatterbot_corpus", "data", folder)
        for name in sorted(os.listdir(base)):
            if not name.endswith(".yml"):
                continue
            stem = name[: -len(".yml")]
            with open(os.path.join(base, name), encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            for i, conv in enumerate(doc.get("conversations") or []):
                if isinstance(conv, list) and conv:
                    rows.append((conv[0], stem, lang, f"{lang}-{stem}-{i}"))
    out = os.path.join(HERE, "chatterbot_corpus")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "openers.tsv"), rows)


def nlpjs(raw):
    """`utterances` and `tests` of every intent; the group is the intent id, since the
    five tests of an intent are paraphrases of its five utterances."""
    rows = []
    for lang in ("en", "es", "fr"):
        with open(os.path.join(raw, f"corpus-{lang}.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for item in doc["data"]:
            for key in ("utterances", "tests"):
                for text in item.get(key, []):
                    rows.append((text, item["intent"], lang, f"{lang}-{item['intent']}"))
    out = os.path.join(HERE, "nlpjs_corpus50")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "corpus50.tsv"), rows)


if __name__ == "__main__":
    {"chatterbot": chatterbot, "nlpjs": nlpjs}[sys.argv[1]](sys.argv[2])
