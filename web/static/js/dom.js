// DOM building and API access shared by the views. Every piece of data goes into the page as a
// text node or an attribute value (never as HTML), so nothing from the store can inject markup.

/** Build an element: h("a", {href: "#/x", class: "c"}, "text", child, [more]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
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

/** The sentence of an evidence span with a link to it in the article. */
export function evidenceBlock(evidence, label = "in the article") {
  return h(
    "figure",
    { class: "evidence" },
    h("blockquote", {}, evidence.text),
    h(
      "figcaption",
      {},
      h("a", { href: docHref(evidence.document, evidence.start, evidence.end) }, label),
      ` (${evidence.document}, characters ${evidence.start}–${evidence.end})`,
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
