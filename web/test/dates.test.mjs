// node --test web/test: how statement dates read and sort on the page.
import assert from "node:assert/strict";
import { test } from "node:test";

import { byDate, dateLabel, dateSource } from "../static/js/dates.js";

const date = (value, precision, start, end, basis = "text", text = null) => ({
  value, precision, start, end, basis, text,
});

test("a date reads at the precision the text gives, no more", () => {
  assert.equal(dateLabel(date("2025-03-18", "day", "2025-03-18", "2025-03-18")), "18 March 2025");
  assert.equal(dateLabel(date("2025-W11", "week", "2025-03-10", "2025-03-16")), "week of 10 March 2025");
  assert.equal(dateLabel(date("2025-03", "month", "2025-03-01", "2025-03-31")), "March 2025");
  assert.equal(dateLabel(date("2014", "year", "2014-01-01", "2014-12-31")), "2014");
});

test("the source says whether the text dates it or the article's publication does", () => {
  const words = { start: 3, end: 7, text: "2014" };
  assert.equal(dateSource(date("2014", "year", "2014-01-01", "2014-12-31", "text", words)), "“2014”");
  const dateline = { start: 8, end: 22, text: "March 18, 2025" };
  const published = date("2025-03-18", "day", "2025-03-18", "2025-03-18", "published", dateline);
  assert.equal(dateSource(published), "article published (“March 18, 2025”)");
  assert.equal(dateSource({ ...published, text: null }), "article published");
});

test("a timeline puts the undated last and a year before a day of it", () => {
  const items = [
    { id: "undated", date: null },
    { id: "day", date: date("2014-03-18", "day", "2014-03-18", "2014-03-18") },
    { id: "year", date: date("2014", "year", "2014-01-01", "2014-12-31") },
    { id: "jan", date: date("2014-01-01", "day", "2014-01-01", "2014-01-01") },
    { id: "later", date: date("2025-W11", "week", "2025-03-10", "2025-03-16") },
  ];
  assert.deepEqual(byDate(items).map((i) => i.id), ["jan", "year", "day", "later", "undated"]);
});
