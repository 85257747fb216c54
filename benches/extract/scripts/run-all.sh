#!/usr/bin/env bash
# Rerun the whole evaluation. Sequential on purpose (2 shared cores).
# Timing is sensitive to other load: check `uptime` first; numbers in
# RESULTS.md are best-of-5 on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p results
cargo build --release
./target/release/extract-eval validate                       # scorer self-check: 1.0 / 0.0
cargo test --release                                         # scorer + post-processing unit tests
./target/release/extract-eval run all --repeats 5 --dump out --results results | tee results/run-all.txt
./target/release/extract-eval run trafilatura+fallback+precision:html dom_smoothie+formatted libreadability rs-trafilatura \
    --repeats 1 --post --results results | tee results/run-post.txt
./target/release/extract-eval post-sweep out/dom_smoothie_formatted out/libreadability \
    out/trafilatura_fallback_precision_html out/rs-trafilatura | tee results/post-sweep.txt
./target/release/extract-eval robust | tee results/robust.txt  # edge cases, one child process each
cargo run --release --example charset | tee results/charset.txt
# same-machine Python reference (venv outside the crate)
if [ ! -x /tmp/trafvenv/bin/python ]; then
  python3 -m venv /tmp/trafvenv
  /tmp/trafvenv/bin/pip install -q trafilatura==2.3.1 lxml_html_clean
fi
/tmp/trafvenv/bin/python scripts/py_trafilatura.py out/py-trafilatura 3 default | tee results/python.txt
/tmp/trafvenv/bin/python scripts/py_trafilatura.py out/py-trafilatura-precision 3 precision | tee -a results/python.txt
./target/release/extract-eval score-dir out/py-trafilatura out/py-trafilatura-precision | tee -a results/python.txt
