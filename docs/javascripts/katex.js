// Typeset the math that pymdownx.arithmatex leaves in <span|div class="arithmatex">, with the
// KaTeX served from this site. Material's instant navigation swaps the page body without a
// reload, so typesetting runs on every document$ emission, not only on load.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    // Code is skipped by tag (pre, code); notebook Markdown cells are typeset like pages.
    ignoredClasses: ["highlight", "highlighttable", "jp-OutputArea"],
    throwOnError: false,
  });
});
