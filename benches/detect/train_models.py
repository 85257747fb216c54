#!/usr/bin/env python3
"""Train the character-bigram language models used by mojifix's statistical charset guess
(src/decode/detect.rs) and write them to src/decode/lang_models.bin.

Lines of command-line help (containing any of []{}<>%_=\\/@#$^~`* or "--") are skipped, so
the models reflect prose punctuation.

Training text (all of it from this machine, none from any charset-detection test corpus):
  * fixtures/clean/<lang>.txt - the translated strings of the gettext catalogs in
    /usr/share/locale (see fixtures/clean/README.md), for every language written in a script
    that single-byte code pages cover (Latin, Cyrillic, Greek, Hebrew, Arabic, Thai);
  * "en": the English source strings (msgid) of the catalogs in /usr/share/locale/fr;
  * languages that fixtures/clean lacks (Maltese) read straight from their .mo catalogs.

Model: for each language, the most frequent letters (lower-cased, at most MAX_LETTERS), the
shared punctuation (SHARED) and a few other frequent non-letters get a symbol each; five more
symbols stand for ASCII whitespace, ASCII digits, any other letter, any other non-letter, and
box-drawing/block characters (U+2500..U+25FF, absent from the training text; costs set by
hand: 4 bits for a box character after another, 16 bits after a letter, 11 bits after anything
else). The file stores, for every pair of symbols (a, b), -log2 P(b | a) in tenths of a bit (one
byte, capped at 255), with P interpolated between the bigram and the unigram estimates; pairs
that involve shared punctuation are mixed 20/80 with statistics pooled over all languages.

Gettext catalogs are a small and formal sample, so a few bounds keep rare-but-real text from
reading worse than a wrong code page (each measured on the benchmark, see README.md):
  * a letter the language uses is never less likely than a letter it does not use (French
    "naïve" must not cost more than the "naÔve" of a wrong Mac reading);
  * a letter the language does not use, or a non-letter the model has no symbol for, costs
    between OOV_MIN_BITS and OOV_MAX_BITS (OTHER_MAX_BITS) whatever the catalogs say: small
    catalogs such as the Icelandic ones otherwise make foreign letters far cheaper than big
    ones such as the French ones do;
  * the non-ASCII shared punctuation (currency signs, guillemets, dashes), far more common on
    the web than in catalogs, costs at most SHARED_FLOOR_BITS.

Format (little endian): b"MJLM", u8 version=1, u8 count; then per language: u8 name length,
name (ASCII), u8 script, u8 n (alphabet size), n x u32 code points, (n+5)^2 bytes of costs,
row-major (row = previous symbol). Scripts: 0 Latin, 1 Cyrillic, 2 Greek, 3 Hebrew, 4 Arabic,
5 Thai.

Rerun: python3 benches/detect/train_models.py   (from the repository root)
"""

import collections
import glob
import math
import os
import struct
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_LETTERS = 72
MAX_OTHERS = 40
MIN_FREQ = 2e-5
MIN_OTHER_FREQ = 1e-4
SKIP = {"an", "ast", "fur", "lg", "li", "nso", "sc", "tl", "tt", "ug", "wa", "xh", "yi", "ia",
        "ku", "nds", "ms", "pt_PT", "pt", "nn", "bs", "ps", "crh", "af", "oc", "mn"}
MAX_BYTES = 400_000
SHARED_FLOOR_BITS = 12
OOV_MIN_BITS = 12
OOV_MAX_BITS = 16
OTHER_MAX_BITS = 16
BOX_AFTER_LETTER_BITS = 16
SPACE, DIGIT, OOV_LETTER, OOV_OTHER, BOX = range(5)
RESERVED = 5
SCRIPTS = ["LATIN", "CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI"]


def mo_strings(path, want_ids):
    """The msgid (want_ids) or msgstr strings of a compiled gettext catalog, as UTF-8 text."""
    data = open(path, "rb").read()
    if len(data) < 28:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    charset = "utf-8"
    out = []
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        msgid = data[oo: oo + ol]
        msgstr = data[to: to + tl]
        if ol == 0:
            header = msgstr.decode("ascii", "replace")
            for line in header.split("\n"):
                if "charset=" in line:
                    charset = line.split("charset=")[1].strip() or "utf-8"
            continue
        raw = msgid if want_ids else msgstr
        try:
            s = raw.decode("ascii" if want_ids else charset)
        except (UnicodeDecodeError, LookupError):
            continue
        out.extend(p for p in s.split("\0") if p)
    return out


