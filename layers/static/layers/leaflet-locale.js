// Leaflet's own words in the page's language, for every staff map (the editor, the lists, the
// review, the history, the imports): the zoom buttons, the popup's close button and the credit
// line. Leaflet 1.9 has no translations; its defaults are set here once, before any map.
(function () {
  const element = document.getElementById("leaflet-strings");
  if (!element || !window.L) return;
  const words = JSON.parse(element.textContent);
  L.Control.Zoom.mergeOptions({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut });
  const credit = document.createElement("a");
  credit.href = "https://leafletjs.com";
  credit.title = words.leafletTitle;
  credit.textContent = "Leaflet";
  L.Control.Attribution.mergeOptions({ prefix: credit.outerHTML });
  L.Map.addInitHook(function () {
    this.on("popupopen", (event) => {
      // The close button's label is written in English by Leaflet itself.
      const button = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (button) button.setAttribute("aria-label", words.closePopup);
    });
  });
})();
