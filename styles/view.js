// The reading view in the URL and across pages, and apparatus marks that open on a tap.
// Without this script the edition still works: the switch is CSS (:has), a mark is a link to
// its apparatus entry. With it, a permalink such as
//   treaty-of-kars.html?view=diplomatic#treaty-of-kars-l25
// opens at that line in the diplomatic view, and a tap on a mark shows the entry in place.
"use strict";
(function () {
  const key = "edition-view";
  const views = ["normalised", "diplomatic"];
  const inputs = [...document.querySelectorAll('input[name="view"]')];

  function storage(action) {
    try {
      return action(window.localStorage);
    } catch (error) {
      return null; // storage disabled: the URL and the switch still work
    }
  }

  // The URL names the view of a permalink; else the reader's last choice.
  const asked = new URLSearchParams(window.location.search).get("view");
  const chosen = views.includes(asked) ? asked : storage((store) => store.getItem(key));
  for (const input of inputs) {
    if (input.value === chosen) {
      input.checked = true;
    }
    input.addEventListener("change", function () {
      if (!input.checked) {
        return;
      }
      storage((store) => store.setItem(key, input.value));
      const address = new URL(window.location.href);
      address.searchParams.set("view", input.value);
      try {
        window.history.replaceState(null, "", address.href);
      } catch (error) {
        // some browsers refuse to rewrite file: URLs; the view still changes
      }
    });
  }
  // A search result (`?find=`) opens at the first paragraph or entry holding the term, in the
  // view that shows it there (the diplomatic one when only the witness's side of a choice has
  // it). The address then is the passage's permalink: its view named, the search term gone.
  // A query of several words the passage does not hold as one phrase leads to the first
  // passage holding each of them. Apparatus entries (popups) are not the passage's text.
  const find = (new URLSearchParams(window.location.search).get("find") || "").trim()
    .toLowerCase();
  const words = find.split(/\s+/).filter(Boolean);
  const passages = find ? [...document.querySelectorAll("main p[id], main li[id]")] : [];
  const seenIn = (passage, view) => {
    const seen = passage.cloneNode(true);
    const other = view === "diplomatic" ? ".only-normalised" : ".only-diplomatic";
    for (const hidden of seen.querySelectorAll(other + ", .app-popup")) {
      hidden.remove();
    }
    return seen.textContent.toLowerCase();
  };
  const holds = (passage, view, phrase) => {
    const text = seenIn(passage, view);
    return phrase ? text.includes(find) : words.every((word) => text.includes(word));
  };
  let phrase = true;
  let found = passages.find((passage) => views.some((view) => holds(passage, view, true)));
  if (!found && words.length > 1) {
    phrase = false;
    found = passages.find((passage) => views.some((view) => holds(passage, view, false)));
  }
  if (found) {
    const shows = (view) => holds(found, view, phrase);
    const current = inputs.find((input) => input.checked);
    const view = current && (shows(current.value) ? current.value
                                                  : views.find(shows) || current.value);
    const input = inputs.find((candidate) => candidate.value === view);
    if (input) {
      input.checked = true;
    }
    const address = new URL(window.location.href);
    address.searchParams.delete("find");
    if (view) {
      address.searchParams.set("view", view);
    }
    address.hash = "";
    try {
      window.history.replaceState(null, "", address.href);
    } catch (error) {
      // some browsers refuse to rewrite file: URLs; the passage is still shown
    }
    window.location.hash = found.id;
    const terms = phrase ? [find] : words;
    markFound(found, terms);
    for (const choice of inputs) {
      choice.addEventListener("change", () => markFound(found, terms));
    }
  } else if (chosen && window.location.hash) {
    // The view changes the layout (lines break in the diplomatic view): go to the target again.
    const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) {
      target.scrollIntoView();
    }
  }

  // The searched term marked where the passage is found, in the text the view shows (not in
  // an apparatus entry, nor the other view's side of a choice), also where it runs across
  // elements: a highlight (CSS Custom Highlight API), the page's text and links unchanged;
  // where a browser has none, a <mark> about each whole occurrence within one text node.
  function markFound(passage, terms) {
    const texts = [];
    let joined = "";
    const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const parent = text.parentElement;
      if (parent.closest(".app-popup") || !parent.checkVisibility()) {
        continue;
      }
      texts.push([text, joined.length]);
      joined += text.data;
    }
    const at = (offset, end) => {
      let index = texts.length - 1;
      while (index > 0 && (end ? texts[index][1] >= offset : texts[index][1] > offset)) {
        index -= 1;
      }
      return [texts[index][0], offset - texts[index][1]];
    };
    const ranges = [];
    const lower = joined.toLowerCase();
    for (const term of texts.length ? terms : []) {
      for (let start = lower.indexOf(term); term && start >= 0;
           start = lower.indexOf(term, start + term.length)) {
        const range = document.createRange();
        range.setStart(...at(start, false));
        range.setEnd(...at(start + term.length, true));
        ranges.push(range);
      }
    }
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("find", new Highlight(...ranges));
      return;
    }
    ranges.sort((one, other) => one.compareBoundaryPoints(Range.START_TO_START, other));
    for (const range of ranges.reverse()) {
      if (range.startContainer === range.endContainer && !range.startContainer.parentElement
        .closest("mark")) {
        range.surroundContents(Object.assign(document.createElement("mark"),
                                             { className: "found" }));
      }
    }
  }

  // The citation box cites what the reader sees: this address, with its passage and view.
  const citations = [...document.querySelectorAll(".cite-box .permalink, .cite-chicago, " +
                                                  ".cite-bibtex")];
  const page = document.querySelector(".cite-box .permalink");
  const named = page ? page.textContent : null;
  function cite() {
    for (const citation of citations) {
      citation.dataset.template = citation.dataset.template || citation.textContent;
      citation.textContent = citation.dataset.template.split(named).join(window.location.href);
    }
  }
  if (named) {
    cite();
    window.addEventListener("hashchange", cite);
    for (const input of inputs) {
      input.addEventListener("change", cite);
    }
    // A click or tap in a paragraph (not on a link) makes it the passage the address and the
    // box cite, without moving the page.
    document.addEventListener("click", function (event) {
      const passage = event.target.closest("main p[id]");
      if (!passage || event.target.closest("a, input, label, summary")) {
        return;
      }
      const address = new URL(window.location.href);
      address.hash = passage.id;
      try {
        window.history.replaceState(null, "", address.href);
      } catch (error) {
        return;
      }
      cite();
    });
  }

  // Apparatus marks. Where a pointer can hover, the entry shows on hover (CSS) and a click
  // leads to the apparatus; on a touch screen the first tap opens the entry in place, kept
  // inside the screen, and a second tap leads to the apparatus.
  const margin = 8;
  const hovering = window.matchMedia("(hover: hover)");
  let open = null;

  function close() {
    if (open) {
      open.classList.remove("open");
      open.setAttribute("aria-expanded", "false");
      open = null;
    }
  }

  // Within the screen: shifted left where it would leave it on the right, and above its mark
  // where a mark near the bottom edge would open it below.
  function place(popup) {
    popup.style.left = "0px";
    popup.classList.remove("above");
    const box = popup.getBoundingClientRect();
    const overflow = box.right - (document.documentElement.clientWidth - margin);
    const shift = Math.min(Math.max(overflow, 0), box.left - margin);
    popup.style.left = -shift + "px";
    const above = popup.parentElement.getBoundingClientRect().top - margin;
    if (box.bottom > window.innerHeight - margin && above > box.height) {
      popup.classList.add("above");
    }
  }

  for (const mark of document.querySelectorAll("a.app-mark")) {
    const popup = mark.querySelector(".app-popup");
    if (!popup) {
      continue;
    }
    mark.setAttribute("aria-expanded", "false");
    mark.addEventListener("click", function (event) {
      if (mark === open || hovering.matches) {
        close();
        return; // already showing: follow the link to the apparatus
      }
      event.preventDefault();
      close();
      mark.classList.remove("dismissed");
      mark.classList.add("open");
      mark.setAttribute("aria-expanded", "true");
      open = mark;
      place(popup);
    });
    mark.addEventListener("mouseenter", () => place(popup));
    mark.addEventListener("focus", () => place(popup));
  }
  document.addEventListener("click", function (event) {
    if (open && !open.contains(event.target)) {
      close();
    }
  });
  // Escape hides any entry shown, also one shown by focus or hover, until the mark is left
  // (blur) or pointed at again.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close();
      for (const mark of document.querySelectorAll("a.app-mark:hover, a.app-mark:focus")) {
        mark.classList.add("dismissed");
      }
    }
  });
  for (const mark of document.querySelectorAll("a.app-mark")) {
    for (const type of ["blur", "mouseenter"]) {
      mark.addEventListener(type, () => mark.classList.remove("dismissed"));
    }
  }
})();
