// The staff console's only script on every page: the "Sao chép trích dẫn" buttons. Without JavaScript the
// citation stays on the page, selectable.
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.copy") : null;
  if (!button) return;
  const text = button.getAttribute("data-copy") || "";
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // Clipboard refused (no secure context): select the text instead, for Ctrl+C.
    const shown = button.parentElement && button.parentElement.querySelector(".cite-text");
    if (shown) {
      const range = document.createRange();
      range.selectNodeContents(shown);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copied = document.execCommand && document.execCommand("copy");
    }
  }
  const label = button.getAttribute("data-label") || button.textContent;
  button.setAttribute("data-label", label);
  button.textContent = copied ? "Đã sao chép" : "Đã chọn, nhấn Ctrl+C";
  setTimeout(() => {
    button.textContent = label;
  }, 2000);
});
