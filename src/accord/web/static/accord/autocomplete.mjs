// Long selects (parties, countries) become an accessible autocomplete where JavaScript runs
// (alphagov's accessible-autocomplete, pinned in package.json). Without JavaScript the plain
// select stays and works. Each option may carry other names people type in data-aliases
// ("UK" for the United Kingdom, the party's code): they find the option too.
const SCRIPT = "/assets/accessible-autocomplete/accessible-autocomplete.min.js";
const STYLE = "/assets/accessible-autocomplete/accessible-autocomplete.min.css";

function load() {
  // A script element, not an inline script: the Content-Security-Policy allows only our own files.
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE;
    document.head.appendChild(link);
    const script = document.createElement("script");
    script.src = SCRIPT;
    script.onload = () => resolve(window.accessibleAutocomplete);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function options(select) {
  return Array.from(select.options)
    .filter((option) => option.value !== "")
    .map((option) => ({
      label: option.textContent.trim(),
      words: [option.textContent, option.value, option.dataset.aliases || ""].join(" ").toLowerCase(),
    }));
}

function source(select) {
  const all = options(select);
  return (query, populate) => {
    const typed = query.trim().toLowerCase();
    if (!typed) {
      populate(all.map((o) => o.label));
      return;
    }
    const starts = all.filter((o) => o.words.split(/[\s(),]+/).some((w) => w.startsWith(typed)));
    const inside = all.filter((o) => !starts.includes(o) && o.words.includes(typed));
    populate([...starts, ...inside].map((o) => o.label));
  };
}

const selects = document.querySelectorAll('select[data-module="accord-autocomplete"]');
if (selects.length) {
  load().then((accessibleAutocomplete) => {
    selects.forEach((selectElement) => {
      accessibleAutocomplete.enhanceSelectElement({
        selectElement,
        defaultValue: selectElement.value ? selectElement.selectedOptions[0].textContent.trim() : "",
        showAllValues: true,
        source: source(selectElement),
        tNoResults: () => "No party found",
      });
    });
  });
}
