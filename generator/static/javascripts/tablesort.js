// Sortable Markdown tables (overview, accuracy, ...), as Material's docs recommend: document$
// emits on the first load and after every instant navigation. Tables with a class are our own.
document$.subscribe(function () {
  document.querySelectorAll("article table:not([class])").forEach(function (table) {
    new Tablesort(table);
  });
});
