//! Edge-case inputs, each run in a child process so that a stack overflow or
//! abort in one crate is reported instead of killing the harness.

pub fn cases() -> Vec<(&'static str, String)> {
    let deep = |n: usize| format!("<html><body>{}<p>deep text here</p>{}</body></html>", "<div>".repeat(n), "</div>".repeat(n));
    let para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20_000);
    vec![
        ("empty", String::new()),
        ("whitespace", "   \n\t  ".into()),
        ("plain-text", "Just a line of text, no markup at all.\nSecond line.".into()),
        ("fragment", "<p>One paragraph only, no html or body element.</p>".into()),
        ("unclosed", "<html><body><p><b><i>unclosed <div><table><tr><td>cell <p>more".into()),
        ("deep-5k", deep(5_000)),
        ("deep-50k", deep(50_000)),
        ("huge-paragraph-1MB", format!("<html><body><article><p>{para}</p></article></body></html>")),
        ("many-paragraphs-20k", format!("<html><body><article>{}</article></body></html>", "<p>Short paragraph of text, with a comma.</p>".repeat(20_000))),
        ("nul-and-fffd", "<html><body><p>a\u{0}b \u{FFFD}\u{FFFD} c\u{1}d text text text text text</p></body></html>".into()),
        ("latin1-meta-utf8-text", "<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>Café naïve façade — “quoted” text that is long enough to be kept as the article body of this page, repeated. Café naïve façade — “quoted” text that is long enough to be kept.</p></article></body></html>".into()),
        ("rtl-cjk", "<html><body><article><p>مرحبا بالعالم هذا نص عربي طويل بما يكفي ليكون مقالة كاملة في هذه الصفحة.</p><p>这是一个足够长的中文段落，用来测试提取器是否能够正确处理中文字符。这是一个足够长的中文段落。</p></article></body></html>".into()),
        ("svg-math", "<html><body><svg><text>svg text</text><foreignObject><p>inside</p></foreignObject></svg><math><mi>x</mi></math><p>After the svg, a real paragraph of text that should be kept.</p></body></html>".into()),
        ("frameset", "<html><frameset><frame src=\"a.html\"><noframes><p>No frames text.</p></noframes></frameset></html>".into()),
        ("xhtml-cdata", "<?xml version=\"1.0\"?><!DOCTYPE html><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p><![CDATA[cdata text]]> and normal text that is long enough to matter.</p></body></html>".into()),
    ]
}