def script_of(text):
    counts = collections.Counter()
    for c in text:
        if ord(c) > 0x7F and c.isalpha():
            name = unicodedata.name(c, "")
            counts[name.split(" ")[0]] += 1
    if not counts:
        return 0
    top, n = counts.most_common(1)[0]
    latin_ascii = sum(1 for c in text if c.isascii() and c.isalpha())
    if top in SCRIPTS[1:] and n * 4 > latin_ascii * 0.1:
        return SCRIPTS.index(top)
    if top == "LATIN":
        return 0
    return None


# Lines of command-line help (usage synopses, format strings, option lists) overweight brackets,
# pipes and percent signs compared with prose; they are left out of training.
TECHNICAL = set("[]{}<>%_=\\/@#$^~`*")


def prose(line):
    return sum(1 for c in line if c in TECHNICAL) == 0 and "--" not in line


def lower(c):
    l = c.lower()
    return l[0] if l else c


# Punctuation every model has a symbol for, and whose statistics are shared between languages:
# a web page's "Home » News" breadcrumbs or quotes do not tell its language, and a model should
# not lose to another one on them.
SHARED = set("!\"'(),-.:;?|[]&+*/") | set("«»“”„‘’–—…€£°§·•¿¡\u00a0")


def prose_text(text):
    return "\n".join(l for l in text.split("\n") if prose(l))[:MAX_BYTES]


def token(c):
    """Language-independent class of a character, for the pooled punctuation statistics."""
    if c in " \t\r\n":
        return " "
    if "0" <= c <= "9":
        return "0"
    if c in SHARED:
        return c
    return "L" if c.isalpha() else "O"


def pooled_counts(texts):
    pool = collections.defaultdict(collections.Counter)
    for text in texts:
        for line in text.split("\n"):
            prev = " "
            for c in line:
                t = token(c)
                pool[prev][t] += 1
                prev = t
            pool[prev][" "] += 1
    return pool


