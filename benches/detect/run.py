#!/usr/bin/env python3
"""Score mojifix's charset detection on chardet's labelled test corpus.

Usage (from the repository root):

    python3 benches/detect/run.py [CORPUS_TESTS_DIR] [--out DIR] [--failures N] [--no-build]

CORPUS_TESTS_DIR is the `tests/` folder of the chardet 6.0.0.post1 sdist (default:
/work/cache/chardet/chardet-6.0.0.post1/tests). Folders are named `<encoding>-<language>`;
`None` holds binary files, `ascii` plain ASCII.

The script builds and runs `examples/detect_corpus.rs` (release), which writes, for every file,
the detected charset and the whole file decoded with it. A guess is right when that text equals
the file decoded with the labelled Python codec (a leading U+FEFF is ignored on both sides), so
two charsets that give the same text for a file are both right. A `None` (binary) file is right
when it is reported as binary.
"""

import argparse
import collections
import os
import subprocess
import sys

DEFAULT_CORPUS = "/work/cache/chardet/chardet-6.0.0.post1/tests"

# Labels whose WHATWG meaning is a real decoder (`hz-gb-2312` and `iso-2022-kr` map to the
# "replacement" encoding, the `utf-32*` and DOS/EBCDIC/most Mac code pages are not web encodings).
WEB = {
    "ascii", "utf-8", "utf-8-sig", "utf-16", "utf-16be", "utf-16le",
    "big5", "euc-jp", "euc-kr", "cp949", "gb18030", "iso-2022-jp", "shift_jis", "shift-jis",
    "cp932", "cp866", "cp874", "tis-620", "iso-8859-11", "koi8-r", "koi8-u", "macroman",
    "maccyrillic",
} | {f"iso-8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)} | {
    f"windows-{n}" for n in range(1250, 1259)
}

FAMILY = {}
for e in ["ascii", "utf-8", "utf-8-sig", "utf-16", "utf-16be", "utf-16le", "utf-32",
          "utf-32be", "utf-32le"]:
    FAMILY[e] = "UTF/ASCII"
for e in ["big5", "cp932", "cp949", "euc-jp", "euc-kr", "gb18030", "hz-gb-2312",
          "iso-2022-jp", "iso-2022-kr", "johab", "shift_jis", "shift-jis"]:
    FAMILY[e] = "CJK"
for e in ["windows-1251", "iso-8859-5", "koi8-r", "koi8-u", "koi8-t", "kz1048", "ptcp154"]:
    FAMILY[e] = "Cyrillic"
for e in ["windows-1252", "iso-8859-1", "iso-8859-15", "iso-8859-14", "iso-8859-10"]:
    FAMILY[e] = "Western"
for e in ["windows-1250", "iso-8859-2", "iso-8859-16"]:
    FAMILY[e] = "Central European"
for e in ["windows-1253", "iso-8859-7"]:
    FAMILY[e] = "Greek"
for e in ["windows-1254", "iso-8859-9"]:
    FAMILY[e] = "Turkish"
for e in ["windows-1255", "iso-8859-8"]:
    FAMILY[e] = "Hebrew"
for e in ["windows-1256", "iso-8859-6"]:
    FAMILY[e] = "Arabic"
for e in ["windows-1257", "iso-8859-13", "iso-8859-4"]:
    FAMILY[e] = "Baltic"
for e in ["tis-620", "iso-8859-11", "cp874"]:
    FAMILY[e] = "Thai"
FAMILY["windows-1258"] = "Vietnamese"
for e in ["cp437", "cp720", "cp737", "cp775", "cp850", "cp852", "cp855", "cp856", "cp857",
          "cp858", "cp860", "cp861", "cp862", "cp863", "cp864", "cp865", "cp866", "cp869",
          "cp1125"]:
    FAMILY[e] = "DOS"
for e in ["macroman", "maccyrillic", "macgreek", "maciceland", "maclatin2", "macturkish"]:
    FAMILY[e] = "Mac"
