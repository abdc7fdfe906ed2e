/* DOM helpers. Card text reaches the page only as text nodes and element properties. */

const LINK_SCHEMES = new Set(["http:", "https:"]);

export function el(tag, props, children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("aria-") || key === "role" || key === "scope") {
        node.setAttribute(key, value);
      } else node[key] = value;
    }
  }
  for (const child of children || []) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

export function safeLink(url, text) {
  // only http(s) links from cards: a javascript: or data: URL stays plain text
  try {
    const parsed = new URL(url, location.href);
    if (LINK_SCHEMES.has(parsed.protocol)) return el("a", { href: parsed.href, text: text });
  } catch (error) {
    /* not a URL: shown as text */
  }
  return document.createTextNode(text);
}
