import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoveaError } from '../../src/index.js';
import { renderReport, type ReportData } from '../../src/analysis/report.js';

/**
 * Checks that markup is well-formed XML as far as tags go: every tag closed in order (or
 * self-closed), every & an entity, no < inside text. Returns the tag names in document order.
 */
function checkWellFormed(markup: string): string[] {
  const body = markup.replace(/^<!DOCTYPE html>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    assert.doesNotMatch(text, /[<>]/, `stray < or > in text: ${text.slice(0, 60)}`);
    assert.doesNotMatch(
      text,
      /&(?!(amp|lt|gt|quot|#\d+);)/,
      `bare & in text: ${text.slice(0, 60)}`,
    );
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  assert.doesNotMatch(body.slice(last), /[<>]/, 'markup after the last tag');
  assert.deepEqual(stack, [], 'unclosed elements');
  return names;
}

/** The <svg> elements of a page, as strings. */
const svgs = (html: string, kind: string) =>
  [...html.matchAll(/<svg [^>]*class="([\w-]+)"[^>]*>[\s\S]*?<\/svg>/g)]
    .filter((m) => m[1] === kind)
    .map((m) => m[0]);

/** The number of points of each polyline in an SVG. */
const polylinePoints = (svg: string) =>
  [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(' ').length);

const data: ReportData = {
  title: 'run <1> & "friends"',
  history: [
    { epoch: 0, loss: 1.2, accuracy: 0.5, lr: 0.1 },
    { epoch: 1, loss: 0.9, accuracy: 0.6, val_loss: 1.0, val_accuracy: 0.55, lr: 0.05 },
    { epoch: 2, loss: NaN, accuracy: 0.7, val_loss: 0.8, val_accuracy: 0.65, lr: 0.01 },
    { epoch: 3, loss: 0.5, accuracy: 0.8, val_loss: 0.7, val_accuracy: 0.7, lr: 0.001 },
  ],
  confusion: [
    [5, 1, 0],
    [2, 7, 1],
    [0, 0, 4],
  ],
  classNames: ['<script>alert(1)</script>', "Tom & Jerry's", 'plain'],
  metrics: { test_accuracy: 0.8, 'a<b': 1 },
  summary: 'Conv2d <3 → 8>',
};

describe('renderReport', () => {
  const html = renderReport(data);

  it('(the well-formedness checker itself rejects broken markup)', () => {
    for (const bad of ['<svg><g></svg>', '<p>a & b</p>', '<p>a < b</p>', '<div>']) {
      assert.throws(() => checkWellFormed(bad), assert.AssertionError, bad);
    }
  });

  it('is well-formed, self-contained markup with no scripts', () => {
    const tags = checkWellFormed(html);
    assert.equal(tags[0], 'html');
    assert.ok(!tags.includes('script'));
    assert.doesNotMatch(html, /\b(src|href)=/);
    assert.deepEqual(
      html.match(/https?:\/\/[^"]*/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg'),
      [],
    );
  });

  it('draws one polyline per series, with a point per finite value', () => {
    const charts = svgs(html, 'chart');
    assert.equal(charts.length, 3);
    const [loss, accuracy, lr] = charts;
    assert.deepEqual(
      polylinePoints(loss),
      [3, 3],
      'train loss skips its NaN, validation starts at epoch 2',
    );
    assert.deepEqual(polylinePoints(accuracy), [4, 3]);
    assert.deepEqual(polylinePoints(lr), [4]);
    for (const name of ['train', 'validation', 'epoch', 'loss'])
      assert.match(loss, new RegExp(`>${name}<`));
    assert.match(lr, />learning rate</);
    // Epochs are shown from 1: the first x tick label of the accuracy chart is 0 or 1, never -1.
    assert.doesNotMatch(accuracy, />-1</);
  });

  it('leaves out a chart whose quantity the history lacks', () => {
    const noLr = renderReport({
      ...data,
      history: data.history.map(({ lr: _lr, ...rest }) => rest),
    });
    assert.equal(svgs(noLr, 'chart').length, 2);
    assert.match(renderReport({ ...data, history: [] }), /No epochs recorded/);
  });

  it('puts every count in a heat-map cell and the class names on both axes', () => {
    const [heatMap] = svgs(html, 'heat-map');
    const counts = [...heatMap.matchAll(/<g class="cell">[\s\S]*?<text [^>]*>(\d+)<\/text><\/g>/g)];
    assert.deepEqual(
      counts.map((m) => Number(m[1])),
      data.confusion.flat(),
    );
    const occurrences = (text: string) => heatMap.split(text).length - 1;
    // The whole name in the tooltips of its row and column (twice in the diagonal cell's), and
    // cut to 18 characters in the two axis labels.
    assert.equal(occurrences('&lt;script&gt;alert(1)&lt;/script&gt;'), 6);
    assert.equal(occurrences('>&lt;script&gt;alert(1)&lt;…</text>'), 2);
    assert.match(heatMap, />Predicted class</);
    assert.match(heatMap, />True class</);
  });

  it('escapes every piece of text', () => {
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes("Tom & Jerry's"));
    assert.match(html, /Tom &amp; Jerry&#39;s/);
    assert.match(html, /<title>run &lt;1&gt; &amp; &quot;friends&quot;<\/title>/);
    assert.match(html, /<pre>Conv2d &lt;3 → 8&gt;<\/pre>/);
    assert.match(html, /<td>a&lt;b<\/td><td>1<\/td>/);
  });

  it('lists precision, recall and F1 per class and their averages', () => {
    // Class 1: TP 7, predicted 8 (precision 0.875), support 10 (recall 0.7), F1 14/18.
    assert.match(
      html,
      /<td>Tom &amp; Jerry&#39;s<\/td><td>0\.875<\/td><td>0\.700<\/td><td>0\.778<\/td><td>10<\/td>/,
    );
    assert.match(html, /<td>macro average<\/td>/);
    assert.match(html, /<td>weighted average<\/td>/);
  });

  it('refuses class names that do not match the matrix', () => {
    assert.throws(
      () => renderReport({ ...data, classNames: ['a', 'b'] }),
      (e: unknown) =>
        e instanceof FoveaError &&
        /renderReport: the confusion matrix must be square with one row per class name: got 2 names and rows of lengths \[3, 3, 3\]/.test(
          e.message,
        ),
    );
  });
});
