#!/usr/bin/env python3
"""mojifix vs ftfy on the same input, timed as whole processes in one run.

Inputs (written to a temporary directory, from the repository's own fixtures):
  clean.txt        fixtures/clean/{fr,de,es,ru,el,zh_CN,ja}.txt concatenated (real text)
  mojibake-1252.txt  the Latin/Cyrillic/Greek part of it, UTF-8 bytes decoded as windows-1252
                     line by line (what a Latin-1 reader makes of it; lines with bytes that
                     windows-1252 leaves undefined are kept as they come out of Python's
                     `errors="replace"`-free `cp1252` decode only when it succeeds)
  mojibake-gbk.txt   the Chinese and Japanese part, UTF-8 decoded as GBK (lossless lines only)

Each tool reads the file and writes the fixed text: `mojifix fix FILE` (release build, one
thread) and `python3 -c 'ftfy.fix_text(...)'` over the lines. Reported: MB/s of input per
tool, the ratio, and the share of lines each restored exactly to the original.

Run from the repository root after `cargo build --release`:
    pip install ftfy==6.3.1 && python3 benches/ftfy/compare.py
"""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOJIFIX = ROOT / "target" / "release" / "mojifix"
FTFY = r"""
import sys, ftfy
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding='utf-8', newline='') as f, open(dst, 'w', encoding='utf-8', newline='') as g:
    for line in f:
        g.write(ftfy.fix_text(line))
"""


def lines(lang):
    return (ROOT / "fixtures" / "clean" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()


def build(tmp: Path):
    western = [l for lang in ("fr", "de", "es", "ru", "el") for l in lines(lang)]
    cjk = [l for lang in ("zh_CN", "ja") for l in lines(lang)]
    pairs = {"clean": [(l, l) for l in western + cjk]}
    m1252 = []
    for l in western:
        try:
            m1252.append((l.encode("utf-8").decode("cp1252"), l))
        except UnicodeDecodeError:
            pass
    pairs["mojibake-1252"] = m1252
    mgbk = []
    for l in cjk:
        try:
            mgbk.append((l.encode("utf-8").decode("gbk"), l))
        except UnicodeDecodeError:
            pass
    pairs["mojibake-gbk"] = mgbk
    for name, ps in pairs.items():
        (tmp / f"{name}.txt").write_text("\n".join(m for m, _ in ps) + "\n", encoding="utf-8")
        (tmp / f"{name}.want").write_text("\n".join(o for _, o in ps) + "\n", encoding="utf-8")
    return list(pairs)


def timed(cmd, out_path=None):
    start = time.perf_counter()
    if out_path is None:
        subprocess.run(cmd, check=True)
    else:
        with open(out_path, "wb") as out:
            subprocess.run(cmd, check=True, stdout=out)
    return time.perf_counter() - start


def exact(got: Path, want: Path):
    g = got.read_text(encoding="utf-8").split("\n")
    w = want.read_text(encoding="utf-8").split("\n")
    same = sum(1 for a, b in zip(g, w) if a == b)
    return same / max(1, len(w))


def main():
    if not MOJIFIX.exists():
        sys.exit("build first: cargo build --release")
    import ftfy  # noqa: F401  (fail early if missing)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        names = build(tmp)
        print(f"ftfy {__import__('ftfy').__version__}, mojifix {MOJIFIX}")
        print(f"{'input':<15} {'MB':>6} {'mojifix MB/s':>13} {'ftfy MB/s':>10} {'ratio':>7} "
              f"{'mojifix exact':>14} {'ftfy exact':>11}")
        for name in names:
            src = tmp / f"{name}.txt"
            size = src.stat().st_size / 1e6
            t_m = timed([str(MOJIFIX), "fix", str(src)], tmp / f"{name}.mojifix")
            t_f = timed([sys.executable, "-c", FTFY, str(src), str(tmp / f"{name}.ftfy")])
            want = tmp / f"{name}.want"
            print(f"{name:<15} {size:>6.1f} {size / t_m:>13.1f} {size / t_f:>10.2f} "
                  f"{t_f / t_m:>6.0f}x {exact(tmp / f'{name}.mojifix', want):>13.1%} "
                  f"{exact(tmp / f'{name}.ftfy', want):>10.1%}")


if __name__ == "__main__":
    main()
