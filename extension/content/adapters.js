// Preflight content script, part 2: what each site looks like. One small adapter per site:
// which elements are compose fields, where the posting account's handle is shown, whether
// the field is a reply. Editor families are detected from the element, not the hostname.
'use strict';
var PF = globalThis.__preflight || (globalThis.__preflight = {});

(function () {
  const HANDLE = /@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(?:@[A-Za-z0-9.-]+)?)/;

  function q(sel, root = document) {
    try {
      return root.querySelector(sel);
    } catch (_) {
      return null;
    }
  }

  function handleFrom(el) {
    if (!el) return null;
    const t = (el.getAttribute?.('aria-label') || '') + ' ' + (el.textContent || '');
    const m = HANDLE.exec(t);
    return m ? '@' + m[1] : null;
  }

  function pathHandle(re) {
    const m = re.exec(location.pathname);
    return m ? '@' + decodeURIComponent(m[1]) : null;
  }

  const hostIs = (...names) => (h) => names.some((n) => h === n || h.endsWith('.' + n));

  const adapters = [
    {
      id: 'x',
      matches: hostIs('x.com', 'twitter.com'),
      fields: '[data-testid^="tweetTextarea_"][contenteditable="true"], [data-testid^="tweetTextarea_"] [contenteditable="true"], .public-DraftEditor-content',
      account: () => handleFrom(q('[data-testid="SideNav_AccountSwitcher_Button"]')),
      reply: (field) => !!field.closest?.('[data-testid="inline_reply_offscreen"]') || /\/status\/\d+/.test(location.pathname) || !!q('[data-testid="tweetButton"][aria-label*="Reply" i]'),
    },
    {
      id: 'facebook',
      matches: hostIs('facebook.com'),
      fields: '[data-lexical-editor="true"], [contenteditable="true"][role="textbox"]',
      account: () => null, // Facebook shows names, not handles.
      reply: (field) => /comment|reply/i.test(field.getAttribute('aria-label') || ''),
    },
    {
      id: 'threads',
      matches: hostIs('threads.net', 'threads.com'),
      fields: '[data-lexical-editor="true"], [contenteditable="true"][role="textbox"]',
      account: () => handleFrom(q('[data-pressable-container] a[href^="/@"]')) || pathHandle(/^\/@([^/]+)/),
      reply: (field) => /reply/i.test(field.getAttribute('aria-label') || field.getAttribute('aria-placeholder') || ''),
    },
    {
      id: 'instagram',
      matches: hostIs('instagram.com'),
      fields: '[data-lexical-editor="true"], textarea[aria-label*="caption" i], textarea[aria-label*="comment" i]',
      account: () => null,
      reply: (field) => /comment/i.test(field.getAttribute('aria-label') || ''),
    },
    {
      id: 'linkedin',
      matches: hostIs('linkedin.com'),
      fields: '.ql-editor[contenteditable="true"], [contenteditable="true"][role="textbox"]',
      account: () => null,
      reply: (field) => !!field.closest?.('.comments-comment-box, .comments-comment-texteditor'),
    },
    {
      id: 'bluesky',
      matches: hostIs('bsky.app'),
      fields: '.ProseMirror[contenteditable="true"], .tiptap[contenteditable="true"]',
      account: () => handleFrom(q('[data-testid="composerAccountHandle"], [aria-label="Profile"]')) ||
        (q('a[aria-label="Profile"]')?.getAttribute('href') || '').replace(/^\/profile\//, '@') || null,
      reply: () => !!q('[data-testid="composerReplyTo"]') || /\/post\//.test(location.pathname),
    },
    {
      id: 'mastodon',
      matches: (h) => h === 'mastodon.social' || !!document.querySelector('meta[property="og:site_name"][content*="Mastodon" i]') || !!document.getElementById('mastodon'),
      fields: 'textarea.autosuggest-textarea__textarea, .compose-form textarea, textarea[name="status[text]"], textarea[name="status"]',
      account: () => {
        const a = q('.navigation-bar__profile-account, .compose-form .navigation-bar__profile-account');
        const h = handleFrom(a);
        if (!h) return null;
        return h.includes('@', 1) ? h : `${h}@${location.hostname}`;
      },
      reply: () => !!q('.reply-indicator'),
    },
    {
      id: 'reddit',
      matches: hostIs('reddit.com'),
      fields: 'shreddit-composer [contenteditable="true"], [data-lexical-editor="true"], textarea[name="text"], .usertext-edit textarea, textarea',
      account: () => {
        const u = q('#USER_DROPDOWN_ID, .user a, [data-testid="reddit-user-name"]');
        const t = (u?.textContent || '').trim();
        const m = /u\/([A-Za-z0-9_-]+)|^([A-Za-z0-9_-]{3,20})$/.exec(t);
        return m ? '@' + (m[1] || m[2]) : null;
      },
      reply: (field) => !!field.closest?.('shreddit-composer[name="comment"], comment-composer-host, .usertext.cloneable, .commentarea'),
    },
    {
      id: 'youtube',
      matches: hostIs('youtube.com'),
      fields: '#contenteditable-root[contenteditable="true"], #contenteditable-root',
      account: () => null,
      reply: (field) => !!field.closest?.('ytd-comment-replies-renderer, #reply-dialog'),
    },
  ];

  const generic = {
    id: 'generic',
    matches: () => true,
    fields: 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]',
    account: () => null,
    reply: () => undefined,
  };

  function forHost(host) {
    return adapters.find((a) => a.matches(host)) || generic;
  }

  /** Editor family, detected from the element and its ancestors. */
  function family(el) {
    if (el instanceof HTMLTextAreaElement) return 'textarea';
    if (!el.closest) return 'plain';
    if (el.closest('.public-DraftEditor-content, .DraftEditor-root')) return 'draft';
    if (el.closest('[data-lexical-editor="true"]')) return 'lexical';
    if (el.closest('.ql-editor')) return 'quill';
    if (el.closest('.ProseMirror, .tiptap')) return 'prosemirror';
    return 'plain';
  }

  /** The editing root for an element that got focus (or null if not a text field). */
  function editingRoot(el) {
    if (!el || el.nodeType !== 1) return null;
    if (el instanceof HTMLTextAreaElement) return el.readOnly || el.disabled ? null : el;
    if (!el.isContentEditable) return null;
    let root = el;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    // In a shadow root, parentElement stops at the shadow boundary, which is what we want.
    return root;
  }

  PF.adapters = { list: adapters, generic, forHost, family, editingRoot };
})();
