// The site's one script of its own. Code blocks wider than their column scroll sideways
// inside themselves; this marks each one that does (data-overflows on its <pre>), so that
// site.css shows a hint at its right edge, until the reader has scrolled to the end. A
// ResizeObserver sees a block change width: a turned phone, or a <details> that opens.
(() => {
  const mark = (code) => {
    const pre = code.parentElement;
    if (code.scrollWidth <= code.clientWidth + 1) {
      delete pre.dataset.overflows;
      return;
    }
    const atEnd = code.scrollLeft + code.clientWidth >= code.scrollWidth - 1;
    pre.dataset.overflows = atEnd ? "end" : "yes";
  };
  const watch = () => {
    const resized = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));
    document.querySelectorAll(".md-typeset pre > code").forEach((code) => {
      resized.observe(code);
      code.addEventListener("scroll", () => mark(code), { passive: true });
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
