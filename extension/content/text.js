// Preflight content script, part 1: reading a field's text and mapping offsets (UTF-16 code
// units, as the engine returns them) back to DOM positions. Reads only; never writes.
'use strict';
var PF = globalThis.__preflight || (globalThis.__preflight = {});

(function () {
  const BLOCK = new Set([
    'P', 'DIV', 'LI', 'UL', 'OL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE',
    'SECTION', 'ARTICLE', 'TABLE', 'TR', 'FIGURE', 'HEADER', 'FOOTER',
  ]);

  function isBlock(el) {
    return el.nodeType === 1 && BLOCK.has(el.tagName);
  }

  function nearestBlock(node, root) {
    let n = node.parentNode;
    while (n && n !== root && !isBlock(n)) n = n.parentNode;
    return n || root;
  }

  // A <br> that nothing visible follows inside its block is the editors' placeholder for an
  // empty line (Lexical, Quill, ProseMirror's trailing break, Draft's empty block).
  function isTrailingBr(br, root) {
    const block = nearestBlock(br, root);
    let n = br;
    while (n && n !== block) {
      let s = n.nextSibling;
      while (s) {
        if (s.nodeType === 3 ? s.data.length > 0 : s.nodeType === 1) return false;
        s = s.nextSibling;
      }
      n = n.parentNode;
    }
    return true;
  }

  function skip(el) {
    // Non-editable decorations inside editors (mention chips are usually editable text;
    // placeholders and widgets are contenteditable=false and aria-hidden).
    if (el.getAttribute('aria-hidden') === 'true') return true;
    if (el.tagName === 'STYLE' || el.tagName === 'SCRIPT' || el.tagName === 'TEMPLATE') return true;
    if (el.getAttribute('contenteditable') === 'false' && !el.textContent) return true;
    return false;
  }

  /**
   * Plain text of a contenteditable root: blocks joined by "\n", <br> as "\n", NBSP as space.
   * Returns { text, segs } where segs maps text offsets to text nodes.
   */
  function readEditable(root) {
    let text = '';
    const segs = []; // { node, start, len }
    const breaks = []; // offsets of synthetic newlines, with the node after which they come
    function walk(node) {
      let child = node.firstChild;
      while (child) {
        if (child.nodeType === 3) {
          const data = child.data.replace(/\u00a0/g, ' ').replace(/\u200b/g, '');
          if (data.length === child.data.length) {
            segs.push({ node: child, start: text.length, len: data.length });
          } else {
            // Zero-width spaces removed: map approximately (start of node).
            segs.push({ node: child, start: text.length, len: data.length, lossy: true });
          }
          text += data;
        } else if (child.nodeType === 1) {
          if (child.tagName === 'BR') {
            if (!isTrailingBr(child, root)) {
              breaks.push({ at: text.length, node: child });
              text += '\n';
            }
          } else if (!skip(child)) {
            if (isBlock(child) && hasPrevBlockSibling(child)) {
              breaks.push({ at: text.length, node: child });
              text += '\n';
            }
            walk(child);
          }
        }
        child = child.nextSibling;
      }
    }
    walk(root);
    return { text, segs, breaks };
  }

  function hasPrevBlockSibling(el) {
    let s = el.previousSibling;
    while (s) {
      if (s.nodeType === 1) return true;
      if (s.nodeType === 3 && s.data.trim()) return true;
      s = s.previousSibling;
    }
    return false;
  }

  /** DOM position for a text offset; prefers the start of the next node at boundaries. */
  function domPos(reading, offset, preferEnd) {
    const segs = reading.segs;
    let best = null;
    for (const s of segs) {
      if (offset >= s.start && offset <= s.start + s.len) {
        if (s.lossy) {
          best = { node: s.node, offset: Math.min(offset - s.start, s.node.data.length) };
        } else {
          best = { node: s.node, offset: offset - s.start };
        }
        if (!(offset === s.start + s.len && !preferEnd)) return best;
      } else if (s.start > offset) {
        return best ?? { node: s.node, offset: 0 };
      }
    }
    if (best) return best;
    const last = segs[segs.length - 1];
    return last ? { node: last.node, offset: last.node.data.length } : null;
  }

  function rangeFor(reading, start, end) {
    const a = domPos(reading, start, false);
    const b = domPos(reading, end, true);
    if (!a || !b) return null;
    const r = new Range();
    try {
      r.setStart(a.node, a.offset);
      r.setEnd(b.node, b.offset);
    } catch (_) {
      return null;
    }
    return r;
  }

  function read(field) {
    if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) {
      return { text: field.value, segs: [], breaks: [], plain: true };
    }
    return readEditable(field);
  }

  PF.text = { read, rangeFor, domPos, readEditable };
})();
