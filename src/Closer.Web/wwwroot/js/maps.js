// Maps (Features/Dashboards/Maps): shows an area's label and value in a box while it is hovered or focused. The maps are
// complete without this: each area carries its label as aria-label and <title>, and a table follows every map.
for (const figure of document.querySelectorAll('figure[data-map]')) {
  const tip = document.createElement('div');
  tip.className = 'map-tip';
  tip.setAttribute('aria-hidden', 'true'); // the area's own label is what assistive technology reads
  tip.hidden = true;
  figure.append(tip);
  const show = (area) => {
    tip.textContent = area.getAttribute('aria-label');
    tip.hidden = false;
    const box = figure.getBoundingClientRect();
    const r = area.getBoundingClientRect();
    const left = Math.min(Math.max(0, r.left + r.width / 2 - box.left - tip.offsetWidth / 2), Math.max(0, box.width - tip.offsetWidth));
    tip.style.left = `${left}px`;
    tip.style.top = `${Math.max(0, r.top - box.top - tip.offsetHeight - 6)}px`;
  };
  const hide = () => { tip.hidden = true; };
  figure.addEventListener('mouseover', (e) => { const a = e.target.closest('.map-area'); if (a) show(a); });
  figure.addEventListener('mouseleave', hide);
  figure.addEventListener('focusin', (e) => { const a = e.target.closest('.map-area'); if (a) show(a); });
  figure.addEventListener('focusout', hide);
  figure.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
}
