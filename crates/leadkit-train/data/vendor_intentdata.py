#!/usr/bin/env python3
"""Re-creates the compact TSVs vendored for the intent model from the upstream files.

This is provenance, not part of the build: the TSVs are committed, and nothing in
`cargo test` or the training command runs this script. It documents, as code, how
each TSV was cut from its upstream file, so a reviewer can check it.

Usage:
    python3 vendor_intentdata.py chatterbot RAW_DIR   # RAW_DIR = unpacked chatterbot-corpus 1.3.3 wheel
    python3 vendor_intentdata.py nlpjs RAW_DIR        # RAW_DIR holds corpus-es.json, corpus-fr.json
    python3 vendor_intentdata.py ovos_tests RAW_DIR   # RAW_DIR holds test_sentences_{en,de,fr,pt}.json
    python3 vendor_intentdata.py ovos_lexicon RAW_DIR # RAW_DIR = ovos_yes_no/locale of the 0.3.0 wheel
    python3 vendor_intentdata.py summary              # rows per language and proposed class
    python3 vendor_intentdata.py nlupp_hotels RAW_DIR  # RAW_DIR holds NLU++ hotels/fold{0..9}.json
    python3 vendor_intentdata.py botframework_general RAW_DIR  # RAW_DIR holds {en,de,es,fr}.lu (General.lu) and restaurant_es.lu

Every TSV has the header `text, label, lang, group`:
  text   the user utterance, verbatim except that runs of whitespace (tabs, newlines,
         double spaces) become one space;
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


# In the upstream French file these two intents were left in English.
NLPJS_ENGLISH_IN_FR = ("support.app_name", "support.beta")


def nlpjs(raw):
    """`utterances` and `tests` of every intent of the Spanish and French "Corpus 50"; the group
    is the intent, since an intent's five tests paraphrase its five utterances. The French file
    spells some keys `intention` / `identifiant` (it was machine-translated, keys included), and
    leaves two intents in English, which are tagged `en` here."""
    rows = []
    for lang in ("es", "fr"):
        with open(os.path.join(raw, f"corpus-{lang}.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for item in doc["data"]:
            intent = item.get("intent") or item.get("intention")
            row_lang = "en" if lang == "fr" and intent in NLPJS_ENGLISH_IN_FR else lang
            for key in ("utterances", "tests"):
                for text in item.get(key, []):
                    rows.append((text, intent, row_lang, f"{lang}-{intent}"))
    out = os.path.join(HERE, "nlpjs_corpus50")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "corpus50.tsv"), rows)


def ovos_tests(raw):
    """`tests/test_sentences_<lang>.json` of ovos-solver-YesNo-plugin. The four files are
    translations of one list, so the group is the label and position, shared by the languages:
    a split by group keeps every translation of a sentence on one side."""
    rows = []
    for lang in ("en", "de", "fr", "pt"):
        with open(os.path.join(raw, f"test_sentences_{lang}.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for label in ("yes", "no", "null"):
            for i, text in enumerate(doc.get(label, [])):
                rows.append((text, label, lang, f"{label}-{i}"))
    out = os.path.join(HERE, "ovos_yesno")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "test_sentences.tsv"), rows)


OVOS_LOCALES = {"en-US": "en", "es-ES": "es", "de-DE": "de", "fr-FR": "fr", "pt-BR": "pt"}


def ovos_lexicon(raw):
    """The `yes` and `no` lists of ovos-yes-no-plugin's `locale/<lang>/yesno.json`.
    `neutral_yes` / `neutral_no` are left out: they are modifiers ("sicher", "gut") that the
    plugin combines with a yes or no, not answers on their own."""
    rows = []
    for locale, lang in OVOS_LOCALES.items():
        with open(os.path.join(raw, locale, "yesno.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for label in ("yes", "no"):
            for i, text in enumerate(doc.get(label, [])):
                rows.append((text, label, lang, f"{lang}-{label}-{i}"))
    out = os.path.join(HERE, "ovos_yesno")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "lexicon.tsv"), rows)


BFS_INTENTS = ("Cancel", "Confirm", "Escalate", "Help", "Reject", "SelectNone")


def botframework_general(raw):
    """Six intents of the Virtual Assistant sample's `General.lu` (en-us, de-de, es-es, fr-fr).
    The German, Spanish and French files translate the English one utterance for utterance, so
    the group is `<intent>-<position>`, shared by the four languages. The other intents (ReadAloud, SelectItem,
    ShowNext, ...) are screen commands and were not copied."""
    rows = []
    for lang in ("en", "de", "es", "fr"):
        intent, pos = None, 0
        with open(os.path.join(raw, f"{lang}.lu"), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("## "):
                    intent, pos = line[3:].strip(), 0
                elif line.startswith("- ") and intent in BFS_INTENTS:
                    rows.append((line[2:], intent, lang, f"{intent}-{pos}"))
                    pos += 1
    out = os.path.join(HERE, "botframework_general")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "general.tsv"), rows)
    # The restaurant-booking skill's Spanish model (`Reservation` only; its `None` is empty).
    rows = []
    with open(os.path.join(raw, "restaurant_es.lu"), encoding="utf-8") as f:
        intent, pos = None, 0
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                intent, pos = line[3:].strip(), 0
            elif line.startswith("- ") and intent == "Reservation":
                rows.append((line[2:], intent, "es", f"es-{intent}-{pos}"))
                pos += 1
    write_tsv(os.path.join(out, "restaurant_es.tsv"), rows)


NLUPP_HOTEL_FOLDS = range(10)


def nlupp_hotels(raw):
    """Folds 0-9 of NLU++ `hotels` (of 20): `text` and the multi-label `intents`, joined with
    `+` in sorted order; an example without intents (a bare date or party size given as an
    answer) gets the label `(slots only)`. The group is the fold, NLU++'s own unit of split."""
    rows = []
    for k in NLUPP_HOTEL_FOLDS:
        with open(os.path.join(raw, f"fold{k}.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for item in doc:
            intents = sorted(item.get("intents", []))
            label = "+".join(intents) if intents else "(slots only)"
            rows.append((item["text"], label, "en", f"hotels-fold{k}"))
    out = os.path.join(HERE, "nlupp_hotels")
    os.makedirs(out, exist_ok=True)
    write_tsv(os.path.join(out, "hotels_folds0-9.tsv"), rows)


# The proposed mapping of SOURCES-intentdata.md, as data, for the summary table below (the
# markdown holds the reason for each line). Labels not listed map to `other`.
CHATTERBOT_CHITCHAT = {
    "greetings", "conversations", "botprofile", "perfilbot", "ai", "IA", "emotion", "emociones",
    "compliment", "gossip", "humor", "psychology", "psicologia",
}
SIMPLE_MAPPING = {
    "recognizers_text_choice/choice_boolean.tsv": {"boolean_true": "affirm", "boolean_false": "decline"},
    "ovos_yesno/test_sentences.tsv": {"yes": "affirm", "no": "decline", "null": "other"},
    "ovos_yesno/lexicon.tsv": {"yes": "affirm", "no": "decline"},
    "botframework_general/general.tsv": {
        "Confirm": "affirm", "Reject": "decline", "Cancel": "decline", "SelectNone": "decline",
        "Escalate": "support", "Help": "other",
    },
    "botframework_general/restaurant_es.tsv": {"Reservation": "interest"},
}
NLUPP_SUPPORT = {
    "existing", "change", "cancel_close_leave_freeze", "refund", "wrong_notworking_notshowing",
    "lost_stolen", "housekeeping", "room_service", "check_in", "check_out", "handoff",
}


def proposed_class(path, label):
    """The proposed class of `label` in the TSV at `path` (relative to this folder)."""
    if path in SIMPLE_MAPPING:
        return SIMPLE_MAPPING[path].get(label, "other")
    if path == "chatterbot_corpus/openers.tsv":
        return "chitchat" if label in CHATTERBOT_CHITCHAT else "other"
    if path == "nlpjs_corpus50/corpus50.tsv":
        if label == "support.beta":
            return "interest"
        if label == "support.live":
            return "support"
        if label.startswith("smalltalk.") and label != "smalltalk.help":
            return "chitchat"
        return "other"
    if path.startswith("nlupp_hotels/"):
        if label == "(slots only)":
            return "drop"
        intents = set(label.split("+"))
        if intents & NLUPP_SUPPORT:
            return "support"
        if "booking" in intents and intents & {"make_open_apply_setup_get_activate", "new"}:
            return "interest"
        if "how_much" in intents:
            return "interest"
        if "affirm" in intents:
            return "affirm"
        if "deny" in intents:
            return "decline"
        if intents <= {"greet", "thank", "end_call", "acknowledge"}:
            return "chitchat"
        return "other"
    raise KeyError(path)


def summary(_raw=None):
    """Prints the rows per language and proposed class, over every vendored TSV."""
    classes = ["interest", "support", "chitchat", "other", "affirm", "decline", "drop"]
    langs = ["en", "es", "de", "fr", "pt"]
    counts = {}
    for folder in sorted(os.listdir(HERE)):
        base = os.path.join(HERE, folder)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if not name.endswith(".tsv"):
                continue
            path = f"{folder}/{name}"
            with open(os.path.join(base, name), encoding="utf-8") as f:
                next(f)
                for line in f:
                    _text, label, lang, _group = line.rstrip("\n").split("\t")
                    key = (lang, proposed_class(path, label))
                    counts[key] = counts.get(key, 0) + 1
    print("| lang | " + " | ".join(classes) + " | all |")
    print("| --- |" + " ---: |" * (len(classes) + 1))
    for lang in langs:
        row = [counts.get((lang, c), 0) for c in classes]
        print(f"| {lang} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")


if __name__ == "__main__":
    {
        "chatterbot": chatterbot,
        "nlpjs": nlpjs,
        "ovos_tests": ovos_tests,
        "ovos_lexicon": ovos_lexicon,
        "botframework_general": botframework_general,
        "nlupp_hotels": nlupp_hotels,
        "summary": summary,
    }[sys.argv[1]](*sys.argv[2:])
