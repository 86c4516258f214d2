"""The HTML plan's style sheet, embedded in the page (nothing is fetched from a network).

The PDF's colours (``style.py``), system fonts, text at least 16 px on screen, contrast
of at least 4.5:1 everywhere (the muted grey is 7:1 on white), figures right-aligned in
tabular digits; for print, A4 with the section titles starting pages and table headings
repeated on each page.
"""

CSS = """
:root {
  --ink: #0b0c0c; --navy: #1f3a5f; --blue: #1d5a8e; --muted: #505a5f;
  --rule: #b1b4b6; --head: #e6ecf2; --band: #f3f5f7;
}
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font-family: "Segoe UI", Arial, "Helvetica Neue", "DejaVu Sans", sans-serif;
  line-height: 1.5;
}
.vh {
  position: absolute !important;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  clip-path: inset(50%);
  white-space: nowrap;
}
.skip {
  position: absolute;
  left: -9999px;
  top: 0;
  padding: .5rem 1rem;
  background: #fd0;
  color: var(--ink);
}
.skip:focus { left: 0; z-index: 10; }
header.masthead {
  background: var(--navy);
  color: #fff;
  padding: 1.5rem 0 1.25rem;
  border-bottom: .5rem solid #2f6da3;
}
header.masthead > div, main, footer > div { max-width: 66rem; margin: 0 auto; padding: 0 1rem; }
header.masthead .issuer { text-transform: uppercase; letter-spacing: .04em; margin: 0 0 .25rem; }
header.masthead h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.25rem; margin: 0; }
.facts dt { font-weight: normal; }
.facts dd { margin: 0; font-weight: bold; }
.draft-banner {
  background: #fd0;
  color: var(--ink);
  font-weight: bold;
  padding: .4rem .75rem;
  margin: 0 0 1rem;
  display: inline-block;
}
header.masthead p.note { margin: .75rem 0 0; }
nav.contents {
  border-left: .3rem solid var(--navy);
  padding: .25rem 1rem;
  margin: 1.5rem 0 2rem;
  background: var(--band);
}
nav.contents h2 { border-top: 0; margin: .5rem 0; padding-top: 0; }
nav.contents ol { margin: .25rem 0; padding-left: 1.5rem; }
nav.contents ol ol { list-style: none; padding-left: 1rem; }
a { color: var(--blue); text-decoration: underline; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: var(--ink); }
h2 {
  color: var(--navy);
  font-size: 1.6rem;
  line-height: 1.25;
  margin: 2.5rem 0 .75rem;
  padding-top: .5rem;
  border-top: 2px solid var(--navy);
}
h3 { color: var(--navy); font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
p.small, p.caption, .figures caption, .legend { font-size: .9rem; color: var(--muted); }
p.caption { margin-top: .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; font-size: .9rem; }
caption {
  text-align: left;
  font-weight: bold;
  color: var(--ink);
  padding: 0 0 .35rem;
  font-size: 1rem;
}
th, td {
  text-align: left;
  vertical-align: top;
  padding: .3rem .45rem;
  border-bottom: 1px solid var(--rule);
  overflow-wrap: break-word;
}
thead th {
  background: var(--head);
  color: var(--navy);
  border-bottom: 2px solid var(--navy);
  vertical-align: bottom;
}
tbody th { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num, .fit { overflow-wrap: normal; white-space: nowrap; }
table.figures { width: auto; min-width: 50%; }
thead th.num { white-space: normal; }
.strong, tr.total th, tr.total td { font-weight: bold; }
tr.total th, tr.total td {
  border-top: 2px solid var(--navy);
  border-bottom: 2px solid var(--navy);
}
tr.group th { background: var(--band); font-weight: bold; letter-spacing: .02em; }
figure { margin: 1rem 0; }
figure svg.chart, figure img.trend { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .35rem; }
.legend {
  list-style: none;
  padding: 0;
  display: flex;
  flex-wrap: wrap;
  gap: .25rem 1.25rem;
  margin: .5rem 0;
}
.swatch {
  display: inline-block;
  width: .9rem;
  height: .9rem;
  margin-right: .35rem;
  vertical-align: -.1rem;
  border: 1px solid var(--muted);
}
table.heat td { width: 20%; }
footer {
  border-top: 1px solid var(--rule);
  color: var(--muted);
  padding: 1rem 0;
  margin-top: 2rem;
  font-size: .9rem;
}
@media print {
  @page { size: A4; margin: 18mm 16mm 18mm; }
  body { font-size: 10pt; }
  .skip { display: none; }
  header.masthead {
    background: #fff;
    color: var(--ink);
    border-bottom: 2pt solid var(--navy);
    padding: 0 0 8mm;
  }
  header.masthead h1 { color: var(--navy); }
  a { color: var(--ink); text-decoration: none; }
  nav.contents { background: #fff; }
  section.plan-section, nav.contents { break-before: page; }
  h2, h3, caption { break-after: avoid; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  .draft-banner { border: 1pt solid var(--ink); }
}
"""
