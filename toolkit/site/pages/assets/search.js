// The search page: the query is cut into terms exactly as toolkit/chinese.py cuts the indexed text (pairs of Han
// characters, runs of digits and letters), Pagefind finds the records that contain every term, and the records that
// contain the whole query as written (punctuation and brackets aside) come first. Source text is only ever put into
// the page as text nodes.

// Keep in step with toolkit/chinese.py (_SEARCH_RUN, search_tokens, search_key); a browser test compares them.
const RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\u{20000}-\u{3134f}]+|[0-9a-z]+/gu;
const TOKEN_CHAR = /^(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\u{20000}-\u{3134f}]|[0-9a-z])$/u;

export function searchTokens(text) {
  const out = [];
  for (const [run] of text.normalize("NFKC").toLowerCase().matchAll(RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1 || /^[0-9a-z]/.test(run)) out.push(run);
    else for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

// A token as the index stores it (toolkit/site/search_index.py index_term): Han characters as "zh" and four
// base-36 digits each, because Pagefind cuts Han text in a query into single characters.
export function indexTerm(token) {
  if (/^[0-9a-z]/.test(token)) return token;
  return "zh" + Array.from(token, (c) => c.codePointAt(0).toString(36).padStart(4, "0")).join("");
}

export function searchKey(text) {
  return Array.from(text.normalize("NFKC").toLowerCase().matchAll(RUN), (m) => m[0]).join("");
}

const BATCH = 20; // records ranked and shown at a time
const root = new URL("../", import.meta.url); // the site root: assets/ is directly below it

let pagefind = null;
async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // In the page, not in a web worker: one file (41 kB) fewer before the first result; a search takes milliseconds.
    await pagefind.options({ noWorker: true });
    await pagefind.init();
  }
  return pagefind;
}

// Which records of a Pagefind answer contain every term: Pagefind leaves out a term found nowhere in the index
// (量子计算 would then find every 计算), so such a query finds nothing.
async function find(query) {
  const tokens = [...new Set(searchTokens(query).map(indexTerm))];
  if (!tokens.length) return null;
  const pf = await engine();
  const answer = await pf.search(tokens.join(" "));
  if (!answer || !answer.results.length) return [];
  if (tokens.length > 1) {
    for (const token of tokens) {
      const alone = await pf.search(token);
      if (!alone || !alone.results.length) return [];
    }
  }
  return answer.results;
}

// 0: a document whose 发文字号 is the query; 1: the whole query appears in the record; 2: only its terms do.
function tier(data, key) {
  const m = data.meta;
  if (m.kind === "document" && (m.x || "").split(" ").some((form) => form && searchKey(form).includes(key))) return 0;
  return searchKey([m.title, m.text, m.x].join("\n")).includes(key) ? 1 : 2;
}

// Positions of `text` covered by the query (the whole query if it is there, else each term), in code points.
function marks(text, query) {
  const chars = Array.from(text);
  const norm = []; // [normalised char, index in chars]
  chars.forEach((c, i) => {
    for (const n of Array.from(c.normalize("NFKC").toLowerCase())) if (TOKEN_CHAR.test(n)) norm.push([n, i]);
  });
  const flat = norm.map((x) => x[0]);
  const covered = new Array(chars.length).fill(false);
  const cover = (needle) => {
    const n = Array.from(needle);
    let found = false;
    for (let i = 0; i + n.length <= flat.length; i++) {
      if (n.every((c, j) => flat[i + j] === c)) {
        for (let k = norm[i][1]; k <= norm[i + n.length - 1][1]; k++) covered[k] = true;
        found = true;
      }
    }
    return found;
  };
  const key = searchKey(query);
  if (!key || !cover(key)) for (const t of new Set(searchTokens(query))) cover(t);
  return { chars, covered };
}

function excerpt(text, query, size) {
  const { chars, covered } = marks(text, query);
  const first = covered.indexOf(true);
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(size / 4));
  const end = Math.min(chars.length, start + size);
  start = Math.max(0, Math.min(start, end - size));
  const p = document.createElement("p");
  p.className = "pk-result__excerpt";
  if (start > 0) p.append("…");
  let i = start;
  while (i < end) {
    let j = i;
    while (j < end && covered[j] === covered[i]) j++;
    const piece = chars.slice(i, j).join("");
    if (covered[i]) {
      const mark = document.createElement("mark");
      mark.textContent = piece;
      p.append(mark);
    } else {
      p.append(piece);
    }
    i = j;
  }
  if (end < chars.length) p.append("…");
  return p;
}

function item(data, query) {
  const m = data.meta;
  const li = document.createElement("li");
  li.className = `pk-result pk-result--${m.kind}`;
  const link = document.createElement("a");
  link.className = "pk-result__link";
  link.href = new URL(data.url, root).href;
  const title = document.createElement("span");
  title.className = "pk-result__title";
  title.textContent = m.title;
  link.append(title);
  li.append(link);
  if (m.doc) {
    const doc = document.createElement("p");
    doc.className = "pk-result__doc";
    doc.textContent = m.doc;
    li.append(doc);
  }
  if (m.text) li.append(excerpt(m.text, query, 120));
  return li;
}

function setup(form) {
  const input = document.getElementById("pk-search-input");
  const status = document.getElementById("pk-search-status");
  const list = document.getElementById("pk-search-results");
  const more = document.getElementById("pk-search-more");
  let run = 0; // the latest query; answers to older ones are dropped
  let pending = [];
  let query = "";

  async function show(batch, id) {
    const data = await Promise.all(batch.map((r) => r.data()));
    if (id !== run) return;
    const key = searchKey(query);
    // Within a tier: clauses, then whole documents, then departments' pages, each in Pagefind's order.
    const KIND = { clause: 0, document: 1, department: 2 };
    const rank = (d, i) => [tier(d, key), KIND[d.meta.kind] ?? 3, i];
    const ranked = data.map((d, i) => [rank(d, i), d]).sort(([a], [b]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    for (const [, d] of ranked) list.append(item(d, query));
    more.hidden = pending.length === 0;
  }

  async function search(value) {
    const id = ++run;
    query = value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索…";
    let results;
    try {
      results = await find(query);
    } catch (err) {
      if (id === run) status.textContent = "搜索暂时无法使用，请刷新页面后再试。";
      throw err;
    }
    if (id !== run) return;
    if (results === null) {
      status.textContent = "请输入汉字、数字或字母。";
      return;
    }
    if (!results.length) {
      status.textContent = `没有找到与“${query}”相关的内容。可以换一个说法，或少输入几个字。`;
      return;
    }
    pending = results.slice(BATCH);
    await show(results.slice(0, BATCH), id);
    // Said once the first results are on the page (what a screen reader then announces, and tests wait for).
    if (id === run) status.textContent = `找到 ${results.length} 条结果`;
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 200);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  more.addEventListener("click", () => {
    const batch = pending.slice(0, BATCH);
    pending = pending.slice(BATCH);
    show(batch, run);
  });
  const initial = new URL(location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
}

const form = document.getElementById("pk-search");
if (form) setup(form);
