// The 政策文件 page's filters (toolkit/site/library.py): documents/index.json holds every document's facet values; the
// list, the counts in each menu and the pages are computed here. The chosen filters are kept in the address
// (?issuer=…&year=…), so a filtered list can be shared. Source text goes into the page only as text nodes.

const PAGE_SIZE = 50;
const form = document.getElementById("pk-facets");

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function row(doc, root) {
  const [id, title, number, date, code, label] = doc;
  const li = el("li", "pk-doc");
  const link = el("a", "pk-doc__title", title);
  link.href = new URL(`${id}/`, root).href;
  const facts = el("p", "pk-doc__facts");
  for (const fact of [number, doc.issuer, date]) if (fact) facts.append(el("span", "", fact), " ");
  const status = el("span", `pk-status pk-status--${code}`, label);
  status.dataset.status = code;
  facts.append(status);
  li.append(link, facts);
  return li;
}

async function setup() {
  const root = new URL(form.dataset.root, location.href);
  const data = await (await fetch(new URL(form.dataset.index, location.href))).json();
  const facets = data.facets;
  const keys = Object.keys(facets);
  const docs = data.documents;
  for (const doc of docs) doc.issuer = doc[6].issuer.map((i) => facets.issuer[i]).join("、");
  const selects = Object.fromEntries(keys.map((k) => [k, form.querySelector(`select[data-facet="${k}"]`)]));
  const list = document.getElementById("pk-docs");
  const count = document.getElementById("pk-facets-count");
  const pager = document.getElementById("pk-pager");
  let page = 1;

  const chosen = () => Object.fromEntries(keys.map((k) => [k, selects[k].value]).filter(([, v]) => v !== ""));
  const matches = (doc, filters, except) =>
    Object.entries(filters).every(([k, v]) => k === except || doc[6][k].includes(Number(v)));

  function fillMenus(filters) {
    for (const k of keys) {
      const counts = new Map();
      for (const doc of docs) if (matches(doc, filters, k)) for (const i of doc[6][k]) counts.set(i, (counts.get(i) || 0) + 1);
      const order = [...facets[k].keys()].filter((i) => counts.has(i) || String(i) === filters[k]);
      if (k === "year") order.sort((a, b) => facets[k][b].localeCompare(facets[k][a]));
      else order.sort((a, b) => (counts.get(b) || 0) - (counts.get(a) || 0) || facets[k][a].localeCompare(facets[k][b], "zh"));
      const all = el("option", "", "全部");
      all.value = "";
      const options = order.map((i) => {
        const option = el("option", "", `${facets[k][i]}（${counts.get(i) || 0}）`);
        option.value = String(i);
        return option;
      });
      selects[k].replaceChildren(all, ...options);
      selects[k].value = filters[k] || "";
    }
  }

  function render(push) {
    const filters = chosen();
    const found = docs.filter((doc) => matches(doc, filters));
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    page = Math.min(page, pages);
    fillMenus(filters);
    list.replaceChildren(...found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((doc) => row(doc, root)));
    count.textContent = found.length ? `共 ${found.length} 份文件` : "没有符合条件的文件";
    pager.replaceChildren();
    if (pages > 1) {
      const nav = el("nav", "pk-pager");
      nav.setAttribute("aria-label", "分页");
      const go = (to, label) => {
        const button = el("button", "", label);
        button.type = "button";
        button.addEventListener("click", () => { page = to; render(true); list.scrollIntoView(); });
        return button;
      };
      if (page > 1) nav.append(go(page - 1, "上一页"), " ");
      nav.append(el("span", "", `第 ${page} 页，共 ${pages} 页`));
      if (page < pages) nav.append(" ", go(page + 1, "下一页"));
      pager.append(nav);
    }
    if (push) {
      const url = new URL(location.href);
      for (const k of keys) {
        if (filters[k] !== undefined) url.searchParams.set(k, facets[k][Number(filters[k])]);
        else url.searchParams.delete(k);
      }
      if (page > 1) url.searchParams.set("page", String(page));
      else url.searchParams.delete("page");
      history.replaceState(null, "", url);
    }
  }

  // Filters from the address: by value, so a link stays right when documents are added.
  const params = new URL(location.href).searchParams;
  fillMenus({});
  for (const k of keys) {
    const wanted = params.get(k);
    const i = wanted === null ? -1 : facets[k].indexOf(wanted);
    if (i >= 0) selects[k].value = String(i);
  }
  page = Math.max(1, Number(params.get("page")) || 1);
  form.hidden = false;
  form.addEventListener("change", () => { page = 1; render(true); });
  form.addEventListener("reset", () => setTimeout(() => { page = 1; render(true); }));
  if ([...params.keys()].length) render(false);
}

if (form) setup();
