"use strict";
// Put into every page by `edition serve`: reload the page when the edition has been rebuilt,
// show the problems of a save that did not build in a banner (the page keeps the last good
// text), and build the PDF on request.
(() => {
  const shown = Number(document.currentScript.dataset.generation);

  const banner = document.createElement("div");
  banner.id = "edition-live-problems";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  const heading = document.createElement("p");
  heading.textContent = "The last save does not build; this page shows the last good edition.";
  const problems = document.createElement("pre");
  banner.append(heading, problems);

  const tools = document.createElement("div");
  tools.id = "edition-live-tools";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Build the PDF";
  const status = document.createElement("span");
  status.setAttribute("aria-live", "polite");
  tools.append(button, status);
  document.body.prepend(banner);
  document.body.append(tools);

  function showPdf(state, problemsOfPdf) {
    status.replaceChildren();
    if (state === "building") {
      status.textContent = " building…";
    } else if (state === "built") {
      const link = document.createElement("a");
      link.href = "/_edition/edition.pdf";
      link.target = "_blank";
      link.textContent = "open the PDF";
      status.append(" ", link);
    } else if (state === "failed") {
      status.textContent = ` the PDF does not build: ${problemsOfPdf.join("\n")}`;
    }
    button.disabled = state === "building";
  }

  const events = new EventSource("/_edition/events");
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.generation !== shown) {
      location.reload();
      return;
    }
    problems.textContent = state.problems.join("\n");
    banner.hidden = state.problems.length === 0;
    showPdf(state.pdf, state.pdf_problems);
  });

  button.addEventListener("click", () => {
    showPdf("building", []);
    fetch("/_edition/pdf", { method: "POST" }).catch((problem) => {
      status.textContent = ` ${problem}`;
      button.disabled = false;
    });
  });
})();
