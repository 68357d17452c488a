// The playbook upload: a chosen file is read into the text box, then posted with the form.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const file = document.getElementById("playbook-file");
  const source = document.getElementById("playbook-source");
  file?.addEventListener("change", async () => {
    if (file.files.length) source.value = await file.files[0].text();
  });
});
