// Light/dark: the stored choice, else the system preference. Runs in <head> so the first paint is right.
(function () {
  const key = 'experiments-theme';
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (theme) => {
    document.documentElement.dataset.theme = theme;
    window.dispatchEvent(new Event('themechange'));
  };
  const current = () => localStorage.getItem(key) || (media.matches ? 'dark' : 'light');
  apply(current());
  media.addEventListener('change', () => { if (!localStorage.getItem(key)) apply(current()); });
  window.experimentsTheme = {
    toggle() {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem(key, next);
      apply(next);
    },
  };
})();
