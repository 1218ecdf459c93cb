// Preflight content script, part 3: editor writers. Only ever called from a click on one of
// our buttons. Each family gets text into the editor through an input path the editor's own
// model handles (so its state, not just the DOM, changes, and its undo history records it):
//   textarea      -> execCommand('insertText') (native undo), setRangeText fallback
//   draft, lexical, quill -> a synthetic paste event carrying text/plain
//   prosemirror   -> a synthetic paste carrying text/html paragraphs (its text/plain paste
//                    collapses blank lines)
//   plain         -> one execCommand('insertText'/'insertHTML' with <br>) (native undo)
'use strict';
var PF = globalThis.__preflight || (globalThis.__preflight = {});

(function () {
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  function lastTextPosition(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.length || !last) last = n;
    }
    if (last) return { node: last, offset: last.data.length };
    // Empty editor: inside the deepest last element.
    let el = root;
    while (el.lastElementChild && el.lastElementChild.tagName !== 'BR') el = el.lastElementChild;
    return { node: el, offset: el.childNodes.length && el.lastChild.tagName === 'BR' ? el.childNodes.length - 1 : el.childNodes.length };
  }

  function selectionOf(root) {
    const rootNode = root.getRootNode();
    if (rootNode instanceof ShadowRoot && rootNode.getSelection) return rootNode.getSelection();
    return window.getSelection();
  }

  async function placeRange(root, start, end) {
    root.focus({ preventScroll: true });
    await tick();
    const sel = selectionOf(root);
    const r = new Range();
    r.setStart(start.node, start.offset);
    r.setEnd(end.node, end.offset);
    sel.removeAllRanges();
    sel.addRange(r);
    // Editors sync their model selection on selectionchange (async).
    await frame();
  }

  function paste(root, { text, html }) {
    const dt = new DataTransfer();
    if (text != null) dt.setData('text/plain', text);
    if (html != null) dt.setData('text/html', html);
    const target = selectionOf(root).anchorNode?.parentElement?.closest?.('[contenteditable]') || root;
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true });
    target.dispatchEvent(ev);
    return ev.defaultPrevented;
  }

  function esc(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  /** HTML paragraphs for `text` pasted at the end of a non-empty paragraph. */
  function paragraphsHtml(text) {
    // The first line joins the current paragraph (the slice is open at its start).
    return text.split('\n').map((l) => `<p>${esc(l)}</p>`).join('');
  }

  // One execCommand, so the browser's native undo removes the whole insertion in one step.
  function execInsert(text) {
    if (!text.includes('\n')) return document.execCommand('insertText', false, text);
    const html = text.split('\n').map(esc).join('<br>');
    return document.execCommand('insertHTML', false, html);
  }

  const textarea = {
    async insertAt(el, start, end, text) {
      el.focus({ preventScroll: true });
      el.setSelectionRange(start, end);
      // execCommand keeps the browser's undo stack; React-controlled textareas see an input event.
      const ok = document.execCommand('insertText', false, text);
      if (!ok || el.value.slice(start, start + text.length) !== text) {
        el.setRangeText(text, start, end, 'end');
        el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
      }
      return true;
    },
    async append(el, text) {
      return this.insertAt(el, el.value.length, el.value.length, text);
    },
    async replace(el, start, end, text) {
      return this.insertAt(el, start, end, text);
    },
  };

  function richWriter(strategy) {
    return {
      async append(root, text) {
        const end = lastTextPosition(root);
        await placeRange(root, end, end);
        return this.insertHere(root, text);
      },
      async replace(root, start, end, text) {
        const reading = PF.text.read(root);
        const a = PF.text.domPos(reading, start, false);
        const b = PF.text.domPos(reading, end, true);
        if (!a || !b) return false;
        await placeRange(root, a, b);
        if (!text) return document.execCommand('delete');
        return this.insertHere(root, text);
      },
      async insertHere(root, text) {
        let handled = false;
        if (strategy === 'paste-text') handled = paste(root, { text });
        else if (strategy === 'paste-html') handled = paste(root, { text, html: paragraphsHtml(text) });
        if (!handled) handled = execInsert(text);
        await frame();
        return handled;
      },
    };
  }

  const writers = {
    textarea,
    draft: richWriter('paste-text'),
    lexical: richWriter('paste-text'),
    quill: richWriter('paste-text'),
    prosemirror: richWriter('paste-html'),
    plain: richWriter('exec'),
  };

  PF.writers = {
    for(family) {
      return writers[family] || writers.plain;
    },
  };
})();
