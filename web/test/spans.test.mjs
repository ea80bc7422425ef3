// node --test web/test: the code-point arithmetic of the article view.
import assert from "node:assert/strict";
import { test } from "node:test";

import { codePoints, segments, slice } from "../static/js/spans.js";

test("slice counts code points like Python, not UTF-16 units", () => {
  const text = "Flag 🇺🇦 and “Putin” said.";
  const points = codePoints(text);
  // Python: text.index("Putin") == 13 (each regional indicator is one code point)
  assert.equal(points.indexOf("P"), 13);
  assert.equal(slice(points, 13, 18), "Putin");
  assert.notEqual(text.slice(13, 18), "Putin");
});

test("segments split overlapping and nested spans at every boundary", () => {
  const a = { id: "a", start: 2, end: 8 };
  const b = { id: "b", start: 5, end: 12 };
  const c = { id: "c", start: 6, end: 7 };
  const result = segments(15, [a, b, c]).map((s) => [s.start, s.end, s.covering.map((x) => x.id)]);
  assert.deepEqual(result, [
    [0, 2, []],
    [2, 5, ["a"]],
    [5, 6, ["a", "b"]],
    [6, 7, ["a", "b", "c"]],
    [7, 8, ["a", "b"]],
    [8, 12, ["b"]],
    [12, 15, []],
  ]);
});

test("segments ignore spans outside the text or empty", () => {
  const result = segments(4, [{ start: 3, end: 9 }, { start: 2, end: 2 }]);
  assert.deepEqual(
    result.map((s) => [s.start, s.end, s.covering.length]),
    [[0, 4, 0]],
  );
});
