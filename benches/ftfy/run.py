#!/usr/bin/env python3
"""Run ftfy (6.3.1) over the generated mojibake corpus and the clean corpus.

    pip install ftfy==6.3.1
    python3 benches/ftfy/run.py            # from the repo root; prints Markdown tables

Mojibake corpus (`fixtures/mojibake/<family>.jsonl`): `ftfy.fix_text` on every `mojibake`
string, counting exact restorations (`== original`) separately for kind `line` and `short`,
once with ftfy's default configuration and once with the encoding-only configuration below.
Throughput is UTF-8 bytes of mojibake text (MB = 10^6 bytes) divided by the wall time of the
loop over the whole file (time.perf_counter, single process), for the default configuration;
the fastest of --repeat (default 3) passes, because the build machine is shared.

Clean corpus (`fixtures/clean/*.txt`): `ftfy.fix_text` on every line; a changed line is a
false positive (encoding "fix" of correct text) or a cosmetic change (quote uncurling, HTML
unescaping, width folding, ...). Counted with the default configuration and with the
encoding-only configuration.
"""

import argparse
import glob
import json
import os
import time
import unicodedata
from collections import Counter

import ftfy
from ftfy import TextFixerConfig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULT = TextFixerConfig()
# The cosmetic fixers switched off, to isolate the encoding fixes (fix_encoding,
# restore_byte_a0, replace_lossy_sequences, decode_inconsistent_utf8, fix_c1_controls,
# fix_surrogates stay on, as do remove_terminal_escapes and remove_control_chars).
# normalization="NFC" is ftfy's default, spelled out. ftfy 6.3.1 supports all these fields.
ENCODING_ONLY = TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization="NFC",
)

FAMILY_ORDER = [
    "windows-1252", "latin-1", "windows-1250", "windows-1251", "windows-1253",
    "windows-1254", "windows-1257", "iso-8859-2", "koi8-r", "macintosh", "ibm437",
    "gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr",
    "layered-windows-1252", "layered-gbk",
]


