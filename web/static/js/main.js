// Hash router: #/ (actor search), #/actor/ID, #/matrix, #/topic/ID, #/network, #/documents,
// #/document/ID?start=S&end=E, #/sparql. Each view returns {title, node} for the <main> element.
import { errorBox, forgetDocuments, h } from "./dom.js";
import { actorView } from "./views/actor.js";
import { documentView, documentsView } from "./views/document.js";
import { matrixView } from "./views/matrix.js";
import { networkView } from "./views/network.js";
import { searchView } from "./views/search.js";
import { sparqlView } from "./views/sparql.js";
import { topicView } from "./views/topic.js";

const ROUTES = [
  [/^\/?$/, "search", searchView],
  [/^\/actor\/([^/]+)$/, "search", actorView],
  [/^\/matrix$/, "matrix", matrixView],
  [/^\/topic\/([^/]+)$/, "matrix", topicView],
  [/^\/network$/, "network", networkView],
  [/^\/documents$/, "documents", documentsView],
  [/^\/document\/([^/]+)$/, "documents", documentView],
  [/^\/sparql$/, "sparql", sparqlView],
];

/** "#/document/a%2Fb?start=1" -> {path: "/document/a%2Fb", params: URLSearchParams}. */
function parseHash() {
  const raw = window.location.hash.replace(/^#/, "");
  const at = raw.indexOf("?");
  const path = at < 0 ? raw : raw.slice(0, at);
  return { path, params: new URLSearchParams(at < 0 ? "" : raw.slice(at + 1)) };
}

let rendering = 0;

async function render() {
  const view = document.getElementById("view");
  const { path, params } = parseHash();
  const turn = ++rendering;
  forgetDocuments();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  for (const link of document.querySelectorAll("[data-nav]")) {
    link.toggleAttribute("aria-current", route !== undefined && link.dataset.nav === route[1]);
    if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
  }
  let result;
  if (route === undefined) {
    result = { title: "Not found", node: h("p", { class: "error", role: "alert" }, `No view ${path}`) };
  } else {
    const args = path.match(route[0]).slice(1).map(decodeURIComponent);
    try {
      result = await route[2](...args, params);
    } catch (err) {
      result = { title: "Error", node: errorBox(err, "This view could not be loaded") };
    }
  }
  if (turn !== rendering) return; // a later navigation won
  view.replaceChildren(result.node);
  document.title = `${result.title} · newskg`;
  window.scrollTo(0, 0);
  if (result.after) result.after();
  else view.focus({ preventScroll: true });
}

window.addEventListener("hashchange", render);
render();