for e in ["cp037", "cp500", "cp1026", "cp424", "cp875"]:
    FAMILY[e] = "EBCDIC"
FAMILY_ORDER = ["UTF/ASCII", "CJK", "Cyrillic", "Western", "Central European", "Greek",
                "Turkish", "Hebrew", "Arabic", "Baltic", "Thai", "Vietnamese", "DOS", "Mac",
                "EBCDIC", "other"]


def split_label(folder):
    if folder in ("None", "ascii"):
        return folder, ""
    enc, _, lang = folder.rpartition("-")
    return enc, lang


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    ap.add_argument("--out", default="/tmp/mojifix-detect-out")
    ap.add_argument("--failures", type=int, default=0, help="list up to N failures")
    ap.add_argument("--no-build", action="store_true", help="reuse the last run's output")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not args.no_build:
        subprocess.run(
            ["cargo", "run", "--quiet", "--release", "--example", "detect_corpus", "--",
             args.corpus, args.out],
            cwd=root, check=True)

    rows = []
    with open(os.path.join(args.out, "results.tsv"), encoding="utf-8") as f:
        for line in f:
            path, charset, method, conf, out, us, label_out = line.rstrip("\n").split("\t")
            rows.append((path, charset, method, float(conf), out, int(us), label_out))

    stats = collections.defaultdict(lambda: [0, 0])  # key -> [right, total]
    failures = []
    total_us = 0
    for path, charset, method, conf, out, us, label_out in rows:
        total_us += us
        folder = path.split("/")[0]
        if folder == "README.txt" or path.endswith("README.txt"):
            continue
        enc, lang = split_label(folder)
        raw = open(os.path.join(args.corpus, path), "rb").read()
        got = open(os.path.join(args.out, out), "rb").read().decode("utf-8")
        if enc == "None":
            ok = method == "binary"
            keys = ["binary (None)"]
        else:
            try:
                want = raw.decode("ascii" if enc == "ascii" else enc)
            except (LookupError, UnicodeDecodeError) as e:
                if label_out == "-":
                    print(f"label not decodable: {path}: {e}", file=sys.stderr)
                    continue
                want = None
            got = got.lstrip("\ufeff")
            ok = want is not None and got == want.lstrip("\ufeff")
            if not ok and label_out != "-":
                alt = open(os.path.join(args.out, label_out), "rb").read().decode("utf-8")
                ok = got == alt.lstrip("\ufeff")
                stats["right by WHATWG table only"][0] += ok
            fam = FAMILY.get(enc, "other")
            keys = ["all text", fam, "enc:" + enc]
            if enc in WEB:
                keys.append("web encodings")
        for k in keys:
            stats[k][1] += 1
            stats[k][0] += ok
        if not ok:
            failures.append((path, charset, method, conf))

    def pct(k):
        r, t = stats[k]
        return f"{100.0 * r / t:5.1f}% ({r}/{t})" if t else "-"

    if args.markdown:
        print("| set | right |")
        print("|---|---:|")
        for k in ["all text", "web encodings"] + FAMILY_ORDER + ["binary (None)"]:
            if stats[k][1]:
                print(f"| {k} | {pct(k)} |")
    else:
        for k in ["all text", "web encodings"] + FAMILY_ORDER + ["binary (None)"]:
            if stats[k][1]:
                print(f"{k:18} {pct(k)}")
        print()
        encs = sorted(k for k in stats if k.startswith("enc:"))
        for k in encs:
            r, t = stats[k]
            if r < t:
                print(f"  {k[4:]:14} {pct(k)}")
    print(f"right only with the WHATWG table of the label: {stats['right by WHATWG table only'][0]}")
    print(f"\ndetection time: {total_us / 1000:.1f} ms for {len(rows)} files")
    if args.failures:
        print("\nfailures (file, guess, method, confidence):")
        for f in failures[: args.failures]:
            print("  ", *f)


if __name__ == "__main__":
    main()
