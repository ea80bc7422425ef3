// node --test web/test: the DOM helpers that keep article text and query results out of the
// page's markup (safeUrl, isHttpIri, h) and the SPARQL table's links (termRoute).
import assert from "node:assert/strict";
import { test } from "node:test";

import { h, isHttpIri, safeUrl } from "../static/js/dom.js";
import { termRoute } from "../static/js/views/sparql.js";

const PAGE = "http://127.0.0.1:8000/#/sparql";

test("safeUrl keeps the page's routes and paths and http(s) URLs as written", () => {
  for (const url of [
    "#/actor/vladimir-putin",
    "#/document/alpha?start=1&end=4",
    "/sparql?query=ASK%7B%7D&format=json",
    "http://www.wikidata.org/entity/Q7747",
    "https://news.example/a?b=%22%3E%3Cimg%3E",
    "//news.example/a",
  ]) {
    assert.equal(safeUrl(url, PAGE), url);
  }
});

test("safeUrl refuses every other scheme, however it is spelled", () => {
  for (const url of [
    "javascript:window.__pwned=1",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u0000javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "blob:http://127.0.0.1:8000/0a1b",
    "file:///etc/passwd",
    "http://[not a host",
  ]) {
    assert.equal(safeUrl(url, PAGE), null, JSON.stringify(url));
  }
  assert.equal(safeUrl(null, PAGE), null);
  assert.equal(safeUrl(undefined, PAGE), null);
});

test("isHttpIri is true for absolute http(s) IRIs only", () => {
  assert.equal(isHttpIri("http://127.0.0.1:8000/id/actor/vladimir-putin"), true);
  assert.equal(isHttpIri("https://w3id.org/newskg/ns#Person"), true);
  assert.equal(isHttpIri("javascript:alert(1)"), false);
  assert.equal(isHttpIri("urn:uuid:0a1b"), false);
  assert.equal(isHttpIri("#/actor/x"), false); // relative: not an IRI of a result
});

test("termRoute links this server's actor and document IRIs, never another scheme", () => {
  assert.equal(termRoute("http://127.0.0.1:8000/id/actor/vladimir-putin"), "#/actor/vladimir-putin");
  assert.equal(termRoute("https://kg.example/id/document/alpha"), "#/document/alpha");
  assert.equal(termRoute("http://127.0.0.1:8000/id/actor/a%2Fb"), "#/actor/a%2Fb");
  assert.equal(termRoute("javascript:alert(1)//id/actor/x"), null);
  assert.equal(termRoute("data:text/html,x/id/document/y"), null);
  assert.equal(termRoute("http://127.0.0.1:8000/id/actor/%E0%A4%A"), null); // bad escape
  assert.equal(termRoute("http://www.wikidata.org/entity/Q7747"), null);
});

// A stand-in for the few DOM calls h() makes, recording what it was asked to do.
class FakeNode {}
class FakeText extends FakeNode {
  constructor(text) {
    super();
    this.text = text;
  }
}
class FakeElement extends FakeNode {
  constructor(tag) {
    super();
    this.tag = tag;
    this.attributes = {};
    this.listeners = {};
    this.children = [];
    this.className = "";
    this.styles = {};
    this.style = { setProperty: (name, value) => (this.styles[name] = value) };
  }
  setAttribute(name, value) {
    this.attributes[name] = value;
  }
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  }
  append(child) {
    this.children.push(child);
  }
}

function withFakeDom(run) {
  const saved = { document: globalThis.document, Node: globalThis.Node };
  globalThis.Node = FakeNode;
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createTextNode: (text) => new FakeText(text),
  };
  try {
    run();
  } finally {
    Object.assign(globalThis, saved);
  }
}

test("h puts text children in as text nodes, markup and all", () => {
  withFakeDom(() => {
    const markup = '<img src=x onerror="window.__pwned=1">';
    const el = h("p", { title: markup }, markup, ["a", null, ["b"]], 3);
    assert.deepEqual(
      el.children.map((c) => c instanceof FakeText && c.text),
      [markup, "a", "b", "3"],
    );
    assert.equal(el.attributes.title, markup); // an attribute value, set as text
  });
});

test("h drops a link to a refused scheme and keeps its text", () => {
  withFakeDom(() => {
    const bad = h("a", { href: "javascript:window.__pwned=1", class: "external" }, "original");
    assert.equal("href" in bad.attributes, false);
    assert.equal(bad.children[0].text, "original");
    assert.equal(h("img", { src: "data:image/svg+xml,<svg onload=alert(1)>" }).attributes.src, undefined);
    assert.equal(h("a", { href: "#/actor/x" }).attributes.href, "#/actor/x");
    assert.equal(h("a", { href: "https://www.wikidata.org/entity/Q1" }).attributes.href, "https://www.wikidata.org/entity/Q1");
  });
});

test("h takes listeners as functions and styles as objects, never as text", () => {
  withFakeDom(() => {
    const click = () => {};
    assert.equal(h("button", { onclick: click }).listeners.click, click);
    assert.throws(() => h("b", { onclick: "window.__pwned=1" }), TypeError);
    assert.throws(() => h("b", { onMouseOver: "window.__pwned=1" }), TypeError);
    assert.deepEqual(h("span", { style: { background: "#1f5fa8" } }).styles, { background: "#1f5fa8" });
    assert.throws(() => h("span", { style: "background:red" }), TypeError);
    assert.throws(() => h("iframe", { srcdoc: "<script>alert(1)</script>" }), TypeError);
  });
});