def show(s):
    """The text itself, with invisible characters (controls, format, odd spaces) escaped."""
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch != " " and (cat in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co") or ch == "`"):
            out.append(f"\\u{{{ord(ch):04x}}}")
        else:
            out.append(ch)
    return "".join(out)


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "-"


def run_family(path, repeat):
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    texts = [r["mojibake"] for r in recs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    fix = ftfy.fix_text
    elapsed = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out_default = [fix(t, DEFAULT) for t in texts]
        elapsed = min(elapsed, time.perf_counter() - t0)
    out_enc = [fix(t, ENCODING_ONLY) for t in texts]

    res = {}
    for kind in ("line", "short"):
        idx = [i for i, r in enumerate(recs) if r["kind"] == kind]
        res[kind] = {
            "n": len(idx),
            "ok_default": sum(out_default[i] == recs[i]["original"] for i in idx),
            "ok_enc": sum(out_enc[i] == recs[i]["original"] for i in idx),
            "unchanged_enc": sum(out_enc[i] == recs[i]["mojibake"] for i in idx),
        }
    lang_fail = Counter(
        r["lang"] for r, o in zip(recs, out_enc) if o != r["original"]
    )
    failures = [
        (r, o) for r, o in zip(recs, out_enc) if o != r["original"] and o != r["mojibake"]
    ]
    return res, nbytes, elapsed, lang_fail, failures


def run_clean(limit_langs=None):
    files = sorted(glob.glob(os.path.join(ROOT, "fixtures/clean/*.txt")))
    total = 0
    nbytes = 0
    changed = {"default": 0, "enc": 0}
    per_lang = {"default": Counter(), "enc": Counter()}
    examples = {"default": [], "enc": []}
    elapsed = 0.0
    for path in files:
        lang = os.path.basename(path)[:-4]
        if limit_langs and lang not in limit_langs:
            continue
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        total += len(lines)
        nbytes += sum(len(x.encode("utf-8")) for x in lines)
        for key, cfg in (("default", DEFAULT), ("enc", ENCODING_ONLY)):
            t0 = time.perf_counter()
            out = [ftfy.fix_text(x, cfg) for x in lines]
            if key == "default":
                elapsed += time.perf_counter() - t0
            for a, b in zip(lines, out):
                if a != b:
                    changed[key] += 1
                    per_lang[key][lang] += 1
                    if not any(e[0] == lang for e in examples[key]) and len(a) <= 80:
                        examples[key].append((lang, a, b))
    return total, nbytes, elapsed, changed, per_lang, examples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-clean", action="store_true")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time each family file this many times, report the fastest")
    args = ap.parse_args()

    print(f"ftfy {ftfy.__version__}\n")
    print("| family | lines restored | short restored | lines restored (enc-only) "
          "| short restored (enc-only) | left unchanged (enc-only) | MB/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    all_fail = {}
    tot = Counter()
    for fam in FAMILY_ORDER:
        path = os.path.join(ROOT, "fixtures/mojibake", f"{fam}.jsonl")
        res, nbytes, elapsed, lang_fail, failures = run_family(path, args.repeat)
        line, short = res["line"], res["short"]
        for k in ("n", "ok_default", "ok_enc", "unchanged_enc"):
            tot["line_" + k] += line[k]
            tot["short_" + k] += short[k]
        tot["bytes"] += nbytes
        tot["secs"] += elapsed
        unchanged = line["unchanged_enc"] + short["unchanged_enc"]
        print(
            f"| {fam} | {pct(line['ok_default'], line['n'])} | {pct(short['ok_default'], short['n'])}"
            f" | {pct(line['ok_enc'], line['n'])} | {pct(short['ok_enc'], short['n'])}"
            f" | {pct(unchanged, line['n'] + short['n'])} | {nbytes / elapsed / 1e6:.2f} |"
        )
        all_fail[fam] = (lang_fail, failures)
    print(
        f"| **all** | {pct(tot['line_ok_default'], tot['line_n'])}"
        f" | {pct(tot['short_ok_default'], tot['short_n'])}"
        f" | {pct(tot['line_ok_enc'], tot['line_n'])} | {pct(tot['short_ok_enc'], tot['short_n'])}"
        f" | {pct(tot['line_unchanged_enc'] + tot['short_unchanged_enc'], tot['line_n'] + tot['short_n'])}"
        f" | {tot['bytes'] / tot['secs'] / 1e6:.2f} |"
    )

    print("\nNot restored (enc-only), by source language:\n")
    for fam in FAMILY_ORDER:
        lang_fail, failures = all_fail[fam]
        top = ", ".join(f"{l} {n}" for l, n in lang_fail.most_common(6))
        print(f"- {fam}: {top or '-'}")
    print("\nChanged but wrong (enc-only), first example per family:\n")
    for fam in FAMILY_ORDER:
        _, failures = all_fail[fam]
        if failures:
            r, o = failures[0]
            print(f"- {fam} ({len(failures)}): `{show(r['mojibake'])}` -> `{show(o)}`"
                  f" (original `{show(r['original'])}`)")

    if args.skip_clean:
        return
    total, nbytes, elapsed, changed, per_lang, examples = run_clean()
    print(f"\nClean corpus: {total} lines, {nbytes} bytes, default config "
          f"{nbytes / elapsed / 1e6:.2f} MB/s\n")
    print("| config | lines changed | % |")
    print("|---|---:|---:|")
    print(f"| default | {changed['default']} | {pct(changed['default'], total)} |")
    print(f"| encoding-only | {changed['enc']} | {pct(changed['enc'], total)} |")
    for key in ("default", "enc"):
        top = ", ".join(f"{l} {n}" for l, n in per_lang[key].most_common(10))
        print(f"\n{key}: most changed languages: {top}\n")
        for lang, a, b in examples[key][:: max(1, len(examples[key]) // 10)][:10]:
            print(f"- {lang}: `{show(a)}` -> `{show(b)}`")


if __name__ == "__main__":
    main()
