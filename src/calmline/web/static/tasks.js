// The tasks page: mark "Tasks" as the current page in the navigation.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector('[data-nav="tasks"]');
  if (link) link.classList.add("active");
});
