// The search page: Pagefind's index of the site (written by `edition build html`), queried in
// the browser. A result leads to its page with `?find=`, and view.js opens the passage there.
"use strict";
(async function () {
  const form = document.querySelector(".search-form");
  if (!form) {
    return;
  }
  const input = form.querySelector("input");
  const status = document.querySelector(".search-status");
  const list = document.querySelector(".search-results");
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
    await pagefind.options({ baseUrl: new URL(".", document.baseURI).pathname });
  } catch (error) {
    status.textContent = "Search is not available here: the site must be served over HTTP.";
    return;
  }
  status.textContent = "";

  async function run() {
    const terms = input.value.trim();
    list.replaceChildren();
    if (!terms) {
      status.textContent = "";
      return;
    }
    const search = await pagefind.search(terms);
    const results = await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
    if (input.value.trim() !== terms) {
      return; // a newer search is under way
    }
    status.textContent = results.length === 1 ? "1 page found." : results.length + " pages found.";
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      const address = new URL(result.url, document.baseURI);
      address.searchParams.set("find", terms);
      link.href = address.href;
      link.textContent = result.meta.title || result.url;
      const excerpt = document.createElement("p");
      excerpt.innerHTML = result.excerpt; // Pagefind escapes the text; only <mark> is markup
      item.append(link, excerpt);
      list.append(item);
    }
  }

  // The query goes into the address as the reader types (replaced, so the history gets no
  // entry per letter): Back from a result, or a reload, shows the same results.
  let pending = null;
  function remember() {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      const address = new URL(window.location.href);
      const terms = input.value.trim();
      if (terms) {
        address.searchParams.set("q", terms);
      } else {
        address.searchParams.delete("q");
      }
      if (address.href !== window.location.href) {
        try {
          window.history.replaceState(null, "", address.href);
        } catch (error) {
          // some browsers refuse to rewrite file: URLs; the search still works
        }
      }
    }, 300);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    run();
  });
  input.addEventListener("input", function () {
    remember();
    run();
  });
  // A query in the address, or words typed while Pagefind was still loading (before these
  // listeners were there to hear them: the search never ran), is searched now.
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked && !input.value.trim()) {
    input.value = asked;
  }
  if (input.value.trim()) {
    remember();
    run();
  }
})();
