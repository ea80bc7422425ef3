// SPARQL editor (CodeMirror 5 with its sparql mode, from npm), the example queries one
// click away, results as a table, and downloads of the same query in every result format.
import { actorHref, apiUrl, docHref, h, isHttpIri, postSparql } from "../dom.js";
import { EXAMPLES } from "../examples.js";

const FORMATS = [
  ["json", "JSON"],
  ["xml", "XML"],
  ["csv", "CSV"],
  ["tsv", "TSV"],
];
// CONSTRUCT and DESCRIBE answer a graph: its downloads are the RDF syntaxes
const GRAPH_FORMATS = [
  ["ttl", "Turtle"],
  ["nt", "N-Triples"],
  ["jsonld", "JSON-LD"],
  ["rdf", "RDF/XML"],
];

function downloadLinks(query, formats) {
  return [
    h("span", {}, "Download: "),
    ...formats.map(([format, label]) =>
      h("a", { href: apiUrl("/sparql", { query, format }).toString(), download: `results.${format}`, class: "button" }, label),
    ),
  ];
}

/**
 * The page route of a result IRI: an http(s) IRI of an actor or a document opens its view; any
 * other IRI (another scheme such as javascript:, a malformed escape) has none: null.
 */
export function termRoute(iri) {
  if (!isHttpIri(iri)) return null;
  const actor = iri.match(/\/id\/actor\/([^/]+)$/);
  const document = iri.match(/\/id\/document\/([^/]+)$/);
  try {
    if (actor) return actorHref(decodeURIComponent(actor[1]));
    if (document) return docHref(decodeURIComponent(document[1]));
  } catch {
    return null; // not percent-encoded UTF-8
  }
  return null;
}

/** A result cell, as text: IRIs of this server's actors and documents link to their views. */
function termCell(term) {
  if (!term) return h("td", {});
  if (term.type === "uri") {
    const route = termRoute(term.value);
    return h("td", {}, route ? h("a", { href: route }, term.value) : h("code", {}, term.value));
  }
  return h("td", { title: term.datatype || term["xml:lang"] || null }, term.value);
}

async function run(query, output, downloads) {
  output.replaceChildren(h("p", { class: "muted" }, "Running…"));
  downloads.replaceChildren(...downloadLinks(query, FORMATS));
  const started = performance.now();
  const response = await postSparql(query, "application/sparql-results+json, text/turtle;q=0.5");
  const elapsed = Math.round(performance.now() - started);
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch {
      // not problem+json
    }
    output.replaceChildren(h("p", { class: "error", role: "alert" }, `${response.status}: ${detail}`));
    return;
  }
  const type = response.headers.get("content-type") || "";
  if (!type.includes("json")) {
    downloads.replaceChildren(...downloadLinks(query, GRAPH_FORMATS));
    output.replaceChildren(h("p", { class: "muted" }, `A graph (${type}), ${elapsed} ms:`), h("pre", { class: "graph" }, await response.text()));
    return;
  }
  const data = await response.json();
  if ("boolean" in data) {
    output.replaceChildren(h("p", { class: "answer" }, `ASK: ${data.boolean}`), h("p", { class: "muted" }, `${elapsed} ms`));
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  const truncated = response.headers.get("KG-Results-Truncated");
  output.replaceChildren(
    h("p", { class: "muted", id: "result-count" }, `${rows.length} row(s), ${elapsed} ms${truncated ? ` (cut at ${truncated} rows)` : ""}`),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { class: "results-table" },
        h("thead", {}, h("tr", {}, vars.map((v) => h("th", { scope: "col" }, `?${v}`)))),
        h("tbody", {}, rows.map((row) => h("tr", {}, vars.map((v) => termCell(row[v]))))),
      ),
    ),
  );
}

export async function sparqlView(params) {
  const textarea = h("textarea", { id: "query", name: "query", rows: 14, spellcheck: "false" }, params.get("query") || EXAMPLES[0].query);
  const output = h("div", { class: "sparql-output", "aria-live": "polite" });
  const downloads = h("p", { class: "downloads" });
  let editor = null;
  const current = () => (editor ? editor.getValue() : textarea.value);
  const setQuery = (query) => (editor ? editor.setValue(query) : (textarea.value = query));
  const form = h(
    "form",
    {
      class: "sparql",
      onsubmit: (event) => {
        event.preventDefault();
        run(current(), output, downloads);
      },
    },
    h("label", { for: "query" }, "Query (Ctrl+Enter runs it)"),
    textarea,
    h("button", { type: "submit", id: "run" }, "Run query"),
  );
  const examples = h(
    "ul",
    { class: "examples" },
    EXAMPLES.map((ex) =>
      h("li", {}, h("button", { type: "button", onclick: () => { setQuery(ex.query); run(ex.query, output, downloads); } }, ex.title)),
    ),
  );
  const notice = h("div", {});
  const node = h(
    "div",
    {},
    h("h1", {}, "SPARQL"),
    h("p", {}, "Queries go to this server's SPARQL 1.1 endpoint at /sparql (read-only). Examples:"),
    examples,
    notice,
    form,
    downloads,
    output,
  );
  const after = () => {
    const submit = () => form.requestSubmit();
    if (typeof window.CodeMirror === "function") {
      editor = window.CodeMirror.fromTextArea(textarea, {
        mode: "application/sparql-query",
        lineNumbers: true,
        indentUnit: 2,
        extraKeys: { "Ctrl-Enter": submit, "Cmd-Enter": submit, Tab: false, "Shift-Tab": false },
      });
      editor.getInputField().setAttribute("aria-label", "SPARQL query");
    } else {
      notice.replaceChildren(h("p", { class: "error", role: "alert" }, "The editor library is not installed (run `make install`): a plain text box instead."));
      textarea.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit();
      });
    }
    document.getElementById("view").focus({ preventScroll: true });
  };
  return { title: "SPARQL", node, after };
}
