// Page behaviour lives here, never inline: the Content-Security-Policy forbids inline script.
"use strict";

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("autosubmit")) {
    target.form.submit();
  }
});
