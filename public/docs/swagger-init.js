// Starts Swagger UI on the /docs page. A file, not an inline script, so the page's CSP can forbid inline code.
(() => {
  const root = document.getElementById("swagger-ui");
  if (!root) return;
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl || "/openapi.json",
    domNode: root,
    deepLinking: true,
    // The default would send the document to validator.swagger.io and load a badge from there.
    validatorUrl: null,
  });
})();
