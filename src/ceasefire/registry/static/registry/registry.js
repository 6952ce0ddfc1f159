// The receipt form: htmx adds lines; this removes them.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.remove-line");
  if (!button) return;
  const lines = document.querySelectorAll("#lines fieldset.line");
  if (lines.length > 1) button.closest("fieldset.line").remove();
});
