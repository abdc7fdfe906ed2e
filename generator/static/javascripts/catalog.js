/* The catalog page's loader: starts downloading models.json at once (before the page finishes
 * loading), then loads the catalog's ES modules (catalog/main.js). A classic script, so that any
 * engine can list it in extra_javascript as a plain path. */
(function () {
  "use strict";
  const source = document.getElementById("zoo-catalog-source");
  if (source && !window.zooCatalogData) {
    const promise = fetch(source.href).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    });
    promise.catch(function () {
      window.zooCatalogData = null; // main.js tries again
    });
    window.zooCatalogData = { url: source.href, promise: promise };
  }
  import(new URL("catalog/main.js", document.currentScript.src).href);
})();
