// DOM building and API access shared by the views. Every piece of data goes into the page as a
// text node or an attribute value (never as HTML), so nothing from the store can inject markup:
// views build elements with h() only (no innerHTML, no HTML strings), h() sets a link attribute
// only to a URL that safeUrl() allows (relative, or http(s)), refuses event handler attributes
// (on*) that are not functions, and sets styles through the CSSOM (the page's
// Content-Security-Policy refuses inline style attributes).

import { codePoints, segments, slice } from "./spans.js";

// attributes whose value the browser loads or navigates to
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "poster", "xlink:href"]);
// attributes that would take markup or script as text
const REFUSED_ATTRIBUTES = new Set(["srcdoc", "srcset"]);

/**
 * The URL if a link or an image may point there, else null: a URL relative to this page (a
 * route "#/actor/x", a path "/sparql?...") or an absolute http(s) URL. Every other scheme
 * (javascript:, data:, vbscript:, blob:, file:...) is refused. The check parses the URL as the
 * browser will (spaces, tabs and newlines around or inside the scheme do not hide it).
 */
export function safeUrl(value, base = globalThis.location?.href ?? "http://localhost/") {
  if (value === null || value === undefined) return null;
  const text = String(value);
  let url;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? text : null;
}

/** True for an absolute http(s) IRI (a SPARQL result term that may become a link). */
export function isHttpIri(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Build an element: h("a", {href: "#/x", class: "c"}, "text", child, [more]).
 *
 * Children that are not Nodes become text nodes. Attributes: on* take a function (a listener),
 * style takes {property: value}, href/src take a URL that safeUrl() allows (else the attribute is
 * left out: the element shows its text but links nowhere); any other value becomes the
 * attribute's text. Throws TypeError for an on* or style given as a string.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    const name = key.toLowerCase();
    if (name.startsWith("on")) {
      if (typeof value !== "function") throw new TypeError(`h(): ${key} takes a function, not text`);
      el.addEventListener(name.slice(2), value);
    } else if (name === "style") {
      if (typeof value !== "object") throw new TypeError("h(): style takes {property: value}");
      for (const [property, setting] of Object.entries(value)) el.style.setProperty(property, setting);
    } else if (REFUSED_ATTRIBUTES.has(name)) {
      throw new TypeError(`h(): ${key} is not allowed`);
    } else if (URL_ATTRIBUTES.has(name)) {
      const url = safeUrl(value);
      if (url !== null) el.setAttribute(key, url);
    } else if (name === "class") {
      el.className = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTTP error of the API, with the problem+json detail when there is one. */
export class ApiError extends Error {
  constructor(status, detail, path) {
    super(`${path}: ${status} ${detail}`);
    this.status = status;
    this.detail = detail;
    this.path = path;
  }
}

/** A URL of this server with the given query parameters (empty values left out). */
export function apiUrl(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

async function fail(response, path) {
  let detail = response.statusText;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch {
    // not JSON: keep the status text
  }
  throw new ApiError(response.status, detail, path);
}

/** GET a JSON resource of the API; throws ApiError on a non-2xx answer. */
export async function getJSON(path, params = {}) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: "application/json" } });
  if (!response.ok) await fail(response, path);
  return response.json();
}

/** GET a text resource (the article text). */
export async function getText(path) {
  const response = await fetch(apiUrl(path), { headers: { Accept: "text/plain" } });
  if (!response.ok) await fail(response, path);
  return response.text();
}

