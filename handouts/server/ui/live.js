// The live preview in the browser: follows the server's events, and lays a handout's
// printed HTML out as pages (its @page size, margins, header and footer), the way
// the printer will. The handout's own HTML is not changed on the server: the pages
// are made here, in the frame, from the same document that is printed.
"use strict";

(function () {
  const body = document.body;
  const page = body.dataset.page || "";
  const pdf = body.dataset.pdf || "";
  const events = new EventSource("/events" + (pdf ? "?pdf=" + encodeURIComponent(pdf) : ""));
  let version = Number(body.dataset.version || 0);

  function later(action, wait = 30) {  // several events in a row make one refresh
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(action, wait); };
  }

  async function replace(selector, url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) return;
    const target = document.querySelector(selector);
    if (target) target.innerHTML = await response.text();
  }

  if (!page) {  // the index
    const refresh = later(async () => {
      const response = await fetch("/?part=main", { cache: "no-store" });
      if (!response.ok) return;
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();
      document.getElementById("main").replaceWith(holder.firstElementChild);
    }, 250);  // a build announces every PDF: the index need not follow each one
    for (const name of ["preview", "pdf", "built"]) events.addEventListener(name, refresh);
    return;
  }

  const panel = later(() => replace("#panel", "/panel/" + page));
  events.addEventListener("preview", (event) => {
    const data = JSON.parse(event.data);
    version = data.version;
    if (data.changed.includes(page)) swap();
    panel();
  });
  events.addEventListener("pdf", (event) => { if (JSON.parse(event.data).pdf === pdf) panel(); });
  events.addEventListener("built", panel);
  events.addEventListener("hello", (event) => {  // (re)connected: catch up with what was missed
    if (JSON.parse(event.data).version !== version) { version = JSON.parse(event.data).version; swap(); panel(); }
  });

  // A new preview loads in a hidden frame and replaces the shown one once laid out: no flicker.
  // Only the latest is shown: one overtaken by a newer save while it loaded is dropped.
  let latest = 0;
  function swap() {
    const mine = ++latest;
    const holder = document.getElementById("sheets");
    const shown = holder.querySelector("iframe:not(.loading)");
    const next = document.createElement("iframe");
    next.className = "handout loading";
    next.title = shown ? shown.title : "";
    next.addEventListener("load", async () => {
      await paginate(next);
      if (mine !== latest) { next.remove(); return; }
      const scroll = shown ? shown.contentWindow.scrollY : 0;
      next.classList.remove("loading");
      next.contentWindow.scrollTo(0, scroll);
      for (const old of holder.querySelectorAll("iframe")) if (old !== next) old.remove();
    });
    next.src = "/pages/" + page + "?v=" + version;
    holder.appendChild(next);
  }

  const first = document.querySelector("#sheets iframe");
  first.addEventListener("load", () => paginate(first));
  const loaded = first.contentDocument;  // it may have loaded before this script ran
  if (loaded && loaded.readyState === "complete" && loaded.location.href !== "about:blank") paginate(first);

  // -- pages ---------------------------------------------------------------------------

  async function paginate(frame) {
    const doc = frame.contentDocument;
    if (!doc || !doc.body || doc.body.dataset.paged || doc.location.href === "about:blank") return;
    doc.body.dataset.paged = "laying out";
    await doc.fonts.ready;
    const box = pageBox(doc);
    const style = doc.createElement("style");
    style.textContent = SHEET_CSS;
    doc.head.appendChild(style);
    const sheets = [];
    const source = Array.from(doc.body.childNodes);
    let area = null;
    let placed = 0;

    function newSheet(chain) {
      const sheet = doc.createElement("div");
      sheet.className = "preview-sheet";
      Object.assign(sheet.style, { width: box.width + "px", height: box.height + "px",
        paddingTop: box.margin[0] + "px", paddingRight: box.margin[1] + "px",
        paddingBottom: box.margin[2] + "px", paddingLeft: box.margin[3] + "px" });
      area = doc.createElement("div");
      area.className = "preview-area";
      sheet.appendChild(area);
      doc.body.appendChild(sheet);
      sheets.push(sheet);
      placed = 0;
      let parent = area;  // the ancestors of what is being placed, again on the new sheet
      for (const ancestor of chain) {
        const copy = ancestor.cloneNode(false);
        parent.appendChild(copy);
        parent = copy;
      }
      return parent;
    }
    const limit = () => box.height - box.margin[0] - box.margin[2];
    const fits = () => area.scrollHeight <= limit() + 1;

    function place(node, parent, chain) {
      parent.appendChild(node);
      if (node.nodeType !== 1) return parent;
      if (fits()) { placed += 1; return parent; }
      const split = splittable(node);  // read while it is in the document: its computed style
      parent.removeChild(node);
      if (split) {  // its children one by one, it again on each new sheet
        const copy = node.cloneNode(false);
        parent.appendChild(copy);
        let inner = copy;
        for (const child of Array.from(node.childNodes)) inner = place(child, inner, [...chain, node]);
        return inner.parentNode;  // where its next sibling goes: maybe on a later sheet
      }
      if (placed === 0) { parent.appendChild(node); placed += 1; return parent; }  // too tall for any page
      const carried = [];  // a heading never ends a page
      while (parent.lastElementChild && /^H[1-6]$/.test(parent.lastElementChild.tagName)) {
        carried.unshift(parent.removeChild(parent.lastElementChild));
      }
      const fresh = newSheet(chain);
      for (const heading of carried) fresh.appendChild(heading);
      fresh.appendChild(node);
      placed += 1;
      return fresh;
    }
    let target = newSheet([]);
    for (const node of source) target = place(node, target, []);
    doc.body.dataset.paged = "true";
    sheets.forEach((sheet, index) => margins(doc, sheet, box, index + 1, sheets.length));
    frame.style.height = doc.documentElement.scrollHeight + "px";
  }

  function splittable(node) {
    if (!/^(MAIN|SECTION|FOOTER|DIV|OL|UL|DL|ARTICLE)$/.test(node.tagName)) return false;
    const style = node.ownerDocument.defaultView.getComputedStyle(node);
    return style.breakInside !== "avoid" && style.pageBreakInside !== "avoid" && node.children.length > 0;
  }

  // The page as the print styles set it: size, margins and the margin boxes' text.
  function pageBox(doc) {
    let size = "letter", margin = ["0.75in", "0.75in", "0.75in", "0.75in"];
    const boxes = {};
    for (const sheet of Array.from(doc.styleSheets)) {
      let rules;
      try { rules = sheet.cssRules; } catch (error) { continue; }
      for (const rule of Array.from(rules)) {
        if (!(rule instanceof doc.defaultView.CSSPageRule) || rule.selectorText) continue;
        const s = rule.style;
        if (s.getPropertyValue("size")) size = s.getPropertyValue("size");
        ["margin-top", "margin-right", "margin-bottom", "margin-left"].forEach((name, i) => {
          if (s.getPropertyValue(name)) margin[i] = s.getPropertyValue(name);
        });
        for (const inner of Array.from(rule.cssRules || [])) {
          if (!inner.name) continue;
          const known = boxes[inner.name] || { css: "", content: "" };
          known.css += ";" + inner.style.cssText;
          if (inner.style.getPropertyValue("content")) known.content = inner.style.getPropertyValue("content");
          boxes[inner.name] = known;
        }
      }
    }
    const [width, height] = pageSize(doc, size);
    return { width, height, margin: margin.map((m) => length(doc, m)), boxes };
  }

  function pageSize(doc, size) {
    const named = { letter: ["8.5in", "11in"], a4: ["210mm", "297mm"], a5: ["148mm", "210mm"],
                    legal: ["8.5in", "14in"] };
    const words = size.trim().toLowerCase().split(/\s+/);
    let pair = named[words[0]] || (words.length >= 2 ? [words[0], words[1]] : ["8.5in", "11in"]);
    if (words.includes("landscape")) pair = [pair[1], pair[0]];
    return pair.map((value) => length(doc, value));
  }

  function length(doc, value) {
    const probe = doc.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;height:0;width:" + value;
    doc.body.appendChild(probe);
    const px = probe.getBoundingClientRect().width;
    probe.remove();
    return px;
  }

  function margins(doc, sheet, box, number, total) {
    const places = {
      "top-left": { top: 0, height: box.margin[0], left: box.margin[3], right: box.margin[1], align: "flex-end" },
      "top-right": { top: 0, height: box.margin[0], left: box.margin[3], right: box.margin[1], align: "flex-end",
                     text: "right" },
      "bottom-left": { top: box.height - box.margin[2], height: box.margin[2], left: box.margin[3],
                       right: box.margin[1], align: "flex-start" },
      "bottom-right": { top: box.height - box.margin[2], height: box.margin[2], left: box.margin[3],
                        right: box.margin[1], align: "flex-start", text: "right" },
    };
    for (const [name, place] of Object.entries(places)) {
      const found = box.boxes[name];
      if (!found || !found.content) continue;
      const outer = doc.createElement("div");
      outer.className = "preview-margin preview-" + name;
      Object.assign(outer.style, { top: place.top + "px", height: place.height + "px", left: place.left + "px",
                                   right: place.right + "px", alignItems: place.align,
                                   justifyContent: place.text === "right" ? "flex-end" : "flex-start" });
      const inner = doc.createElement("div");
      inner.style.cssText = found.css;
      inner.style.textAlign = place.text || "left";
      if (!/white-space/.test(found.css)) inner.style.whiteSpace = "pre-line";
      inner.textContent = contentText(found.content, number, total);
      outer.appendChild(inner);
      sheet.appendChild(outer);
    }
  }

  // The text of a CSS `content` value: strings (with their escapes) and the page counters.
  function contentText(value, number, total) {
    let text = "";
    const token = /"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|counter\(\s*(pages?)\s*\)/g;
    let match;
    while ((match = token.exec(value)) !== null) {
      if (match[3]) { text += match[3] === "page" ? number : total; continue; }
      text += (match[1] ?? match[2]).replace(/\\([0-9a-fA-F]{1,6})\s?|\\([\s\S])/g,
        (all, hex, other) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : other));
    }
    return text;
  }

  const SHEET_CSS = `
    html { background: #e4e4e4 !important; }
    body { margin: 0 !important; padding: 18px 0 6px !important; }
    .preview-sheet { position: relative; box-sizing: border-box; margin: 0 auto 18px; background: #fff;
                     box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); overflow: hidden; }
    .preview-area { display: flow-root; height: 100%; }
    .preview-margin { position: absolute; display: flex; box-sizing: border-box; }
    .preview-margin > div { box-sizing: border-box; }
  `;
})();
