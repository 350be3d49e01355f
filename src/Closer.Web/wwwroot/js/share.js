// Share blocks (Features/Campaign/Sharing/_Share.cshtml) work as plain links without this script. With it:
// "Copy link" copies the address instead of following it, and a "Share…" button opens the device's share sheet
// (Web Share API) where the browser has one. Same-origin, no inline code (the CSP allows only 'self').
(() => {
  const blocks = document.querySelectorAll('.campaign-share-block');
  for (const block of blocks) {
    const status = block.querySelector('.share-status');
    const say = text => { status.textContent = ''; setTimeout(() => { status.textContent = text; }, 50); };
    const native = block.querySelector('.share-native');
    const button = native && native.querySelector('button');
    if (button && typeof navigator.share === 'function') {
      native.hidden = false;
      button.addEventListener('click', () => {
        navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(() => {});
      });
    }
    const copy = block.querySelector('.share-copy');
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.addEventListener('click', event => {
        event.preventDefault();
        navigator.clipboard.writeText(copy.href).then(() => say(copy.dataset.copied), () => { window.location.href = copy.href; });
      });
    }
  }
})();