/** POST a SPARQL query (form-encoded, SPARQL 1.1 Protocol); returns the raw Response. */
export function postSparql(query, accept) {
  return fetch(apiUrl("/sparql"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
}

/** A visible message in place of a view or section that could not be loaded. */
export function errorBox(err, what) {
  let text;
  if (err instanceof ApiError && err.status === 404 && !err.detail.startsWith("no ")) {
    text = `${what}: this server does not offer ${err.path} (404). ${err.detail}`;
  } else if (err instanceof ApiError) {
    text = `${what}: ${err.status} ${err.detail}`;
  } else {
    text = `${what}: ${err.message || err}`;
  }
  return h("p", { class: "error", role: "alert" }, text);
}

export const actorHref = (id) => `#/actor/${encodeURIComponent(id)}`;
export const topicHref = (id) => `#/topic/${encodeURIComponent(id)}`;

/** The article view, optionally marking the code-point span [start, end). */
export function docHref(documentId, start, end) {
  const base = `#/document/${encodeURIComponent(documentId)}`;
  if (start === undefined || end === undefined) return base;
  return `${base}?start=${start}&end=${end}`;
}

export const actorLink = (actor) =>
  h("a", { href: actorHref(actor.id), class: "actor" }, actor.name);

/** "rejects" + "against" as two badges styled by value. */
export function stanceBadges(stance, direction) {
  return [
    h("span", { class: `badge stance stance-${stance}` }, stance),
    " ",
    h("span", { class: `badge dir dir-${direction.replace("/", "")}` }, direction),
  ];
}

let documentsLoaded = null;

/** Drop the cached document index (each view starts from the server's current documents). */
export function forgetDocuments() {
  documentsLoaded = null;
}

/**
 * All documents by id (display title, outlet, date), fetched once per view: citations name an
 * article by its display title and outlet, never by its id. Rejects when /documents fails.
 */
export function documentIndex() {
  if (documentsLoaded === null) {
    documentsLoaded = getJSON("/documents", { limit: 500 })
      .then((page) => new Map(page.items.map((d) => [d.id, d])))
      .catch((err) => {
        documentsLoaded = null; // try again on the next view
        throw err;
      });
  }
  return documentsLoaded;
}

/** "“Title”, Outlet" for a document of the index, or its id while (or if) the index is unknown. */
export function citationText(doc, id) {
  if (!doc) return id;
  return [`“${doc.display_title}”`, doc.outlet].filter(Boolean).join(", ");
}

/**
 * The sentence of a statement with its evidence highlighted (<mark>) and the words naming its
 * holder marked (.holder): `item` has `evidence` and, from servers that give them, `sentence`
 * and `holder_mention` (article offsets in code points). Without a sentence, the evidence alone.
 */
export function sentenceQuote(item) {
  const { evidence, sentence, holder_mention: holder } = item;
  if (!sentence) return h("blockquote", {}, h("mark", { class: "ev" }, evidence.text));
  const points = codePoints(sentence.text);
  const relative = (span, kind) => ({ start: span.start - sentence.start, end: span.end - sentence.start, kind });
  const marks = [relative(evidence, "ev")];
  if (holder) marks.push(relative(holder, "holder"));
  return h(
    "blockquote",
    { class: "sentence" },
    segments(points.length, marks).map((seg) => {
      const kinds = new Set(seg.covering.map((a) => a.kind));
      let node = slice(points, seg.start, seg.end);
      if (kinds.has("holder")) node = h("span", { class: "holder", title: "who" }, node);
      if (kinds.has("ev")) node = h("mark", { class: "ev" }, node);
      return node;
    }),
  );
}

/**
 * A statement's sentence (evidence highlighted, holder marked) with a citation: a link to the
 * span in the article, the article's display title and outlet, and the character offsets.
 * Accepts a statement (`{evidence, sentence, holder_mention}`) or a bare evidence object.
 */
export function evidenceBlock(item, label = "in the article") {
  const statement = item.evidence ? item : { evidence: item };
  const { evidence } = statement;
  const source = h("cite", {}, evidence.document);
  documentIndex()
    .then((docs) => source.replaceChildren(citationText(docs.get(evidence.document), evidence.document)))
    .catch(() => {});
  return h(
    "figure",
    { class: "evidence" },
    sentenceQuote(statement),
    h(
      "figcaption",
      {},
      h("a", { href: docHref(evidence.document, evidence.start, evidence.end) }, label),
      " (",
      source,
      `, characters ${evidence.start}–${evidence.end})`,
    ),
  );
}

/** A section with a heading whose body is filled by `load` (errors shown in place). */
export function section(title, load, headingLevel = "h2") {
  const body = h("div", { class: "section-body" }, h("p", { class: "muted" }, "Loading…"));
  const el = h("section", { "aria-label": title }, h(headingLevel, {}, title), body);
  Promise.resolve()
    .then(load)
    .then((content) => body.replaceChildren(...[content].flat()))
    .catch((err) => body.replaceChildren(errorBox(err, title)));
  return el;
}