def train(name, text, pool):
    script = script_of(text)
    if script is None:
        return None
    chars = collections.Counter()
    total = 0
    for c in text:
        if c in " \t\r\n" or ("0" <= c <= "9"):
            continue
        chars[lower(c)] += 1
        total += 1
    ranked = chars.most_common()
    letters = [c for c, k in ranked if c.isalpha() and k >= MIN_FREQ * total and k >= 3]
    others = [c for c, k in ranked if not c.isalpha() and k >= MIN_OTHER_FREQ * total]
    others = [c for c in others if c not in SHARED][: MAX_OTHERS - len(SHARED)]
    alpha = letters[:MAX_LETTERS] + sorted(SHARED) + others
    index = {c: i + RESERVED for i, c in enumerate(alpha)}
    n = len(alpha) + RESERVED

    def sym(c):
        if c in " \t\r\n":
            return SPACE
        if "0" <= c <= "9":
            return DIGIT
        if 0x2500 <= ord(c) <= 0x25FF:
            return BOX
        l = lower(c)
        if l in index:
            return index[l]
        return OOV_LETTER if c.isalpha() else OOV_OTHER

    big = [[0] * n for _ in range(n)]
    uni = [0] * n
    for line in text.split("\n"):
        prev = SPACE
        for c in line:
            s = sym(c)
            big[prev][s] += 1
            uni[s] += 1
            prev = s
        big[prev][SPACE] += 1
        uni[SPACE] += 1
    tot = sum(uni)
    # Unigram with a floor, so unseen classes keep a small probability.
    p_uni = [(u + 0.5) / (tot + 0.5 * n) for u in uni]
    p_uni[OOV_LETTER] = min(p_uni[OOV_LETTER], 1e-4)
    p_uni[BOX] = 2 ** -12
    # The language's letters' shares among its letters, for the pooled estimates.
    letter_syms = [index[c] for c in letters[:MAX_LETTERS]] + [OOV_LETTER]
    letter_total = sum(uni[i] for i in letter_syms) or 1
    shared_syms = {index[c]: c for c in SHARED}
    tok_of = {SPACE: " ", DIGIT: "0", OOV_LETTER: "L", OOV_OTHER: "O", BOX: "O"}
    for c, i in index.items():
        tok_of[i] = token(c)

    def pooled(a, b):
        row = pool[tok_of[a]]
        total_row = sum(row.values()) or 1
        tb = tok_of[b]
        p = (row[tb] + 0.5) / (total_row + 0.5 * len(row))
        if tb == "L":
            p *= (uni[b] + 0.5) / letter_total
        elif tb == "O":
            p *= 0.1
        return p

    letter_set = set(index[c] for c in letters[:MAX_LETTERS])

    def prob(a, b, row_total, lam):
        if a == BOX:
            return 2 ** -4 if b == BOX else 2 ** -3 * p_uni[b]
        if b == BOX:
            # Box drawing and geometric shapes follow spaces, punctuation and each other; one
            # right after a letter ("f│r") is a letter read with the wrong code page.
            return 2.0 ** -BOX_AFTER_LETTER_BITS if a in letter_set or a == OOV_LETTER else 2 ** -11
        ml = big[a][b] / row_total if row_total else 0.0
        p = lam * ml + (1 - lam) * p_uni[b]
        if (a in shared_syms or b in shared_syms) and BOX not in (a, b):
            p = 0.2 * p + 0.8 * pooled(a, b)
        if b == OOV_LETTER:
            p = min(max(p, 2.0 ** -OOV_MAX_BITS), 2.0 ** -OOV_MIN_BITS)
        if b == OOV_OTHER:
            p = max(p, 2.0 ** -OTHER_MAX_BITS)
        return p

    costs = bytearray()
    for a in range(n):
        row_total = sum(big[a])
        lam = row_total / (row_total + 20.0)
        # A letter of the language is never less likely than one it does not use at all: a
        # rare letter after an unusual neighbour ("calorïau") must not read worse than a
        # foreign one.
        p_oov = prob(a, OOV_LETTER, row_total, lam)
        for b in range(n):
            p = prob(a, b, row_total, lam)
            if b in letter_set:
                p = max(p, p_oov)
            elif b in shared_syms and not shared_syms[b].isascii():
                # Web text has far more currency signs, guillemets and dashes than gettext
                # catalogs: none of them is rarer than 1 in 2^SHARED_FLOOR_BITS.
                p = max(p, 2.0 ** -SHARED_FLOOR_BITS)
            costs.append(min(255, max(0, round(-math.log2(p) * 10))))
    return script, alpha, costs


def main():
    texts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "clean", "*.txt"))):
        lang = os.path.basename(path)[:-4]
        if lang.startswith(("zh", "ja", "ko")) or lang in SKIP:
            continue
        texts[lang] = open(path, encoding="utf-8").read()
    en = []
    for mo in sorted(glob.glob("/usr/share/locale/fr/LC_MESSAGES/*.mo")):
        en.extend(mo_strings(mo, True))
    texts["en"] = "\n".join(dict.fromkeys(en))
    for lang in ["mt"]:
        if lang not in texts:
            strs = []
            for mo in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
                strs.extend(mo_strings(mo, False))
            texts[lang] = "\n".join(dict.fromkeys(strs))
    out = bytearray(b"MJLM")
    models = []
    texts = {lang: prose_text(t) for lang, t in texts.items() if len(t) >= 3000}
    pool = pooled_counts(texts.values())
    for lang, text in sorted(texts.items()):
        m = train(lang, text, pool)
        if m is None:
            continue
        models.append((lang, m))
    out += struct.pack("<BB", 1, len(models))
    for lang, (script, alpha, costs) in models:
        out += struct.pack("<B", len(lang)) + lang.encode("ascii")
        out += struct.pack("<BB", script, len(alpha))
        for c in alpha:
            out += struct.pack("<I", ord(c))
        out += costs
        print(f"{lang:6} {SCRIPTS[script]:8} {len(alpha):3} symbols  {''.join(a for a in alpha if not a.isascii())}")
    path = os.path.join(ROOT, "src", "decode", "lang_models.bin")
    with open(path, "wb") as f:
        f.write(out)
    print(f"wrote {path}: {len(models)} models, {len(out)} bytes")


if __name__ == "__main__":
    main()
