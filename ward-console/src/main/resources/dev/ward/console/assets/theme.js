// The theme the user picked last (localStorage 'ward-theme': 'dark' | 'light'); without one the system's
// prefers-color-scheme decides (style.css). Loaded as a classic script in <head> so that no page flashes.
(function () {
  try {
    var t = localStorage.getItem('ward-theme');
    if (t === 'dark' || t === 'light') {
      document.documentElement.dataset.theme = t;
    }
  } catch (e) {
    // Storage refused (privacy mode): the system theme applies.
  }
})();
