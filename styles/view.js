// Remember the reader's choice of reading view across the pages of the edition.
// The switch itself needs no script (CSS :has does the work); this only restores the choice.
"use strict";
(function () {
  const key = "edition-view";
  let saved = null;
  try {
    saved = window.localStorage.getItem(key);
  } catch (error) {
    return; // storage disabled: the switch still works on each page
  }
  for (const input of document.querySelectorAll('input[name="view"]')) {
    if (input.value === saved) {
      input.checked = true;
    }
    input.addEventListener("change", function () {
      if (input.checked) {
        window.localStorage.setItem(key, input.value);
      }
    });
  }
})();
