// Swagger UI over the contract the page names: a file of its own, as the page's
// Content-Security-Policy runs no inline script.
"use strict";
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    domNode: container,
    deepLinking: true,
    persistAuthorization: false,
  });
});
