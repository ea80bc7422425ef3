// Evidence offsets are Python string indices: Unicode code points. JavaScript strings index
// UTF-16 code units, which differ after any character outside the BMP (emoji, some CJK), so the
// text is split into code points once and every span is cut from that array.

/** The text as an array of code points: codePoints(t)[i] is Python's t[i]. */
export function codePoints(text) {
  return Array.from(text);
}

/** Python's text[start:end] on a code-point array. */
export function slice(points, start, end) {
  return points.slice(start, end).join("");
}

/**
 * Cut [0, length) at every annotation boundary. Each segment lists the annotations covering it
 * whole, so overlapping and nested spans need no special case. Annotations: {start, end, ...}.
 */
export function segments(length, annotations) {
  const inside = annotations.filter((a) => a.start >= 0 && a.end <= length && a.start < a.end);
  const cuts = new Set([0, length]);
  for (const a of inside) {
    cuts.add(a.start);
    cuts.add(a.end);
  }
  const sorted = [...cuts].sort((x, y) => x - y);
  const result = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const start = sorted[i];
    const end = sorted[i + 1];
    result.push({ start, end, covering: inside.filter((a) => a.start <= start && a.end >= end) });
  }
  return result;
}
